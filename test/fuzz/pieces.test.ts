/**
 * Reading a fabric item by item (parse.ts, item-split.ts) gives the same tree, problems and
 * comments as reading it whole, on mutations of every example and on soups of Fabric's tokens
 * among a fabric's items. Seeded (see seed.ts); docs/robustness.md gives the case counts.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parse } from '../../server/src/syntax/parse.js';
import { mutate, mutations, tokenSoup } from './mutations.js';
import { assertProperty, cases } from './seed.js';

const CASES = 2_000;
const OPTIONS = { maxNestingDepth: 64 };

function fabricFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? fabricFiles(path) : name.endsWith('.fabric') ? [path] : [];
  });
}

/** Undefined when both readings agree; otherwise what differs. */
async function disagreement(text: string): Promise<string | undefined> {
  const inPieces = parse('/fuzz/main.fabric', text, OPTIONS);
  const whole = parse('/fuzz/main.fabric', text, { ...OPTIONS, inPieces: false });
  try {
    assert.deepEqual(inPieces.problems, whole.problems);
    assert.deepEqual(inPieces.tree, whole.tree);
    assert.deepEqual(inPieces.comments, whole.comments);
    return undefined;
  } catch (error) {
    return `the two readings differ on:\n${text}\n${(error as Error).message}`;
  }
}

const examples = fabricFiles('examples').map((path) => readFileSync(path, 'utf8'));
const PROPERTIES: [string, fc.Arbitrary<string>][] = [
  ['mutations of the examples', fc.tuple(fc.constantFrom(...examples), mutations).map(([text, changes]) => mutate(text, changes))],
  ['token soup among a fabric’s items', tokenSoup.map((soup) => `fabric f {\n  gpu g[4] : gpu\n${soup}\n  switch sx : scorpio_x\n}\n`)],
];

describe('fuzz: reading in pieces agrees with reading whole', () => {
  for (const [name, arbitrary] of PROPERTIES) {
    it(`${name}: ${cases(CASES)} cases`, () => assertProperty(`pieces: ${name}`, CASES, arbitrary, disagreement));
  }
});
