/**
 * Random text through parse, check, simulate, the report and the formatter: arbitrary unicode,
 * and soups of Fabric's own tokens at the top of a file, among a fabric's items and inside a
 * workload of a small real fabric. Nothing throws, hangs or exhausts memory; every diagnostic
 * is well formed. Seeded (see seed.ts); docs/robustness.md gives the case counts and durations.
 */
import { describe, it } from 'node:test';
import { isMainThread } from 'node:worker_threads';
import fc from 'fast-check';
import { CaseWorker, serveCases } from './case-worker.js';
import { tokenSoup } from './mutations.js';
import { assertProperty, cases } from './seed.js';

const PATH = '/fuzz/main.fabric';

const SMALL_FABRIC = (workload: string) =>
  `fabric f {\n  gpu g[4]\n  switch sx : scorpio_x\n  memory pool\n  for i in 0..3 { link g[i] <-> sx : pcie6 x16 }\n  link pool <-> sx : cxl x16\n  workload w {\n${workload}\n  }\n}\n`;

const PROPERTIES: [string, number, fc.Arbitrary<string>][] = [
  ['arbitrary unicode', 1_000, fc.string({ unit: 'binary', maxLength: 300 })],
  ['token soup at the top of a file', 1_000, tokenSoup],
  ['token soup among a fabric’s items', 1_000, tokenSoup.map((soup) => `fabric f {\n${soup}\n}\n`)],
  ['token soup inside a workload', 1_000, tokenSoup.map(SMALL_FABRIC)],
];

if (isMainThread) {
  describe('fuzz: random text', { concurrency: 2 }, () => {
    for (const [name, count, arbitrary] of PROPERTIES) {
      it(`${name}: ${cases(count)} cases`, async () => {
        const worker = new CaseWorker(__filename);
        try {
          await assertProperty(name, count, arbitrary, (text) => worker.run({ path: PATH, text, files: {} }));
        } finally {
          await worker.dispose();
        }
      });
    }
  });
} else {
  serveCases();
}
