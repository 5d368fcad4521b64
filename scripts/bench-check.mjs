// Measures `fabric check` on a generated 16,384-accelerator fabric: the whole CLI process,
// median of 5 runs (after one warm-up run for the file cache). Figures go to docs/performance.md.
// Usage: npm run bench:check [-- ACCELERATORS]
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { generateFabric } from './generate-fabric.mjs';

const accelerators = Number(process.argv[2] ?? 16384);
mkdirSync('.bench', { recursive: true });
const file = `.bench/generated-${accelerators}.fabric`;
writeFileSync(file, generateFabric(accelerators));
const bytes = statSync(file).size;

const run = () => {
  const started = process.hrtime.bigint();
  execFileSync(process.execPath, ['bin/fabric.js', 'check', '--no-simulate', file], { stdio: 'pipe' });
  return Number(process.hrtime.bigint() - started) / 1e6;
};

run();
const times = Array.from({ length: 5 }, run).sort((a, b) => a - b);
const median = times[2];
console.log(`fabric check, ${accelerators} accelerators, ${(bytes / 1e6).toFixed(2)} MB`);
console.log(`runs (ms): ${times.map((t) => t.toFixed(0)).join(', ')}`);
console.log(`median: ${median.toFixed(0)} ms`);
