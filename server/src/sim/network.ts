/**
 * Routing (§9): only switches forward; routes are the lowest-latency paths, compared in whole
 * picoseconds; equal-cost paths share load equally (ECMP). Resources are link directions and
 * memory media. Switch-to-switch shortest paths are computed once per source switch and cached,
 * so a 16,384-rank ring costs a handful of Dijkstra runs, not one per rank.
 */
import type { Device, FabricModel, Link } from '../model/types.js';

/** Fraction of a flow's rate that crosses each resource (ECMP shares split evenly). */
export interface Loads {
  resources: number[];
  fractions: number[];
}

/**
 * The switch-to-switch part of every route between two switches: the switches and links of its
 * equal-latency paths and the fraction of a flow each link direction carries. One cached object
 * per pair of switches, shared by every route that crosses it.
 */
export interface SwitchPath {
  switches: readonly Device[];
  links: readonly Link[];
  loads: Loads;
}

/** A way into or out of the switch fabric: a switch, and the link to it unless the device is that switch. */
export interface Attachment {
  switch: number;
  link?: Link;
  costPs: number;
  /** Its place in its device's attachments. */
  index: number;
  /** The link's direction into the switch fabric and out of it (-1 without a link). */
  inward: number;
  outward: number;
}

/**
 * Some of a route's equal-latency paths: a direct link between two endpoints, or in through
 * `entry`, across `middle`, out through `exit`. It carries `count / route.paths` of the flow.
 */
export interface RouteOption {
  direct?: Link;
  entry?: Attachment;
  middle?: SwitchPath;
  exit?: Attachment;
  count: number;
}

export interface Route {
  source: Device;
  target: Device;
  /** One-way latency in whole picoseconds: links plus every switch traversed (an end switch included). */
  latencyPs: number;
  /** Number of equal-latency paths. */
  paths: number;
  /**
   * The equal-latency options; the first is the reported path's. Kept whole rather than as one
   * list of loads, so a plan adds each shared middle once however many of its routes cross it.
   */
  options: RouteOption[];
}

interface SwitchTree {
  /** Distance in ps from the source switch, its own latency included, to each switch (Infinity if none). */
  distance: Float64Array;
  /** Number of shortest paths. */
  sigma: Float64Array;
  /** Predecessors on shortest paths: [previous switch index, link id] pairs. */
  predecessors: number[][];
}

const toPs = (seconds: number) => Math.round(seconds * 1e12);

export class Network {
  readonly devices: Device[];
  readonly links: Link[];
  /** Capacity of each resource in bytes per second: 2 per link (a→b, b→a), then one per memory. */
  readonly capacities: Float64Array;
  private readonly memoryOfMedia: Device[];
  /** Resource index of each memory's media, by device id. */
  readonly mediaOf = new Map<number, number>();
  /** True for link directions between two switches and for memory media (§9, link overload). */
  readonly fabricInternal: Uint8Array;
  private readonly switchIndex: Int32Array;
  private readonly switches: Device[] = [];
  /** Whole picoseconds, in plain arrays: small integers read without boxing (see `tree`). */
  private readonly switchLatencyPs: number[] = [];
  private readonly linkLatencyPs: number[] = [];
  /** Switch-to-switch edges in compressed rows: switch u's are edgeSwitch/edgeLink[edgeStart[u] .. edgeStart[u + 1]), in link order. */
  private readonly edgeStart: Int32Array;
  private readonly edgeSwitch: Int32Array;
  private readonly edgeLink: Int32Array;
  /** Whole picoseconds to cross each edge's link and its far switch (see `tree`). */
  private readonly edgeCostPs: number[] = [];
  /** Caches, indexed by source switch, by switch pair and by device id. */
  private readonly trees: (SwitchTree | undefined)[] = [];
  private readonly switchPaths = new Map<number, SwitchPath>();
  private readonly attachmentsOf: (readonly Attachment[] | undefined)[] = [];
  /** Each device's attachment shape (see `routeKind`), -1 until asked; shapes by their key. */
  private readonly shapeOf: Int32Array;
  private readonly shapes = new Map<string, number>();
  /** Scratch for `switchPath`, per switch; all zero between calls. */
  private readonly pathShare: Float64Array;
  private readonly onPath: Uint8Array;

  constructor(fabric: FabricModel) {
    this.devices = fabric.devices;
    this.links = fabric.links;
    this.switchIndex = new Int32Array(this.devices.length).fill(-1);
    this.shapeOf = new Int32Array(this.devices.length).fill(-1);
    for (const device of this.devices) {
      if (device.array.kind === 'switch') {
        this.switchIndex[device.id] = this.switches.length;
        this.switches.push(device);
      }
    }
    this.pathShare = new Float64Array(this.switches.length);
    this.onPath = new Uint8Array(this.switches.length);
    for (let u = 0; u < this.switches.length; u++) this.switchLatencyPs.push(toPs(this.switches[u].array.spec.latency?.value ?? 0));
    const memories = this.devices.filter((d) => d.array.kind === 'memory');
    const count = this.links.length * 2 + memories.length;
    this.capacities = new Float64Array(count);
    this.fabricInternal = new Uint8Array(count);
    this.memoryOfMedia = memories;
    // One pass over the links (hover waits for this after every edit): latency, both directions'
    // capacity, and the switch-to-switch edge counts.
    this.edgeStart = new Int32Array(this.switches.length + 1);
    const switchLinks: Link[] = [];
    for (const link of this.links) {
      const r = link.id * 2;
      this.linkLatencyPs[link.id] = toPs(link.latency);
      this.capacities[r] = this.capacities[r + 1] = link.bandwidth;
      const a = this.switchIndex[link.a.id];
      const b = this.switchIndex[link.b.id];
      if (a >= 0 && b >= 0) {
        this.fabricInternal[r] = this.fabricInternal[r + 1] = 1;
        switchLinks.push(link);
        this.edgeStart[a + 1]++;
        this.edgeStart[b + 1]++;
      }
    }
    memories.forEach((memory, i) => {
      const r = this.links.length * 2 + i;
      this.mediaOf.set(memory.id, r);
      this.capacities[r] = memory.array.spec.bandwidth?.value ?? Infinity;
      this.fabricInternal[r] = 1;
    });
    for (let u = 0; u < this.switches.length; u++) this.edgeStart[u + 1] += this.edgeStart[u];
    this.edgeSwitch = new Int32Array(switchLinks.length * 2);
    this.edgeLink = new Int32Array(switchLinks.length * 2);
    const cursor = this.edgeStart.slice(0, this.switches.length);
    for (const link of switchLinks) {
      const a = this.switchIndex[link.a.id];
      const b = this.switchIndex[link.b.id];
      this.edgeSwitch[cursor[a]] = b;
      this.edgeLink[cursor[a]++] = link.id;
      this.edgeSwitch[cursor[b]] = a;
      this.edgeLink[cursor[b]++] = link.id;
    }
    for (let e = 0; e < this.edgeSwitch.length; e++) this.edgeCostPs.push(this.linkLatencyPs[this.edgeLink[e]] + this.switchLatencyPs[this.edgeSwitch[e]]);
  }

  /** `sx[0] -> sx[1]` for a link direction, `pool (media)` for a memory's media. */
  resourceName(resource: number): string {
    const linkResources = this.links.length * 2;
    if (resource >= linkResources) return `${this.memoryOfMedia[resource - linkResources].name} (media)`;
    const link = this.links[resource >> 1];
    return resource % 2 === 0 ? `${link.a.name} -> ${link.b.name}` : `${link.b.name} -> ${link.a.name}`;
  }

  /** The memory whose media a resource is, if it is one. */
  mediaDevice(resource: number): Device | undefined {
    return this.memoryOfMedia[resource - this.links.length * 2];
  }

  isSwitch(device: Device): boolean {
    return this.switchIndex[device.id] >= 0;
  }

  /** The resource for traversing `link` starting at `from`. */
  direction(link: Link, from: Device): number {
    return link.id * 2 + (link.a === from ? 0 : 1);
  }

  private tree(source: number): SwitchTree {
    let tree = this.trees[source];
    if (tree) return tree;
    const n = this.switches.length;
    // Every simulation runs this cold, once per source switch, and code not yet optimized boxes
    // each double it reads: plain arrays of whole picoseconds (small integers, -1 when not yet
    // reached) and locals, not fields, in the loop.
    const reached: number[] = new Array<number>(n).fill(-1);
    const paths: number[] = new Array<number>(n).fill(0);
    // Unreached switches share one empty list; a switch gets its own when first reached.
    const predecessors: number[][] = new Array<number[]>(n).fill(NO_PREDECESSORS as number[]);
    const done = new Uint8Array(n);
    const { edgeStart, edgeSwitch, edgeLink, edgeCostPs, switchLatencyPs } = this;
    reached[source] = switchLatencyPs[source];
    paths[source] = 1;
    const heap = new MinHeap();
    heap.push(reached[source], source);
    while (heap.size > 0) {
      const d = heap.topKey;
      const u = heap.pop();
      if (done[u] || d > reached[u]) continue;
      done[u] = 1;
      for (let e = edgeStart[u], end = edgeStart[u + 1]; e < end; e++) {
        const v = edgeSwitch[e];
        if (done[v]) continue;
        const candidate = d + edgeCostPs[e];
        if (candidate === Infinity) continue;
        const known = reached[v];
        if (known < 0 || candidate < known) {
          reached[v] = candidate;
          paths[v] = paths[u];
          predecessors[v] = [u, edgeLink[e]];
          heap.push(candidate, v);
        } else if (candidate === known) {
          paths[v] += paths[u];
          predecessors[v].push(u, edgeLink[e]);
        }
      }
    }
    const distance = new Float64Array(n);
    const sigma = new Float64Array(n);
    for (let v = 0; v < n; v++) {
      distance[v] = reached[v] < 0 ? Infinity : reached[v];
      sigma[v] = paths[v];
    }
    tree = { distance, sigma, predecessors };
    this.trees[source] = tree;
    return tree;
  }

  /** The switch-level part of every route from switch s to switch t. */
  private switchPath(s: number, t: number): SwitchPath {
    const key = s * this.switches.length + t;
    const cached = this.switchPaths.get(key);
    if (cached) return cached;
    const { distance, sigma, predecessors } = this.tree(s);
    const { pathShare: share, onPath } = this;
    // The switches on some shortest path, farthest first: each hands its share of the flow back
    // to its predecessors before they hand theirs on.
    const order = [t];
    onPath[t] = 1;
    for (let i = 0; i < order.length; i++) {
      const pred = predecessors[order[i]];
      for (let k = 0; k < pred.length; k += 2) {
        if (onPath[pred[k]]) continue;
        onPath[pred[k]] = 1;
        order.push(pred[k]);
      }
    }
    farthestFirst(order, distance);
    share[t] = 1;
    const resources: number[] = [];
    const fractions: number[] = [];
    const links: Link[] = [];
    const switches: Device[] = [];
    for (let i = 0; i < order.length; i++) {
      const v = order[i];
      switches.push(this.switches[v]);
      // A link is a predecessor edge of one switch at most: no resource or link repeats.
      const pred = predecessors[v];
      for (let k = 0; k < pred.length; k += 2) {
        const u = pred[k];
        const link = this.links[pred[k + 1]];
        const part = (share[v] * sigma[u]) / sigma[v];
        resources.push(this.direction(link, this.switches[u]));
        fractions.push(part);
        share[u] += part;
        links.push(link);
      }
    }
    for (let i = 0; i < order.length; i++) share[order[i]] = onPath[order[i]] = 0;
    const result = { loads: { resources, fractions }, links, switches };
    this.switchPaths.set(key, result);
    return result;
  }

  /**
   * Where a flow can enter or leave the switch fabric: the device itself if a switch, else its
   * links to switches. Kept per device: every route asks for both of its ends'.
   */
  private attachments(device: Device): readonly Attachment[] {
    let result = this.attachmentsOf[device.id];
    if (result) return result;
    const own = this.switchIndex[device.id];
    if (own >= 0) {
      result = [{ switch: own, link: undefined, costPs: 0, index: 0, inward: -1, outward: -1 }];
    } else {
      const links: Attachment[] = [];
      for (let k = 0; k < device.links.length; k++) {
        const link = device.links[k];
        const other = link.a === device ? link.b : link.a;
        const index = this.switchIndex[other.id];
        if (index >= 0) {
          const inward = this.direction(link, device);
          links.push({ switch: index, link, costPs: this.linkLatencyPs[link.id], index: links.length, inward, outward: inward ^ 1 });
        }
      }
      result = links;
    }
    this.attachmentsOf[device.id] = result;
    return result;
  }

  /**
   * A number shared by the pairs whose routes differ only in their end links: their sources are
   * attached to the same switches at the same costs, so are their targets, and no link joins a
   * source to its target directly. A route found for one pair of a kind holds for every other
   * with that pair's own end links (`spread` takes the pair). Undefined for a pair whose
   * route is its own: a device and itself, or two devices joined directly.
   */
  routeKind(source: Device, target: Device): number | undefined {
    if (source === target) return undefined;
    if (this.switchIndex[source.id] < 0 && this.switchIndex[target.id] < 0) {
      for (let k = 0; k < source.links.length; k++) if (joins(source.links[k], source, target)) return undefined;
    }
    return this.attachmentShape(source) * this.devices.length + this.attachmentShape(target);
  }

  /** A number shared by the devices attached to the same switches at the same costs (switches: each its own). */
  attachmentShape(device: Device): number {
    const shape = this.shapeOf[device.id];
    return shape >= 0 ? shape : this.shape(device);
  }

  /** The device's attachment shape, found for the first time: its attachments' switches and costs, and whether it is the switch. */
  private shape(device: Device): number {
    const attachments = this.attachments(device);
    let key = this.isSwitch(device) ? 'self' : '';
    for (let k = 0; k < attachments.length; k++) key += ` ${attachments[k].switch}:${attachments[k].costPs}`;
    const shape = this.shapes.get(key) ?? this.shapes.size;
    this.shapes.set(key, shape);
    this.shapeOf[device.id] = shape;
    return shape;
  }

  /** The lowest-latency routes from `source` to `target`, or undefined when none exists. */
  route(source: Device, target: Device): Route | undefined {
    if (source === target) return undefined;
    // Indexed loops, no closures, options of one shape: a simulation asks for thousands of
    // routes before V8 optimizes this (see engine.ts).
    let best = Infinity;
    const options: RouteOption[] = [];
    // A direct link between two endpoints; a switch end is reached through its attachment below,
    // so its own traversal latency counts.
    if (!this.isSwitch(source) && !this.isSwitch(target)) {
      for (let k = 0; k < source.links.length; k++) {
        const link = source.links[k];
        if (joins(link, source, target)) best = keepCheapest(options, best, this.linkLatencyPs[link.id], { direct: link, entry: undefined, middle: undefined, exit: undefined, count: 1 });
      }
    }
    const entries = this.attachments(source);
    const exits = this.attachments(target);
    for (let e = 0; e < entries.length; e++) {
      const entry = entries[e];
      const tree = this.tree(entry.switch);
      for (let x = 0; x < exits.length; x++) {
        const exit = exits[x];
        const cost = entry.costPs + tree.distance[exit.switch] + exit.costPs;
        if (cost <= best && cost !== Infinity) {
          best = keepCheapest(options, best, cost, { direct: undefined, entry, middle: undefined, exit, count: tree.sigma[exit.switch] });
        }
      }
    }
    if (options.length === 0) return undefined;
    let paths = 0;
    for (let o = 0; o < options.length; o++) {
      const option = options[o];
      paths += option.count;
      if (option.entry && option.exit) option.middle = this.switchPath(option.entry.switch, option.exit.switch);
    }
    return { source, target, latencyPs: best, paths, options };
  }

  /**
   * Hands `sink` the share of one flow from → to, times `weight`, that each of a route's options
   * puts on its end links and on its middle, in path order. The route is from → to's or one of
   * its kind (`routeKind`). Options may share resources: a sink that needs one figure per resource
   * adds them up.
   */
  spread(route: Route, from: Device, to: Device, weight: number, sink: LoadSink): void {
    const { options, paths } = route;
    const entries = this.attachments(from);
    const exits = this.attachments(to);
    for (let o = 0; o < options.length; o++) {
      const { direct, entry, middle, exit, count } = options[o];
      const share = (count / paths) * weight;
      if (direct) sink.add(this.direction(direct, from), share);
      // This pair's own end links, at the places the route's own pair had theirs.
      if (entry && entries[entry.index].inward >= 0) sink.add(entries[entry.index].inward, share);
      if (middle) sink.addMiddle(middle, share);
      if (exit && exits[exit.index].outward >= 0) sink.add(exits[exit.index].outward, share);
    }
  }

  /** The reported path: the first option, and through the switches the earliest-declared links. */
  reportedPath(route: Route): { path: Device[]; pathLinks: Link[] } {
    const { source, target } = route;
    const [option] = route.options;
    if (option.direct) return { path: [source, target], pathLinks: [option.direct] };
    const { entry, exit } = option as Required<Pick<RouteOption, 'entry' | 'exit'>>;
    const { predecessors } = this.tree(entry.switch);
    const middle: Device[] = [];
    const middleLinks: Link[] = [];
    let v = exit.switch;
    while (v !== entry.switch) {
      const pred = predecessors[v];
      let pick = 0;
      for (let k = 2; k < pred.length; k += 2) if (pred[k + 1] < pred[pick + 1]) pick = k;
      middle.unshift(this.switches[v]);
      middleLinks.unshift(this.links[pred[pick + 1]]);
      v = pred[pick];
    }
    middle.unshift(this.switches[entry.switch]);
    const path = [...(entry.link ? [source] : []), ...middle, ...(exit.link ? [target] : [])];
    const pathLinks = [...(entry.link ? [entry.link] : []), ...middleLinks, ...(exit.link ? [exit.link] : [])];
    return { path, pathLinks };
  }

  /**
   * One-way latency in picoseconds from `source` to every device (Infinity when unreachable),
   * from the cached switch distances: cheap enough for a hover on a 16,384-accelerator fabric.
   */
  latenciesFrom(source: Device): Float64Array {
    const result = new Float64Array(this.devices.length).fill(Infinity);
    const entries = this.attachments(source);
    const reach = new Float64Array(this.switches.length).fill(Infinity);
    for (const entry of entries) {
      const { distance } = this.tree(entry.switch);
      for (let s = 0; s < reach.length; s++) reach[s] = Math.min(reach[s], entry.costPs + distance[s]);
    }
    // Each device's best exit, read off its own links: no per-device allocation on 16,384 devices.
    for (const device of this.devices) {
      const own = this.switchIndex[device.id];
      let best = own >= 0 ? reach[own] : Infinity;
      if (own < 0) {
        for (const link of device.links) {
          const exit = this.switchIndex[(link.a === device ? link.b : link.a).id];
          if (exit >= 0) best = Math.min(best, reach[exit] + this.linkLatencyPs[link.id]);
        }
      }
      result[device.id] = best;
    }
    result[source.id] = Infinity;
    if (!this.isSwitch(source)) {
      for (const link of source.links) {
        const other = link.a === source ? link.b : link.a;
        if (!this.isSwitch(other)) result[other.id] = Math.min(result[other.id], this.linkLatencyPs[link.id]);
      }
    }
    return result;
  }

  /** Switch hops (switches on the path) from `device`'s attachments to each switch, -1 where none reaches. */
  switchLevels(device: Device): Int32Array {
    const levels = new Int32Array(this.switches.length).fill(-1);
    const entries = this.attachments(device);
    for (let a = 0; a < entries.length; a++) {
      const hops = this.hopCounts(entries[a].switch);
      for (let i = 0; i < levels.length; i++) {
        if (hops[i] >= 0 && (levels[i] < 0 || hops[i] + 1 < levels[i])) levels[i] = hops[i] + 1;
      }
    }
    return levels;
  }

  private readonly hops: (Int32Array | undefined)[] = [];

  /** Fewest switch-to-switch hops from one switch to every other (breadth first), -1 where none. */
  private hopCounts(source: number): Int32Array {
    let hops = this.hops[source];
    if (hops) return hops;
    hops = new Int32Array(this.switches.length).fill(-1);
    hops[source] = 0;
    const queue = [source];
    const { edgeStart, edgeSwitch } = this;
    for (let i = 0; i < queue.length; i++) {
      const u = queue[i];
      for (let e = edgeStart[u], end = edgeStart[u + 1]; e < end; e++) {
        const v = edgeSwitch[e];
        if (hops[v] < 0) {
          hops[v] = hops[u] + 1;
          queue.push(v);
        }
      }
    }
    this.hops[source] = hops;
    return hops;
  }

  switchAt(index: number): Device {
    return this.switches[index];
  }

  get switchCount(): number {
    return this.switches.length;
  }
}

/** Receives the loads of a route from `Network.spread`: end links one by one, shared middles whole. */
export interface LoadSink {
  add(resource: number, share: number): void;
  addMiddle(middle: SwitchPath, share: number): void;
}

/**
 * Sorts switches by falling distance, equal ones kept in order. The switches between two are
 * usually a handful, and a library sort's set-up costs more than sorting them by insertion.
 */
function farthestFirst(order: number[], distance: Float64Array): void {
  if (order.length > 32) {
    order.sort((a, b) => distance[b] - distance[a]);
    return;
  }
  for (let i = 1; i < order.length; i++) {
    const v = order[i];
    let j = i - 1;
    while (j >= 0 && distance[order[j]] < distance[v]) {
      order[j + 1] = order[j];
      j--;
    }
    order[j + 1] = v;
  }
}

/** Whether `link` joins a and b. */
function joins(link: Link, a: Device, b: Device): boolean {
  return (link.a === a && link.b === b) || (link.a === b && link.b === a);
}

/** Keeps the cheapest options: `option` replaces them when cheaper, joins them when as cheap. Returns the cheapest cost. */
function keepCheapest(options: RouteOption[], best: number, cost: number, option: RouteOption): number {
  if (cost < best) {
    options.length = 0;
    options.push(option);
    return cost;
  }
  if (cost === best) options.push(option);
  return best;
}

/** Frozen, so a push onto an unreached switch's list would throw rather than corrupt every other. */
const NO_PREDECESSORS: readonly number[] = Object.freeze([]);

/** A binary min-heap of (key, value) pairs for Dijkstra. */
class MinHeap {
  private keys: number[] = [];
  private values: number[] = [];

  get size(): number {
    return this.keys.length;
  }

  push(key: number, value: number): void {
    const keys = this.keys;
    const values = this.values;
    let i = keys.length;
    keys.push(key);
    values.push(value);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (keys[parent] <= key) break;
      keys[i] = keys[parent];
      values[i] = values[parent];
      i = parent;
    }
    keys[i] = key;
    values[i] = value;
  }

  /** The smallest key; read it before `pop`. */
  get topKey(): number {
    return this.keys[0];
  }

  /** Removes the entry with the smallest key and returns its value. */
  pop(): number {
    const keys = this.keys;
    const values = this.values;
    const top = values[0];
    const lastKey = keys.pop()!;
    const lastValue = values.pop()!;
    if (keys.length > 0) {
      let i = 0;
      const n = keys.length;
      while (true) {
        const left = 2 * i + 1;
        if (left >= n) break;
        const right = left + 1;
        const child = right < n && keys[right] < keys[left] ? right : left;
        if (keys[child] >= lastKey) break;
        keys[i] = keys[child];
        values[i] = values[child];
        i = child;
      }
      keys[i] = lastKey;
      values[i] = lastValue;
    }
    return top;
  }
}
