/** Simulation and latency reports as text a person reads at a glance (CLI and editor). */
import { formatIn, formatQuantity } from '../model/units.js';
import type { ExchangeReport, LatencyReport, ServeReport, SimulationReport, StageMemory, StepReport, TrainReport } from '../sim/report.js';

/** Left-aligned columns, right-aligned where the header says so (a leading '>'). */
function table(headers: string[], rows: string[][]): string[] {
  const right = headers.map((h) => h.startsWith('>'));
  const titles = headers.map((h) => h.replace(/^>/, ''));
  const widths = titles.map((t, i) => Math.max(t.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (right[i] ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(titles), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

const time = (seconds: number) => formatQuantity(seconds, 'time');
const gbps = (value: number | null) => (value === null ? '' : `${value >= 100 ? value.toFixed(0) : value.toPrecision(3)} GB/s`);

function describeStep(step: StepReport): string {
  if (step.op === 'compute') return `compute ${time(step.time_s)}`;
  const model = step.train?.transformer ?? step.serve?.transformer;
  if (model) return `${step.op} ${model} × ${step.ranks}`;
  const size = formatQuantity(step.bytes, 'size');
  const who = step.op === 'flow' ? '' : ` × ${step.ranks}`;
  return `${step.op} ${size}${who}`;
}

function alternatives(step: StepReport): string {
  const entries = Object.entries(step.alternatives);
  if (entries.length < 2) return '';
  return entries.map(([name, seconds]) => `${name} ${time(seconds)}`).join(', ');
}

export function formatSimulation(report: SimulationReport): string {
  const lines: string[] = [`fabric ${report.fabric ?? '(none)'}`];
  for (const workload of report.workloads) {
    lines.push('', `workload ${workload.name}: ${time(workload.time_s)}`);
    const rows = workload.steps.map((step) => [
      String(step.line),
      `${step.phase + 1}`,
      describeStep(step),
      step.algorithm ?? '',
      time(step.time_s),
      gbps(step.algbw_GBps),
      gbps(step.busbw_GBps),
      step.bottleneck ?? (step.op === 'compute' || step.train || step.serve ? '' : 'latency'),
      alternatives(step),
    ]);
    lines.push(...table(['>line', '>phase', 'step', 'algorithm', '>time', '>algbw', '>busbw', 'bottleneck', 'alternatives (alone)'], rows).map((l) => `  ${l}`));
    for (const step of workload.steps) {
      if (step.train) lines.push('', ...trainLines(step.line, step.train, step.time_s).map((l) => `  ${l}`));
      if (step.serve) lines.push('', ...serveLines(step.line, step.serve).map((l) => `  ${l}`));
    }
  }
  if (report.expectations.length > 0) {
    lines.push('', 'expectations');
    const rows = report.expectations.map((e) => [
      String(e.line),
      e.metric,
      e.actual === null ? 'n/a' : formatIn(e.actual, e.unit),
      `${e.comparison} ${formatIn(e.bound, e.unit)}`,
      e.pass ? 'pass' : 'FAIL',
    ]);
    lines.push(...table(['>line', 'metric', '>measured', 'bound', 'result'], rows).map((l) => `  ${l}`));
  }
  const busiest = [...report.links].sort((a, b) => Math.max(b.peakUtilization.forward, b.peakUtilization.backward) - Math.max(a.peakUtilization.forward, a.peakUtilization.backward)).slice(0, 5);
  if (busiest.some((l) => Math.max(l.peakUtilization.forward, l.peakUtilization.backward) > 0)) {
    lines.push('', 'busiest links (peak utilization, per direction)');
    const rows = busiest.map((l) => [l.name, `${(l.peakUtilization.forward * 100).toFixed(0)}%`, `${(l.peakUtilization.backward * 100).toFixed(0)}%`, l.peakUtilization.workload ?? '']);
    lines.push(...table(['link', '>forward', '>backward', 'workload'], rows).map((l) => `  ${l}`));
  }
  if (report.assumptions.length > 0) {
    lines.push('', 'assumptions (estimated figures these results rest on)');
    for (const assumption of report.assumptions) lines.push(`  - ${assumption}`);
  }
  return lines.join('\n');
}

const percent = (ratio: number) => `${(ratio * 100).toFixed(1)} %`;
const rate = (tokens: number) => formatQuantity(tokens, 'tokens');
const size = (bytes: number) => formatQuantity(bytes, 'size');

function memory(bytes: StageMemory): string {
  return `${size(bytes.total)}${bytes.capacity === null ? '' : ` of ${size(bytes.capacity)}`}`;
}

function exchangeRows(exchanges: ExchangeReport[]): string[] {
  const rows = exchanges.map((x) => [x.stage === null ? 'all' : String(x.stage), x.part, x.kind, size(x.bytes), `${x.ranks} × ${x.groups}`, x.algorithm ?? '', time(x.time_s), String(x.count), x.bottleneck ?? (x.time_s > 0 ? 'latency' : '')]);
  return table(['>stage', 'part', 'exchange', '>bytes', '>ranks × groups', 'algorithm', '>time once', '>per step', 'bottleneck'], rows);
}

/** A train statement: the headline, the breakdown of the step, each stage, each distinct exchange. */
function trainLines(line: number, train: TrainReport, step: number): string[] {
  const b = train.breakdown_s;
  const parts = (['compute', 'tp', 'ep', 'pp', 'bubble', 'dp'] as const).map((part) => `${part} ${time(b[part])}`).join(' + ');
  const stages = train.stages.map((s) => [String(s.stage), String(s.layers), time(s.time_s), time(s.compute_s), time(s.tp_s), time(s.ep_s), time(s.pp_s), time(s.dp_exposed_s), memory(s.memory_bytes)]);
  return [
    `train ${train.transformer} (line ${line}): ${rate(train.tokens_per_s)}, ${rate(train.tokens_per_s_per_accelerator)} per accelerator, MFU ${percent(train.mfu)}, ${percent(train.waiting_on_fabric)} of the step waiting on the fabric`,
    `  step ${time(step)} = ${parts} (${train.micro_batches} micro-batches)`,
    ...table(['>stage', '>layers', '>t_k', '>compute', '>tp', '>ep', '>pp', '>dp exposed', '>memory per rank'], stages).map((l) => `  ${l}`),
    ...exchangeRows(train.collectives).map((l) => `  ${l}`),
  ];
}

function serveLines(line: number, serve: ServeReport): string[] {
  const stages = serve.stages.map((s) => [String(s.stage), String(s.layers), time(s.prefill_s), time(s.decode_step_s), memory(s.memory_bytes)]);
  return [
    `serve ${serve.transformer} (line ${line}): ${rate(serve.tokens_per_s)}, ${rate(serve.tokens_per_s_per_accelerator)} per accelerator, TTFT ${time(serve.ttft_s)}, TPOT ${time(serve.tpot_s)}`,
    ...table(['>stage', '>layers', '>prefill', '>decode step', '>memory per rank'], stages).map((l) => `  ${l}`),
    ...exchangeRows(serve.collectives).map((l) => `  ${l}`),
  ];
}

export function formatLatency(report: LatencyReport): string {
  const lines = [
    `${report.from} -> ${report.to}: ${time(report.latency_s)} one way, ${report.hops} hop${report.hops === 1 ? '' : 's'}${report.paths > 1 ? `, ${report.paths} equal-latency paths` : ''}`,
    `  path: ${report.path.join(' -> ')}`,
  ];
  if (report.assumptions.length > 0) {
    lines.push('  assumptions:');
    for (const assumption of report.assumptions) lines.push(`    - ${assumption}`);
  }
  return lines.join('\n');
}
