/**
 * Quantities out of range in the editor, over real LSP messages: the `value-range` and
 * `link-endpoints` diagnostics are published, the hover on a literal too large to represent
 * says so (no `Infinity`), and the inlay hints and code lenses show finite figures only.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { CodeLensRequest, InlayHintRequest, type InlayHint } from 'vscode-languageserver-protocol';
import { SimulateRequest } from '../../shared/protocol.js';
import { codesOf, cursor, LspClient } from '../support/lsp.js';

const dir = mkdtempSync(join(tmpdir(), 'fabric-lsp-quantities-'));
const uri = (name: string) => pathToFileURL(join(dir, name)).href;

const POD = `fabric pod {
  gpu acc[4] { memory: 1e30<|>8 GiB }
  switch sx : scorpio_x
  for i in 0..3 { link acc[i] <-> sx : pcie6 x16 { bandwidth: 0 GB/s } }
  link sx <-> sx : pcie6 x16
  workload w { allreduce 64 MiB over acc }
}
`;

describe('language server: quantities out of range', () => {
  const client = new LspClient();
  const { text, position } = cursor(POD);
  const doc = uri('pod.fabric');

  before(async () => {
    await client.initialize({ fabric: { diagnostics: { debounceMs: 10 } } });
    await client.open(doc, text);
  });

  after(async () => {
    assert.equal(await client.stop(), 0, client.stderr);
  });

  it('publishes value-range on the literals and link-endpoints on the self-link', async () => {
    const diagnostics = await client.waitForDiagnostics(doc, (d) => codesOf(d).includes('link-endpoints'));
    assert.deepEqual(
      diagnostics.filter((d) => d.code === 'value-range' || d.code === 'link-endpoints').map((d) => [d.code, d.range.start.line, d.message]),
      [
        ['value-range', 1, '1e308 GiB is out of range for `memory`; allowed: 0 B to 1e30 B'],
        ['value-range', 3, '0 GB/s is out of range for `bandwidth`; allowed: more than 0 B/s, up to 1e30 B/s'],
        ['link-endpoints', 4, 'sx <-> sx joins a device to itself; a link needs two different devices, so name another one at one end'],
      ],
    );
  });

  it('hovers a literal too large to represent without printing Infinity', async () => {
    assert.equal(await client.hover(doc, position), '**1e308 GiB** is too large to represent (size); its diagnostic gives the range allowed');
  });

  it('shows finite figures in the inlay hints and the code lens', async () => {
    await client.connection.sendRequest(SimulateRequest, { uri: doc });
    const range = { start: { line: 0, character: 0 }, end: { line: text.split('\n').length, character: 0 } };
    const hints = ((await client.connection.sendRequest(InlayHintRequest.type, { textDocument: { uri: doc }, range })) ?? []) as InlayHint[];
    // The link keeps the protocol figure: 16 × 8 GB/s × 0.922 = 118 GB/s.
    assert.ok(hints.some((hint) => hint.label === '118 GB/s each'), JSON.stringify(hints.map((h) => h.label)));
    const lenses = await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: doc } });
    assert.doesNotMatch(JSON.stringify([hints, lenses]), /Infinity|NaN/);
  });
});
