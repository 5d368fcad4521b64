// Measures `fabric report` on generated two-tier fabrics (the simulator benchmark's, `auto`): the
// whole `fabric report --out FILE.html` process (median of 5 after a warm-up) and, in process,
// each stage: check and simulate, report data, elkjs layout, HTML. Figures go to
// docs/performance.md. Usage: node scripts/bench-report.mjs [ACCELERATORS...]
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';
import { shared } from './build.mjs';
import { generateTwoTier } from './generate-fabric.mjs';

await build({ ...shared, entryPoints: ['scripts/bench-report-entry.ts'], outfile: '.bench/bench-report-entry.js' });
mkdirSync('.bench', { recursive: true });
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const sizes = process.argv.slice(2).map(Number);

for (const accelerators of sizes.length ? sizes : [1024, 16384]) {
  const file = `.bench/two-tier-${accelerators}-auto.fabric`;
  writeFileSync(file, generateTwoTier(accelerators, 'auto'));
  const args = ['bin/fabric.js', 'report', file, '--out', `.bench/report-${accelerators}.html`];
  const run = () => {
    const started = process.hrtime.bigint();
    execFileSync(process.execPath, args, { stdio: 'pipe' });
    return Number(process.hrtime.bigint() - started) / 1e6;
  };
  run();
  const times = Array.from({ length: 5 }, run);
  const stages = Array.from({ length: 5 }, () => JSON.parse(execFileSync(process.execPath, ['.bench/bench-report-entry.js', file], { maxBuffer: 1 << 30 }).toString()));
  const stage = (key) => median(stages.map((s) => s[key])).toFixed(0);
  const { nodes, edges, html_bytes, json_bytes } = stages[0];
  console.log(
    `${accelerators} accelerators: fabric report median ${median(times).toFixed(0)} ms (runs ${times.map((t) => t.toFixed(0)).join(', ')}); ` +
      `in process: check + simulate ${stage('simulate_ms')} ms, data ${stage('data_ms')} ms, layout ${stage('layout_ms')} ms (${stage('layout_again_ms')} ms once elkjs has started), HTML ${stage('render_ms')} ms; ` +
      `${nodes} nodes, ${edges} edges drawn; page ${(html_bytes / 1024).toFixed(0)} KB, report data ${(json_bytes / 1024 / 1024).toFixed(1)} MB as JSON`,
  );
}
