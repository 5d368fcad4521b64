/**
 * Hand-derived checks of what depends on topology (FABRIC-LANGUAGE.md §7–§9): leaf–spine
 * contention, ring order, ECMP, feature support, reachability, expectations and `latencyText`.
 * Expected values are derived in the comments; none was copied from the simulator's output.
 *
 * B = pcie6 x16 = 118.016 GB/s; default link 12.5 ns; scorpio_x 120 ns; step_overhead 1 µs.
 * Across a leaf–spine: gpu → leaf → spine → leaf → gpu = 4 × 12.5 + 3 × 120 = 410 ns.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LatencyReport } from '../../server/src/sim/report.js';
import {
  GB, GiB, LINK, MiB, OVERHEAD, PAIR, SX, X16, assertNoErrors, diagnostics, latency, lineOf, ms, near, ns, simulate, star, stepAt, stepOf,
} from '../support/sim.js';

/** gpu → leaf → spine → leaf → gpu with default links. */
const CROSS = 4 * LINK + 3 * SX; // 410 ns

/**
 * 8 gpus, g[i] on leaf[i % 2] (so g[*] alternates leaves), one spine, `uplinks` × pcie6 x16 per leaf
 * as one link `* uplinks`. With 2 uplinks each leaf is 4B down : 2B up = 2:1.
 */
function leafSpine(uplinks: number, body: string): string {
  return [
    'fabric ls {',
    '  settings { oversubscription_limit: 2 }',
    '  gpu g[8]',
    '  switch leaf[2] : scorpio_x',
    '  switch spine : scorpio_x',
    '  for i in 0..7 { link g[i] <-> leaf[i % 2] : pcie6 x16 }',
    `  for l in 0..1 { link leaf[l] <-> spine : pcie6 x16 * ${uplinks} }`,
    '  group grouped = g[0], g[2], g[4], g[6], g[1], g[3], g[5], g[7]',
    `  workload w { ${body} }`,
    '}',
  ].join('\n');
}

describe('leaf–spine, 2:1 oversubscribed: ring order', () => {
  const interleaved = leafSpine(2, 'allreduce 1 GiB over g[*] using ring');
  const grouped = leafSpine(2, 'allreduce 1 GiB over grouped using ring');
  // Interleaved (g0 g1 … g7): every ring edge crosses leaves; leaf[0] → spine carries the 4 flows
  // g0→g1, g2→g3, g4→g5, g6→g7 on 2B: r = B/2. Grouped (g0 g2 g4 g6 g1 g3 g5 g7): only g6→g1 and
  // g7→g0 cross, one flow per uplink direction (2B), the gpu links limit r = B.
  // alpha = 1 µs + 410 ns (the slowest member crosses leaves) in both.
  const alpha = OVERHEAD + CROSS;
  const groupedTime = 14 * alpha + (1.75 * GiB) / X16; // 19.74 µs + 15.922 ms = 15.942 ms
  const interleavedTime = 14 * alpha + (1.75 * GiB) / (X16 / 2); // 19.74 µs + 31.844 ms = 31.864 ms

  it('grouped by leaf: 14 × 1.41 µs + 1.75 S/B ≈ 15.942 ms', () => {
    const step = stepOf(grouped, 'allreduce');
    near(step.latency_s, 14 * alpha, 0.01, 'latency_s');
    near(step.transfer_s, (1.75 * GiB) / X16, 0.01, 'transfer_s');
    near(step.time_s, groupedTime, 0.01, 'time_s');
  });

  it('interleaved across leaves: the uplinks halve the ring rate, 1.75 S/(B/2) ≈ 31.844 ms transfer', () => {
    const step = stepOf(interleaved, 'allreduce');
    near(step.transfer_s, (1.75 * GiB) / (X16 / 2), 0.01, 'transfer_s');
    near(step.time_s, interleavedTime, 0.01, 'time_s');
    assert.match(step.bottleneck ?? '', /^(leaf\[[01]\] -> spine|spine -> leaf\[[01]\])$/);
  });

  it('interleaving halves the all-reduce bandwidth (algbw ratio 15.942/31.864 = 0.500)', () => {
    const a = stepOf(interleaved, 'allreduce');
    const b = stepOf(grouped, 'allreduce');
    near((a.algbw_GBps ?? 0) / (b.algbw_GBps ?? 1), groupedTime / interleavedTime, 0.01, 'algbw ratio');
    near((a.algbw_GBps ?? 0) / (b.algbw_GBps ?? 1), 0.5, 0.01, 'algbw ratio ≈ 1/2');
  });

  it('interleaved raises link-overload on the uplinks (slowdown 31.864/15.942 = 2.0 ≥ 1.1); grouped does not', () => {
    // Unconstrained switch-to-switch links give the interleaved ring r = B: the grouped time, so slowdown ≈ 2.
    const report = simulate(interleaved);
    assertNoErrors(report);
    const overloads = diagnostics(report, 'link-overload');
    assert.ok(overloads.length >= 1, 'a link-overload warning');
    for (const d of overloads) {
      assert.equal(d.severity, 'warning');
      assert.equal(d.line, lineOf(interleaved, 'leaf[l] <-> spine'), `on the uplinks' line: ${d.message}`);
    }
    // Grouped: the gpu links (endpoint injection) limit it with or without the uplinks: slowdown 1.
    assert.deepEqual(diagnostics(simulate(grouped), 'link-overload'), []);
  });

  it('interleaved gets a ring-order hint (grouping would be 2.0× ≥ 1.1 faster); grouped does not', () => {
    const report = simulate(interleaved);
    const hints = diagnostics(report, 'ring-order', lineOf(interleaved, 'allreduce'));
    assert.equal(hints.length, 1);
    assert.equal(hints[0].severity, 'hint');
    assert.deepEqual(diagnostics(simulate(grouped), 'ring-order'), []);
  });
});

describe('leaf–spine: push INC all-reduce rooted at the spine', () => {
  it('latency counts every switch up to the root and the root itself: 1 µs + 2 × 265 ns; transfer S/B', () => {
    // Root = spine (2 switch levels to every rank; a leaf has 3 to the other leaf's ranks).
    // rank → root: 12.5 (gpu link) + 120 (leaf) + 12.5 (uplink) + 120 (spine, the root) = 265 ns.
    // Leaves reduce, so each uplink direction carries one stream of S on 2B; each gpu link sends S
    // and receives S on B: transfer S/B = 9.0983 ms.
    const step = stepOf(leafSpine(2, 'allreduce 1 GiB over g[*] using inc'), 'allreduce');
    near(step.latency_s, OVERHEAD + 2 * (2 * LINK + 2 * SX), 0.01, 'latency_s'); // 1.53 µs
    near(step.transfer_s, GiB / X16, 0.01, 'transfer_s');
    assert.equal(step.algorithm, 'inc');
  });
});

describe('leaf–spine: all-to-all, 8 ranks on 2 leaves of 4', () => {
  // Every rank sends S/8 to each of 7 peers, all at one common rate r.
  //   a gpu link carries its 7 outgoing flows:                7r ≤ B
  //   leaf[0] → spine carries 4 senders × 4 remote receivers: 16r ≤ uplink capacity
  // 2 × x16 (2B): r = min(B/7, B/8) = B/8 → each S/8 takes (S/8)/(B/8) = S/B.
  // 4 × x16 (4B): r = min(B/7, B/4) = B/7 → (S/8)/(B/7) = 7S/(8B), the single-switch figure.
  // alpha = 1 µs + 410 ns (the farthest pair crosses leaves).
  it('2 × x16 uplinks per leaf: transfer S/B ≈ 9.098 ms', () => {
    const step = stepOf(leafSpine(2, 'alltoall 1 GiB over g[*]'), 'alltoall');
    near(step.transfer_s, GiB / X16, 0.01, 'transfer_s');
    near(step.latency_s, OVERHEAD + CROSS, 0.01, 'latency_s');
    near(step.time_s, OVERHEAD + CROSS + GiB / X16, 0.01, 'time_s');
  });

  it('4 × x16 uplinks per leaf: transfer 7S/(8B) ≈ 7.961 ms (gpu links bind again)', () => {
    const step = stepOf(leafSpine(4, 'alltoall 1 GiB over g[*]'), 'alltoall');
    near(step.transfer_s, (7 * GiB) / (8 * X16), 0.01, 'transfer_s');
    near(step.time_s, OVERHEAD + CROSS + (7 * GiB) / (8 * X16), 0.01, 'time_s');
    near(step.busbw_GBps, (GiB / step.time_s / GB) * (7 / 8), 0.01, 'busbw = algbw × 7/8');
  });
});

describe('feature support and reachability', () => {
  /** 4 default gpus on a scorpio_p (64 lanes = 4 × x16; no inc, no hypercast). */
  const scorpioP = (body: string) =>
    ['fabric p {', '  gpu g[4]', '  switch sp : scorpio_p', '  for i in 0..3 { link g[i] <-> sp : pcie6 x16 }', `  workload w { ${body} }`, '}'].join('\n');

  it('`using inc` on a scorpio_p is feature-unsupported, on the statement', () => {
    const text = scorpioP('allreduce 1 MiB over g[*] using inc');
    const found = diagnostics(simulate(text), 'feature-unsupported');
    assert.equal(found.length, 1);
    assert.equal(found[0].severity, 'error');
    assert.equal(found[0].line, lineOf(text, 'using inc'));
  });

  it('`using hypercast` on a scorpio_p is feature-unsupported', () => {
    const text = scorpioP('broadcast 1 MiB from g[0] to g[*] using hypercast');
    assert.equal(diagnostics(simulate(text), 'feature-unsupported', lineOf(text, 'using hypercast')).length, 1);
  });

  it('`using hypercast` all-gather on a pcie5_switch is feature-unsupported', () => {
    const text = [
      'fabric q {',
      '  model g5 : gpu { ports: [pcie5 x16] }',
      '  gpu g[4] : g5',
      '  switch s : pcie5_switch',
      '  for i in 0..3 { link g[i] <-> s : pcie5 x16 }',
      '  workload w { allgather 1 MiB over g[*] using hypercast }',
      '}',
    ].join('\n');
    assert.equal(diagnostics(simulate(text), 'feature-unsupported', lineOf(text, 'using hypercast')).length, 1);
  });

  it('auto on a scorpio_p considers only ring and tree for all-reduce, only ring for all-gather', () => {
    const text = scorpioP('allreduce 1 MiB over g[*]\nallgather 1 MiB over g[*]');
    const report = simulate(text);
    assertNoErrors(report);
    assert.deepEqual(Object.keys(stepAt(report, lineOf(text, 'allreduce')).alternatives).sort(), ['ring', 'tree']);
    assert.deepEqual(Object.keys(stepAt(report, lineOf(text, 'allgather')).alternatives), ['ring']);
  });

  /** a and b each linked only to the gpu c: endpoints never forward. */
  const relay = (body: string) =>
    ['fabric u {', '  gpu a', '  gpu b', '  gpu c', '  link a <-> c : pcie6 x16', '  link b <-> c : pcie6 x16', body, '}'].join('\n');

  it('two gpus linked only through a third gpu are unreachable (a flow)', () => {
    const text = relay('  workload w { flow 1 MiB a -> b }');
    const found = diagnostics(simulate(text), 'unreachable');
    assert.equal(found.length, 1);
    assert.equal(found[0].severity, 'error');
    assert.equal(found[0].line, lineOf(text, 'flow'));
  });

  it('an expectation over the same missing route is unreachable and has no measured value', () => {
    const text = relay('  expect latency a -> b < 1 us');
    const report = simulate(text);
    assert.equal(diagnostics(report, 'unreachable', lineOf(text, 'expect')).length, 1);
    assert.equal(report.expectations[0].actual, null);
  });

  it('latencyText between them is an error; a → c is one direct link of 12.5 ns', () => {
    const text = relay('');
    assert.ok('error' in latency(text, 'a', 'b'));
    const direct = latency(text, 'a', 'c') as LatencyReport;
    assert.ok(!('error' in direct));
    near(direct.latency_s, LINK, 0.01, 'a → c'); // 10 ns PHY + 0.5 m × 5 ns/m
    assert.equal(direct.hops, 1);
    assert.deepEqual(direct.path, ['a', 'c']);
    assert.equal(direct.paths, 1);
  });
});

/**
 * Two leaves, `spines` spines; a on leaf[0] and b on leaf[1] by `pcie6 x16 * 2` (2B = 236.032 GB/s),
 * each leaf–spine link one pcie6 x16 (B), 2 m long with one retimer: 10 + 5 × 2 + 10 = 30 ns.
 * a → b: 12.5 + 120 + 30 + 120 + 30 + 120 + 12.5 = 445 ns over 4 links; one path per spine, all equal.
 */
function twoTier(spines: number, expects: string[] = [], extra: string[] = []): string {
  return [
    'fabric two {',
    '  gpu a',
    '  gpu b',
    '  gpu c',
    '  switch leaf[2] : scorpio_x',
    `  switch spine[${spines}] : scorpio_x`,
    '  memory pool : cxl_expander',
    '  link a <-> leaf[0] : pcie6 x16 * 2',
    '  link b <-> leaf[1] : pcie6 x16 * 2',
    '  link c <-> leaf[0] : pcie6 x16',
    '  link pool <-> leaf[1] : cxl x16',
    `  for s in 0..${spines - 1} {`,
    '    link leaf[0] <-> spine[s] : pcie6 x16 { length: 2 m retimers: 1 }',
    '    link leaf[1] <-> spine[s] : pcie6 x16 { length: 2 m retimers: 1 }',
    '  }',
    ...extra.map((line) => `  ${line}`),
    ...expects.map((line) => `  ${line}`),
    '}',
  ].join('\n');
}
const UPLINK = 10 * ns + 5 * ns * 2 + 10 * ns; // 30 ns
const A_TO_B = LINK + SX + UPLINK + SX + UPLINK + SX + LINK; // 445 ns

describe('latencyText on a two-tier fabric', () => {
  it('a → b: 445 ns, 4 hops, first path through spine[0], 2 ECMP paths', () => {
    const result = latency(twoTier(2), 'a', 'b') as LatencyReport;
    assert.ok(!('error' in result), JSON.stringify(result));
    near(result.latency_s, A_TO_B, 0.001, 'latency_s');
    assert.equal(result.hops, 4);
    assert.deepEqual(result.path, ['a', 'leaf[0]', 'spine[0]', 'leaf[1]', 'b']);
    assert.equal(result.paths, 2);
    assert.equal(result.from, 'a');
    assert.equal(result.to, 'b');
  });

  it('four spines give 4 ECMP paths of the same latency', () => {
    const result = latency(twoTier(4), 'a', 'b') as LatencyReport;
    near(result.latency_s, A_TO_B, 0.001, 'latency_s');
    assert.equal(result.paths, 4);
  });

  it('a → c on the same leaf: 12.5 + 120 + 12.5 = 145 ns, 2 hops, one path', () => {
    const result = latency(twoTier(2), 'a', 'c') as LatencyReport;
    near(result.latency_s, PAIR, 0.001, 'latency_s');
    assert.equal(result.hops, 2);
    assert.deepEqual(result.path, ['a', 'leaf[0]', 'c']);
    assert.equal(result.paths, 1);
  });

  it('a → pool: 445 ns, the memory access latency not included', () => {
    const result = latency(twoTier(2), 'a', 'pool') as LatencyReport;
    near(result.latency_s, A_TO_B, 0.001, 'latency_s'); // same shape as a → b; not + 170 ns
    assert.equal(result.hops, 4);
  });
});

describe('expectations: pass and fail, measured value in the bound\'s unit', () => {
  function failures(text: string, line: number): string[] {
    return diagnostics(simulate(text), 'expectation-failed', line).map((d) => d.message);
  }

  it('latency a → b = 445 ns: `< 500 ns` passes, `<= 400 ns` fails showing 445 ns', () => {
    const text = twoTier(2, ['expect latency a -> b < 500 ns', 'expect latency a -> b <= 400 ns']);
    const report = simulate(text);
    assertNoErrors({ ...report, diagnostics: report.diagnostics.filter((d) => d.code !== 'expectation-failed') });
    const [pass, fail] = report.expectations;
    near(pass.actual, A_TO_B, 0.001, 'actual');
    assert.equal(pass.pass, true);
    assert.equal(fail.pass, false);
    assert.equal(fail.unit, 'ns');
    assert.deepEqual(failures(text, lineOf(text, 'expect latency a -> b < 500 ns')), []);
    const messages = failures(text, lineOf(text, '<= 400 ns'));
    assert.equal(messages.length, 1);
    assert.match(messages[0], /\b445 ns\b/);
  });

  it('bandwidth over two equal ECMP paths is 2 × one path: 2 × 118.016 = 236.032 GB/s, vs 118.016 with one spine', () => {
    // The lone a → b flow splits in two shares, one per spine; each share's path is bounded by its B
    // uplink (a's own link is 2B), so each runs at B and the flow gets 2B. With one spine: B.
    const two = simulate(twoTier(2, ['expect bandwidth a -> b >= 230 GB/s']));
    near(two.expectations[0].actual, 2 * X16, 0.001, 'two paths');
    assert.equal(two.expectations[0].pass, true);
    const one = simulate(twoTier(1, ['expect bandwidth a -> b >= 230 GB/s']));
    near(one.expectations[0].actual, X16, 0.001, 'one path');
    assert.equal(one.expectations[0].pass, false);
  });

  it('bandwidth failure message shows 236 GB/s', () => {
    const text = twoTier(2, ['expect bandwidth a -> b > 300 GB/s']);
    const messages = failures(text, lineOf(text, 'expect bandwidth'));
    assert.equal(messages.length, 1);
    assert.match(messages[0], /\b236(\.0+)? GB\/s/); // 236.032 to 4 significant digits
  });

  it('bandwidth to a cxl_expander includes its 64 GB/s media', () => {
    const report = simulate(twoTier(2, ['expect bandwidth c -> pool >= 60 GB/s']));
    near(report.expectations[0].actual, 64 * GB, 0.001, 'media-bound'); // min(B, 2B via ECMP, 64 GB/s media)
    assert.equal(report.expectations[0].pass, true);
  });

  it('time: compute 1 ms + flow 1 GiB = 1 ms + 1.145 µs + 9.0983 ms = 10.099 ms; `< 11 ms` passes, `< 10 ms` fails showing 10.1 ms', () => {
    const text = star(4, 'compute 1 ms\nflow 1 GiB g[0] -> g[1]', { after: 'expect time w < 11 ms\nexpect time w < 10 ms' });
    const report = simulate(text);
    const expected = 1 * ms + OVERHEAD + PAIR + GiB / X16;
    near(report.expectations[0].actual, expected, 0.01, 'time');
    assert.equal(report.expectations[0].pass, true);
    assert.equal(report.expectations[1].pass, false);
    const messages = failures(text, lineOf(text, 'expect time w < 10 ms'));
    assert.equal(messages.length, 1);
    assert.match(messages[0], /\b10\.1 ms\b/); // 10.0994 ms to 4 significant digits
  });

  it('utilization: the flow phase keeps g[0]\'s link 9.0983/9.0994 = 99.99 % busy; compute does not dilute the peak', () => {
    // Utilization of g[0] → sx in the flow's phase: S / (B × (1.145 µs + S/B)) = 0.99987.
    const text = star(4, 'compute 1 ms\nflow 1 GiB g[0] -> g[1]', { after: 'expect utilization g[0] >= 99 %\nexpect utilization g[0] < 50 %' });
    const report = simulate(text);
    const expected = GiB / X16 / (OVERHEAD + PAIR + GiB / X16);
    near(report.expectations[0].actual, expected, 0.001, 'utilization');
    assert.equal(report.expectations[0].pass, true);
    assert.equal(report.expectations[1].pass, false);
    const messages = failures(text, lineOf(text, '< 50 %'));
    assert.equal(messages.length, 1);
    assert.match(messages[0], /99\.99 ?%/);
  });

  it('utilization of an idle device\'s links is 0 %', () => {
    const report = simulate(star(4, 'flow 1 GiB g[0] -> g[1]', { after: 'expect utilization g[3] <= 0 %' }));
    near(report.expectations[0].actual, 0, 1e-9, 'idle');
    assert.equal(report.expectations[0].pass, true);
  });

  it('oversubscription of a 2:1 leaf: 4 × B down / 2 × B up = 2; `<= 2` passes, `< 1.5` fails showing 2', () => {
    const text = leafSpine(2, 'compute 1 ms').replace('\n}', '\n  expect oversubscription leaf[*] <= 2\n  expect oversubscription leaf[*] < 1.5\n}');
    const report = simulate(text);
    near(report.expectations[0].actual, 2, 1e-6, 'oversubscription');
    assert.equal(report.expectations[0].pass, true);
    assert.equal(report.expectations[1].pass, false);
    const messages = failures(text, lineOf(text, '< 1.5'));
    assert.equal(messages.length, 1);
    assert.match(messages[0], /\b2\b/);
    const leaf = report.switches.find((s) => s.name === 'leaf[0]');
    near(leaf?.oversubscription, 2, 1e-6, 'switch report');
    assert.equal(report.switches.find((s) => s.name === 'spine')?.oversubscription ?? null, null); // switch links only
  });
});

describe('collectives across a two-tier fabric use the cross-leaf latency in alpha', () => {
  it('a flow a → b over 2 ECMP paths: 1 µs + 445 ns + S/(2B)', () => {
    const text = twoTier(2, [], ['workload w { flow 1 GiB a -> b }']);
    const step = stepOf(text, 'flow 1 GiB');
    near(step.latency_s, OVERHEAD + A_TO_B, 0.01, 'latency_s');
    near(step.transfer_s, GiB / (2 * X16), 0.01, 'transfer_s'); // 4.549 ms
  });

  it('a 1 MiB ring all-gather over a, b, c: alpha = 1 µs + 445 ns, 2 steps', () => {
    // Ring a → b → c → a: the slowest members (a→b, b→c) cross leaves: 445 ns.
    // Transfer (2/3) × 1 MiB at one common rate r: a and b have 2B links; the cross-leaf members split
    // over the two spines (r/2 on each B uplink); c's link carries c → a one way and b → c the other,
    // one member each: r = B → (2/3) MiB / B.
    const step = stepOf(twoTier(2, [], ['workload w { allgather 1 MiB over a, b, c using ring }']), 'allgather');
    near(step.latency_s, 2 * (OVERHEAD + A_TO_B), 0.01, 'latency_s');
    near(step.transfer_s, ((2 / 3) * MiB) / X16, 0.01, 'transfer_s');
  });
});
