/**
 * Random requests with random params to one real language server (issue 20, part 7): whatever a
 * client sends, the server answers every request within its budget, with a result or an error
 * response (never a dropped connection), logs nothing but its own warnings and errors of
 * failure, and still serves the open documents. Seeded (see seed.ts); `FABRIC_FUZZ_SCALE` runs
 * more, as `npm run fuzz:lsp` does.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { LspClient } from '../support/lsp.js';
import { assertProperty, cases } from './seed.js';

const CASES = 300;
/** A generous budget for one answer on a busy machine; the answers take milliseconds. */
const ANSWER_BUDGET_MS = 10_000;

const open = ['file:///fuzz/ualink_pod.fabric', 'file:///fuzz/broken.fabric'];
const texts = [readFileSync('examples/ualink_pod.fabric', 'utf8'), readFileSync('examples/broken/lane-budget.fabric', 'utf8')];

const REQUESTS = [
  'textDocument/hover',
  'textDocument/completion',
  'textDocument/definition',
  'textDocument/references',
  'textDocument/documentHighlight',
  'textDocument/prepareRename',
  'textDocument/rename',
  'textDocument/formatting',
  'textDocument/rangeFormatting',
  'textDocument/codeAction',
  'textDocument/codeLens',
  'textDocument/documentSymbol',
  'textDocument/foldingRange',
  'textDocument/inlayHint',
  'textDocument/semanticTokens/full',
  'textDocument/semanticTokens/range',
  'workspace/symbol',
  'fabric/simulate',
  'fabric/topology',
  'fabric/report',
  'fabric/exportReport',
];
const NOTIFICATIONS = ['textDocument/didOpen', 'textDocument/didChange', 'textDocument/didClose', 'fabric/reportClosed', 'workspace/didChangeConfiguration'];

/** Numbers a careless client sends: in range, past the end, negative, fractional, huge, not numbers. */
const number = fc.oneof({ weight: 12, arbitrary: fc.nat(40) }, fc.integer({ min: -5, max: 2 ** 32 }), fc.double(), fc.constantFrom(2 ** 31, -0, Number.MAX_SAFE_INTEGER), fc.string({ maxLength: 3 }), fc.constant(null));
const position = fc.oneof({ weight: 4, arbitrary: fc.record({ line: number, character: number }) }, fc.anything({ maxDepth: 1 }));
const range = fc.oneof({ weight: 4, arbitrary: fc.record({ start: position, end: position }) }, fc.anything({ maxDepth: 1 }));
const uri = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...open) }, fc.constantFrom('file:///fuzz/closed.fabric', '', 'not a uri', 'untitled:x'), fc.anything({ maxDepth: 0 }));
const textDocument = fc.oneof({ weight: 6, arbitrary: fc.record({ uri }) }, fc.anything({ maxDepth: 1 }));
const options = fc.oneof(fc.record({ tabSize: number, insertSpaces: fc.oneof(fc.boolean(), fc.anything({ maxDepth: 0 })) }), fc.anything({ maxDepth: 1 }));
const text = fc.oneof(fc.constantFrom(...texts), fc.string({ maxLength: 40 }), fc.anything({ maxDepth: 0 }));
/** Params: the keys any of the requests takes, each present or not, each well or badly formed. */
const params = fc.oneof(
  { weight: 8, arbitrary: fc.record(
      {
        textDocument: fc.oneof(textDocument, fc.record({ uri, text, version: number, languageId: fc.constant('fabric') })),
        position,
        range,
        options,
        uri,
        newName: fc.oneof(fc.constantFrom('renamed', '', 'gpu', '1x'), fc.anything({ maxDepth: 0 })),
        query: fc.oneof(fc.string({ maxLength: 4 }), fc.anything({ maxDepth: 0 })),
        context: fc.oneof(fc.record({ diagnostics: fc.array(fc.record({ range, message: fc.string(), code: fc.string() }), { maxLength: 2 }), includeDeclaration: fc.boolean() }), fc.anything({ maxDepth: 1 })),
        contentChanges: fc.oneof(fc.array(fc.record({ text, range }, { requiredKeys: ['text'] }), { maxLength: 2 }), fc.anything({ maxDepth: 1 })),
        expandedGroups: fc.oneof(fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 }), fc.anything({ maxDepth: 1 })),
        format: fc.constantFrom('html', 'svg', 'pdf'),
        settings: fc.anything({ maxDepth: 2 }),
      },
      { requiredKeys: [] },
    ) },
  fc.anything({ maxDepth: 2 }),
);
const message = fc.record({ method: fc.constantFrom(...REQUESTS, ...NOTIFICATIONS), params });

describe('fuzz: random requests to the language server', () => {
  const client = new LspClient();
  const errors: string[] = [];
  before(async () => {
    client.connection.onNotification('window/logMessage', ({ type, message: logged }: { type: number; message: string }) => {
      // Type 1 is an error: the guard logs a handler's failure, and the server a throw outside any
      // handler, so. (The protocol library logs params it cannot pass on as errors too: not ours.)
      if (type === 1 && /the server goes on/.test(logged)) errors.push(logged);
    });
    await client.initialize();
    for (const [index, documentUri] of open.entries()) await client.open(documentUri, texts[index]);
  });
  after(() => client.stop());

  it(`answers ${cases(CASES)} random requests and notifications, and goes on serving`, async () => {
    const answers = { results: 0, errors: 0 };
    await assertProperty('lsp requests', CASES, message, async ({ method, params: sent }) => {
      if (NOTIFICATIONS.includes(method)) {
        await client.connection.sendNotification(method, sent as object);
        return undefined;
      }
      const answer = client.connection.sendRequest(method, sent).then(
        () => {
          answers.results++;
          return 'answered';
        },
        (error: { code?: number }) => {
          answers.errors++;
          return typeof error.code === 'number' ? 'answered' : `failed without an error code: ${String(error)}`;
        },
      );
      const outcome = await Promise.race([answer, new Promise<string>((resolve) => setTimeout(() => resolve('no answer'), ANSWER_BUDGET_MS))]);
      if (outcome !== 'answered') return `${method} with ${JSON.stringify(sent)}: ${outcome}`;
      if (client.process.exitCode !== null) return `the server exited (${client.process.exitCode}) after ${method} with ${JSON.stringify(sent)}`;
      return undefined;
    });
    // The params reach the handlers often enough to test them, not only the guard's checks.
    assert.ok(answers.results >= answers.errors / 4, `${answers.results} results, ${answers.errors} error answers`);
    // Every document the fuzz left open still gets its hover; the server never died.
    await client.open('file:///fuzz/after.fabric', texts[0]);
    assert.match(await client.hover('file:///fuzz/after.fabric', { line: texts[0].split('\n').findIndex((line) => /^\s*gpu /.test(line)), character: 6 }), /\*\*/);
    assert.equal(client.process.exitCode, null);
    assert.equal(client.stderr, '');
    assert.deepEqual(errors, [], 'a handler failed on a message (the guard answered, but it is a bug)');
  });
});
