// Measures `fabric simulate` on generated two-tier fabrics: a ring all-reduce over every
// accelerator (and, for comparison, `auto`, which also simulates tree and in-network reduction).
// Whole CLI process, median of 5 runs after a warm-up; peak memory from /usr/bin/time when present.
// Figures go to docs/performance.md. Usage: node scripts/bench-simulate.mjs [ACCELERATORS...]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';
import { shared } from './build.mjs';
import { generateTwoTier } from './generate-fabric.mjs';

// In-process stage timings (what the language server will pay): check, then simulate, each the
// median over 5 fresh processes of the first run (cold) and, on fabrics of up to 1,024
// accelerators, of 5 more runs in the same process (warm).
await build({ ...shared, entryPoints: ['scripts/bench-entry.ts'], outfile: '.bench/bench-entry.js' });
const stages = (file, repeats) => {
  const runs = Array.from({ length: 5 }, () => JSON.parse(execFileSync(process.execPath, ['.bench/bench-entry.js', file, String(repeats)]).toString()));
  const median = (key) => runs.map((r) => r[key]).sort((a, b) => a - b)[2];
  return { check: median('check_ms'), simulate: median('simulate_ms'), warmCheck: repeats > 0 ? median('warm_check_ms') : undefined, warmSimulate: repeats > 0 ? median('warm_simulate_ms') : undefined };
};

const sizes = process.argv.slice(2).map(Number);
mkdirSync('.bench', { recursive: true });

for (const accelerators of sizes.length ? sizes : [1024, 16384]) {
  for (const algorithm of ['ring', 'auto']) {
    const file = `.bench/two-tier-${accelerators}-${algorithm}.fabric`;
    writeFileSync(file, generateTwoTier(accelerators, algorithm));
    const args = ['bin/fabric.js', 'simulate', '--format', 'json', file];
    const run = () => {
      const started = process.hrtime.bigint();
      execFileSync(process.execPath, args, { stdio: 'pipe', maxBuffer: 1 << 30 });
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    const first = JSON.parse(execFileSync(process.execPath, args, { maxBuffer: 1 << 30 }).toString());
    const times = Array.from({ length: 5 }, run).sort((a, b) => a - b);
    const again = JSON.parse(execFileSync(process.execPath, args, { maxBuffer: 1 << 30 }).toString());
    const identical = JSON.stringify(first) === JSON.stringify(again);
    let memory = 'n/a';
    if (existsSync('/usr/bin/time')) {
      const measured = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
      memory = `${(Number(measured.stderr.trim().split('\n').pop()) / 1024).toFixed(0)} MB`;
    }
    const step = first.workloads[0].steps[0];
    const inProcess = stages(file, accelerators <= 1024 ? 5 : 0);
    const warm = inProcess.warmSimulate === undefined ? '' : ` (warm: check ${inProcess.warmCheck.toFixed(0)} ms + simulate ${inProcess.warmSimulate.toFixed(0)} ms)`;
    console.log(
      `${accelerators} accelerators, ${algorithm}: median ${times[2].toFixed(0)} ms (runs ${times.map((t) => t.toFixed(0)).join(', ')}), ` +
        `in process, cold: check ${inProcess.check.toFixed(0)} ms + simulate ${inProcess.simulate.toFixed(0)} ms${warm}; ` +
        `peak memory ${memory}, identical run to run: ${identical}; simulated ${step.algorithm} ${(step.time_s * 1e3).toFixed(3)} ms, busbw ${step.busbw_GBps.toFixed(1)} GB/s`,
    );
  }
}
