/**
 * Mutations of every file in examples/ through parse, check, simulate, the report and the
 * formatter: nothing throws, hangs or exhausts memory, and every diagnostic is well formed.
 * Seeded (see seed.ts); docs/robustness.md gives the case counts and durations.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { isMainThread } from 'node:worker_threads';
import { CaseWorker, serveCases } from './case-worker.js';
import { mutate, mutations } from './mutations.js';
import { assertProperty, cases } from './seed.js';

/** Cases over all the examples. The realistic ones simulate for up to half a second, so they take fewer each. */
const TOTAL_CASES = 6_000;
const REALISTIC_CASES = 100;

function fabricFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? fabricFiles(path) : name.endsWith('.fabric') ? [path] : [];
    });
}

if (isMainThread) {
  const root = resolve('examples');
  const paths = fabricFiles(root);
  const files = Object.fromEntries(paths.map((path) => [path, readFileSync(path, 'utf8')]));
  const realistic = paths.filter((path) => !path.slice(root.length + 1).includes('/'));
  const smallShare = Math.ceil((TOTAL_CASES - realistic.length * REALISTIC_CASES) / (paths.length - realistic.length));

  describe('fuzz: mutations of the examples', { concurrency: 2 }, () => {
    for (const path of paths) {
      const name = path.slice(root.length + 1);
      const count = realistic.includes(path) ? REALISTIC_CASES : smallShare;
      it(`${name}: ${cases(count)} mutated versions`, async () => {
        const worker = new CaseWorker(__filename);
        try {
          await assertProperty(`mutations of ${name}`, count, mutations, (changes) => worker.run({ path, text: mutate(files[path], changes), files }));
        } finally {
          await worker.dispose();
        }
      });
    }
  });
} else {
  serveCases();
}
