/**
 * The simulator's entry: a resolved fabric in; workload timings, expectation results, link
 * utilization, assumptions and the simulation diagnostics out (§6, §7, §9). Pure: no I/O.
 */
import { checkText, type CheckOptions, type CheckResult } from '../model/check.js';
import { declarationHead, linkHead, staticOversubscription } from '../model/checks.js';
import { agree, DiagnosticSink, sortDiagnostics } from '../model/diagnostics.js';
import type { FileAccess, FileText } from '../model/program.js';
import type { Device, Expectation, FabricModel, ResolvedStatement } from '../model/types.js';
import { assertFinite, formatIn, formatQuantity } from '../model/units.js';
import type { DiagnosticData, Span } from '../syntax/source.js';
import { collectAssumptions } from './assumptions.js';
import { CANDIDATES, planCollective, planTransfer, ranksOf, routePlan, type Collective, type Plan } from './collectives.js';
import { runPhase, type Entity, type EntityOutcome } from './engine.js';
import { Network } from './network.js';
import { toLatencyReport, toReport } from './json.js';
import { ExchangeTimer } from './exchanges.js';
import type { AlgorithmName, LatencyReport, ServeReport, SimulationReport, TrainReport } from './report.js';
import { simulateTransformerStatement, type TransformerStatement } from './transformer-steps.js';

export interface StepResult {
  statement: Exclude<ResolvedStatement, { type: 'parallel' }>;
  algorithm: AlgorithmName | null;
  /** Ranks, readers or writers counted in p. */
  ranks: number;
  time: number;
  latency: number;
  transfer: number;
  bottleneck: string | null;
  alternatives: Partial<Record<AlgorithmName, number>>;
  phase: number;
  /** The plan could not run (unreachable): its time is not counted. */
  failed: boolean;
  /** A `train` or `serve` statement's results (FABRIC-LANGUAGE-2.md §13.5). */
  train?: TrainReport;
  serve?: ServeReport;
}

export interface WorkloadResult {
  name: string;
  time: number;
  steps: StepResult[];
}

export interface ExpectationResult {
  expectation: Expectation;
  actual: number | null;
  pass: boolean;
}

export interface PeakUtilization {
  forward: number;
  backward: number;
  workload: string | null;
  span: Span | null;
}

export interface Simulation {
  fabric: FabricModel;
  network: Network;
  workloads: WorkloadResult[];
  expectations: ExpectationResult[];
  /** Peak utilization per link id. */
  peaks: PeakUtilization[];
  assumptions: string[];
}

type Leaf = Exclude<ResolvedStatement, { type: 'parallel' }>;

/** A statement's plans, computed once and shared by `auto`, the real run and the hints. */
interface Planned {
  statement: Leaf;
  plan: Plan | null;
  alternatives: Partial<Record<AlgorithmName, number>>;
  /** The chosen plan run alone on the idle fabric: a phase of this statement only is that run. */
  alone?: RunTogether;
}

/** Statements of a phase: a top-level statement, or everything inside a `parallel` block. */
function leaves(statement: ResolvedStatement): Leaf[] {
  return statement.type === 'parallel' ? statement.statements.flatMap(leaves) : [statement];
}

/**
 * Whether `better` beats `time` by the hint threshold. A statement that takes no time, or an
 * unbounded one (a wire of 1e308 m), has no faster alternative worth a hint.
 */
function measurablyFaster(time: number, better: number, threshold: number): boolean {
  return better > 0 && Number.isFinite(time) && time >= better * threshold;
}

function isTransformerStatement(statement: Leaf): statement is TransformerStatement {
  return statement.type === 'train' || statement.type === 'serve';
}

function isCollective(statement: Leaf): statement is Collective {
  return statement.type === 'allreduce' || statement.type === 'reducescatter' || statement.type === 'allgather' || statement.type === 'alltoall' || statement.type === 'broadcast';
}

interface RunTogether {
  times: number[];
  transfers: number[];
  outcomes: EntityOutcome[][];
}

/** Time of plans run together from an idle fabric: latency + the last entity's finish. */
function runTogether(plans: Plan[], capacities: Float64Array): RunTogether {
  const entities: Entity[] = plans.flatMap((p) => p.entities);
  const all = runPhase(entities, capacities);
  let offset = 0;
  const outcomes = plans.map((p) => {
    const mine = all.slice(offset, offset + p.entities.length);
    offset += p.entities.length;
    return mine;
  });
  const transfers = outcomes.map((list) => list.reduce((max, o) => Math.max(max, o.finish), 0));
  return { times: plans.map((p, i) => p.latency + transfers[i]), transfers, outcomes };
}

export class Simulator {
  readonly network: Network;
  private readonly unconstrained: Float64Array;
  readonly usedPlans: Plan[] = [];
  /** Compute and memory figures `train` and `serve` rest on, beside the fabric's (stage-model.ts). */
  private readonly computeAssumptions = new Set<string>();
  private bytesCarried?: Float64Array;

  constructor(
    readonly fabric: FabricModel,
    private readonly sink: DiagnosticSink,
  ) {
    this.network = new Network(fabric);
    this.unconstrained = Float64Array.from(this.network.capacities, (c, r) => (this.network.fabricInternal[r] ? Infinity : c));
  }

  private report(span: Span, code: 'unreachable' | 'feature-unsupported' | 'inc-opportunity' | 'ring-order' | 'value-range', message: string, data?: DiagnosticData): void {
    this.sink.report({ file: this.fabric.file, span, code, message, data });
  }

  /**
   * A figure too large to compute: the statement is reported and not counted. The ranges of the
   * quantities (model/ranges.ts) keep every figure finite, so this guards the arithmetic, not the
   * input: no table or report ever shows `Infinity` or `NaN` in its place.
   */
  private reportIncomputable(statement: Leaf): void {
    this.report(
      statement.span,
      'value-range',
      `the time of this \`${statement.type}\` cannot be computed: it exceeds the largest figure a number can hold; give it a smaller size, or its path more bandwidth`,
    );
  }

  private aloneRun(plan: Plan): RunTogether {
    return runTogether([plan], this.network.capacities);
  }

  /** Chooses the algorithm: the named one, or under `auto` the fastest alone (§6). */
  private planStatement(statement: Leaf): Planned {
    const settings = this.fabric.settings;
    if (statement.type === 'compute' || isTransformerStatement(statement)) return { statement, plan: null, alternatives: {} };
    if (!isCollective(statement)) {
      const plan = planTransfer(statement, this.network, settings);
      if (plan.problem) this.report(statement.span, plan.problem.code, plan.problem.message);
      return { statement, plan: plan.problem?.code === 'unreachable' ? null : plan, alternatives: {} };
    }
    const candidates = new Map<AlgorithmName, { plan: Plan; alone: RunTogether }>();
    const alternatives: Partial<Record<AlgorithmName, number>> = {};
    let unsupported: Plan | undefined;
    for (const algorithm of CANDIDATES[statement.type]) {
      const plan = planCollective(statement, algorithm, this.network, settings);
      if (plan.problem?.code === 'unreachable') {
        this.report(statement.span, 'unreachable', plan.problem.message);
        return { statement, plan: null, alternatives: {} };
      }
      if (plan.problem) {
        if (statement.algorithm === algorithm) unsupported = plan;
        continue;
      }
      const alone = this.aloneRun(plan);
      if (!Number.isFinite(alone.times[0])) continue;
      candidates.set(algorithm, { plan, alone });
      alternatives[algorithm] = alone.times[0];
    }
    if (candidates.size === 0) {
      this.reportIncomputable(statement);
      return { statement, plan: null, alternatives: {} };
    }
    const fastest = [...candidates.keys()].reduce<AlgorithmName | undefined>(
      (best, algorithm) => (best === undefined || alternatives[algorithm]! < alternatives[best]! ? algorithm : best),
      undefined,
    );
    let chosen: AlgorithmName | undefined = fastest;
    const named = statement.algorithm === 'auto' ? undefined : (statement.algorithm as AlgorithmName);
    if (named && unsupported?.problem) {
      this.report(statement.span, 'feature-unsupported', `\`using ${named}\` needs every switch of its trees to support it, but ${unsupported.problem.message}; the timings use \`auto\`'s choice (${fastest})`);
    } else if (named && candidates.has(named)) {
      chosen = named;
      this.hintFasterAlgorithm(statement, named, fastest!, alternatives);
    }
    if (chosen === 'ring') this.hintRingOrder(statement, alternatives.ring!);
    const winner = chosen ? candidates.get(chosen)! : undefined;
    return { statement, plan: winner?.plan ?? null, alternatives, alone: winner?.alone };
  }

  private hintFasterAlgorithm(statement: Collective, named: AlgorithmName, fastest: AlgorithmName, alternatives: Partial<Record<AlgorithmName, number>>): void {
    const mine = alternatives[named]!;
    const best = alternatives[fastest]!;
    if (fastest === named || !measurablyFaster(mine, best, this.fabric.settings.hint_threshold)) return;
    this.report(
      statement.span,
      'inc-opportunity',
      `\`using ${fastest}\` would take ${formatQuantity(best, 'time')} instead of ${formatQuantity(mine, 'time')} with ${named} (${(mine / best).toFixed(2)}× faster); use it, or drop \`using\` to let auto choose`,
      { algorithm: fastest },
    );
  }

  /** Suggests grouping ring ranks by their first switch when that is at least hint_threshold faster. */
  private hintRingOrder(statement: Collective, time: number): void {
    const ranks = ranksOf(statement);
    // By the id of the first switch a rank links to; a rank on no switch is a group of its own.
    const groups = new Map<number, Device[]>();
    for (const rank of ranks) {
      const first = rank.links.find((l) => (l.a === rank ? l.b : l.a).array.kind === 'switch');
      const key = first ? (first.a === rank ? first.b.id : first.a.id) : -1 - rank.id;
      let list = groups.get(key);
      if (!list) groups.set(key, (list = []));
      list.push(rank);
    }
    if (groups.size < 2) return;
    const grouped = [...groups.values()].flat();
    if (grouped.every((d, i) => d === ranks[i])) return;
    const plan = planCollective(statement, 'ring', this.network, this.fabric.settings, grouped);
    if (plan.problem) return;
    const better = this.aloneRun(plan).times[0];
    if (!measurablyFaster(time, better, this.fabric.settings.hint_threshold)) return;
    this.report(
      statement.span,
      'ring-order',
      `the ring would take ${formatQuantity(better, 'time')} instead of ${formatQuantity(time, 'time')} (${(time / better).toFixed(2)}× faster) with its ranks grouped by switch (${grouped.slice(0, 4).map((d) => d.name).join(', ')}${grouped.length > 4 ? ', …' : ''})`,
      orderData(grouped),
    );
  }

  /** Runs one phase (§9): its statements share the fabric; reports overloads; returns step results. */
  private runPhaseOf(planned: Planned[], phase: number, workload: string, peaks: PeakUtilization[]): StepResult[] {
    const runnable = planned.filter((p): p is Planned & { plan: Plan } => p.plan !== null);
    for (const p of runnable) this.usedPlans.push(p.plan);
    const real = (runnable.length === 1 && runnable[0].alone) || runTogether(runnable.map((p) => p.plan), this.network.capacities);
    const free = runTogether(runnable.map((p) => p.plan), this.unconstrained);
    const byStatement = new Map<Planned, number>(runnable.map((p, i) => [p, i]));
    /** The plans whose time counts: a step that cannot be computed loads no link either. */
    const counted: Plan[] = [];
    const steps = planned.map((p): StepResult => {
      const statement = p.statement;
      const base = { statement, phase, alternatives: p.alternatives };
      if (statement.type === 'compute') {
        return { ...base, algorithm: null, ranks: 0, time: statement.seconds, latency: 0, transfer: statement.seconds, bottleneck: null, failed: false };
      }
      if (isTransformerStatement(statement)) return { ...base, ...this.transformerStep(statement, workload, peaks) };
      const ranks = isCollective(statement) ? ranksOf(statement).length : statement.type === 'flow' ? 2 : statement.by.length;
      const i = byStatement.get(p);
      if (i === undefined) return { ...base, algorithm: null, ranks, time: 0, latency: 0, transfer: 0, bottleneck: null, failed: true };
      const plan = runnable[i].plan;
      const time = real.times[i];
      const slowdown = free.times[i] > 0 ? time / free.times[i] : 1;
      if (![time, plan.latency, real.transfers[i], slowdown].every(Number.isFinite)) {
        this.reportIncomputable(statement);
        return { ...base, algorithm: null, ranks, time: 0, latency: 0, transfer: 0, bottleneck: null, failed: true };
      }
      counted.push(plan);
      const last = real.outcomes[i].reduce<EntityOutcome | undefined>((worst, o) => (!worst || o.finish > worst.finish ? o : worst), undefined);
      const bottleneck = last && last.bottleneck >= 0 && real.transfers[i] > plan.latency ? this.network.resourceName(last.bottleneck) : null;
      if (last && slowdown >= this.fabric.settings.overload_threshold) this.reportOverload(last, slowdown, statement, workload);
      return { ...base, algorithm: plan.algorithm, ranks, time, latency: plan.latency, transfer: real.transfers[i], bottleneck, failed: false };
    });
    const phaseTime = steps.reduce((max, s) => Math.max(max, s.time), 0);
    this.recordUtilization(counted, phaseTime, workload, planned[0]?.statement.span ?? null, peaks);
    return steps;
  }

  /**
   * A `train` or `serve` statement: its exchanges simulated on the fabric (each distinct one once,
   * its utilization recorded as a phase of its own), then the step model of §13.3 or §13.4.
   */
  private transformerStep(statement: TransformerStatement, workload: string, peaks: PeakUtilization[]): Omit<StepResult, 'statement' | 'phase' | 'alternatives'> {
    const timer = new ExchangeTimer(this.network, this.fabric.settings, (plans, time) => this.recordUtilization(plans, time, workload, statement.span, peaks));
    const outcome = simulateTransformerStatement(statement, timer, this.fabric, this.sink);
    for (const plan of timer.usedPlans) this.usedPlans.push(plan);
    for (const note of outcome.assumptions) this.computeAssumptions.add(note);
    const failed = outcome.time === undefined;
    const time = outcome.time ?? 0;
    return { algorithm: null, ranks: statement.ranks.length, time, latency: 0, transfer: time, bottleneck: null, failed, train: outcome.train, serve: outcome.serve };
  }

  private reportOverload(last: EntityOutcome, slowdown: number, statement: Leaf, workload: string): void {
    const { network } = this;
    for (const resource of last.saturated) {
      if (!network.fabricInternal[resource]) continue;
      const linkCount = network.links.length * 2;
      const name = network.resourceName(resource);
      const what = `\`${statement.type}\` in workload \`${workload}\``;
      if (resource < linkCount) {
        const link = network.links[resource >> 1];
        this.sink.report({
          file: link.file,
          span: linkHead(link.decl),
          code: 'link-overload',
          subject: name,
          magnitude: slowdown,
          message: (subject) => `${subject} ${agree(subject, 'saturates', 'saturate')} and slow${agree(subject, 's', '')} ${what} ${slowdown.toFixed(2)}× (versus an unconstrained fabric); add links or bandwidth between these switches`,
        });
      } else {
        const memory = network.mediaDevice(resource)!;
        this.sink.report({
          file: memory.array.file,
          span: declarationHead(memory.array.decl),
          code: 'link-overload',
          subject: name,
          magnitude: slowdown,
          message: (subject) => `${subject} ${agree(subject, 'saturates', 'saturate')} and slow${agree(subject, 's', '')} ${what} ${slowdown.toFixed(2)}× (versus unlimited media bandwidth); raise the memory's \`bandwidth\` or spread the load`,
        });
      }
    }
  }

  private recordUtilization(plans: Plan[], phaseTime: number, workload: string, span: Span | null, peaks: PeakUtilization[]): void {
    if (!(phaseTime > 0)) return;
    const linkResources = this.network.links.length * 2;
    // Bytes per link direction, in the simulator's own array (all zero between phases).
    const bytes = (this.bytesCarried ??= new Float64Array(linkResources));
    const carrying: number[] = [];
    for (const plan of plans) {
      for (const entity of plan.entities) {
        for (let k = 0; k < entity.resources.length; k++) {
          const r = entity.resources[k];
          if (r >= linkResources) continue;
          if (bytes[r] === 0) carrying.push(r);
          bytes[r] += entity.loads[k] * entity.units;
        }
      }
    }
    carrying.forEach((r) => {
      const carried = bytes[r];
      bytes[r] = 0;
      // Divided one at a time: the product of a small capacity and a short phase could underflow to 0.
      const utilization = carried / this.network.capacities[r] / phaseTime;
      const peak = peaks[r >> 1];
      const key = r % 2 === 0 ? 'forward' : 'backward';
      if (utilization > peak[key]) {
        peak[key] = utilization;
        if (utilization >= Math.max(peak.forward, peak.backward)) {
          peak.workload = workload;
          peak.span = span;
        }
      }
    });
  }

  run(): Simulation {
    const peaks: PeakUtilization[] = this.fabric.links.map(() => ({ forward: 0, backward: 0, workload: null, span: null }));
    const workloads: WorkloadResult[] = [];
    for (const workload of this.fabric.workloads.values()) {
      const steps: StepResult[] = [];
      let time = 0;
      workload.statements.forEach((statement, phase) => {
        const planned = leaves(statement).map((leaf) => this.planStatement(leaf));
        const phaseSteps = this.runPhaseOf(planned, phase, workload.name, peaks);
        // From quantities within their ranges a step takes far less than 1e200 s: no workload has
        // the 1e100 steps it would take for the sum to overflow.
        time = assertFinite(time + phaseSteps.reduce((max, s) => Math.max(max, s.time), 0), "a workload's time");
        steps.push(...phaseSteps);
      });
      workloads.push({ name: workload.name, time, steps });
    }
    const expectations = this.fabric.expectations.map((e) => this.evaluate(e, workloads, peaks));
    return {
      fabric: this.fabric,
      network: this.network,
      workloads,
      expectations,
      peaks,
      assumptions: [...collectAssumptions(this.fabric, this.usedPlans), ...this.computeAssumptions],
    };
  }

  loneRate(from: Device, to: Device): number | undefined {
    const lone = loneFlow(this.network, this.fabric, from, to);
    if (lone) this.usedPlans.push(lone.plan);
    return lone?.rate;
  }

  private evaluate(expectation: Expectation, workloads: WorkloadResult[], peaks: PeakUtilization[]): ExpectationResult {
    const span = expectation.decl.span;
    let actual: number | null = null;
    let where = '';
    switch (expectation.metric) {
      case 'latency':
      case 'bandwidth': {
        for (const from of expectation.from) {
          for (const to of expectation.to) {
            if (from === to) continue;
            const route = this.network.route(from, to);
            if (!route) {
              this.report(span, 'unreachable', `no route from ${from.name} to ${to.name}: only switches forward, and no chain of switches joins them`);
              return { expectation, actual: null, pass: false };
            }
            const value = expectation.metric === 'latency' ? route.latencyPs / 1e12 : this.loneRate(from, to)!;
            if (expectation.metric === 'latency') this.usedPlans.push(routePlan(this.network, route));
            const worse = actual === null || (expectation.metric === 'latency' ? value > actual : value < actual);
            if (worse) {
              actual = value;
              where = ` (${from.name} -> ${to.name})`;
            }
          }
        }
        break;
      }
      case 'time':
        actual = workloads.find((w) => w.name === expectation.workload.name)?.time ?? null;
        break;
      case 'throughput':
      case 'mfu':
      case 'ttft':
      case 'tpot': {
        const step = workloads.find((w) => w.name === expectation.workload.name)?.steps.find((s) => s.train || s.serve);
        const figure = { throughput: step?.train?.tokens_per_s ?? step?.serve?.tokens_per_s, mfu: step?.train?.mfu, ttft: step?.serve?.ttft_s, tpot: step?.serve?.tpot_s }[expectation.metric];
        actual = figure ?? null;
        break;
      }
      case 'utilization':
        for (const device of expectation.devices) {
          for (const link of device.links) {
            const peak = peaks[link.id];
            const value = Math.max(peak.forward, peak.backward);
            if (actual === null || value > actual) {
              actual = value;
              where = ` (${link.name})`;
            }
          }
        }
        break;
      case 'oversubscription':
        for (const device of expectation.devices) {
          const value = staticOversubscription(device);
          if (value !== undefined && (actual === null || value > actual)) {
            actual = value;
            where = ` (${device.name})`;
          }
        }
        break;
    }
    const pass = actual !== null && compare(actual, expectation.comparison, expectation.bound);
    if (!pass) {
      const what = 'workload' in expectation ? `${expectation.metric === 'time' ? 'time' : expectation.metric === 'throughput' ? 'throughput' : expectation.metric.toUpperCase()} of \`${expectation.workload.name}\`` : expectation.metric;
      const shown = actual === null ? 'could not be measured' : `is ${formatIn(actual, expectation.unit)}${where}`;
      this.sink.report({
        file: expectation.file,
        span,
        code: 'expectation-failed',
        message: `${what} ${shown}, but the expectation is ${expectation.comparison} ${formatIn(expectation.bound, expectation.unit)}`,
      });
    }
    return { expectation, actual, pass };
  }
}

/** Longest grouped ring order a `ring-order` hint carries for its quick fix; a longer one would be an unreadable line. */
const MAX_ORDER_SELECTORS = 256;

/**
 * The grouped ring order as the fewest selectors that keep it (runs of consecutive indices of one
 * array become ranges), so a quick fix can write it into the statement.
 */
function orderData(devices: Device[]): DiagnosticData | undefined {
  const order: string[] = [];
  for (let i = 0; i < devices.length; ) {
    const first = devices[i];
    const step = first.index !== undefined && devices[i + 1]?.array === first.array ? devices[i + 1].index! - first.index : 0;
    let end = i + 1;
    if (step === 1 || step === -1) {
      while (end < devices.length && devices[end].array === first.array && devices[end].index === first.index! + (end - i) * step) end++;
    }
    order.push(end - i > 1 ? `${first.array.name}[${first.index}..${devices[end - 1].index}]` : first.name);
    if (order.length > MAX_ORDER_SELECTORS) return undefined;
    i = end;
  }
  return { order };
}

/** The rate of a lone flow on the idle fabric, media included (§7), with the plan it rests on. */
export function loneFlow(network: Network, fabric: FabricModel, from: Device, to: Device): { rate: number; plan: Plan } | undefined {
  const plan = planTransfer({ type: 'flow', bytes: 1, source: from, target: to, span: { start: 0, end: 0 } }, network, fabric.settings);
  if (plan.problem || plan.entities.length === 0) return undefined;
  const [entity] = plan.entities;
  let rate = Infinity;
  for (let k = 0; k < entity.resources.length; k++) rate = Math.min(rate, network.capacities[entity.resources[k]] / entity.loads[k]);
  return { rate, plan };
}

function compare(actual: number, comparison: string, bound: number): boolean {
  switch (comparison) {
    case '<':
      return actual < bound;
    case '<=':
      return actual <= bound;
    case '>':
      return actual > bound;
    case '>=':
      return actual >= bound;
    default:
      return Math.abs(actual - bound) <= 1e-9 * Math.max(Math.abs(actual), Math.abs(bound));
  }
}

export interface SimulationOutcome {
  check: CheckResult;
  simulation?: Simulation;
}

/** Checks and simulates a file: every diagnostic, static ones included, sorted. */
export function simulateSource(path: string, text: FileText, files: FileAccess, options: CheckOptions = {}): SimulationOutcome {
  const check = checkText(path, text, files, options);
  // A fabric cut short at a limit is not the fabric written: its figures would mislead, and
  // simulating it could take as long as the limits allow.
  if (!check.fabric || check.diagnostics.some((d) => d.code === 'limit')) return { check };
  const sink = new DiagnosticSink();
  const simulation = new Simulator(check.fabric, sink).run();
  check.diagnostics = sortDiagnostics([...check.diagnostics, ...sink.diagnostics()]);
  return { check, simulation };
}

/** `fabric simulate` as data: the JSON report of §10. */
export function simulateText(path: string, text: string, files: FileAccess, options: CheckOptions = {}): SimulationReport {
  const { check, simulation } = simulateSource(path, text, files, options);
  return toReport(check, simulation);
}

/** `fabric latency` as data; an error sentence when a name is unknown or no route exists. */
export function latencyText(path: string, text: string, files: FileAccess, from: string, to: string, options: CheckOptions = {}): LatencyReport | { error: string } {
  const check = checkText(path, text, files, options);
  if (!check.fabric) return { error: `${path} declares no fabric` };
  return toLatencyReport(check.fabric, new Network(check.fabric), from, to);
}
