/**
 * Random edit sessions against the real server process: mutated examples opened, changed and
 * closed, hover, completion, formatting, code actions, and what an editor asks for after each
 * edit (symbols, semantic tokens, folding, inlay hints, code lenses), in a seeded random order (see
 * test/fuzz/seed.ts). Every request is answered, the server never logs an error or exits, and
 * its heap after step 1,000 is at most 1.5 × its heap after step 100. The heap is measured by a
 * probe preloaded into the server (test/support/heap-probe.cjs) after a full garbage collection,
 * with the documents brought to the same texts first, so that only what the history left behind
 * can differ. The server runs with the fuzzers' limits (test/fuzz/pipeline.ts). docs/robustness.md
 * gives the figures.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import {
  CodeActionRequest,
  CodeLensRequest,
  CompletionRequest,
  DocumentFormattingRequest,
  DocumentSymbolRequest,
  FoldingRangeRequest,
  HoverRequest,
  InlayHintRequest,
  LogMessageNotification,
  MessageType,
  SemanticTokensRequest,
  type Diagnostic,
} from 'vscode-languageserver-protocol';
import { SimulateRequest } from '../../shared/protocol.js';
import { mutate, mutation, type Mutation } from '../fuzz/mutations.js';
import { FUZZ_LIMITS } from '../fuzz/pipeline.js';
import { BASE_SEED } from '../fuzz/seed.js';
import { LspClient } from '../support/lsp.js';

const STEPS = 1_000;
const FIRST_MEASURE = 100;
/** A generous guard against a request the server never answers, not a speed requirement. */
const ANSWER_TIMEOUT_MS = 10_000;
const DOCUMENTS = 3;

const EXAMPLES = ['ualink_pod', 'scorpio_consolidated', 'legacy_pcie5', 'heterogeneous', 'nvl72', 'broken/syntax', 'broken/link-overload', 'broken/port-budget'].map((name) =>
  readFileSync(resolve(`examples/${name}.fabric`), 'utf8'),
);
/** The texts the documents are brought to before each heap measurement. */
const CANONICAL = [EXAMPLES[1], EXAMPLES[2], EXAMPLES[6]];

type Step =
  | { kind: 'change'; doc: number; base: number; changes: Mutation[] }
  | { kind: 'hover' | 'completion' | 'actions'; doc: number; line: number; character: number }
  | { kind: 'format' | 'outline' | 'close'; doc: number };

const doc = fc.nat({ max: DOCUMENTS - 1 });
const at = { doc, line: fc.nat(), character: fc.nat() };
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 7, arbitrary: fc.record({ kind: fc.constant('change' as const), doc, base: fc.nat({ max: EXAMPLES.length - 1 }), changes: fc.array(mutation, { maxLength: 3 }) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('hover' as const), ...at }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('completion' as const), ...at }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('actions' as const), ...at }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('format' as const), doc }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('outline' as const), doc }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('close' as const), doc }) },
);

function answered<T>(request: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer to ${what} within ${ANSWER_TIMEOUT_MS / 1000} s`)), ANSWER_TIMEOUT_MS);
  });
  return Promise.race([request, guard]).finally(() => clearTimeout(timer));
}

interface Heap {
  heapUsed: number;
  rss: number;
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;

describe('random edit sessions against the server process', () => {
  const client = new LspClient(['lsp', '--stdio'], { nodeArgs: ['--require', resolve('test/support/heap-probe.cjs')], ipc: true });
  const dir = mkdtempSync(join(tmpdir(), 'fabric-session-'));
  const uris = Array.from({ length: DOCUMENTS }, (_, i) => pathToFileURL(join(dir, `doc${i}.fabric`)).href);
  const texts: (string | undefined)[] = Array(DOCUMENTS).fill(undefined);
  const versions = Array<number>(DOCUMENTS).fill(0);
  const errors: string[] = [];
  let exit: string | undefined;

  before(async () => {
    client.process.once('exit', (code, signal) => (exit = `the server exited (code ${code}, signal ${signal})`));
    client.connection.onNotification(LogMessageNotification.type, ({ type, message }) => {
      if (type === MessageType.Error) errors.push(message);
    });
    // The fuzzers' limits: a mutation that blows a loop up to the default limit would hold the
    // check for seconds (scripts/bench-limits.mjs measures how long), not find a new fault.
    await client.initialize({ fabric: { diagnostics: { debounceMs: 0 }, limits: FUZZ_LIMITS } });
  });

  after(async () => {
    assert.equal(await client.stop(), 0, client.stderr);
  });

  async function setText(index: number, text: string): Promise<void> {
    versions[index]++;
    if (texts[index] === undefined) await client.open(uris[index], text, versions[index]);
    else await client.change(uris[index], text, versions[index]);
    texts[index] = text;
  }

  function position(index: number, line: number, character: number) {
    const lines = (texts[index] ?? '').split('\n');
    const row = line % lines.length;
    return { line: row, character: character % (lines[row].length + 1) };
  }

  function latestDiagnostics(index: number): Diagnostic[] {
    return client.published(uris[index]).at(-1) ?? [];
  }

  async function run(next: Step): Promise<void> {
    const textDocument = { uri: uris[next.doc] };
    switch (next.kind) {
      case 'change':
        return setText(next.doc, mutate(EXAMPLES[next.base], next.changes));
      case 'close':
        if (texts[next.doc] !== undefined) await client.close(uris[next.doc]);
        texts[next.doc] = undefined;
        return;
      case 'hover':
        await answered(client.connection.sendRequest(HoverRequest.type, { textDocument, position: position(next.doc, next.line, next.character) }), 'hover');
        return;
      case 'completion':
        await answered(client.connection.sendRequest(CompletionRequest.type, { textDocument, position: position(next.doc, next.line, next.character) }), 'completion');
        return;
      case 'actions': {
        const start = position(next.doc, next.line, next.character);
        const context = { diagnostics: latestDiagnostics(next.doc) };
        await answered(client.connection.sendRequest(CodeActionRequest.type, { textDocument, range: { start, end: start }, context }), 'code actions');
        return;
      }
      case 'format':
        await answered(client.connection.sendRequest(DocumentFormattingRequest.type, { textDocument, options: { tabSize: 2, insertSpaces: true } }), 'formatting');
        return;
      case 'outline': {
        // What an editor asks for after each edit: symbols, highlighting, folding, hints, lenses.
        const range = { start: { line: 0, character: 0 }, end: position(next.doc, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER) };
        await answered(client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument }), 'document symbols');
        await answered(client.connection.sendRequest(SemanticTokensRequest.type, { textDocument }), 'semantic tokens');
        await answered(client.connection.sendRequest(FoldingRangeRequest.type, { textDocument }), 'folding ranges');
        await answered(client.connection.sendRequest(InlayHintRequest.type, { textDocument, range }), 'inlay hints');
        await answered(client.connection.sendRequest(CodeLensRequest.type, { textDocument }), 'code lenses');
        return;
      }
    }
  }

  /** The heap once every document holds its canonical text and is simulated. */
  async function heap(): Promise<Heap> {
    for (let i = 0; i < DOCUMENTS; i++) await setText(i, CANONICAL[i]);
    for (const uri of uris) await answered(client.connection.sendRequest(SimulateRequest, { uri }), 'fabric/simulate');
    return new Promise((resolveHeap) => {
      client.process.once('message', (answer) => resolveHeap(answer as Heap));
      client.process.send!('heap');
    });
  }

  it(`${STEPS.toLocaleString('en-US')} random steps: every request answered, no error, no exit, the heap stays flat`, async (t) => {
    const steps = fc.sample(fc.array(step, { minLength: STEPS, maxLength: STEPS }), { seed: BASE_SEED, numRuns: 1 })[0];
    const heaps = new Map<number, Heap>();
    const started = Date.now();
    for (const [index, next] of steps.entries()) {
      try {
        await run(next);
      } catch (error) {
        throw new Error(`step ${index + 1} (${JSON.stringify(next)}) failed with FABRIC_FUZZ_SEED=${BASE_SEED}: ${(error as Error).message}`);
      }
      assert.equal(exit, undefined, `after step ${index + 1}: ${exit}\n${client.stderr}`);
      if ((index + 1) % FIRST_MEASURE === 0) heaps.set(index + 1, await heap());
    }
    t.diagnostic(`${STEPS} steps in ${((Date.now() - started) / 1000).toFixed(1)} s (seed ${BASE_SEED})`);
    t.diagnostic(`heap after GC by step: ${[...heaps].map(([n, h]) => `${n}: ${mb(h.heapUsed)} (rss ${mb(h.rss)})`).join(', ')}`);
    assert.deepEqual(errors, [], 'the server logged errors');
    const first = heaps.get(FIRST_MEASURE)!.heapUsed;
    const last = heaps.get(STEPS)!.heapUsed;
    assert.ok(last <= 1.5 * first, `heap after step ${STEPS} is ${mb(last)}, over 1.5 × ${mb(first)} after step ${FIRST_MEASURE}`);
  });
});
