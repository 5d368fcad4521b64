// The number of limit cases (`count`), or one case in-process for scripts/bench-limits.mjs (bundled by it on the fly): the whole
// core as the CLI and the server run it (check, then simulate), median of 3 runs, peak RSS.
import { simulateSource } from '../server/src/sim/simulate.js';
import { LIMIT_CASES } from '../test/support/limit-cases.js';

if (process.argv[2] === 'count') {
  process.stdout.write(`${LIMIT_CASES.length}\n`);
  process.exit(0);
}
const limitCase = LIMIT_CASES[Number(process.argv[2])];
const { text, files } = limitCase.build();
const runs: number[] = [];
let found = false;
let peak = 0;
for (let i = 0; i < 3; i++) {
  const started = performance.now();
  const { check } = simulateSource('/work/main.fabric', text, { read: (path) => files[path] });
  runs.push(performance.now() - started);
  found = check.diagnostics.some((d) => d.code === limitCase.code);
  peak = Math.max(peak, process.memoryUsage().rss);
}
runs.sort((a, b) => a - b);
process.stdout.write(JSON.stringify({ name: limitCase.name, code: limitCase.code, found, ms: runs[1], rssMb: peak / 2 ** 20, chars: text.length }) + '\n');
