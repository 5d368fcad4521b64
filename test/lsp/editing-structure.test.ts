/**
 * Editing features over real LSP messages: formatting and range formatting, folding ranges,
 * document and workspace symbols, semantic tokens.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  DocumentFormattingRequest,
  DocumentRangeFormattingRequest,
  DocumentSymbolRequest,
  FoldingRangeRequest,
  SemanticTokensRangeRequest,
  SemanticTokensRequest,
  SymbolKind,
  WorkspaceSymbolRequest,
  type DocumentSymbol,
  type FormattingOptions,
  type Position,
  type Range,
  type SemanticTokensLegend,
  type SymbolInformation,
} from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CURSOR, LspClient } from '../support/lsp.js';

/** Removes every `<|>` marker and returns the text and the markers' positions, in order. */
function markers(marked: string): { text: string; positions: Position[] } {
  const parts = marked.split(CURSOR);
  const positions: Position[] = [];
  let text = parts[0];
  for (const part of parts.slice(1)) {
    const lines = text.split('\n');
    positions.push({ line: lines.length - 1, character: lines[lines.length - 1].length });
    text += part;
  }
  return { text, positions };
}

const SPACES: FormattingOptions = { tabSize: 2, insertSpaces: true };

/** `SymbolKind.Class` → `Class`. */
const kindName = (kind: number) => Object.entries(SymbolKind).find(([, value]) => value === kind)![0];

describe('editing structure over LSP', () => {
  const client = new LspClient();
  const dir = mkdtempSync(join(tmpdir(), 'fabric-editing-'));
  const workspaceDir = join(dir, 'ws');
  const uri = (name: string) => pathToFileURL(join(dir, name)).href;
  let legend: SemanticTokensLegend;

  before(async () => {
    mkdirSync(join(workspaceDir, 'sub'), { recursive: true });
    mkdirSync(join(workspaceDir, 'node_modules'));
    mkdirSync(join(workspaceDir, '.git'));
    writeFileSync(join(workspaceDir, 'a.fabric'), 'model alpha_model : gpu\nfabric alpha {\n  gpu acc[2]\n  group tp = acc[0..1]\n  workload step { compute 1 ms }\n}\n');
    writeFileSync(join(workspaceDir, 'sub', 'b.fabric'), 'fabric beta {\n  switch sx\n}\n');
    writeFileSync(join(workspaceDir, 'node_modules', 'c.fabric'), 'fabric hidden_in_node_modules {}\n');
    writeFileSync(join(workspaceDir, '.git', 'd.fabric'), 'fabric hidden_in_dot_folder {}\n');
    writeFileSync(join(workspaceDir, 'notes.txt'), 'fabric not_a_fabric_file {}\n');
    const root = pathToFileURL(workspaceDir).href;
    const result = await client.initialize({ fabric: { diagnostics: { debounceMs: 10 }, simulation: { onChange: false } } }, { rootUri: root, workspaceFolders: [{ uri: root, name: 'ws' }] });
    const capabilities = result.capabilities;
    assert.equal(capabilities.documentFormattingProvider, true);
    assert.equal(capabilities.documentRangeFormattingProvider, true);
    assert.equal(capabilities.foldingRangeProvider, true);
    assert.ok(capabilities.documentSymbolProvider);
    assert.equal(capabilities.workspaceSymbolProvider, true);
    const semantic = capabilities.semanticTokensProvider!;
    assert.equal(semantic.full, true);
    assert.equal(semantic.range, true);
    legend = semantic.legend;
  });

  after(async () => {
    assert.equal(await client.stop(), 0, client.stderr);
  });

  async function formatted(doc: string, text: string, options: FormattingOptions, range?: Range): Promise<string> {
    const edits = range
      ? await client.connection.sendRequest(DocumentRangeFormattingRequest.type, { textDocument: { uri: doc }, range, options })
      : await client.connection.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri: doc }, options });
    return TextDocument.applyEdits(TextDocument.create(doc, 'fabric', 1, text), edits ?? []);
  }

  describe('formatting', () => {
    const MESSY = 'fabric f{\n/// the accelerators\ngpu acc[4]:gpu_ualink{memory:256GiB}   // HBM\nswitch sx\nfor i in 0..3{link acc[i]<->sx:ualink x4*4}\n\n\n\nworkload w{allreduce 1GiB over acc[*]}\n}';

    it('formats a whole document into the canonical layout, indented as the client asks', async () => {
      const doc = uri('format.fabric');
      await client.open(doc, MESSY);
      assert.equal(
        await formatted(doc, MESSY, SPACES),
        'fabric f {\n  /// the accelerators\n  gpu acc[4] : gpu_ualink { memory: 256 GiB }  // HBM\n  switch sx\n  for i in 0..3 {\n    link acc[i] <-> sx : ualink x4 * 4\n  }\n\n  workload w {\n    allreduce 1 GiB over acc[*]\n  }\n}\n',
      );
      assert.equal(
        await formatted(doc, MESSY, { tabSize: 4, insertSpaces: false }),
        'fabric f {\n\t/// the accelerators\n\tgpu acc[4] : gpu_ualink { memory: 256 GiB }  // HBM\n\tswitch sx\n\tfor i in 0..3 {\n\t\tlink acc[i] <-> sx : ualink x4 * 4\n\t}\n\n\tworkload w {\n\t\tallreduce 1 GiB over acc[*]\n\t}\n}\n',
      );
    });

    it('formats only the lines a range touches', async () => {
      const doc = uri('format-range.fabric');
      await client.open(doc, MESSY);
      // Line 2 and the start of line 3; a range ending at column 0 of line 4 would not touch line 4.
      const range = { start: { line: 2, character: 5 }, end: { line: 4, character: 0 } };
      assert.equal(
        await formatted(doc, MESSY, SPACES, range),
        'fabric f{\n/// the accelerators\n  gpu acc[4] : gpu_ualink { memory: 256 GiB }  // HBM\n  switch sx\nfor i in 0..3{link acc[i]<->sx:ualink x4*4}\n\n\n\nworkload w{allreduce 1GiB over acc[*]}\n}',
      );
    });

    it('gives no edit for a file with a syntax error', async () => {
      const doc = uri('format-broken.fabric');
      const text = 'fabric f {\n    gpu a\n  link a -> b : pcie6 x16\n}\n';
      await client.open(doc, text);
      assert.deepEqual(await client.connection.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri: doc }, options: SPACES }), []);
      const range = { start: { line: 1, character: 0 }, end: { line: 1, character: 9 } };
      assert.deepEqual(await client.connection.sendRequest(DocumentRangeFormattingRequest.type, { textDocument: { uri: doc }, range, options: SPACES }), []);
    });
  });

  it('folds blocks, lists, comment runs and imports', async () => {
    const doc = uri('folding.fabric');
    const text = [
      '// A header',
      '// on two lines.',
      'import "a.fabric"',
      'import "b.fabric"',
      '/// One doc line does not fold.',
      'model m : gpu {',
      '  ports: [',
      '    pcie6 x16,',
      '  ]',
      '}',
      'fabric f {',
      '  /* a block',
      '     comment */',
      '  gpu g { memory: 1 GiB }',
      '  workload w {',
      '    compute 1 ms',
      '  }',
      '  workload v { compute 1 ms',
      '    compute 2 ms }',
      '}',
      '',
    ].join('\n');
    await client.open(doc, text);
    const ranges = await client.connection.sendRequest(FoldingRangeRequest.type, { textDocument: { uri: doc } });
    assert.deepEqual(
      ranges?.map((r) => [r.startLine, r.endLine, r.kind ?? 'block']),
      [
        [0, 1, 'comment'],
        [2, 3, 'imports'],
        [5, 8, 'block'],
        [6, 7, 'block'],
        [10, 18, 'block'],
        [11, 12, 'comment'],
        [14, 15, 'block'],
        // The closing brace shares its line with code, so that line folds too.
        [17, 18, 'block'],
      ],
    );
  });

  it('outlines a fabric: devices by kind with counts, links by loop, workloads with their statements', async () => {
    const doc = uri('symbols.fabric');
    const text = `model fast_pool : memory { capacity: 2 TiB }
fabric pod "eight accelerators" {
  settings { step_overhead: 1 us }
  let N = 8
  gpu acc[N] : gpu_ualink
  switch sx[2] : scorpio_x
  gpu spare
  memory pool : fast_pool
  for i in 0..N-1 {
    link acc[i] <-> sx[i % 2] : ualink x4 * 2
  }
  link sx[0] <-> pool : cxl x16
  link spare <-> sx[1] : pcie6 x16
  group tp = acc[0..3]
  workload step {
    allreduce 256 MiB over acc[*]
    parallel {
      allgather 64 MiB over tp
      for j in 0..1 { read 4 KiB from pool by acc[j] }
    }
  }
  expect time step < 10 ms
}
`;
    await client.open(doc, text);
    const symbols = (await client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: doc } })) as DocumentSymbol[];
    type Shape = [string, string, string?, Shape[]?];
    const shape = (symbol: DocumentSymbol): Shape => {
      const kind = kindName(symbol.kind);
      const children = symbol.children?.map(shape) ?? [];
      return children.length > 0 ? [symbol.name, kind, symbol.detail, children] : symbol.detail ? [symbol.name, kind, symbol.detail] : [symbol.name, kind];
    };
    assert.deepEqual(symbols.map(shape), [
      ['fast_pool', 'Class', 'memory'],
      ['pod', 'Module', 'eight accelerators', [
        ['settings', 'Namespace', undefined, [['step_overhead', 'Property', '1 us']]],
        ['N', 'Constant', '= 8'],
        ['gpu (9)', 'Package', undefined, [['acc[8]', 'Variable', 'gpu_ualink'], ['spare', 'Variable', 'gpu']]],
        ['switch (2)', 'Package', undefined, [['sx[2]', 'Variable', 'scorpio_x']]],
        ['memory (1)', 'Package', undefined, [['pool', 'Variable', 'fast_pool']]],
        ['for i in 0..N-1 — 8 links', 'Namespace', undefined, [['acc[i] <-> sx[i % 2]', 'Interface', 'ualink x4 * 2, 8 links']]],
        ['sx[0] <-> pool', 'Interface', 'cxl x16'],
        ['spare <-> sx[1]', 'Interface', 'pcie6 x16'],
        ['tp', 'Array', '4 devices'],
        ['step', 'Function', '2 steps', [
          ['allreduce 256 MiB over acc[*]', 'Event', '8 ranks'],
          ['parallel', 'Namespace', '2 statements', [
            ['allgather 64 MiB over tp', 'Event', '4 ranks'],
            ['for j in 0..1 — 2 iterations', 'Namespace', undefined, [['read 4 KiB from pool by acc[j]', 'Event', '1 device']]],
          ]],
        ]],
        ['expect time step < 10 ms', 'Boolean'],
      ]],
    ]);
    const gpus = symbols[1].children![2];
    assert.deepEqual(gpus.range, { start: { line: 4, character: 2 }, end: { line: 6, character: 11 } }, 'a kind spans its declarations');
    assert.deepEqual(gpus.children![0].selectionRange, { start: { line: 4, character: 6 }, end: { line: 4, character: 9 } }, 'a device selects its name');
  });

  describe('workspace symbols', () => {
    const search = async (query: string) =>
      ((await client.connection.sendRequest(WorkspaceSymbolRequest.type, { query })) as SymbolInformation[]).map(
        (s) => `${kindName(s.kind)} ${s.name}${s.containerName ? ` in ${s.containerName}` : ''} @ ${s.location.uri.slice(pathToFileURL(dir).href.length)}:${s.location.range.start.line}`,
      );

    it('finds declarations in open documents and in the .fabric files under the workspace folder', async () => {
      const doc = uri('outside/open.fabric');
      await client.open(doc, 'fabric gamma {\n  gpu tpu_like\n}\n');
      const found = await search('');
      for (const expected of [
        'Class alpha_model @ /ws/a.fabric:0',
        'Module alpha @ /ws/a.fabric:1',
        'Variable acc in alpha @ /ws/a.fabric:2',
        'Array tp in alpha @ /ws/a.fabric:3',
        'Function step in alpha @ /ws/a.fabric:4',
        'Module beta @ /ws/sub/b.fabric:0',
        'Variable sx in beta @ /ws/sub/b.fabric:1',
        'Module gamma @ /outside/open.fabric:0',
        'Variable tpu_like in gamma @ /outside/open.fabric:1',
      ]) {
        assert.ok(found.includes(expected), `${expected} in ${JSON.stringify(found)}`);
      }
      assert.ok(!found.some((s) => /hidden|not_a_fabric/.test(s)), 'node_modules, dot-folders and other files are skipped');
      const inTheseFiles = (await search('tp')).filter((s) => /@ \/(ws|outside)\//.test(s));
      assert.deepEqual(inTheseFiles.sort(), ['Array tp in alpha @ /ws/a.fabric:3', 'Function step in alpha @ /ws/a.fabric:4', 'Variable tpu_like in gamma @ /outside/open.fabric:1']);
    });

    it('follows edits to open documents and changes on disk', async () => {
      const doc = uri('outside/edited.fabric');
      await client.open(doc, 'fabric delta {}\n');
      assert.deepEqual(await search('delta'), ['Module delta @ /outside/edited.fabric:0']);
      await client.change(doc, 'fabric delta_two {}\n', 2);
      assert.deepEqual(await search('delta'), ['Module delta_two @ /outside/edited.fabric:0']);

      const file = join(workspaceDir, 'sub', 'b.fabric');
      writeFileSync(file, 'fabric beta_renamed {\n  switch sx\n}\n');
      const later = new Date(Date.now() + 60_000);
      utimesSync(file, later, later);
      assert.deepEqual(await search('beta'), ['Module beta_renamed @ /ws/sub/b.fabric:0']);
    });
  });

  describe('semantic tokens', () => {
    type Decoded = { line: number; character: number; length: number; type: string; modifiers: string[] };
    const decode = (data: number[]): Decoded[] => {
      const tokens: Decoded[] = [];
      let line = 0;
      let character = 0;
      for (let i = 0; i < data.length; i += 5) {
        line += data[i];
        character = data[i] === 0 ? character + data[i + 1] : data[i + 1];
        const modifiers = legend.tokenModifiers.filter((_, bit) => data[i + 4] & (1 << bit));
        tokens.push({ line, character, length: data[i + 2], type: legend.tokenTypes[data[i + 3]], modifiers });
      }
      return tokens;
    };
    const describeAt = (tokens: Decoded[], at: Position) => {
      const token = tokens.find((t) => t.line === at.line && t.character === at.character);
      return token ? [token.type, ...token.modifiers].join(' ') : 'none';
    };

    const { text, positions } = markers(`/// A switch of our own.
model <|>my_sw : <|>switch { <|>lanes: <|>64  <|>inc_style: <|>push  <|>hypercast: <|>true }
fabric <|>pod {
  let <|>N = <|>4
  <|>gpu <|>acc[<|>N] : <|>gpu_ualink { memory: 1 <|>GiB }
  switch <|>sx : <|>my_sw
  for <|>i in 0<|>..N - 1 {
    link acc[<|>i] <|><-> <|>sx : <|>ualink <|>x4 * 2 { length: 1.5 <|>m }
  }
  group <|>tp = acc[0..1]
  workload <|>step {
    <|>allreduce 1 MiB <|>over <|>tp using <|>inc
  }
  expect <|>time <|>step < 1 <|>ms   <|>// a comment
  expect bandwidth acc[0] -> acc[1] >= 10 <|>GB/s
  <|>/* a block
     comment */
}
`);
    const expected = [
      'type declaration', // my_sw
      'keyword', // switch (a kind as the base)
      'property', // lanes
      'number', // 64
      'property', // inc_style
      'enumMember', // push
      'property', // hypercast
      'keyword', // true
      'namespace declaration', // pod
      'variable declaration readonly', // N
      'number', // 4
      'keyword', // gpu
      'variable declaration', // acc
      'variable readonly', // N
      'type defaultLibrary', // gpu_ualink
      'keyword unit', // GiB
      'variable declaration', // sx
      'type', // my_sw
      'parameter declaration', // i
      'operator', // ..
      'parameter', // i
      'operator', // <->
      'variable', // sx
      'enumMember', // ualink
      'number width', // x4
      'keyword unit', // m
      'enum declaration', // tp
      'function declaration', // step
      'keyword', // allreduce
      'keyword', // over
      'enum', // tp
      'enumMember', // inc
      'keyword', // time
      'function', // step
      'keyword unit', // ms
      'comment', // a comment
      'keyword unit', // GB/s
      'comment', // a block comment
    ];

    it('classifies every kind of word, using the declarations to tell names apart', async () => {
      const doc = uri('semantic.fabric');
      await client.open(doc, text);
      const result = await client.connection.sendRequest(SemanticTokensRequest.type, { textDocument: { uri: doc } });
      const tokens = decode(result!.data);
      assert.deepEqual(positions.map((at) => describeAt(tokens, at)), expected);
      assert.deepEqual(tokens[0], { line: 0, character: 0, length: 24, type: 'comment', modifiers: ['documentation'] });
      const unit = tokens.find((t) => t.line === 14 && t.type === 'keyword' && t.modifiers.includes('unit'))!;
      assert.equal(unit.length, 'GB/s'.length, 'a unit of three lexer tokens is one semantic token');
      const block = tokens.filter((t) => t.type === 'comment' && t.line >= 15);
      assert.deepEqual(block.map((t) => [t.line, t.character, t.length]), [[15, 2, 10], [16, 0, 15]], 'a block comment gets one token per line');
    });

    it('answers for a range with the tokens inside it only', async () => {
      const doc = uri('semantic-range.fabric');
      await client.open(doc, text);
      const range = { start: { line: 9, character: 0 }, end: { line: 10, character: 0 } };
      const result = await client.connection.sendRequest(SemanticTokensRangeRequest.type, { textDocument: { uri: doc }, range });
      assert.deepEqual(decode(result!.data).map((t) => `${t.line}:${t.character} ${t.type}`), ['9:2 keyword', '9:8 enum', '9:11 operator', '9:13 variable', '9:17 number', '9:18 operator', '9:20 number']);
    });
  });
});
