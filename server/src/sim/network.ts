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

/** Switches and links on some of a route's equal-latency paths (shared, cached objects). */
export interface RoutePart {
  switches: readonly Device[];
  links: readonly Link[];
}

/** A way into or out of the switch fabric: a switch, and the link to it unless the device is that switch. */
interface Attachment {
  switch: number;
  link?: Link;
  costPs: number;
}

interface Option {
  direct?: Link;
  entry?: Attachment;
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
  loads: Loads;
  /** Together, every switch and link on any of the equal-latency paths. */
  parts: RoutePart[];
  /** The first equal-latency option, from which the reported path is drawn. */
  first: Option;
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
  private readonly switchLatencyPs: Float64Array;
  private readonly linkLatencyPs: Float64Array;
  /** Switch-to-switch edges in compressed rows: switch u's are edgeSwitch/edgeLink[edgeStart[u] .. edgeStart[u + 1]), in link order. */
  private readonly edgeStart: Int32Array;
  private readonly edgeSwitch: Int32Array;
  private readonly edgeLink: Int32Array;
  private readonly trees = new Map<number, SwitchTree>();
  private readonly switchPathLoads = new Map<number, RoutePart & { loads: Loads }>();
  private readonly attachmentsOf = new Map<Device, readonly Attachment[]>();

  constructor(fabric: FabricModel) {
    this.devices = fabric.devices;
    this.links = fabric.links;
    this.switchIndex = new Int32Array(this.devices.length).fill(-1);
    for (const device of this.devices) {
      if (device.array.kind === 'switch') {
        this.switchIndex[device.id] = this.switches.length;
        this.switches.push(device);
      }
    }
    this.switchLatencyPs = new Float64Array(this.switches.length);
    for (let u = 0; u < this.switches.length; u++) this.switchLatencyPs[u] = toPs(this.switches[u].array.spec.latency?.value ?? 0);
    const memories = this.devices.filter((d) => d.array.kind === 'memory');
    const count = this.links.length * 2 + memories.length;
    this.capacities = new Float64Array(count);
    this.fabricInternal = new Uint8Array(count);
    this.memoryOfMedia = memories;
    this.linkLatencyPs = new Float64Array(this.links.length);
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
        if (a !== b) {
          switchLinks.push(link);
          this.edgeStart[a + 1]++;
          this.edgeStart[b + 1]++;
        }
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
    let tree = this.trees.get(source);
    if (tree) return tree;
    const n = this.switches.length;
    const distance = new Float64Array(n).fill(Infinity);
    const sigma = new Float64Array(n);
    // Unreached switches share one empty list; a switch gets its own when first reached.
    const predecessors: number[][] = new Array<number[]>(n).fill(NO_PREDECESSORS as number[]);
    const done = new Uint8Array(n);
    distance[source] = this.switchLatencyPs[source];
    sigma[source] = 1;
    const heap = new MinHeap();
    heap.push(distance[source], source);
    while (heap.size > 0) {
      const d = heap.topKey;
      const u = heap.pop();
      if (done[u] || d > distance[u]) continue;
      done[u] = 1;
      for (let e = this.edgeStart[u]; e < this.edgeStart[u + 1]; e++) {
        const v = this.edgeSwitch[e];
        const linkId = this.edgeLink[e];
        const candidate = d + this.linkLatencyPs[linkId] + this.switchLatencyPs[v];
        if (candidate < distance[v]) {
          distance[v] = candidate;
          sigma[v] = sigma[u];
          predecessors[v] = [u, linkId];
          heap.push(candidate, v);
        } else if (candidate === distance[v] && candidate !== Infinity && !done[v]) {
          sigma[v] += sigma[u];
          predecessors[v].push(u, linkId);
        }
      }
    }
    tree = { distance, sigma, predecessors };
    this.trees.set(source, tree);
    return tree;
  }

  /** Loads of the switch-level part from switch s to switch t, as fractions of one flow. */
  private switchPath(s: number, t: number): RoutePart & { loads: Loads } {
    const key = s * this.switches.length + t;
    const cached = this.switchPathLoads.get(key);
    if (cached) return cached;
    const { distance, sigma, predecessors } = this.tree(s);
    const loads = new Map<number, number>();
    const share = new Map<number, number>([[t, 1]]);
    const order = [t];
    const seen = new Set([t]);
    for (let i = 0; i < order.length; i++) {
      const v = order[i];
      const pred = predecessors[v];
      for (let k = 0; k < pred.length; k += 2) {
        if (!seen.has(pred[k])) {
          seen.add(pred[k]);
          order.push(pred[k]);
        }
      }
    }
    order.sort((a, b) => distance[b] - distance[a]);
    const links = new Set<Link>();
    for (const v of order) {
      const fraction = share.get(v) ?? 0;
      const pred = predecessors[v];
      for (let k = 0; k < pred.length; k += 2) {
        const u = pred[k];
        const link = this.links[pred[k + 1]];
        const part = (fraction * sigma[u]) / sigma[v];
        const resource = this.direction(link, this.switches[u]);
        loads.set(resource, (loads.get(resource) ?? 0) + part);
        share.set(u, (share.get(u) ?? 0) + part);
        links.add(link);
      }
    }
    const result = { loads: { resources: [...loads.keys()], fractions: [...loads.values()] }, links: [...links], switches: order.map((i) => this.switches[i]) };
    this.switchPathLoads.set(key, result);
    return result;
  }

  /**
   * Where a flow can enter or leave the switch fabric: the device itself if a switch, else its
   * links to switches. Kept per device: every route asks for both of its ends'.
   */
  private attachments(device: Device): readonly Attachment[] {
    let result = this.attachmentsOf.get(device);
    if (result) return result;
    const own = this.switchIndex[device.id];
    if (own >= 0) {
      result = [{ switch: own, costPs: 0 }];
    } else {
      const links: Attachment[] = [];
      for (let k = 0; k < device.links.length; k++) {
        const link = device.links[k];
        const other = link.a === device ? link.b : link.a;
        const index = this.switchIndex[other.id];
        if (index >= 0) links.push({ switch: index, link, costPs: this.linkLatencyPs[link.id] });
      }
      result = links;
    }
    this.attachmentsOf.set(device, result);
    return result;
  }

  /** The lowest-latency routes from `source` to `target`, or undefined when none exists. */
  route(source: Device, target: Device): Route | undefined {
    if (source === target) return undefined;
    // Indexed loops: a `for…of` allocates at every step until V8 optimizes it (see engine.ts).
    let best = Infinity;
    let options: Option[] = [];
    const consider = (cost: number, option: Option) => {
      if (cost < best) {
        best = cost;
        options = [option];
      } else if (cost === best) {
        options.push(option);
      }
    };
    // A direct link between two endpoints; a switch end is reached through its attachment below,
    // so its own traversal latency counts.
    if (!this.isSwitch(source) && !this.isSwitch(target)) {
      for (let k = 0; k < source.links.length; k++) {
        const link = source.links[k];
        if ((link.a === source && link.b === target) || (link.b === source && link.a === target)) {
          consider(this.linkLatencyPs[link.id], { direct: link, count: 1 });
        }
      }
    }
    const entries = this.attachments(source);
    const exits = this.attachments(target);
    for (let e = 0; e < entries.length; e++) {
      const entry = entries[e];
      const tree = this.tree(entry.switch);
      for (let x = 0; x < exits.length; x++) {
        const exit = exits[x];
        const middle = tree.distance[exit.switch];
        if (middle === Infinity) continue;
        consider(entry.costPs + middle + exit.costPs, { entry, exit, count: tree.sigma[exit.switch] });
      }
    }
    if (options.length === 0) return undefined;
    let total = 0;
    for (let o = 0; o < options.length; o++) total += options[o].count;
    const resources: number[] = [];
    const fractions: number[] = [];
    // Options can share resources; one option's cannot repeat (its end links join an endpoint to
    // a switch, its middle joins switches), so the common single-option route needs no merging.
    const slotOf = options.length > 1 ? new Map<number, number>() : undefined;
    const add = (resource: number, fraction: number) => {
      const at = slotOf?.get(resource);
      if (at !== undefined) {
        fractions[at] += fraction;
        return;
      }
      slotOf?.set(resource, resources.length);
      resources.push(resource);
      fractions.push(fraction);
    };
    const ends: Link[] = [];
    const parts: RoutePart[] = [{ switches: [], links: ends }];
    for (let o = 0; o < options.length; o++) {
      const option = options[o];
      const weight = option.count / total;
      if (option.direct) {
        add(this.direction(option.direct, source), weight);
        ends.push(option.direct);
        continue;
      }
      const { entry, exit } = option as Required<Pick<Option, 'entry' | 'exit'>>;
      if (entry.link) {
        add(this.direction(entry.link, source), weight);
        ends.push(entry.link);
      }
      const middle = this.switchPath(entry.switch, exit.switch);
      for (let k = 0; k < middle.loads.resources.length; k++) add(middle.loads.resources[k], middle.loads.fractions[k] * weight);
      parts.push(middle);
      if (exit.link) {
        add(this.direction(exit.link, this.switches[exit.switch]), weight);
        ends.push(exit.link);
      }
    }
    return {
      source,
      target,
      latencyPs: best,
      paths: total,
      loads: { resources, fractions },
      parts,
      first: options[0],
    };
  }

  /** The reported path: the first option, and through the switches the earliest-declared links. */
  reportedPath(route: Route): { path: Device[]; pathLinks: Link[] } {
    const { source, target, first: option } = route;
    if (option.direct) return { path: [source, target], pathLinks: [option.direct] };
    const { entry, exit } = option as { entry: { switch: number; link?: Link }; exit: { switch: number; link?: Link } };
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
        if (other !== source && !this.isSwitch(other)) result[other.id] = Math.min(result[other.id], this.linkLatencyPs[link.id]);
      }
    }
    return result;
  }

  /** Switch hops (switches on the path) from each switch reachable from `device`'s attachments. */
  switchLevels(device: Device): Float64Array {
    const levels = new Float64Array(this.switches.length).fill(Infinity);
    for (const entry of this.attachments(device)) {
      const hops = this.hopCounts(entry.switch);
      for (let i = 0; i < levels.length; i++) levels[i] = Math.min(levels[i], hops[i] + 1);
    }
    return levels;
  }

  private readonly hops = new Map<number, Float64Array>();

  /** Fewest switch-to-switch hops from one switch to every other (breadth first). */
  private hopCounts(source: number): Float64Array {
    let hops = this.hops.get(source);
    if (hops) return hops;
    hops = new Float64Array(this.switches.length).fill(Infinity);
    hops[source] = 0;
    const queue = [source];
    for (let i = 0; i < queue.length; i++) {
      const u = queue[i];
      for (let e = this.edgeStart[u]; e < this.edgeStart[u + 1]; e++) {
        const v = this.edgeSwitch[e];
        if (hops[v] === Infinity) {
          hops[v] = hops[u] + 1;
          queue.push(v);
        }
      }
    }
    this.hops.set(source, hops);
    return hops;
  }

  switchAt(index: number): Device {
    return this.switches[index];
  }

  get switchCount(): number {
    return this.switches.length;
  }
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
