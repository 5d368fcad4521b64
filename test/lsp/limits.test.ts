/**
 * The editor's limits over the real server: the `fabric.limits.*` settings (sent as a
 * configuration change) reach the check, and
 * the simulation time budget (`fabric.simulation.timeBudgetMs`) stops a runaway simulation with
 * a `limit` diagnostic while the static ones stay.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  CodeActionRequest,
  CompletionRequest,
  DidChangeConfigurationNotification,
  DocumentFormattingRequest,
  DocumentSymbolRequest,
  FoldingRangeRequest,
  HoverRequest,
  InlayHintRequest,
  SemanticTokensRequest,
} from 'vscode-languageserver-protocol';
import { LIMIT_CASES } from '../support/limit-cases.js';
import { codesOf, LspClient, RUNAWAY_SIMULATION } from '../support/lsp.js';

const dir = mkdtempSync(join(tmpdir(), 'fabric-lsp-limits-'));
const uri = (name: string) => pathToFileURL(join(dir, name)).href;

const FABRIC = 'fabric f {\n  gpu g[4]\n  switch s\n  for i in 0..3 { link g[i] <-> s : pcie6 x16 }\n  workload w { parallel { allreduce 1 MiB over g[*] } }\n}\n';

describe('language server: the fabric.limits settings', () => {
  const client = new LspClient();
  const limits = { maxDevices: 3, maxLinks: 2, maxLoopIterations: 2, maxNestingDepth: 2, maxImportDepth: 1, maxFileSize: 20 };

  before(async () => {
    writeFileSync(join(dir, 'lib2.fabric'), 'model deep : gpu\n');
    writeFileSync(join(dir, 'lib1.fabric'), 'import "lib2.fabric"\n');
    await client.initialize({ fabric: { diagnostics: { debounceMs: 10 } } });
  });

  after(async () => {
    assert.equal(await client.stop(), 0, client.stderr);
  });

  const cases: [keyof typeof limits, string, RegExp][] = [
    ['maxDevices', FABRIC, /more than 3 devices/],
    ['maxLinks', FABRIC, /more than 2 links/],
    ['maxLoopIterations', FABRIC, /loops run more than 2 iterations/],
    ['maxNestingDepth', FABRIC, /nesting deeper than 2 levels/],
    ['maxImportDepth', 'import "lib1.fabric"\nfabric f { gpu g : deep }\n', /imports nest deeper than 1 files/],
    ['maxFileSize', FABRIC, /over the limit of 20;/],
  ];
  for (const [setting, text, message] of cases) {
    it(`fabric.limits.${setting} ends in a limit diagnostic`, async () => {
      const settings = { fabric: { diagnostics: { debounceMs: 10 }, limits: { [setting]: limits[setting] } } };
      await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings });
      const doc = uri(`${setting}.fabric`);
      await client.open(doc, text);
      const diagnostics = await client.waitForDiagnostics(doc, (d) => codesOf(d).includes('limit'));
      assert.ok(diagnostics.some((d) => d.code === 'limit' && message.test(String(d.message))), JSON.stringify(diagnostics.map((d) => d.message)));
    });
  }
});

describe('language server: hostile documents at the default limits', () => {
  const client = new LspClient();

  before(async () => {
    await client.initialize({ fabric: { diagnostics: { debounceMs: 10 } } });
  });

  after(async () => {
    assert.equal(await client.stop(), 0, client.stderr);
  });

  // The cases without imports (an open document is checked as it is), but for the two that take
  // seconds of real work at the limit (scripts/bench-limits.mjs), which the core tests cover.
  const SLOW = ['a loop of links past the link limit', 'a loop past the iteration limit, every iteration an error'];
  const hostile = LIMIT_CASES.filter((c) => c.code === 'limit' && Object.keys(c.build().files).length === 0 && !SLOW.includes(c.name));
  for (const limitCase of hostile) {
    it(`${limitCase.name}: a limit diagnostic, and every feature answers`, async () => {
      const doc = uri(`hostile-${LIMIT_CASES.indexOf(limitCase)}.fabric`);
      await client.open(doc, limitCase.build().text);
      const diagnostics = await client.waitForDiagnostics(doc, (d) => codesOf(d).includes('limit'), 0, 60_000);
      assert.ok(diagnostics.some((d) => limitCase.message.test(String(d.message))), JSON.stringify(diagnostics.map((d) => d.message)));
      const textDocument = { uri: doc };
      const position = { line: 1, character: 4 };
      const range = { start: { line: 0, character: 0 }, end: { line: 2, character: 0 } };
      await client.connection.sendRequest(HoverRequest.type, { textDocument, position });
      await client.connection.sendRequest(CompletionRequest.type, { textDocument, position });
      await client.connection.sendRequest(DocumentFormattingRequest.type, { textDocument, options: { tabSize: 2, insertSpaces: true } });
      await client.connection.sendRequest(FoldingRangeRequest.type, { textDocument });
      await client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument });
      await client.connection.sendRequest(SemanticTokensRequest.type, { textDocument });
      await client.connection.sendRequest(InlayHintRequest.type, { textDocument, range });
      await client.connection.sendRequest(CodeActionRequest.type, { textDocument, range, context: { diagnostics } });
      await client.close(doc);
    });
  }

  it('hovers an array left out at the device limit (a crash this test found)', async () => {
    const doc = uri('left-out.fabric');
    await client.open(doc, 'fabric f {\n  gpu g[100000000]\n}\n');
    const hover = await client.hover(doc, { line: 1, character: 6 });
    assert.equal(hover, '**g** — gpu, left out: the fabric would have more devices than the device limit allows');
  });
});

describe('language server: the simulation time budget', () => {
  const client = new LspClient();
  const budgetMs = 2_000;

  before(async () => {
    await client.initialize({ fabric: { diagnostics: { debounceMs: 10 }, simulation: { timeBudgetMs: budgetMs } } });
  });

  after(async () => {
    assert.equal(await client.stop(), 0, client.stderr);
  });

  it('stops a simulation over its budget with a limit diagnostic, keeps the static ones, and simulates the next edit', async () => {
    const doc = uri('runaway.fabric');
    await client.open(doc, RUNAWAY_SIMULATION);
    const found = await client.waitForDiagnostics(doc, () => true);
    assert.ok(codesOf(found).includes('unused-device'), 'the static check publishes at once');
    const stopped = await client.waitForDiagnostics(doc, (d) => codesOf(d).includes('limit'), 0, 60_000);
    assert.deepEqual(codesOf(stopped), [...codesOf(found), 'limit']);
    const limit = stopped.find((d) => d.code === 'limit')!;
    assert.equal(
      limit.message,
      'the simulation of big took longer than 2 s and was stopped; static diagnostics are shown. Simplify the workloads or raise the simulation time budget (fabric.simulation.timeBudgetMs)',
    );
    assert.equal(limit.range.start.line, 0, 'on the fabric’s name');

    const seen = client.published(doc).length;
    await client.change(doc, 'fabric small {\n  gpu g[2]\n  switch s\n  for i in 0..1 { link g[i] <-> s : pcie6 x16 }\n  workload w { allreduce 1 MiB over g[*] }\n  expect time w < 1 ns\n}\n', 2);
    const simulated = await client.waitForDiagnostics(doc, (d) => codesOf(d).includes('expectation-failed'), seen, 30_000);
    assert.deepEqual(codesOf(simulated), ['expectation-failed']);
  });
});
