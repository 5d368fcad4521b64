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
 * Max-min fair rates: every unfrozen entity's rate rises together until a resource saturates;
 * the entities on it freeze; repeat. `capacities` are left untouched.
 */
export function maxMinFairRates(entities: Entity[], active: number[], capacities: Float64Array): { rates: Float64Array; limitedBy: Int32Array; saturated: Set<number> } {
  const rates = new Float64Array(entities.length);
  const limitedBy = new Int32Array(entities.length).fill(-1);
  const residual = new Map<number, number>();
  const users = new Map<number, number[]>();
  for (const i of active) {
    const entity = entities[i];
    for (let k = 0; k < entity.resources.length; k++) {
      const r = entity.resources[k];
      if (!residual.has(r)) residual.set(r, capacities[r]);
      let list = users.get(r);
      if (!list) users.set(r, (list = []));
      list.push(i);
    }
  }
  const frozen = new Uint8Array(entities.length);
  const allSaturated = new Set<number>();
  let unfrozen = active.filter((i) => entities[i].resources.length > 0);
  for (const i of active) if (entities[i].resources.length === 0) rates[i] = Infinity;
  while (unfrozen.length > 0) {
    const demand = new Map<number, number>();
    for (const i of unfrozen) {
      const entity = entities[i];
      for (let k = 0; k < entity.resources.length; k++) {
        const r = entity.resources[k];
        demand.set(r, (demand.get(r) ?? 0) + entity.loads[k]);
      }
    }
    let step = Infinity;
    for (const [r, d] of demand) {
      if (d <= 0) continue;
      const level = residual.get(r)! / d;
      if (level < step) step = level;
    }
    if (step === Infinity) {
      for (const i of unfrozen) rates[i] = Infinity;
      break;
    }
    for (const i of unfrozen) rates[i] += step;
    const saturated: number[] = [];
    for (const [r, d] of demand) {
      const left = residual.get(r)! - step * d;
      residual.set(r, left);
      if (d > 0 && left <= EPSILON * Math.max(1, capacities[r])) saturated.push(r);
    }
    for (const r of saturated) {
      allSaturated.add(r);
      for (const i of users.get(r)!) {
        if (!frozen[i]) {
          frozen[i] = 1;
          limitedBy[i] = r;
        }
      }
    }
    unfrozen = unfrozen.filter((i) => !frozen[i]);
  }
  return { rates, limitedBy, saturated: allSaturated };
}

/** Runs entities that all start at time 0 to completion, re-sharing whenever one finishes. */
export function runPhase(entities: Entity[], capacities: Float64Array): EntityOutcome[] {
  const outcomes: EntityOutcome[] = entities.map(() => ({ finish: 0, bottleneck: -1, saturated: [] }));
  const remaining = Float64Array.from(entities, (e) => e.units);
  let active = entities.map((_, i) => i).filter((i) => remaining[i] > 0);
  let now = 0;
  while (active.length > 0) {
    const { rates, limitedBy, saturated } = maxMinFairRates(entities, active, capacities);
    let next = Infinity;
    for (const i of active) {
      outcomes[i].bottleneck = limitedBy[i];
      outcomes[i].saturated = entities[i].resources.filter((r) => saturated.has(r));
      const time = rates[i] === Infinity ? 0 : rates[i] > 0 ? remaining[i] / rates[i] : Infinity;
      if (time < next) next = time;
    }
    if (next === Infinity) {
      // Nothing can move (a zero-capacity resource): report the stuck entities as never finishing.
      for (const i of active) outcomes[i].finish = Infinity;
      break;
    }
    now += next;
    const still: number[] = [];
    for (const i of active) {
      remaining[i] = rates[i] === Infinity ? 0 : remaining[i] - rates[i] * next;
      if (remaining[i] <= entities[i].units * 1e-9) outcomes[i].finish = now;
      else still.push(i);
    }
    active = still;
  }
  return outcomes;
}
