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

/** Per resource table, a reusable resource → dense slot map (-1 when unused), reset after each call. */
const slotScratch = new WeakMap<Float64Array, Int32Array>();

/**
 * Max-min fair rates: every unfrozen entity's rate rises together until a resource saturates;
 * the entities on it freeze; repeat. `capacities` are left untouched. The resources the active
 * entities touch get dense slots, so the rounds work on typed arrays rather than maps. Loops
 * are indexed: a `for…of` allocates at every step until V8 optimizes it, and a one-shot
 * simulation runs much of its code before that.
 */
export function maxMinFairRates(entities: Entity[], active: number[], capacities: Float64Array): { rates: Float64Array; limitedBy: Int32Array; saturated: Set<number> } {
  const rates = new Float64Array(entities.length);
  const limitedBy = new Int32Array(entities.length).fill(-1);
  let slotOf = slotScratch.get(capacities);
  if (!slotOf) slotScratch.set(capacities, (slotOf = new Int32Array(capacities.length).fill(-1)));
  const resourceOf: number[] = [];
  const userCount: number[] = [];
  for (let a = 0; a < active.length; a++) {
    const resources = entities[active[a]].resources;
    for (let k = 0; k < resources.length; k++) {
      const r = resources[k];
      if (slotOf[r] < 0) {
        slotOf[r] = resourceOf.length;
        resourceOf.push(r);
        userCount.push(0);
      }
      userCount[slotOf[r]]++;
    }
  }
  const slots = resourceOf.length;
  const userStart = new Int32Array(slots + 1);
  for (let s = 0; s < slots; s++) userStart[s + 1] = userStart[s] + userCount[s];
  const users = new Int32Array(userStart[slots]);
  const filled = userStart.slice(0, slots);
  for (let a = 0; a < active.length; a++) {
    const resources = entities[active[a]].resources;
    for (let k = 0; k < resources.length; k++) users[filled[slotOf[resources[k]]]++] = active[a];
  }
  const residual = new Float64Array(slots);
  for (let s = 0; s < slots; s++) residual[s] = capacities[resourceOf[s]];
  const demand = new Float64Array(slots);
  const seenInRound = new Int32Array(slots).fill(-1);

  const frozen = new Uint8Array(entities.length);
  const allSaturated = new Set<number>();
  let unfrozen: number[] = [];
  for (let a = 0; a < active.length; a++) {
    if (entities[active[a]].resources.length > 0) unfrozen.push(active[a]);
    else rates[active[a]] = Infinity;
  }
  for (let round = 0; unfrozen.length > 0; round++) {
    // The resources the unfrozen entities load, in order of first use (that order decides ties).
    const loaded: number[] = [];
    for (let u = 0; u < unfrozen.length; u++) {
      const { resources, loads } = entities[unfrozen[u]];
      for (let k = 0; k < resources.length; k++) {
        const s = slotOf[resources[k]];
        if (seenInRound[s] !== round) {
          seenInRound[s] = round;
          demand[s] = 0;
          loaded.push(s);
        }
        demand[s] += loads[k];
      }
    }
    let step = Infinity;
    for (let l = 0; l < loaded.length; l++) {
      const s = loaded[l];
      if (demand[s] <= 0) continue;
      const level = residual[s] / demand[s];
      if (level < step) step = level;
    }
    if (step === Infinity) {
      for (let u = 0; u < unfrozen.length; u++) rates[unfrozen[u]] = Infinity;
      break;
    }
    for (let u = 0; u < unfrozen.length; u++) rates[unfrozen[u]] += step;
    for (let l = 0; l < loaded.length; l++) {
      const s = loaded[l];
      residual[s] -= step * demand[s];
      const r = resourceOf[s];
      if (demand[s] > 0 && residual[s] <= EPSILON * Math.max(1, capacities[r])) {
        allSaturated.add(r);
        for (let u = userStart[s]; u < userStart[s + 1]; u++) {
          const i = users[u];
          if (!frozen[i]) {
            frozen[i] = 1;
            limitedBy[i] = r;
          }
        }
      }
    }
    const still: number[] = [];
    for (let u = 0; u < unfrozen.length; u++) if (!frozen[unfrozen[u]]) still.push(unfrozen[u]);
    unfrozen = still;
  }
  for (let s = 0; s < slots; s++) slotOf[resourceOf[s]] = -1;
  return { rates, limitedBy, saturated: allSaturated };
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
      outcomes[i].saturated = saturatedOf(entities[i], saturated);
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

/** An entity's resources that saturated, in its own order. */
function saturatedOf(entity: Entity, saturated: Set<number>): number[] {
  const mine: number[] = [];
  if (saturated.size === 0) return mine;
  for (let k = 0; k < entity.resources.length; k++) if (saturated.has(entity.resources[k])) mine.push(entity.resources[k]);
  return mine;
}
