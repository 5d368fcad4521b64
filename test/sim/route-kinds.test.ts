/**
 * A plan routes one pair of each kind (Network.routeKind) and reuses that route for every other
 * pair of the kind with the pair's own end links. On random fabrics — several switch tiers,
 * accelerators on one to three switches with links of differing length, some joined directly,
 * memories — every pair's loads and latency through a route of its kind must equal those through
 * its own route.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { checkText } from '../../server/src/model/check.js';
import type { Device } from '../../server/src/model/types.js';
import { Network, type LoadSink, type Route, type SwitchPath } from '../../server/src/sim/network.js';
import { assertProperty } from '../fuzz/seed.js';

const LENGTHS = ['0.5 m', '1 m', '1 m', '2 m'];

const fabricText = fc
  .record({
    switches: fc.integer({ min: 1, max: 6 }),
    gpus: fc.integer({ min: 2, max: 10 }),
    seed: fc.array(fc.nat(), { minLength: 80, maxLength: 80 }),
  })
  .map(({ switches, gpus, seed }) => {
    let next = 0;
    const pick = (n: number) => seed[next++ % seed.length] % n;
    const lines = ['fabric r {', '  settings { oversubscription_limit: 100 }', `  switch s[${switches}] : scorpio_x`, `  gpu g[${gpus}] : gpu_ualink`, '  memory m : cxl_expander'];
    for (let s = 1; s < switches; s++) lines.push(`  link s[${s}] <-> s[${pick(s)}] : ualink x4 * ${1 + pick(3)} { length: ${LENGTHS[pick(4)]} }`);
    for (let e = 0; e < switches; e++) {
      const a = pick(switches);
      const b = pick(switches);
      if (a !== b) lines.push(`  link s[${a}] <-> s[${b}] : ualink x4 { length: ${LENGTHS[pick(4)]} }`);
    }
    for (let g = 0; g < gpus; g++) {
      const homes = new Set(Array.from({ length: 1 + pick(3) }, () => pick(switches)));
      for (const s of homes) lines.push(`  link g[${g}] <-> s[${s}] : ualink x4 { length: ${LENGTHS[pick(4)]} }`);
      if (pick(6) === 0) lines.push(`  link g[${g}] <-> g[${(g + 1) % gpus}] : ualink x4 { length: 1 m }`);
    }
    lines.push(`  link m <-> s[${pick(switches)}] : cxl x16`, '}');
    return lines.join('\n');
  });

/** Every load a route hands over for one pair, middles spread, as sorted `resource share` lines. */
function loadsOf(network: Network, route: Route, from: Device, to: Device): string[] {
  const shares = new Map<number, number>();
  const sink: LoadSink = {
    add: (resource, share) => shares.set(resource, (shares.get(resource) ?? 0) + share),
    addMiddle: (middle: SwitchPath, share) => middle.loads.resources.forEach((r, k) => sink.add(r, middle.loads.fractions[k] * share)),
  };
  network.spread(route, from, to, 1, sink);
  return [...shares].sort((a, b) => a[0] - b[0]).map(([resource, share]) => `${resource} ${share.toPrecision(12)}`);
}

describe('routes reused by kind', () => {
  it('give every pair the loads and latency of its own route', async () => {
    await assertProperty('route kinds', 300, fabricText, async (text) => {
      const fabric = checkText('/fuzz/kinds.fabric', text, { read: () => undefined }).fabric;
      if (!fabric) return 'the generated fabric did not resolve';
      const network = new Network(fabric);
      const byKind = new Map<number, { route: Route | undefined; pair: string }>();
      for (const from of fabric.devices) {
        for (const to of fabric.devices) {
          const kind = network.routeKind(from, to);
          const own = network.route(from, to);
          if (kind === undefined) {
            const direct = from.links.some((l) => l.a === to || l.b === to) && !network.isSwitch(from) && !network.isSwitch(to);
            if (from !== to && !direct) return `${from.name} -> ${to.name} has no kind, yet is neither one device nor joined directly`;
            continue;
          }
          const first = byKind.get(kind);
          if (!first) {
            byKind.set(kind, { route: own, pair: `${from.name} -> ${to.name}` });
            continue;
          }
          if (!own || !first.route) {
            if (own !== first.route) return `${from.name} -> ${to.name} and ${first.pair} are of one kind, but only one of them has a route`;
            continue;
          }
          if (own.latencyPs !== first.route.latencyPs) return `${from.name} -> ${to.name}: ${own.latencyPs} ps, but ${first.pair} of its kind ${first.route.latencyPs} ps`;
          const mine = loadsOf(network, own, from, to);
          const reused = loadsOf(network, first.route, from, to);
          try {
            assert.deepEqual(reused, mine);
          } catch {
            return `${from.name} -> ${to.name} through ${first.pair}'s route: ${reused.join(', ')}; through its own: ${mine.join(', ')}\n${text}`;
          }
        }
      }
      return undefined;
    });
  });
});
