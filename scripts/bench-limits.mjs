// Measures how fast each size limit is reached: every case of test/support/limit-cases.ts
// (gpu g[100000000], loops past the iteration and link limits, a 10 MB file, 1,000-deep nesting,
// long import chains and cycles) through check and simulate at the default limits, each in a
// fresh process: median of 3 runs and the process's peak RSS. Figures go to docs/robustness.md.
// Usage: npm run bench:limits
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { build } from 'esbuild';
import { shared } from './build.mjs';

mkdirSync('.bench', { recursive: true });
await build({ ...shared, entryPoints: ['scripts/bench-limits-entry.ts'], outfile: '.bench/bench-limits-entry.js' });

const entry = (...args) => execFileSync(process.execPath, ['.bench/bench-limits-entry.js', ...args], { maxBuffer: 1 << 26 }).toString();
const count = Number(entry('count'));

console.log('| case | ends in | time (median of 3) | peak RSS |');
console.log('|---|---|---:|---:|');
for (let index = 0; index < count; index++) {
  const result = JSON.parse(entry(String(index)));
  if (!result.found) throw new Error(`${result.name} did not end in ${result.code}`);
  console.log(`| ${result.name} | \`${result.code}\` | ${result.ms.toFixed(result.ms < 10 ? 1 : 0)} ms | ${result.rssMb.toFixed(0)} MB |`);
}
