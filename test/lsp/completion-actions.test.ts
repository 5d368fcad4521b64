/** Completion and quick fixes over real LSP messages, against the server process. */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  CodeActionRequest,
  CompletionRequest,
  InsertTextFormat,
  type CodeAction,
  type CompletionItem,
  type CompletionList,
  type Diagnostic,
  type Position,
  type TextEdit,
} from 'vscode-languageserver-protocol';
import { SimulateRequest } from '../../shared/protocol.js';
import { codesOf, cursor, LspClient } from '../support/lsp.js';

const POD = `fabric pod {
  let N = 8
  gpu acc[N] : gpu_ualink
  switch sx[2] : scorpio_x
  memory pool : cxl_expander
  for i in 0..N-1 { link acc[i] <-> sx[i % 2] : ualink x4 * 2 }
  link sx[0] <-> pool : cxl x16
  group tp = acc[0..3]
  workload step {
    allreduce 256 MiB over acc[*]
    STATEMENT
  }
  ITEM
}
`;
const item = (line: string) => POD.replace('STATEMENT', '').replace('ITEM', line);
const statement = (line: string) => POD.replace('STATEMENT', line).replace('ITEM', '');

function offsetAt(text: string, position: Position): number {
  const lines = text.split('\n');
  return lines.slice(0, position.line).reduce((n, line) => n + line.length + 1, 0) + position.character;
}

/** Applies LSP text edits to a text, last first so that earlier ranges stay valid. */
function applyEdits(text: string, edits: TextEdit[]): string {
  const resolved = edits.map((edit) => ({ start: offsetAt(text, edit.range.start), end: offsetAt(text, edit.range.end), newText: edit.newText }));
  let result = text;
  for (const edit of resolved.sort((a, b) => b.start - a.start)) result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
  return result;
}

describe('completion and code actions over LSP', () => {
  const client = new LspClient();
  const dir = mkdtempSync(join(tmpdir(), 'fabric-completion-'));
  const uri = (name: string) => pathToFileURL(join(dir, name)).href;
  const completionDoc = uri('completion.fabric');
  let completionVersion = 1;

  before(async () => {
    const result = await client.initialize({ fabric: { diagnostics: { debounceMs: 10 } } });
    assert.deepEqual(result.capabilities.completionProvider?.triggerCharacters, [':']);
    assert.deepEqual(result.capabilities.codeActionProvider, { codeActionKinds: [CodeActionKind.QuickFix] });
    await client.open(completionDoc, '');
  });

  after(async () => {
    assert.equal(await client.stop(), 0, client.stderr);
  });

  /** The completion items at the `<|>` of `marked`, typed into one document. */
  async function completeAt(marked: string): Promise<CompletionItem[]> {
    const { text, position } = cursor(marked);
    await client.change(completionDoc, text, ++completionVersion);
    const result = (await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: completionDoc }, position })) as CompletionList;
    assert.equal(result.isIncomplete, false);
    return result.items;
  }
  const labels = (items: CompletionItem[]) => items.map((i) => i.label);

  it('offers item keywords and snippets with tab stops at the fabric level, no statements', async () => {
    const items = await completeAt(item('<|>'));
    for (const keyword of ['gpu', 'switch', 'link', 'for', 'workload', 'expect', 'group', 'let', 'settings']) assert.ok(labels(items).includes(keyword), keyword);
    for (const wrong of ['compute', 'allreduce', 'ualink', 'acc']) assert.ok(!labels(items).includes(wrong), wrong);
    const snippets = items.filter((i) => i.insertTextFormat === InsertTextFormat.Snippet);
    assert.deepEqual(snippets.map((s) => s.label), ['switch tier', 'link loop', 'workload', 'expect latency', 'expect time']);
    for (const snippet of snippets) assert.match((snippet.textEdit as TextEdit).newText, /\$\{1:\w+/, `${snippet.label} has tab stops`);
    assert.equal(snippets[1].filterText, 'for');
  });

  it('offers statement keywords inside a workload', async () => {
    const items = labels(await completeAt(statement('<|>')));
    for (const keyword of ['compute', 'allreduce', 'broadcast', 'flow', 'read', 'write', 'parallel', 'for']) assert.ok(items.includes(keyword), keyword);
    for (const wrong of ['gpu', 'link', 'expect', 'switch tier']) assert.ok(!items.includes(wrong), wrong);
  });

  it('offers models of the device’s kind after `:`, replacing the word typed', async () => {
    const marked = item('switch s2 : sc<|>');
    const items = await completeAt(marked);
    assert.ok(labels(items).includes('scorpio_x') && labels(items).includes('nvlink_switch'));
    assert.ok(!labels(items).includes('gpu_ualink') && !labels(items).includes('cxl_expander'));
    const { position } = cursor(marked);
    assert.deepEqual((items[0].textEdit as TextEdit).range, { start: { line: position.line, character: position.character - 2 }, end: position });
    assert.equal(items.find((i) => i.label === 'scorpio_x')!.detail, 'switch · 320 lanes · pcie6, cxl, ualink, nvlink');
  });

  it('offers protocols after a link `:`, then only the widths that protocol and the ends allow', async () => {
    assert.deepEqual(labels(await completeAt(item('link acc[0] <-> sx[0] : <|>'))), ['pcie5', 'pcie6', 'cxl', 'ualink', 'nvlink']);
    assert.deepEqual(labels(await completeAt(item('link acc[0] <-> sx[0] : ualink <|>'))), ['x1', 'x2', 'x4']);
    assert.deepEqual(labels(await completeAt(item('link sx[0] <-> pool : cxl <|>'))), ['x4', 'x8', 'x16']);
    // gpu_ualink's PCIe port is x16, but this gpu's is x8.
    assert.deepEqual(labels(await completeAt(item('gpu h { ports: [pcie6 x8] }\n  link h <-> sx[0] : pcie6 <|>'))), ['x1', 'x2', 'x4', 'x8']);
  });

  it('offers devices and groups where a selector stands, devices only at a link end, constants in an index', async () => {
    assert.deepEqual(labels(await completeAt(statement('allreduce 1 MiB over <|>'))), ['acc', 'sx', 'pool', 'tp']);
    assert.deepEqual(labels(await completeAt(item('link <|>'))), ['acc', 'sx', 'pool']);
    assert.deepEqual(labels(await completeAt(item('for j in 0..3 { link acc[j] <-> sx[<|>'))), ['j', 'N']);
    assert.deepEqual(labels(await completeAt(item('expect time <|>'))), ['step']);
  });

  it('offers attribute keys by owner, and settings keys', async () => {
    assert.deepEqual(labels(await completeAt(item('gpu h { <|> }'))), ['latency', 'power', 'ports', 'memory', 'flops', 'compute_efficiency', 'hbm_bandwidth', 'hbm_efficiency']);
    const link = await completeAt(item('link sx[0] <-> sx[1] : ualink x4 { <|> }'));
    assert.deepEqual(labels(link), ['length', 'retimers', 'latency', 'bandwidth', 'efficiency']);
    assert.equal((link[0].textEdit as TextEdit).newText, 'length: ');
    assert.deepEqual(labels(await completeAt(item('settings { <|> }'))), ['step_overhead', 'oversubscription_limit', 'overload_threshold', 'hint_threshold']);
  });

  it('offers units of the right dimension after a number', async () => {
    assert.deepEqual(labels(await completeAt(item('link sx[0] <-> sx[1] : ualink x4 { length: 1.5 <|> }'))), ['mm', 'cm', 'm']);
    assert.deepEqual(labels(await completeAt(statement('allreduce 512 <|>'))), ['B', 'KB', 'MB', 'GB', 'TB', 'KiB', 'MiB', 'GiB', 'TiB']);
    assert.deepEqual(labels(await completeAt(item('expect utilization acc < 50 <|>'))), ['%']);
  });

  it('offers the algorithms a statement takes, metrics after `expect`, comparisons after the pair', async () => {
    assert.deepEqual(labels(await completeAt(statement('allgather 1 MiB over acc using <|>'))), ['ring', 'hypercast', 'auto']);
    assert.deepEqual(labels(await completeAt(item('expect <|>'))), ['latency', 'bandwidth', 'time', 'utilization', 'oversubscription', 'throughput', 'mfu', 'ttft', 'tpot']);
    assert.deepEqual(labels(await completeAt(item('expect latency acc[0] -> pool <|>'))), ['<', '<=', '>', '>=', '==']);
  });

  /** Opens `text`, waits for its simulation, and returns its diagnostic of `code` with the quick fixes for it. */
  async function fixes(name: string, text: string, code: string): Promise<{ doc: string; diagnostic: Diagnostic; actions: CodeAction[] }> {
    const doc = uri(name);
    await client.open(doc, text);
    await client.connection.sendRequest(SimulateRequest, { uri: doc });
    const diagnostic = client.published(doc).at(-1)!.find((d) => d.code === code);
    assert.ok(diagnostic, `no ${code} in ${JSON.stringify(codesOf(client.published(doc).at(-1)!))}`);
    const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: doc },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic] },
    })) as CodeAction[];
    for (const action of actions) {
      assert.equal(action.kind, CodeActionKind.QuickFix);
      assert.deepEqual(action.diagnostics, [diagnostic]);
    }
    return { doc, diagnostic, actions };
  }

  /** Applies the action titled `title` to `text`, sends the result, and returns it with its simulated diagnostics. */
  async function apply(doc: string, text: string, actions: CodeAction[], title: string): Promise<{ fixed: string; codes: string[] }> {
    const action = actions.find((a) => a.title === title);
    assert.ok(action, `no action "${title}" in ${JSON.stringify(actions.map((a) => a.title))}`);
    const fixed = applyEdits(text, action.edit!.changes![doc]);
    await client.change(doc, fixed, 2);
    await client.connection.sendRequest(SimulateRequest, { uri: doc });
    return { fixed, codes: codesOf(client.published(doc).at(-1)!) };
  }

  it('fixes unknown-name with the did-you-mean', async () => {
    const text = 'fabric f {\n  gpu g : gpu_ualnk\n  switch s\n  link g <-> s : ualink x4\n}\n';
    const { doc, actions } = await fixes('unknown-name.fabric', text, 'unknown-name');
    assert.equal(actions[0].isPreferred, true);
    const { fixed, codes } = await apply(doc, text, actions, 'Change to `gpu_ualink`');
    assert.match(fixed, /gpu g : gpu_ualink\n/);
    assert.deepEqual(codes, []);
  });

  it('fixes lane-width with the nearest width, or the same lanes in narrower sub-links', async () => {
    const text = 'fabric f {\n  gpu acc[2] : gpu_ualink\n  switch sx\n  for i in 0..1 { link acc[i] <-> sx : ualink x8 }\n}\n';
    const { doc, actions } = await fixes('lane-width.fabric', text, 'lane-width');
    assert.deepEqual(actions.map((a) => a.title), ['Use x4', 'Use x4 * 2 (the same 8 lanes)']);
    const { fixed, codes } = await apply(doc, text, actions, 'Use x4 * 2 (the same 8 lanes)');
    assert.match(fixed, /: ualink x4 \* 2 \}/);
    assert.deepEqual(codes, []);
  });

  it('fixes lane-budget with a switch model that has the lanes', async () => {
    const text = 'fabric f {\n  gpu acc[6]\n  switch sx : scorpio_p\n  for i in 0..5 { link acc[i] <-> sx : pcie6 x16 }\n}\n';
    const { doc, actions } = await fixes('lane-budget.fabric', text, 'lane-budget');
    assert.deepEqual(actions.map((a) => a.title), ['Use the model `scorpio_x` (320 lanes)', 'Narrow `acc[i] <-> sx` to x8']);
    const { fixed, codes } = await apply(doc, text, actions, 'Use the model `scorpio_x` (320 lanes)');
    assert.match(fixed, /switch sx : scorpio_x\n/);
    assert.deepEqual(codes, []);
  });

  it('fixes lane-budget by narrowing the link line that carries the most lanes', async () => {
    const text = 'fabric f {\n  gpu acc[20]\n  switch sx\n  memory mem[2]\n  for i in 0..19 { link acc[i] <-> sx : pcie6 x16 }\n  for m in 0..1 { link sx <-> mem[m] : cxl x16 }\n}\n';
    const { doc, actions } = await fixes('lane-budget-narrow.fabric', text, 'lane-budget');
    const { fixed, codes } = await apply(doc, text, actions, 'Narrow `acc[i] <-> sx` to x8');
    assert.match(fixed, /link acc\[i\] <-> sx : pcie6 x8 \}/);
    assert.match(fixed, /link sx <-> mem\[m\] : cxl x16 \}/, 'the memory links keep their width');
    assert.deepEqual(codes, []);
  });

  it('fixes port-budget with a model that has the ports, or fewer sub-links', async () => {
    const text = 'model big_gpu : gpu { ports: [pcie6 x16 * 4] }\nfabric f {\n  gpu g\n  switch s[3]\n  for i in 0..2 { link g <-> s[i] : pcie6 x16 }\n}\n';
    const { doc, actions } = await fixes('port-budget.fabric', text, 'port-budget');
    assert.deepEqual(actions.map((a) => a.title), ['Use the model `big_gpu` (pcie6 x16 * 4)', 'Narrow `g <-> s[i]` to x8']);
    const { fixed, codes } = await apply(doc, text, actions, 'Use the model `big_gpu` (pcie6 x16 * 4)');
    assert.match(fixed, /gpu g : big_gpu\n/);
    assert.deepEqual(codes, []);

    const fewer = 'fabric f {\n  gpu acc[2] : gpu_ualink\n  switch sx[3]\n  for i in 0..1 {\n    for s in 0..2 { link acc[i] <-> sx[s] : ualink x4 * 2 }\n  }\n}\n';
    const second = await fixes('port-budget-fewer.fabric', fewer, 'port-budget');
    assert.deepEqual(second.actions.map((a) => a.title), ['Narrow `acc[i] <-> sx[s]` to x2', 'Use 1 sub-link in `acc[i] <-> sx[s]`']);
    const result = await apply(second.doc, fewer, second.actions, 'Use 1 sub-link in `acc[i] <-> sx[s]`');
    assert.match(result.fixed, /link acc\[i\] <-> sx\[s\] : ualink x4 \}/);
    assert.deepEqual(result.codes, []);
  });

  it('fixes inc-opportunity by naming the faster algorithm, or by dropping `using`', async () => {
    const text = 'fabric f {\n  gpu acc[16]\n  switch sx : scorpio_x\n  for i in 0..15 { link acc[i] <-> sx : pcie6 x16 }\n  workload w { allreduce 1 GiB over acc[*] using ring }\n}\n';
    const { doc, actions } = await fixes('inc-opportunity.fabric', text, 'inc-opportunity');
    assert.deepEqual(actions.map((a) => a.title), ['Use `using inc`', 'Drop `using ring` and let auto choose']);
    const used = await apply(doc, text, actions, 'Use `using inc`');
    assert.match(used.fixed, /over acc\[\*\] using inc \}/);
    assert.deepEqual(used.codes, []);
    const dropped = applyEdits(text, actions[1].edit!.changes![doc]);
    assert.match(dropped, /allreduce 1 GiB over acc\[\*\] \}/);
  });

  it('fixes ring-order by writing the grouped order, or a group in that order', async () => {
    const text = `model gpu_pcie5 : gpu { ports: [pcie5 x16] }
fabric f {
  settings { oversubscription_limit: 2  overload_threshold: 10 }
  gpu acc[8] : gpu_pcie5
  switch leaf[2] : pcie5_switch
  switch spine : pcie5_switch
  for i in 0..7 { link acc[i] <-> leaf[i / 4] : pcie5 x16 }
  for l in 0..1 { link leaf[l] <-> spine : pcie5 x16 * 2 }
  group interleaved = acc[0], acc[4], acc[1], acc[5], acc[2], acc[6], acc[3], acc[7]
  workload w { allreduce 1 GiB over interleaved using ring }
}
`;
    const { doc, actions } = await fixes('ring-order.fabric', text, 'ring-order');
    assert.deepEqual(actions.map((a) => a.title), ['Order the ring by switch: acc[0..7]', 'Add the group `interleaved_by_switch` ordered by switch, and use it']);
    const grouped = await apply(doc, text, actions, 'Add the group `interleaved_by_switch` ordered by switch, and use it');
    assert.match(grouped.fixed, /\n  group interleaved_by_switch = acc\[0\.\.7\]\n  workload w \{ allreduce 1 GiB over interleaved_by_switch using ring \}/);
    assert.deepEqual(grouped.codes, []);
    assert.match(applyEdits(text, actions[0].edit!.changes![doc]), /allreduce 1 GiB over acc\[0\.\.7\] using ring/);
  });

  it('fixes unused-device by removing the declaration line and its doc comment', async () => {
    const text = 'fabric f {\n  gpu g\n  switch s\n  /// The pool nobody cabled.\n  memory pool : cxl_expander   // forgotten\n  link g <-> s : pcie6 x16\n}\n';
    const { doc, actions } = await fixes('unused-device.fabric', text, 'unused-device');
    const { fixed, codes } = await apply(doc, text, actions, 'Remove the declaration of `pool`');
    assert.equal(fixed, 'fabric f {\n  gpu g\n  switch s\n  link g <-> s : pcie6 x16\n}\n');
    assert.deepEqual(codes, []);
  });

  it('fixes unit with the nearest unit of the right dimension', async () => {
    const text = 'fabric f {\n  gpu g\n  switch s\n  link g <-> s : pcie6 x16 { length: 1.5 ns }\n}\n';
    const { doc, actions } = await fixes('unit.fabric', text, 'unit');
    const { fixed, codes } = await apply(doc, text, actions, 'Change the unit to `m`');
    assert.match(fixed, /\{ length: 1\.5 m \}/);
    assert.deepEqual(codes, []);
  });

  it('answers a request for refactorings only with no quick fix', async () => {
    const text = 'fabric f {\n  switch s : scorpio_xx\n}\n';
    const { doc, diagnostic, actions } = await fixes('only.fabric', text, 'unknown-name');
    assert.deepEqual(actions.map((a) => a.title), ['Change to `scorpio_x`']);
    const request = (only: string[]) =>
      client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: doc }, range: diagnostic.range, context: { diagnostics: [diagnostic], only } });
    assert.deepEqual(await request([CodeActionKind.Refactor]), []);
    assert.equal(((await request([CodeActionKind.QuickFix])) as CodeAction[]).length, 1);
  });
});
