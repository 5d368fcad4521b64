/**
 * The flow engine (§9): resources with capacities, entities (flows and coflows) with a load per
 * resource, max-min fair rates by progressive filling, recomputed whenever an entity finishes.
 * A coflow's load on a resource is the sum over its member flows crossing it, so a collective of
 * any size is one entity: its members advance at one common rate.
 */

export interface Entity {
  /** Resource indices this entity loads. */
  resources: number[];
  /** Load per unit of rate on each resource (member flows × ECMP fraction × bytes weight). */
  loads: number[];
  /** Units to move; the entity's rate is in units per second. */
  units: number;
}

export interface EntityOutcome {
  /** Seconds from the start of the phase until the entity finished. */
  finish: number;
  /** The resource that limited its rate last, or -1 when it had none (nothing to move). */
  bottleneck: number;
  /** Its resources that were saturated in its last rate allocation. */
  saturated: number[];
}

const EPSILON = 1e-12;

/**
 * Per-resource working arrays, one set per table of capacities, reused by every call: only the
 * resources a call touches are written, and it puts them back (`round` to -1, `saturated` to 0).
 */
interface Scratch {
  residual: Float64Array;
  demand: Float64Array;
  /** The round that last loaded the resource, -1 when none in this call. */
  round: Int32Array;
  /** The resource's place among the resources loaded in that round: the order that breaks ties. */
  place: Int32Array;
  saturated: Uint8Array;
}

const scratchOf = new WeakMap<Float64Array, Scratch>();

function scratchFor(capacities: Float64Array): Scratch {
  let scratch = scratchOf.get(capacities);
  if (!scratch) {
    const n = capacities.length;
    scratch = { residual: new Float64Array(n), demand: new Float64Array(n), round: new Int32Array(n).fill(-1), place: new Int32Array(n), saturated: new Uint8Array(n) };
    scratchOf.set(capacities, scratch);
  }
  return scratch;
}

export interface FairShares {
  rates: Float64Array;
  /** Per entity, the resource whose saturation froze it, -1 when none did. */
  limitedBy: Int32Array;
  /** Per active entity, its resources that saturated in this allocation, in its own order. */
  saturated: number[][];
}

/**
 * Max-min fair rates: every unfrozen entity's rate rises together until a resource saturates;
 * the entities on it freeze, each limited by the first of its resources to saturate in the order
 * the round loaded them; repeat. `capacities` are left untouched. The rounds work on typed arrays
 * indexed by resource, kept between calls. Loops are indexed and few: a one-shot simulation runs
 * much of this before V8 optimizes it, and code not yet optimized pays for every step and every
 * `for…of` iterator.
 */
export function maxMinFairRates(entities: Entity[], active: number[], capacities: Float64Array): FairShares {
  const rates = new Float64Array(entities.length);
  const limitedBy = new Int32Array(entities.length).fill(-1);
  const saturated: number[][] = [];
  const { residual, demand, round: roundOf, place, saturated: isSaturated } = scratchFor(capacities);
  let unfrozen: number[] = [];
  for (let a = 0; a < active.length; a++) {
    if (entities[active[a]].resources.length > 0) unfrozen.push(active[a]);
    else rates[active[a]] = Infinity;
  }
  // Every resource in use: the first round loads them all.
  let inUse: number[] = [];
  for (let round = 0; unfrozen.length > 0; round++) {
    // The resources the unfrozen entities load, in order of first use (that order decides ties).
    const loaded: number[] = [];
    for (let u = 0; u < unfrozen.length; u++) {
      const { resources, loads } = entities[unfrozen[u]];
      for (let k = 0; k < resources.length; k++) {
        const r = resources[k];
        if (roundOf[r] !== round) {
          if (round === 0) residual[r] = capacities[r];
          roundOf[r] = round;
          demand[r] = 0;
          place[r] = loaded.length;
          loaded.push(r);
        }
        demand[r] += loads[k];
      }
    }
    if (round === 0) inUse = loaded;
    let step = Infinity;
    for (let l = 0; l < loaded.length; l++) {
      const r = loaded[l];
      if (demand[r] <= 0) continue;
      const level = residual[r] / demand[r];
      if (level < step) step = level;
    }
    if (step === Infinity) {
      for (let u = 0; u < unfrozen.length; u++) rates[unfrozen[u]] = Infinity;
      break;
    }
    for (let u = 0; u < unfrozen.length; u++) rates[unfrozen[u]] += step;
    for (let l = 0; l < loaded.length; l++) {
      const r = loaded[l];
      residual[r] -= step * demand[r];
      if (demand[r] > 0 && residual[r] <= EPSILON * Math.max(1, capacities[r])) isSaturated[r] = 1;
    }
    // An entity on a saturated resource freezes: every user of a resource saturated in an earlier
    // round froze then, so a saturated resource of an unfrozen entity saturated in this one.
    const still: number[] = [];
    for (let u = 0; u < unfrozen.length; u++) {
      const i = unfrozen[u];
      const { resources } = entities[i];
      let first = -1;
      for (let k = 0; k < resources.length; k++) {
        const r = resources[k];
        if (isSaturated[r] && (first < 0 || place[r] < place[first])) first = r;
      }
      if (first < 0) still.push(i);
      else limitedBy[i] = first;
    }
    unfrozen = still;
  }
  for (let a = 0; a < active.length; a++) {
    const { resources } = entities[active[a]];
    const mine: number[] = [];
    for (let k = 0; k < resources.length; k++) if (isSaturated[resources[k]]) mine.push(resources[k]);
    saturated[active[a]] = mine;
  }
  for (let l = 0; l < inUse.length; l++) {
    roundOf[inUse[l]] = -1;
    isSaturated[inUse[l]] = 0;
  }
  return { rates, limitedBy, saturated };
}

/** Runs entities that all start at time 0 to completion, re-sharing whenever one finishes. */
export function runPhase(entities: Entity[], capacities: Float64Array): EntityOutcome[] {
  const outcomes: EntityOutcome[] = [];
  const remaining = new Float64Array(entities.length);
  let active: number[] = [];
  for (let i = 0; i < entities.length; i++) {
    outcomes.push({ finish: 0, bottleneck: -1, saturated: [] });
    remaining[i] = entities[i].units;
    if (remaining[i] > 0) active.push(i);
  }
  let now = 0;
  while (active.length > 0) {
    const { rates, limitedBy, saturated } = maxMinFairRates(entities, active, capacities);
    let next = Infinity;
    for (let a = 0; a < active.length; a++) {
      const i = active[a];
      outcomes[i].bottleneck = limitedBy[i];
      outcomes[i].saturated = saturated[i];
      const time = rates[i] === Infinity ? 0 : rates[i] > 0 ? remaining[i] / rates[i] : Infinity;
      if (time < next) next = time;
    }
    if (next === Infinity) {
      // Nothing can move (a zero-capacity resource): report the stuck entities as never finishing.
      for (let a = 0; a < active.length; a++) outcomes[active[a]].finish = Infinity;
      break;
    }
    now += next;
    const still: number[] = [];
    for (let a = 0; a < active.length; a++) {
      const i = active[a];
      remaining[i] = rates[i] === Infinity ? 0 : remaining[i] - rates[i] * next;
      if (remaining[i] <= entities[i].units * 1e-9) outcomes[i].finish = now;
      else still.push(i);
    }
    active = still;
  }
  return outcomes;
}

