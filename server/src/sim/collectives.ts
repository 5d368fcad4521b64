/**
 * Statements decomposed onto the topology (§6, §9): each algorithm becomes entities for the flow
 * engine (a collective is one coflow) and a latency term. Formulas: ring 2(p−1)·α + 2(p−1)S/p
 * per rank, double binary trees, push and pull in-network reduction over the switches with the
 * fewest levels to every rank, Hypercast multicast trees, all-to-all, flows and memory access.
 */
import type { Device, Link, ResolvedStatement, Settings } from '../model/types.js';
import type { Entity } from './engine.js';
import { LoadTotals, TreeEdges } from './loads.js';
import type { LoadSink, Network, Route, SwitchPath } from './network.js';
import type { AlgorithmName } from './report.js';

export type Collective = Extract<ResolvedStatement, { type: 'allreduce' | 'reducescatter' | 'allgather' | 'alltoall' | 'broadcast' }>;
export type Transfer = Extract<ResolvedStatement, { type: 'flow' | 'read' | 'write' }>;

export interface Plan {
  algorithm: AlgorithmName;
  entities: Entity[];
  /** The latency (alpha) part of the time, in seconds. */
  latency: number;
  /** Switches and links the plan's routes cross, for assumptions and feature checks. */
  switches: Set<Device>;
  links: Set<Link>;
  /** Why the plan cannot run, when it cannot. */
  problem?: { code: 'unreachable' | 'feature-unsupported'; message: string };
}

/** Algorithms each collective may use (§6), in the order that breaks ties under `auto`. */
export const CANDIDATES: Record<Collective['type'], AlgorithmName[]> = {
  allreduce: ['ring', 'tree', 'inc'],
  reducescatter: ['ring', 'inc'],
  allgather: ['ring', 'hypercast'],
  broadcast: ['ring', 'tree', 'hypercast'],
  alltoall: ['direct'],
};

/** The nccl-tests bus-bandwidth factor (§9). */
export function busFactor(op: string, p: number): number {
  if (op === 'allreduce') return p > 0 ? (2 * (p - 1)) / p : 0;
  if (op === 'allgather' || op === 'reducescatter' || op === 'alltoall') return p > 0 ? (p - 1) / p : 0;
  return 1;
}

const ps = (picoseconds: number) => picoseconds / 1e12;

/**
 * Builds a plan: routes its member flows and tree branches, adds up their loads, and notes their
 * latency and what they cross. It is the sink its routes' loads pass through on their way into
 * the plan's totals or a tree (`into`), so each route is walked once.
 */
class PlanBuilder implements LoadSink {
  private readonly loads = new LoadTotals();
  private into: LoadSink = this.loads;
  readonly switches = new Set<Device>();
  /** Middles already crossed: they are shared objects, so each is walked once. */
  private readonly middlesCrossed = new Set<SwitchPath>();
  /** Routes by kind (`Network.routeKind`), null when unreachable: pairs attached alike are routed once. */
  private readonly routesByKind = new Map<number, Route | null>();
  maxLatencyPs = 0;
  problem?: Plan['problem'];

  constructor(private readonly network: Network) {}

  /** Routes a member flow and adds its ECMP loads × weight; undefined (and a problem) when unreachable. */
  member(from: Device, to: Device, weight = 1): Route | undefined {
    const route = this.route(from, to);
    if (route) this.follow(route, from, to, weight, this.loads);
    return route;
  }

  /** Routes a branch of a tree and merges it into the tree's edges. */
  branch(tree: TreeEdges, from: Device, to: Device): void {
    const route = this.route(from, to);
    if (!route) return;
    if (route.options.length === 1) {
      // One option carries the whole flow, and its end links and its middle share no resource:
      // every share is final as handed over.
      this.follow(route, from, to, 1, tree);
      return;
    }
    // Options may share resources: their shares add up before the tree keeps the largest.
    const totals = new LoadTotals();
    this.follow(route, from, to, 1, totals);
    tree.raise(totals.read());
  }

  /** Notes what a route alone crosses (a load of nothing on each of its resources), for its assumptions. */
  cross(route: Route): void {
    this.follow(route, route.source, route.target, 0, this.loads);
  }

  /**
   * The route from → to, or the one found for a pair of its kind, which holds with this pair's
   * own end links (`Network.routeKind`). Notes its latency; undefined (and a problem) when
   * unreachable.
   */
  private route(from: Device, to: Device): Route | undefined {
    const kind = this.network.routeKind(from, to);
    let route = kind === undefined ? undefined : this.routesByKind.get(kind);
    if (route === undefined) {
      route = this.network.route(from, to) ?? null;
      if (kind !== undefined) this.routesByKind.set(kind, route);
    }
    if (!route) {
      this.problem ??= { code: 'unreachable', message: `no route from ${from.name} to ${to.name}: only switches forward, and no chain of switches joins them` };
      return undefined;
    }
    if (route.latencyPs > this.maxLatencyPs) this.maxLatencyPs = route.latencyPs;
    return route;
  }

  /** Hands from → to's loads on `route` through this builder, which notes the switches they cross, into `into`. */
  private follow(route: Route, from: Device, to: Device, weight: number, into: LoadSink): void {
    this.into = into;
    this.network.spread(route, from, to, weight, this);
  }

  /** An end link's or a direct link's direction, on its way to the plan's totals or a tree. */
  add(resource: number, share: number): void {
    this.into.add(resource, share);
  }

  /** A middle, whose switches the plan crosses, on its way to the plan's totals or a tree. */
  addMiddle(middle: SwitchPath, share: number): void {
    if (!this.middlesCrossed.has(middle)) {
      this.middlesCrossed.add(middle);
      for (let d = 0; d < middle.switches.length; d++) this.switches.add(middle.switches[d]);
    }
    this.into.addMiddle(middle, share);
  }

  /** Adds a load straight to the plan's totals: a tree's edges, a memory's media. */
  load(resource: number, load: number): void {
    this.loads.add(resource, load);
  }

  media(device: Device, load = 1): void {
    const resource = this.network.mediaOf.get(device.id);
    if (resource !== undefined) this.load(resource, load);
  }

  entity(units: number): Entity {
    const { resources, fractions } = this.loads.read();
    return { resources, loads: fractions, units };
  }

  /**
   * The links the plan's routes cross: every link it loads. Every route's load, a tree's too,
   * ends in the plan's totals, so they name them all.
   */
  links(): Set<Link> {
    const links = new Set<Link>();
    const { resources } = this.loads.read();
    const linkResources = this.network.links.length * 2;
    for (let k = 0; k < resources.length; k++) if (resources[k] < linkResources) links.add(this.network.links[resources[k] >> 1]);
    return links;
  }

  plan(algorithm: AlgorithmName, entities: Entity[], latency: number): Plan {
    // Only the plans a simulation uses are asked for their links (assumptions): found when asked.
    let links: Set<Link> | undefined;
    const crossed = () => this.links();
    return {
      algorithm,
      entities,
      latency,
      switches: this.switches,
      problem: this.problem,
      get links() {
        return (links ??= crossed());
      },
    };
  }
}

/** The root first, then the other ranks in selector order (the root counts once in p). */
function broadcastOrder(statement: Extract<Collective, { type: 'broadcast' }>): Device[] {
  return [statement.root, ...statement.ranks.filter((d) => d !== statement.root)];
}

export function ranksOf(statement: Collective): Device[] {
  return statement.type === 'broadcast' ? broadcastOrder(statement) : statement.ranks;
}

export function planCollective(statement: Collective, algorithm: AlgorithmName, network: Network, settings: Settings, ringOrder?: Device[]): Plan {
  const ranks = ringOrder ?? ranksOf(statement);
  const p = ranks.length;
  const builder = new PlanBuilder(network);
  if (p < 2) return builder.plan(algorithm, [], 0);
  const S = statement.bytes;
  const alpha = () => settings.step_overhead + ps(builder.maxLatencyPs);
  switch (algorithm) {
    case 'ring': {
      const wrap = statement.type !== 'broadcast';
      for (let i = 0; i < (wrap ? p : p - 1); i++) builder.member(ranks[i], ranks[(i + 1) % p]);
      const perRank = statement.type === 'allreduce' ? (2 * (p - 1) * S) / p : statement.type === 'broadcast' ? S : ((p - 1) * S) / p;
      const steps = statement.type === 'allreduce' ? 2 * (p - 1) : p - 1;
      return builder.plan('ring', [builder.entity(perRank)], steps * alpha());
    }
    case 'tree':
      return planTree(statement, ranks, builder, settings);
    case 'inc':
      return planInc(statement, ranks, builder, network, settings);
    case 'hypercast':
      return planHypercast(statement, ranks, builder, settings);
    case 'direct': {
      for (const from of ranks) for (const to of ranks) if (from !== to) builder.member(from, to);
      return builder.plan('direct', [builder.entity(S / p)], alpha());
    }
  }
}

/**
 * Double binary trees, S/2 each: the second tree mirrors the first, so the inner nodes of one are
 * the leaves of the other. All-reduce pipelines reduce (up) and broadcast (down) on every edge;
 * broadcast sends down only, the root feeding the top of each tree.
 */
function planTree(statement: Collective, ranks: Device[], builder: PlanBuilder, settings: Settings): Plan {
  const p = ranks.length;
  const broadcast = statement.type === 'broadcast';
  const others = broadcast ? ranks.slice(1) : ranks;
  const trees = [others, [...others].reverse()];
  for (const order of trees) {
    if (broadcast && ranks[0] !== order[0]) builder.member(ranks[0], order[0]);
    // Heap order: the parent of position i is (i − 1) / 2.
    for (let i = 1; i < order.length; i++) {
      const parent = order[(i - 1) >> 1];
      if (parent === order[i]) continue;
      builder.member(parent, order[i]);
      if (!broadcast) builder.member(order[i], parent);
    }
  }
  const depth = Math.ceil(Math.log2(p));
  const alpha = settings.step_overhead + ps(builder.maxLatencyPs);
  return builder.plan('tree', [builder.entity(statement.bytes / 2)], (broadcast ? 1 : 2) * depth * alpha);
}

/** Switches with the fewest switch levels to every rank (§9): the in-network reduction roots. */
function reductionRoots(ranks: Device[], network: Network): Device[] {
  // Ranks attached alike reach every switch in as many levels: one of each suffices.
  const shapes = new Set<number>();
  const worst = new Int32Array(network.switchCount);
  const unreached = new Uint8Array(network.switchCount);
  for (let i = 0; i < ranks.length; i++) {
    const shape = network.attachmentShape(ranks[i]);
    if (shapes.has(shape)) continue;
    shapes.add(shape);
    const levels = network.switchLevels(ranks[i]);
    for (let s = 0; s < worst.length; s++) {
      if (levels[s] < 0) unreached[s] = 1;
      else if (levels[s] > worst[s]) worst[s] = levels[s];
    }
  }
  let best = Infinity;
  for (let s = 0; s < worst.length; s++) if (!unreached[s] && worst[s] < best) best = worst[s];
  const roots: Device[] = [];
  for (let s = 0; s < worst.length; s++) if (!unreached[s] && worst[s] === best) roots.push(network.switchAt(s));
  return roots;
}

/** The opposite direction of a link resource. */
const reverse = (resource: number) => resource ^ 1;

function lacking(switches: Iterable<Device>, feature: 'inc' | 'hypercast'): Device | undefined {
  for (const s of switches) if (!s.array.spec[feature]?.value) return s;
  return undefined;
}

/**
 * In-network reduction: one aggregation tree per root, the buffer striped evenly over them. Each
 * tree edge carries one reduced stream up and one result stream down (S/k each way); switches
 * reduce, so a leaf's uplink carries one stream however many ranks sit below it.
 */
function planInc(statement: Collective, ranks: Device[], builder: PlanBuilder, network: Network, settings: Settings): Plan {
  const roots = reductionRoots(ranks, network);
  const p = ranks.length;
  if (roots.length === 0) {
    builder.problem ??= { code: 'unreachable', message: `no switch reaches every rank of this ${statement.type}` };
    return builder.plan('inc', [], 0);
  }
  const scatter = statement.type === 'reducescatter';
  // Reduce-scatter sends the whole buffer up and 1/p of it back down.
  const downWeight = scatter ? 1 / p : 1;
  // Indexed loops: 8 roots × 1,024 ranks run before V8 optimizes this function (see engine.ts).
  // A tree's switches and farthest latency are its builder's: the builder routes nothing else.
  for (let t = 0; t < roots.length; t++) {
    const up = new TreeEdges();
    for (let i = 0; i < ranks.length; i++) builder.branch(up, ranks[i], roots[t]);
    // The result comes back down the same tree.
    up.shares.forEach((share, r) => {
      builder.load(r, share);
      builder.load(reverse(r), share * downWeight);
    });
  }
  const k = roots.length;
  const missing = lacking(builder.switches, 'inc');
  if (missing) {
    builder.problem ??= { code: 'feature-unsupported', message: `${missing.name} (${missing.array.model.name}) has no in-network reduction (inc)` };
  }
  const style = roots[0].array.spec.inc_style?.value ?? 'push';
  const eta = style === 'pull' ? (roots[0].array.spec.inc_efficiency?.value ?? 0.85) : 1;
  // Pull style (NVLS): S(1 + 1/p)/η for all-reduce, S/η for reduce-scatter (§9).
  const bytes = style === 'pull' && !scatter ? (statement.bytes * (1 + 1 / p)) / eta : statement.bytes / eta;
  const latency = settings.step_overhead + 2 * ps(builder.maxLatencyPs);
  return builder.plan('inc', [builder.entity(bytes / k)], latency);
}

/** Multicast trees from each source over its routes' reported paths; `sources` each send `units`. */
function planHypercast(statement: Collective, ranks: Device[], builder: PlanBuilder, settings: Settings): Plan {
  const sources = statement.type === 'broadcast' ? [ranks[0]] : ranks;
  for (let s = 0; s < sources.length; s++) {
    const edges = new TreeEdges();
    for (let t = 0; t < ranks.length; t++) if (ranks[t] !== sources[s]) builder.branch(edges, sources[s], ranks[t]);
    edges.shares.forEach((share, r) => builder.load(r, share));
  }
  const missing = lacking(builder.switches, 'hypercast');
  if (missing) {
    builder.problem ??= { code: 'feature-unsupported', message: `${missing.name} (${missing.array.model.name}) has no Hypercast multicast` };
  }
  const units = statement.type === 'broadcast' ? statement.bytes : statement.bytes / ranks.length;
  return builder.plan('hypercast', [builder.entity(units)], settings.step_overhead + ps(builder.maxLatencyPs));
}

/** A route alone as a plan (no transfer), so latency queries list their assumptions too. */
export function routePlan(network: Network, route: Route): Plan {
  const builder = new PlanBuilder(network);
  builder.cross(route);
  return builder.plan('direct', [], 0);
}

/** Memory access latency of the device served: a memory's `latency`, an accelerator's if given. */
export function accessLatency(device: Device): number {
  return device.array.spec.latency?.value ?? 0;
}

/** A flow (one entity), or one entity per reading or writing device (§9). */
export function planTransfer(statement: Transfer, network: Network, settings: Settings): Plan {
  if (statement.type === 'flow') {
    const builder = new PlanBuilder(network);
    if (statement.source === statement.target) return builder.plan('direct', [], 0);
    builder.member(statement.source, statement.target);
    builder.media(statement.source);
    builder.media(statement.target);
    return builder.plan('direct', [builder.entity(statement.bytes)], settings.step_overhead + ps(builder.maxLatencyPs));
  }
  const entities: Entity[] = [];
  const switches = new Set<Device>();
  const links = new Set<Link>();
  let latency = 0;
  let problem: Plan['problem'];
  const access = accessLatency(statement.device);
  for (const by of statement.by) {
    if (by === statement.device) continue;
    const builder = new PlanBuilder(network);
    const route = statement.type === 'read' ? builder.member(statement.device, by) : builder.member(by, statement.device);
    problem ??= builder.problem;
    if (!route) continue;
    builder.media(statement.device);
    entities.push(builder.entity(statement.bytes));
    for (const s of builder.switches) switches.add(s);
    builder.links().forEach((l) => links.add(l));
    const trips = statement.type === 'read' ? 2 : 1;
    latency = Math.max(latency, trips * ps(route.latencyPs) + access);
  }
  return { algorithm: 'direct', entities, latency, switches, links, problem };
}
