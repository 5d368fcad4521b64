/**
 * How a plan adds up the loads of its routes: as sums (member flows of a coflow) or as the
 * largest share (the edges of a reduction or multicast tree). A middle — the switch-to-switch
 * part shared by every route between two switches — is taken whole, so a plan of thousands of
 * routes across a few dozen middles spreads each middle over its links once.
 */
import type { Loads, LoadSink, SwitchPath } from './network.js';

/**
 * Loads summed per resource, in order of first use: that order decides the flow engine's ties
 * (engine.ts), so it is the order the routes' paths would give one resource at a time.
 */
export class LoadTotals implements LoadSink {
  private readonly totals = new Map<number, number>();
  /** Flow on each middle, spread over its resources when read. */
  private readonly middles = new Map<SwitchPath, number>();

  add(resource: number, share: number): void {
    this.totals.set(resource, (this.totals.get(resource) ?? 0) + share);
  }

  addMiddle(middle: SwitchPath, share: number): void {
    const before = this.middles.get(middle);
    if (before === undefined) {
      // The middle's resources take their places in the order now, at their first use.
      const { resources } = middle.loads;
      for (let k = 0; k < resources.length; k++) if (!this.totals.has(resources[k])) this.totals.set(resources[k], 0);
    }
    this.middles.set(middle, (before ?? 0) + share);
  }

  /** Every resource's total so far, the middles spread in. */
  read(): Loads {
    this.middles.forEach((share, middle) => {
      const { resources, fractions } = middle.loads;
      for (let k = 0; k < resources.length; k++) this.add(resources[k], fractions[k] * share);
    });
    this.middles.clear();
    return { resources: [...this.totals.keys()], fractions: [...this.totals.values()] };
  }
}

/**
 * A tree's edges: a tree carries its stream once per edge whichever branch needs it, and
 * equal-latency paths stripe it, so each resource keeps the largest share any branch's route puts
 * on it (one path: 1; four planes: a quarter on each).
 */
export class TreeEdges implements LoadSink {
  /** Largest share per resource, in order of first use. */
  readonly shares = new Map<number, number>();
  private readonly mergedMiddles = new Set<SwitchPath>();

  add(resource: number, share: number): void {
    if (share > (this.shares.get(resource) ?? 0)) this.shares.set(resource, share);
  }

  /**
   * A middle handed over by a route of one option, with all of the flow: the same middle, crossed
   * by many branches, changes nothing after the first.
   */
  addMiddle(middle: SwitchPath, share: number): void {
    if (this.mergedMiddles.has(middle)) return;
    this.mergedMiddles.add(middle);
    const { resources, fractions } = middle.loads;
    for (let k = 0; k < resources.length; k++) this.add(resources[k], fractions[k] * share);
  }

  /** The summed loads of a branch whose options share resources. */
  raise({ resources, fractions }: Loads): void {
    for (let k = 0; k < resources.length; k++) this.add(resources[k], fractions[k]);
  }
}
