/**
 * Navigation, rename, inlay hints and code lenses over real LSP messages. The client announces
 * refresh support and simulates only on request, so reports arrive when a test asks for them.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeLensRefreshRequest,
  CodeLensRequest,
  DefinitionRequest,
  DocumentHighlightKind,
  DocumentHighlightRequest,
  InitializedNotification,
  InitializeRequest,
  InlayHintRefreshRequest,
  InlayHintRequest,
  PrepareRenameRequest,
  ReferencesRequest,
  RenameRequest,
  type CodeLens,
  type InlayHint,
  type Location,
  type Position,
  type Range,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { SimulateRequest } from '../../shared/protocol.js';
import { cursor, LspClient } from '../support/lsp.js';

const POD = `fabric pod {
  let N = 4
  gpu acc[N] : gpu_ualink
  switch sx[2] : scorpio_x
  memory pool : cxl_expander { ports: [cxl x16 * 2] }
  for i in 0..N-1 { link acc[i] <-> sx[i % 2] : ualink x4 * 2 }
  for i in 0..1 { link sx[i] <-> pool : cxl x16 }
  link sx[0] <-> sx[1] : ualink x4 * 4
  group tp = acc[0..1]
  workload step {
    allreduce 64 MiB over acc
    parallel { allgather 16 MiB over tp  flow 1 MiB acc[2] -> acc[3] }
    for k in 0..1 { read 4 KiB from pool by acc[k] }
    compute 1 ms
  }
  expect time step < 10 ms
}
`;

function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length - 1, character: offset - (before.lastIndexOf('\n') + 1) };
}

/** The range of the `nth` whole-word occurrence of `word` in `text` (0-based). */
function word(text: string, name: string, nth = 0): Range {
  const pattern = new RegExp(`(?<![A-Za-z0-9_])${name}(?![A-Za-z0-9_])`, 'g');
  const match = [...text.matchAll(pattern)][nth];
  assert.ok(match, `occurrence ${nth} of ${name}`);
  return { start: positionAt(text, match.index!), end: positionAt(text, match.index! + name.length) };
}

/** The text a location covers, read from the file it names. */
function textAt(location: Location): string {
  const lines = readFileSync(fileURLToPath(location.uri), 'utf8').split('\n');
  assert.equal(location.range.start.line, location.range.end.line);
  return lines[location.range.start.line].slice(location.range.start.character, location.range.end.character);
}

const byPosition = (a: { range: Range }, b: { range: Range }) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
const sorted = <T extends { range: Range }>(list: T[]) => [...list].sort(byPosition);
/** `"lines:characters"` of each range, for compact comparisons. */
const at = (list: { range: Range }[]) => sorted(list).map((l) => `${l.range.start.line}:${l.range.start.character}-${l.range.end.character}`);

/** `362.3 µs` → seconds. */
function seconds(label: string): number {
  const match = /^([\d.]+) (ns|µs|ms|s)$/.exec(label);
  assert.ok(match, `a time: ${label}`);
  return Number(match[1]) * { ns: 1e-9, µs: 1e-6, ms: 1e-3, s: 1 }[match[2] as 'ns' | 'µs' | 'ms' | 's'];
}

describe('navigation, rename, inlay hints and code lenses', () => {
  const client = new LspClient();
  const dir = mkdtempSync(join(tmpdir(), 'fabric-nav-'));
  const uri = (name: string) => pathToFileURL(join(dir, name)).href;
  const refreshes = { inlayHints: 0, codeLenses: 0 };
  let version = 1;

  const definition = async (doc: string, position: Position) => (await client.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri: doc }, position })) as Location | null;
  const references = async (doc: string, position: Position, includeDeclaration = true) =>
    (await client.connection.sendRequest(ReferencesRequest.type, { textDocument: { uri: doc }, position, context: { includeDeclaration } })) ?? [];
  const rename = (doc: string, position: Position, newName: string) =>
    client.connection.sendRequest(RenameRequest.type, { textDocument: { uri: doc }, position, newName }) as Promise<WorkspaceEdit | null>;
  const hints = async (doc: string, text: string) =>
    ((await client.connection.sendRequest(InlayHintRequest.type, { textDocument: { uri: doc }, range: { start: { line: 0, character: 0 }, end: positionAt(text, text.length) } })) ?? []) as InlayHint[];
  const lenses = async (doc: string) => ((await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: doc } })) ?? []) as CodeLens[];
  /** Opens `text` (with or without a `<|>` marker) as a new document and returns its URI and the marker's position. */
  const open = async (name: string, marked: string) => {
    const { text, position } = marked.includes('<|>') ? cursor(marked) : { text: marked, position: { line: 0, character: 0 } };
    const doc = uri(name);
    await client.open(doc, text, version);
    return { doc, text, position };
  };

  before(async () => {
    client.connection.onRequest(InlayHintRefreshRequest.type, () => void refreshes.inlayHints++);
    client.connection.onRequest(CodeLensRefreshRequest.type, () => void refreshes.codeLenses++);
    const result = await client.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      capabilities: { workspace: { inlayHint: { refreshSupport: true }, codeLens: { refreshSupport: true } } },
      initializationOptions: { settings: { fabric: { diagnostics: { debounceMs: 10 }, simulation: { onChange: false } } } },
    });
    await client.connection.sendNotification(InitializedNotification.type, {});
    const capabilities = result.capabilities;
    assert.equal(capabilities.definitionProvider, true);
    assert.equal(capabilities.referencesProvider, true);
    assert.equal(capabilities.documentHighlightProvider, true);
    assert.deepEqual(capabilities.renameProvider, { prepareProvider: true });
    assert.equal(capabilities.inlayHintProvider, true);
    assert.deepEqual(capabilities.codeLensProvider, { resolveProvider: false });
  });

  after(async () => {
    assert.equal(await client.stop(), 0, client.stderr);
  });

  describe('definition and references', () => {
    const cases: [string, string, Range, number][] = [
      // [title, fixture with the cursor, expected declaration, number of references with it]
      ['a device from a statement', POD.replace('over acc\n', 'over a<|>cc\n'), word(POD, 'acc', 0), 7],
      ['a device from a link endpoint', POD.replace('link sx[0] <-> sx[1]', 'link s<|>x[0] <-> sx[1]'), word(POD, 'sx', 0), 5],
      ['a group from a statement', POD.replace('over tp', 'over t<|>p'), word(POD, 'tp', 0), 2],
      ['a constant from a loop bound', POD.replace('0..N-1', '0..<|>N-1'), word(POD, 'N', 0), 3],
      ['a loop variable, only inside its own loop', POD.replace('sx[i % 2]', 'sx[<|>i % 2]'), word(POD, 'i', 0), 3],
      ['the loop variable of a second loop with the same name', POD.replace('link sx[i]', 'link sx[i<|>]'), word(POD, 'i', 3), 2],
      ['a loop variable of a loop in a workload', POD.replace('acc[k]', 'acc[<|>k]'), word(POD, 'k', 0), 2],
      ['a workload from `expect time`', POD.replace('time step', 'time st<|>ep'), word(POD, 'step', 0), 2],
      ['a device from its declaration', POD.replace('gpu acc[N]', 'gpu <|>acc[N]'), word(POD, 'acc', 0), 7],
    ];
    cases.forEach(([title, marked, declaration, count], n) => {
      it(title, async () => {
        const { doc, position } = await open(`definition-${n}.fabric`, marked);
        const location = await definition(doc, position);
        assert.deepEqual(location, { uri: doc, range: declaration });
        const found = await references(doc, position);
        assert.equal(found.length, count, JSON.stringify(at(found)));
        assert.ok(found.every((l) => l.uri === doc));
        assert.ok(found.some((l) => JSON.stringify(l.range) === JSON.stringify(declaration)), 'the declaration is among them');
        assert.equal((await references(doc, position, false)).length, count - 1, 'without the declaration');
      });
    });

    it('lists a device\'s references in endpoints, selectors, allocations, statements and expectations', async () => {
      const marked = `fabric f {\n  gpu g<|>[2]\n  memory m\n  switch s\n  link g[0] <-> s : pcie6 x16\n  link m <-> s : cxl x16\n  group both = g[0], g[1]\n  allocate 1 GiB of m to g[*]\n  workload w { write 1 KiB to m by g }\n  expect latency g[0] -> m < 1 us\n}\n`;
      const { doc, text, position } = await open('every-use.fabric', marked);
      const found = await references(doc, position);
      assert.deepEqual(at(found), at([0, 1, 2, 3, 4, 5, 6].map((nth) => ({ range: word(text, 'g', nth) }))));
    });

    it('goes to a model in an imported file and finds its uses there and in the importer', async () => {
      writeFileSync(join(dir, 'lib.fabric'), '/// A roomier accelerator.\nmodel big_gpu : gpu_ualink { memory: 1 TiB }\nmodel bigger_gpu : big_gpu\n');
      const { doc, text, position } = await open('imports.fabric', 'import "lib.fabric"\nfabric f {\n  gpu a : big<|>_gpu\n  gpu b : big_gpu\n}\n');
      const location = await definition(doc, position);
      assert.ok(location);
      assert.equal(location.uri, uri('lib.fabric'));
      assert.deepEqual(location.range, { start: { line: 1, character: 6 }, end: { line: 1, character: 13 } });
      assert.equal(textAt(location), 'big_gpu');
      const found = await references(doc, position);
      assert.deepEqual(found.filter((l) => l.uri === doc).map((l) => l.range).sort((a, b) => a.start.line - b.start.line), [word(text, 'big_gpu', 0), word(text, 'big_gpu', 1)]);
      assert.deepEqual(found.filter((l) => l.uri === uri('lib.fabric')).map((l) => l.range.start), [{ line: 1, character: 6 }, { line: 2, character: 19 }], 'the declaration and `: big_gpu`');
    });

    it('goes to a built-in model in the catalog file, which exists, is read-only and holds the model', async () => {
      const { doc, position } = await open('catalog-ref.fabric', POD.replace(': gpu_ualink', ': gpu_u<|>alink'));
      const location = await definition(doc, position);
      assert.ok(location);
      assert.match(location.uri, /^file:\/\/.*\/fabric-catalog-[^/]+\/catalog\.fabric$/);
      assert.equal(textAt(location), 'gpu_ualink');
      const lines = readFileSync(fileURLToPath(location.uri), 'utf8').split('\n');
      assert.match(lines[location.range.start.line], /^model gpu_ualink : gpu \{/);
      assert.equal(statSync(fileURLToPath(location.uri)).mode & 0o222, 0, 'nobody may write to it');

      // Opened from the definition, it reads as the catalog: no diagnostics, and its names resolve.
      const catalogText = readFileSync(fileURLToPath(location.uri), 'utf8');
      await client.open(location.uri, catalogText);
      const inside = await definition(location.uri, location.range.start);
      assert.deepEqual(inside, location);
      const uses = await references(location.uri, location.range.start);
      assert.ok(uses.some((l) => l.uri === doc), 'uses in open documents count');
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.deepEqual(client.published(location.uri), [], 'the catalog is not checked as a user file');
    });
  });

  it('highlights a name in the document: the declaration as a write, uses as reads', async () => {
    const { doc, text, position } = await open('highlight.fabric', POD.replace('over tp', 'over <|>tp'));
    const highlights = await client.connection.sendRequest(DocumentHighlightRequest.type, { textDocument: { uri: doc }, position });
    assert.ok(highlights);
    assert.deepEqual(
      sorted(highlights).map((h) => [h.range, h.kind]),
      [
        [word(text, 'tp', 0), DocumentHighlightKind.Write],
        [word(text, 'tp', 1), DocumentHighlightKind.Read],
      ],
    );
  });

  describe('rename', () => {
    it('renames a device everywhere in the file', async () => {
      const { doc, text, position } = await open('rename-device.fabric', POD.replace('over acc\n', 'over a<|>cc\n'));
      const prepared = await client.connection.sendRequest(PrepareRenameRequest.type, { textDocument: { uri: doc }, position });
      assert.deepEqual(prepared, { range: word(text, 'acc', 3), placeholder: 'acc' });
      const edit = await rename(doc, position, 'gpus');
      assert.deepEqual(Object.keys(edit?.changes ?? {}), [doc]);
      const edits = edit!.changes![doc];
      assert.ok(edits.every((e) => e.newText === 'gpus'));
      assert.deepEqual(at(edits), at([0, 1, 2, 3, 4, 5, 6].map((nth) => ({ range: word(text, 'acc', nth) }))));
    });

    it('renames a model across its file, the importer asking, and importers open or on disk', async () => {
      const lib = join(dir, 'models.fabric');
      const libText = 'model fast_gpu : gpu_ualink { memory: 1 TiB }\n';
      writeFileSync(lib, libText);
      const onDisk = join(dir, 'on-disk.fabric');
      writeFileSync(onDisk, 'import "models.fabric"\nfabric g { gpu x : fast_gpu }\n');
      const unrelated = join(dir, 'unrelated.fabric');
      writeFileSync(unrelated, 'model fast_gpu : gpu\nfabric h { gpu y : fast_gpu }\n');
      const { doc, position } = await open('uses-models.fabric', 'import "models.fabric"\nfabric f {\n  gpu a : fast<|>_gpu\n  gpu b : fast_gpu\n}\n');

      const edit = await rename(doc, position, 'quick_gpu');
      const changes = edit?.changes ?? {};
      assert.deepEqual(Object.keys(changes).sort(), [doc, pathToFileURL(lib).href, pathToFileURL(onDisk).href].sort(), 'not the file with its own fast_gpu');
      assert.deepEqual(at(changes[doc]), ['2:10-18', '3:10-18']);
      assert.deepEqual(at(changes[pathToFileURL(lib).href]), ['0:6-14']);
      assert.deepEqual(at(changes[pathToFileURL(onDisk).href]), ['1:19-27']);

      // Renamed from the model's own file, open in the editor: the importers follow.
      const libUri = pathToFileURL(lib).href;
      await client.open(libUri, libText);
      const fromLib = await rename(libUri, { line: 0, character: 8 }, 'quick_gpu');
      assert.deepEqual(Object.keys(fromLib?.changes ?? {}).sort(), [doc, libUri, pathToFileURL(onDisk).href].sort());
      const uses = await references(libUri, { line: 0, character: 8 });
      assert.equal(uses.length, 4, 'the declaration, two uses in the open importer, one on disk');
    });

    it('refuses a name taken in the namespace, in an importer, a reserved word, a width and a non-name', async () => {
      const { doc, position } = await open('rename-refused.fabric', POD.replace('over acc\n', 'over a<|>cc\n'));
      await assert.rejects(rename(doc, position, 'sx'), { message: '`sx` is already the name of a device; choose another name.' });
      await assert.rejects(rename(doc, position, 'tp'), { message: '`tp` is already the name of a group; choose another name.' });
      await assert.rejects(rename(doc, position, 'link'), { message: '`link` is a reserved word and cannot name a device; choose another name.' });
      await assert.rejects(rename(doc, position, 'x16'), { message: '`x16` reads as a lane width, not a name; choose another name.' });
      await assert.rejects(rename(doc, position, 'two words'), { message: /^`two words` is not a name: a name starts with a letter or `_`/ });

      writeFileSync(join(dir, 'base.fabric'), 'model base_gpu : gpu_ualink\n');
      writeFileSync(join(dir, 'clash.fabric'), 'import "base.fabric"\nmodel taken_gpu : gpu\nfabric c { gpu z : base_gpu }\n');
      const importer = await open('uses-base.fabric', 'import "base.fabric"\nfabric u { gpu a : base<|>_gpu }\n');
      await assert.rejects(rename(importer.doc, importer.position, 'taken_gpu'), { message: '`taken_gpu` is already the name of a model in clash.fabric; choose another name.' });
    });

    it('refuses to rename a built-in model', async () => {
      const { doc, position } = await open('rename-builtin.fabric', POD.replace(': scorpio_x', ': scor<|>pio_x'));
      await assert.rejects(
        client.connection.sendRequest(PrepareRenameRequest.type, { textDocument: { uri: doc }, position }),
        { message: '`scorpio_x` is a built-in model of the catalog and cannot be renamed; declare your own model starting from it (`model my_scorpio_x : scorpio_x`).' },
      );
      await assert.rejects(rename(doc, position, 'my_switch'), { message: /^`scorpio_x` is a built-in model of the catalog/ });
    });
  });

  describe('inlay hints and code lenses', () => {
    it('shows each link\'s bandwidth per direction, per link on a loop line', async () => {
      const { doc, text } = await open('hints-bandwidth.fabric', POD);
      const bandwidths = (await hints(doc, text)).filter((h) => /B\/s/.test(String(h.label)));
      assert.deepEqual(
        bandwidths.map((h) => [h.position, h.label, h.paddingLeft]),
        [
          [positionAt(text, text.indexOf('ualink x4 * 2') + 'ualink x4 * 2'.length), '186 GB/s each', true],
          [positionAt(text, text.indexOf('cxl x16 }') + 'cxl x16'.length), '118 GB/s each', true],
          [positionAt(text, text.indexOf('ualink x4 * 4') + 'ualink x4 * 4'.length), '372 GB/s', true],
        ],
      );
      assert.match(JSON.stringify(bandwidths[0].tooltip), /each of the 4 links this line makes \(acc\[0\] <-> sx\[0\] and 3 more\)/);
    });

    it('shows the simulated time after each statement and on the workload\'s lens, and asks for refreshes', async () => {
      const { doc, text } = await open('hints-time.fabric', POD);
      const before = await lenses(doc);
      assert.deepEqual(
        before.map((l) => [l.range.start, l.command?.title, l.command?.command, l.command?.arguments]),
        [
          [positionAt(text, text.indexOf('pod')), 'Simulate', 'fabric.simulate', [doc]],
          [positionAt(text, text.indexOf('pod')), 'Show report', 'fabric.showReport', [doc]],
          [positionAt(text, text.indexOf('step')), 'Simulate', 'fabric.simulate', [doc, 'step']],
          [positionAt(text, text.indexOf('step')), 'Show report', 'fabric.showReport', [doc, 'step']],
        ],
      );
      assert.equal((await hints(doc, text)).filter((h) => !/B\/s/.test(String(h.label))).length, 0, 'no times before a simulation');

      const seen = { ...refreshes };
      const report = await client.connection.sendRequest(SimulateRequest, { uri: doc });
      assert.ok(report);
      const steps = report.workloads[0].steps;
      const times = (await hints(doc, text)).filter((h) => !/B\/s/.test(String(h.label)));
      const end = (statement: string) => positionAt(text, text.indexOf(statement) + statement.length);
      assert.deepEqual(
        times.map((h) => h.position),
        [end('allreduce 64 MiB over acc'), end('allgather 16 MiB over tp'), end('flow 1 MiB acc[2] -> acc[3]'), end('read 4 KiB from pool by acc[k]')],
        'one per statement that moves data; none for compute',
      );
      const close = (label: string, expected: number) => assert.ok(Math.abs(seconds(label) - expected) <= expected * 1e-3, `${label} ≉ ${expected} s`);
      close(String(times[0].label), steps.find((s) => s.op === 'allreduce')!.time_s);
      close(String(times[1].label), steps.find((s) => s.op === 'allgather')!.time_s);
      close(String(times[2].label), steps.find((s) => s.op === 'flow')!.time_s);
      const reads = steps.filter((s) => s.op === 'read');
      assert.equal(reads.length, 2);
      assert.match(String(times[3].label), /^2 × /, 'a loop line runs twice');
      close(String(times[3].label).slice('2 × '.length), reads[0].time_s);
      assert.match(JSON.stringify(times[0].tooltip), /Simulated time of `allreduce` \((ring|tree|inc)\) in workload `step`/);

      const after = await lenses(doc);
      assert.equal(after[2].command?.title.replace(/[\d.]+ (µs|ms)$/, 'TIME'), 'Simulate · TIME');
      close(after[2].command!.title.slice('Simulate · '.length), report.workloads[0].time_s);
      assert.ok(refreshes.inlayHints > seen.inlayHints, 'inlay hints refreshed');
      assert.ok(refreshes.codeLenses > seen.codeLenses, 'code lenses refreshed');
    });

    it('keeps times from an earlier version only where the line still holds the same operation', async () => {
      const { doc, text } = await open('hints-stale.fabric', POD);
      await client.connection.sendRequest(SimulateRequest, { uri: doc });
      const timed = async (current: string) => (await hints(doc, current)).filter((h) => !/B\/s/.test(String(h.label)));
      const fresh = await timed(text);

      // Same lines, a bigger size: the old times stay, said to be updating.
      const resized = text.replace('allreduce 64 MiB', 'allreduce 128 MiB');
      await client.change(doc, resized, ++version);
      const kept = await timed(resized);
      assert.deepEqual(kept.map((h) => h.label), fresh.map((h) => h.label));
      assert.match(JSON.stringify(kept[0].tooltip), /earlier version of this file; updating/);
      assert.match((await lenses(doc))[2].command!.title, /^Simulate · was [\d.]+ (µs|ms)$/);

      // The statements swapped lines: no time may land on the wrong one.
      const swapped = resized.replace('    allreduce 128 MiB over acc\n    parallel { allgather 16 MiB over tp  flow 1 MiB acc[2] -> acc[3] }\n', '    parallel { allgather 16 MiB over tp  flow 1 MiB acc[2] -> acc[3] }\n    allreduce 128 MiB over acc\n');
      assert.notEqual(swapped, resized);
      await client.change(doc, swapped, ++version);
      assert.deepEqual((await timed(swapped)).map((h) => h.position.line), [12], 'only the read loop kept its line');
    });
  });
});
