// Measures what the guards on the paths `fabric` reads and writes cost: each hostile path (a
// device, a FIFO, a directory, a socket, a 64 GiB file, a file just within the size bound, an
// --out over the input) through the built CLI in a fresh process, median of 3 runs and the
// process's peak RSS, beside `fabric --version` for the cost of starting at all. Figures go to
// docs/robustness.md. Usage: node scripts/build.mjs && npm run bench:paths
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measuredRun } from './measured-run.mjs';

const dir = mkdtempSync(join(tmpdir(), 'fabric-bench-paths-'));
const at = (name) => join(dir, name);
const POD = 'fabric f {\n  gpu g[2]\n  switch s\n  for i in 0..1 { link g[i] <-> s : pcie6 x16 }\n}\n';
writeFileSync(at('pod.fabric'), POD);
spawnSync('mkfifo', [at('pipe.fabric')]);
mkdirSync(at('folder.fabric'));
writeFileSync(at('huge.fabric'), '');
truncateSync(at('huge.fabric'), 64 * 1024 ** 3);
writeFileSync(at('imports-huge.fabric'), `import "huge.fabric"\n${POD}`);
// Three bytes for each of the 8,388,608 characters the limit allows: the largest file still read.
writeFileSync(at('bound.fabric'), `// ${'x'.repeat(3 * 8 * 1024 * 1024 - 3)}`);
writeFileSync(at('report.html'), POD);
const server = createServer().listen(at('socket.fabric'));
await new Promise((done) => server.once('listening', done));

const CASES = [
  ['`fabric --version` (start-up alone)', ['--version'], 0],
  ['`/dev/zero`', ['check', '/dev/zero'], 2],
  ['a FIFO with no writer', ['check', at('pipe.fabric')], 2],
  ['a directory', ['check', at('folder.fabric')], 2],
  ['a socket', ['check', at('socket.fabric')], 2],
  ['a 64 GiB file (sparse)', ['check', '--no-simulate', at('huge.fabric')], 1],
  ['an import of the 64 GiB file', ['check', '--no-simulate', at('imports-huge.fabric')], 1],
  ['a 24 MiB file, read and measured', ['check', '--no-simulate', at('bound.fabric')], 1],
  ['`report --out` over its input', ['report', '--out', at('report.html'), at('report.html')], 2],
];

console.log('| path | exit | time (median of 3) | peak RSS |');
console.log('|---|---:|---:|---:|');
for (const [name, args, expected] of CASES) {
  const runs = Array.from({ length: 3 }, () => measuredRun(args, expected)).sort((a, b) => a.ms - b.ms);
  const rss = Math.max(...runs.map((r) => r.rssMb));
  console.log(`| ${name} | ${expected} | ${runs[1].ms.toFixed(0)} ms | ${rss.toFixed(0)} MB |`);
}
server.close();
rmSync(dir, { recursive: true, force: true });
