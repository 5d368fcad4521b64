// In-process timing of each stage for scripts/bench-simulate.mjs (bundled by it on the fly).
import { readFileSync } from 'node:fs';
import { checkText } from '../server/src/model/check.js';
import { DiagnosticSink } from '../server/src/model/diagnostics.js';
import { Simulator } from '../server/src/sim/simulate.js';

const file = process.argv[2];
const text = readFileSync(file, 'utf8');
const started = performance.now();
const check = checkText(file, text, { read: () => undefined });
const checked = performance.now();
const simulation = new Simulator(check.fabric!, new DiagnosticSink()).run();
const simulated = performance.now();
const step = simulation.workloads[0].steps[0];
process.stdout.write(JSON.stringify({ check_ms: checked - started, simulate_ms: simulated - checked, algorithm: step.algorithm, time_s: step.time }) + '\n');
