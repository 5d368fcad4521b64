/**
 * The exchanges a `train` or `serve` statement makes (FABRIC-LANGUAGE-2.md §13.3, §13.4), timed
 * on the real fabric: every concurrent group of one exchange (all TP groups of a stage, all DP
 * groups of every stage, all pipeline sends) runs in one phase of the flow engine, so groups that
 * share a switch or an oversubscribed uplink slow each other down. An exchange is simulated once
 * per distinct kind, size, algorithm and set of groups, and its timing reused: a 126-layer model
 * is a handful of simulations, not hundreds.
 */
import type { Algorithm, Device, Settings } from '../model/types.js';
import { CANDIDATES, planCollective, planTransfer, type Collective, type Plan } from './collectives.js';
import { runPhase, type Entity, type EntityOutcome } from './engine.js';
import type { Network } from './network.js';
import type { AlgorithmName } from './report.js';

export type ExchangeKind = 'allreduce' | 'reducescatter' | 'allgather' | 'alltoall' | 'send' | 'read';

/** One exchange over devices: the collective's groups, a send's (from, to) pairs, or a read's (reader, memory) pairs. */
export interface FabricExchange {
  kind: ExchangeKind;
  /** The collective's SIZE as the statement of §6 takes it, or the bytes of each send or read. */
  bytes: number;
  groups: readonly (readonly Device[])[];
  /** Each group's own SIZE, when the groups of one phase move different amounts (`bytes` is then their largest). */
  groupBytes?: readonly number[];
  algorithm: Algorithm;
}

export interface ExchangeTiming {
  /** The slowest group's time, latency included; 0 when no group has two ranks. */
  time: number;
  algorithm: AlgorithmName | null;
  bottleneck: string | null;
  /** Groups of the exchange (pairs for a send or a read) and ranks per group. */
  groups: number;
  ranks: number;
  /** Each group's time in the phase, in the order of `groups` (0 for a group of one rank). */
  groupTimes: number[];
  /** Why it could not be simulated (no route, an algorithm the switches lack), when it could not. */
  problem?: string;
}

const SPAN = { start: 0, end: 0 };

export class ExchangeTimer {
  private readonly timings = new Map<string, ExchangeTiming>();
  /** Distinct exchanges simulated so far: the reuse the cache gives shows in this count. */
  simulated = 0;
  readonly usedPlans: Plan[] = [];

  constructor(
    private readonly network: Network,
    private readonly settings: Settings,
    /** Told of each exchange simulated, with its plans and time, to record the links' utilization. */
    private readonly onPhase: (plans: Plan[], time: number) => void = () => undefined,
  ) {}

  time(exchange: FabricExchange): ExchangeTiming {
    const key = `${exchange.kind} ${exchange.groupBytes?.join(',') ?? exchange.bytes} ${exchange.algorithm} ${exchange.groups.map((g) => g.map((d) => d.id).join(',')).join(';')}`;
    let timing = this.timings.get(key);
    if (!timing) {
      timing = this.simulate(exchange);
      this.simulated++;
      this.timings.set(key, timing);
    }
    return timing;
  }

  private simulate(exchange: FabricExchange): ExchangeTiming {
    const shape = { groups: exchange.groups.length, ranks: exchange.groups[0]?.length ?? 0 };
    const idle = (problem?: string): ExchangeTiming => ({ time: 0, algorithm: null, bottleneck: null, ...shape, groupTimes: exchange.groups.map(() => 0), ...(problem ? { problem } : {}) });
    const bytesOf = (i: number) => exchange.groupBytes?.[i] ?? exchange.bytes;
    const running = exchange.groups.flatMap((group, i) => (group.length >= 2 && bytesOf(i) > 0 ? [i] : []));
    if (running.length === 0) return idle();
    if (exchange.kind === 'send' || exchange.kind === 'read') {
      const plans = running.map((i) => {
        const [from, to] = exchange.groups[i];
        const bytes = bytesOf(i);
        return planTransfer(
          exchange.kind === 'send' ? { type: 'flow', bytes, source: from, target: to, span: SPAN } : { type: 'read', bytes, device: to, by: [from], span: SPAN },
          this.network,
          this.settings,
        );
      });
      return this.together(plans, running, 'direct', shape);
    }
    const collective = (i: number): Collective => ({ type: exchange.kind as 'allreduce' | 'reducescatter' | 'allgather' | 'alltoall', bytes: bytesOf(i), ranks: [...exchange.groups[i]], algorithm: exchange.algorithm, span: SPAN });
    const algorithm = this.choose(collective(running[0]), exchange.algorithm);
    if (typeof algorithm !== 'string') return idle(algorithm.problem);
    return this.together(running.map((i) => planCollective(collective(i), algorithm, this.network, this.settings)), running, algorithm, shape);
  }

  /** The named algorithm, or under `auto` the fastest on one group alone (§6), ties in CANDIDATES order. */
  private choose(statement: Collective, named: Algorithm): AlgorithmName | { problem: string } {
    const candidates = named === 'auto' ? CANDIDATES[statement.type] : [named as AlgorithmName];
    let best: { algorithm: AlgorithmName; time: number } | undefined;
    let problem = `no algorithm of ${statement.type} runs on these ranks`;
    for (const algorithm of candidates) {
      const plan = planCollective(statement, algorithm, this.network, this.settings);
      if (plan.problem) {
        problem = plan.problem.message;
        if (plan.problem.code === 'unreachable') return { problem };
        continue;
      }
      const time = plan.latency + finish(runPhase(plan.entities, this.network.capacities));
      if (!best || time < best.time) best = { algorithm, time };
    }
    return best?.algorithm ?? { problem };
  }

  /** The plans of the running groups (indices into the exchange's groups) in one phase of the flow engine. */
  private together(plans: Plan[], running: number[], algorithm: AlgorithmName, shape: { groups: number; ranks: number }): ExchangeTiming {
    const groupTimes = new Array<number>(shape.groups).fill(0);
    const failed = plans.find((plan) => plan.problem);
    if (failed) return { time: 0, algorithm: null, bottleneck: null, ...shape, groupTimes, problem: failed.problem!.message };
    for (const plan of plans) this.usedPlans.push(plan);
    const entities: Entity[] = [];
    for (const plan of plans) for (const entity of plan.entities) entities.push(entity);
    const outcomes = runPhase(entities, this.network.capacities);
    let time = 0;
    let bottleneck: string | null = null;
    let offset = 0;
    plans.forEach((plan, p) => {
      let last: EntityOutcome | undefined;
      for (let i = offset; i < offset + plan.entities.length; i++) if (!last || outcomes[i].finish > last.finish) last = outcomes[i];
      offset += plan.entities.length;
      const groupTime = plan.latency + (last?.finish ?? 0);
      groupTimes[running[p]] = groupTime;
      if (groupTime > time) {
        time = groupTime;
        bottleneck = last && last.bottleneck >= 0 && last.finish > plan.latency ? this.network.resourceName(last.bottleneck) : null;
      }
    });
    this.onPhase(plans, time);
    return { time, algorithm, bottleneck, ...shape, groupTimes };
  }
}

function finish(outcomes: EntityOutcome[]): number {
  let last = 0;
  for (const outcome of outcomes) last = Math.max(last, outcome.finish);
  return last;
}
