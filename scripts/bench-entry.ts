// In-process timing of each stage for scripts/bench-simulate.mjs (bundled by it on the fly): the
// first check and simulation in a fresh process (cold: the code is not compiled yet), then, when
// asked, the median of REPEATS more in the same process (warm: what the language server's worker
// pays from its second simulation on). Usage: node bench-entry.js FILE [REPEATS]
import { readFileSync } from 'node:fs';
import { checkText } from '../server/src/model/check.js';
import { DiagnosticSink } from '../server/src/model/diagnostics.js';
import { Simulator } from '../server/src/sim/simulate.js';

const file = process.argv[2];
const repeats = Number(process.argv[3] ?? 0);
const text = readFileSync(file, 'utf8');

function checkAndSimulate() {
  const started = performance.now();
  const check = checkText(file, text, { read: () => undefined });
  const checked = performance.now();
  const simulation = new Simulator(check.fabric!, new DiagnosticSink()).run();
  const simulated = performance.now();
  return { checkMs: checked - started, simulateMs: simulated - checked, step: simulation.workloads[0].steps[0] };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const cold = checkAndSimulate();
const warm = Array.from({ length: repeats }, checkAndSimulate);
process.stdout.write(
  JSON.stringify({
    check_ms: cold.checkMs,
    simulate_ms: cold.simulateMs,
    warm_check_ms: repeats > 0 ? median(warm.map((w) => w.checkMs)) : null,
    warm_simulate_ms: repeats > 0 ? median(warm.map((w) => w.simulateMs)) : null,
    algorithm: cold.step.algorithm,
    time_s: cold.step.time,
  }) + '\n',
);
