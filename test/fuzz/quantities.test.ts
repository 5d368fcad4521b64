/**
 * Random quantities (quantity-fabric.ts) through the real `fabric` binary and the real language
 * server: `simulate` as text and JSON, `latency`, the HTML report, and in the editor the
 * simulation, a hover on every quantity, the inlay hints and the code lenses. None may throw or
 * print a stack trace, and no output may contain `Infinity` or `NaN`. Seeded (see seed.ts); a
 * bounded number of cases here, many more with `npm run fuzz:quantities`.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { CodeLensRequest, InlayHintRequest, LogMessageNotification, MessageType } from 'vscode-languageserver-protocol';
import { SimulateRequest } from '../../shared/protocol.js';
import { LspClient } from '../support/lsp.js';
import { quantityFabric, type QuantityFabric } from './quantity-fabric.js';
import { assertProperty, cases } from './seed.js';

/** Each case runs four processes and an editor session: about a second. */
const CASES = 12;

const bin = join(process.cwd(), 'bin/fabric.js');
const dir = mkdtempSync(join(tmpdir(), 'fabric-fuzz-quantities-'));
const run = promisify(execFile);

const NON_FINITE = /Infinity|NaN/;

/** What is wrong with one command's run: a crash, a stack trace, or a non-finite figure. */
async function commandProblem(args: string[]): Promise<string | undefined> {
  const what = `fabric ${args.join(' ')}`;
  let stdout: string;
  let stderr: string;
  try {
    ({ stdout, stderr } = await run(process.execPath, [bin, ...args], { maxBuffer: 64 * 1024 * 1024 }));
  } catch (error) {
    const failed = error as { code?: number; stdout: string; stderr: string };
    // Exit code 1 is the fabric's errors; anything else is a crash or a usage failure.
    if (failed.code !== 1) return `${what} exited with ${failed.code}: ${failed.stderr}`;
    ({ stdout, stderr } = failed);
  }
  // The only stderr allowed is a one-line `fabric: …` (no route between the two devices).
  if (stderr !== '' && !/^fabric: [^\n]+\n$/.test(stderr)) return `${what} printed on stderr: ${stderr}`;
  const shown = NON_FINITE.exec(stdout + stderr);
  if (shown) return `${what} printed ${shown[0]}: …${(stdout + stderr).slice(Math.max(0, shown.index - 200), shown.index + 50)}`;
  return undefined;
}

function positionOf(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

async function editorProblem(client: LspClient, uri: string, fabric: QuantityFabric): Promise<string | undefined> {
  const textDocument = { uri };
  await client.open(uri, fabric.text);
  try {
    const answers: [string, unknown][] = [['fabric/simulate', await client.connection.sendRequest(SimulateRequest, { uri })]];
    for (const quantity of fabric.quantities) {
      // Inside the number, past a sign: the hover of the quantity, not of the `-`.
      const position = positionOf(fabric.text, quantity.offset + (quantity.text.startsWith('-') ? 2 : 1));
      answers.push([`hover on ${quantity.text}`, await client.hover(uri, position)]);
    }
    const range = { start: { line: 0, character: 0 }, end: positionOf(fabric.text, fabric.text.length) };
    answers.push(['inlay hints', await client.connection.sendRequest(InlayHintRequest.type, { textDocument, range })]);
    answers.push(['code lenses', await client.connection.sendRequest(CodeLensRequest.type, { textDocument })]);
    for (const [what, answer] of answers) {
      const text = JSON.stringify(answer);
      const shown = NON_FINITE.exec(text);
      if (shown) return `${what} shows ${shown[0]}: …${text.slice(Math.max(0, shown.index - 200), shown.index + 50)}`;
    }
    return undefined;
  } finally {
    await client.close(uri);
  }
}

describe('fuzz: random quantities through the binary and the language server', () => {
  const client = new LspClient();
  /** Errors the server logs (a failed simulation, a request that threw). */
  const logged: string[] = [];
  let serial = 0;

  before(async () => {
    client.connection.onNotification(LogMessageNotification.type, ({ type, message }) => {
      if (type === MessageType.Error) logged.push(message);
    });
    await client.initialize({ fabric: { diagnostics: { debounceMs: 0 } } });
  });

  after(async () => {
    assert.equal(await client.stop(), 0, client.stderr);
    assert.doesNotMatch(client.stderr, /Error|\n\s+at /, 'the server logged an error');
  });

  it(`${cases(CASES)} fabrics of random quantities: no crash, no stack trace, no Infinity or NaN`, async () => {
    await assertProperty('random quantities', CASES, quantityFabric, async (fabric) => {
      const file = join(dir, `case-${serial++}.fabric`);
      writeFileSync(file, fabric.text);
      for (const args of [['simulate', file], ['simulate', '--format', 'json', file], ['latency', file, 'acc[0]', 'acc[3]'], ['report', file]]) {
        const problem = await commandProblem(args);
        if (problem) return `${problem}\n--- ${file}:\n${fabric.text}`;
      }
      const problem = (await editorProblem(client, pathToFileURL(file).href, fabric)) ?? (logged.length > 0 ? `the server logged: ${logged.splice(0).join('; ')}` : undefined);
      return problem && `${problem}\n--- ${file}:\n${fabric.text}`;
    });
  });
});
