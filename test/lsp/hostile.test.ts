/**
 * A careless client, through a real stdio session (issue 20, parts 4 and 6): every malformed
 * message gets an `InvalidParams` answer or a sensible result, nothing takes the server down, it
 * goes on serving the open document; and a document of 200,000 mistakes is published capped.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import { LspClient } from '../support/lsp.js';

const uri = 'file:///hostile/main.fabric';
const text = 'fabric f {\n  gpu g[2] : gpu\n  switch s : scorpio_x\n  link g[0] <-> s : pcie6 x4\n  link g[1] <-> s : pcie6 x4\n  workload w { allreduce 1 MiB over g[*] }\n}\n';
const textDocument = { uri };
const INVALID_PARAMS = -32602;

/** [what, method, params, the error code expected, or undefined for an answer]. */
const REQUESTS: [string, string, unknown, number | undefined][] = [
  ['a hover without a position', 'textDocument/hover', { textDocument }, INVALID_PARAMS],
  ['a hover at a negative line', 'textDocument/hover', { textDocument, position: { line: -1, character: 0 } }, INVALID_PARAMS],
  ['a hover at a position that is not numbers', 'textDocument/hover', { textDocument, position: { line: 'a', character: {} } }, INVALID_PARAMS],
  ['a hover past the end of the document', 'textDocument/hover', { textDocument, position: { line: 1e9, character: 1e9 } }, undefined],
  ['a hover in a document that is not open', 'textDocument/hover', { textDocument: { uri: 'file:///nowhere.fabric' }, position: { line: 0, character: 0 } }, undefined],
  ['a completion without a position', 'textDocument/completion', { textDocument }, INVALID_PARAMS],
  ['a definition without a document', 'textDocument/definition', { position: { line: 0, character: 0 } }, INVALID_PARAMS],
  ['references without their context', 'textDocument/references', { textDocument, position: { line: 1, character: 6 } }, INVALID_PARAMS],
  ['a highlight at a negative character', 'textDocument/documentHighlight', { textDocument, position: { line: 1, character: -3 } }, INVALID_PARAMS],
  ['a rename without a new name', 'textDocument/rename', { textDocument, position: { line: 1, character: 6 } }, INVALID_PARAMS],
  ['formatting with a negative tabSize', 'textDocument/formatting', { textDocument, options: { tabSize: -3, insertSpaces: true } }, INVALID_PARAMS],
  ['formatting with a fractional tabSize', 'textDocument/formatting', { textDocument, options: { tabSize: 2.5, insertSpaces: true } }, INVALID_PARAMS],
  ['formatting with a huge tabSize', 'textDocument/formatting', { textDocument, options: { tabSize: 1e12, insertSpaces: true } }, INVALID_PARAMS],
  ['formatting without options', 'textDocument/formatting', { textDocument }, INVALID_PARAMS],
  ['formatting a range that ends before it starts', 'textDocument/rangeFormatting', { textDocument, range: { start: { line: 5, character: 0 }, end: { line: 1, character: 0 } }, options: { tabSize: 2, insertSpaces: true } }, INVALID_PARAMS],
  ['inlay hints without a range', 'textDocument/inlayHint', { textDocument }, INVALID_PARAMS],
  ['code actions without a context', 'textDocument/codeAction', { textDocument, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } }, INVALID_PARAMS],
  ['code lenses of a document without a URI', 'textDocument/codeLens', { textDocument: {} }, INVALID_PARAMS],
  ['semantic tokens without a document', 'textDocument/semanticTokens/full', {}, INVALID_PARAMS],
  ['a workspace symbol search without a query', 'workspace/symbol', {}, INVALID_PARAMS],
  ['fabric/simulate without its params', 'fabric/simulate', null, INVALID_PARAMS],
  ['fabric/simulate with neither uri nor textDocument', 'fabric/simulate', {}, INVALID_PARAMS],
  ['fabric/topology of a document that is not open', 'fabric/topology', { uri: 'file:///nowhere.fabric' }, undefined],
  ['fabric/report with groups that are not names', 'fabric/report', { uri, expandedGroups: [1, 2] }, INVALID_PARAMS],
];

/** Notifications no server should act on; each must leave the server serving. */
const NOTIFICATIONS: [string, string, unknown][] = [
  ['a didOpen without text', 'textDocument/didOpen', { textDocument: { uri: 'file:///hostile/empty.fabric', languageId: 'fabric', version: 1 } }],
  ['a didOpen without params', 'textDocument/didOpen', undefined],
  ['a didChange of a document that is not open', 'textDocument/didChange', { textDocument: { uri: 'file:///nowhere.fabric', version: 2 }, contentChanges: [{ text: 'x' }] }],
  ['a didChange with a range out of bounds', 'textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ range: { start: { line: -5, character: 9 }, end: { line: 1e9, character: -1 } }, text: 'x' }] }],
  ['a didChange without changes', 'textDocument/didChange', { textDocument: { uri, version: 3 } }],
  ['a didChange with a stale version', 'textDocument/didChange', { textDocument: { uri, version: 0 }, contentChanges: [{ text }] }],
  ['a didChange with a version past LSP’s integers', 'textDocument/didChange', { textDocument: { uri, version: 1.7e117 }, contentChanges: [{ text }] }],
];

describe('language server: malformed messages', () => {
  const client = new LspClient();
  const logged: string[] = [];

  before(async () => {
    client.connection.onNotification('window/logMessage', ({ message }: { message: string }) => {
      logged.push(message);
    });
    await client.initialize();
    await client.open(uri, text);
  });
  after(() => client.stop());

  for (const [what, method, params, expected] of REQUESTS) {
    it(`answers ${what} with ${expected === undefined ? 'a result' : 'InvalidParams'}`, async () => {
      const answer = await client.connection.sendRequest(method, params).then(
        () => undefined,
        (error: { code: number }) => error.code,
      );
      assert.equal(answer, expected);
    });
  }

  for (const [what, method, params] of NOTIFICATIONS) {
    it(`survives ${what} and goes on serving the open document`, async () => {
      await client.connection.sendNotification(method, params as object);
      const hover = await client.hover(uri, { line: 1, character: 6 });
      assert.match(hover, /g\[0\]/);
      assert.equal(client.process.exitCode, null);
    });
  }

  it('reads a second didOpen of an open document as an edit (a fuzz finding: fabric/simulate then never answered)', async () => {
    const twice = 'file:///hostile/twice.fabric';
    await client.open(twice, text);
    await client.connection.sendRequest('fabric/simulate', { uri: twice });
    await client.open(twice, text.replace('fabric f {', 'fabric g {'), 7);
    const report = (await client.connection.sendRequest('fabric/simulate', { uri: twice })) as { fabric: string };
    assert.equal(report.fabric, 'g');
  });

  it('answers fabric/simulate of a document without a fabric at once (a fuzz finding: it never answered)', async () => {
    const empty = 'file:///hostile/no-fabric.fabric';
    await client.open(empty, 'C');
    assert.equal(await client.connection.sendRequest('fabric/simulate', { uri: empty }), null);
  });

  it('says what was wrong in its log, and never died', async () => {
    assert.ok(logged.some((line) => line.includes('textDocument.text must be the document’s text')), logged.join('\n'));
    assert.ok(logged.some((line) => line.includes('options.tabSize must be a whole number from 1 to 64')));
    assert.equal(client.stderr, '');
    const report = await client.connection.sendRequest('fabric/simulate', { textDocument: { uri } });
    assert.equal((report as { fabric: string }).fabric, 'f', 'fabric/simulate takes `{ textDocument: { uri } }` too');
  });
});

describe('language server: a document of 200,000 mistakes', () => {
  const client = new LspClient();
  before(() => client.initialize());
  after(() => client.stop());

  it('publishes the first 1,000 diagnostics and one summary that counts the rest', async () => {
    const many = `fabric f {\n  gpu a : gpu\n${'  link a <-> : pcie6 x4\n'.repeat(100_000)}${Array.from({ length: 100_000 }, (_, i) => `  link a <-> b${i} : pcie6 x4\n`).join('')}}\n`;
    const manyUri = 'file:///hostile/many.fabric';
    await client.open(manyUri, many);
    const published: Diagnostic[] = await client.waitForDiagnostics(manyUri, (list) => list.length > 0, 0, 60_000);
    assert.equal(published.length, 1_001);
    const summary = published.filter((d) => d.code === 'diagnostic-limit');
    assert.equal(summary.length, 1);
    assert.match(String(summary[0].message), /^199,000 more diagnostics in this file \(199,000 errors\) are not shown/);
  });
});
