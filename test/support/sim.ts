/**
 * Helpers for the simulator's validation tests: constants for hand derivations, fabric text
 * builders, and lookups into the report by line (so a test names the statement it checks).
 */
import assert from 'node:assert/strict';
import type { JsonDiagnostic, LatencyReport, SimulationReport, StepReport } from '../../server/src/sim/report.js';
import { latencyText, simulateText } from '../../server/src/sim/simulate.js';

export const PATH = '/t/main.fabric';
const files = { read: () => undefined };

// Units (SI).
export const ns = 1e-9;
export const us = 1e-6;
export const ms = 1e-3;
export const GB = 1e9;
export const MiB = 2 ** 20;
export const GiB = 2 ** 30;

/** pcie6 (or cxl) x16 per direction: 16 lanes × 8 GB/s × 0.922 (FLIT) = 118.016 GB/s. */
export const X16 = 16 * 8e9 * 0.922;
/** A default link: 10 ns PHY + 5 ns/m × 0.5 m = 12.5 ns. */
export const LINK = 10 * ns + 5 * ns * 0.5;
/** scorpio_x port-to-port. */
export const SX = 120 * ns;
/** gpu → scorpio_x → gpu: 12.5 + 120 + 12.5 = 145 ns. */
export const PAIR = LINK + SX + LINK;
/** Default step_overhead. */
export const OVERHEAD = 1 * us;

export function simulate(text: string): SimulationReport {
  return simulateText(PATH, text, files);
}

export function latency(text: string, from: string, to: string): LatencyReport | { error: string } {
  return latencyText(PATH, text, files, from, to);
}

/** 1-based line of the first line of `text` that contains `needle`. */
export function lineOf(text: string, needle: string): number {
  const index = text.split('\n').findIndex((line) => line.includes(needle));
  assert.ok(index >= 0, `no line contains ${needle}`);
  return index + 1;
}

/** Relative closeness (absolute when the expected value is 0). */
export function near(actual: number | null | undefined, expected: number, tolerance = 0.01, what = 'value'): void {
  assert.ok(typeof actual === 'number' && Number.isFinite(actual), `${what}: expected a number near ${expected}, got ${actual}`);
  const error = expected === 0 ? Math.abs(actual) : Math.abs(actual - expected) / Math.abs(expected);
  assert.ok(error <= tolerance, `${what}: got ${actual}, derived ${expected} (off by ${(error * 100).toFixed(3)} %, tolerance ${tolerance * 100} %)`);
}

export function render(d: JsonDiagnostic): string {
  return `${d.line} ${d.severity}[${d.code}] ${d.message}`;
}

export function assertNoErrors(report: SimulationReport): void {
  assert.deepEqual(report.diagnostics.filter((d) => d.severity === 'error').map(render), []);
}

export function diagnostics(report: SimulationReport, code: string, line?: number): JsonDiagnostic[] {
  return report.diagnostics.filter((d) => d.code === code && (line === undefined || d.line === line));
}

/** The step of workload `workload` written on line `line`. */
export function stepAt(report: SimulationReport, line: number, workload = 'w'): StepReport {
  const found = report.workloads.find((w) => w.name === workload);
  assert.ok(found, `no workload ${workload} in the report (diagnostics: ${report.diagnostics.map(render).join('; ')})`);
  const step = found.steps.find((s) => s.line === line);
  assert.ok(step, `no step on line ${line} of ${workload}; steps on lines ${found.steps.map((s) => s.line).join(', ')}`);
  return step;
}

/** Simulates `text` (which must have no errors) and returns the step on the line holding `needle`. */
export function stepOf(text: string, needle: string, workload = 'w'): StepReport {
  const report = simulate(text);
  assertNoErrors(report);
  return stepAt(report, lineOf(text, needle), workload);
}

/** Checks a step's time and its split into latency and transfer against a derivation. */
export function assertTime(step: StepReport, latency_s: number, transfer_s: number, tolerance = 0.01): void {
  near(step.latency_s, latency_s, tolerance, 'latency_s');
  near(step.transfer_s, transfer_s, tolerance, 'transfer_s');
  near(step.time_s, latency_s + transfer_s, tolerance, 'time_s');
}

/** algbw = bytes / time in GB/s; busbw = algbw × factor. */
export function assertBandwidth(step: StepReport, bytes: number, time_s: number, factor: number, tolerance = 0.01): void {
  near(step.algbw_GBps, bytes / time_s / GB, tolerance, 'algbw_GBps');
  near(step.busbw_GBps, (bytes / time_s / GB) * factor, tolerance, 'busbw_GBps');
}

/**
 * `n` default gpus `g[0..n-1]` on one scorpio_x `sx`, each by `pcie6 x16` (0.5 m), and a workload
 * `w` holding `body`. `pool` adds `memory pool : cxl_expander { <pool> }` on `cxl x16`.
 */
export function star(n: number, body: string, options: { pool?: string; settings?: string; after?: string } = {}): string {
  const lines = ['fabric star {'];
  if (options.settings) lines.push(`  settings { ${options.settings} }`);
  lines.push(`  gpu g[${n}]`, '  switch sx : scorpio_x');
  if (options.pool !== undefined) lines.push(`  memory pool : cxl_expander { ${options.pool} }`);
  lines.push(`  for i in 0..${n - 1} { link g[i] <-> sx : pcie6 x16 }`);
  if (options.pool !== undefined) lines.push('  link pool <-> sx : cxl x16');
  lines.push('  workload w {', ...body.trim().split('\n').map((line) => `    ${line.trim()}`), '  }');
  if (options.after) lines.push(...options.after.trim().split('\n').map((line) => `  ${line.trim()}`));
  lines.push('}');
  return lines.join('\n');
}
