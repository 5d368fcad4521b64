/** Resolved-model behaviour: integer arithmetic, units in SI, loops, selectors, models, ports. */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, it } from 'node:test';
import { packSubLinks } from '../../server/src/model/checks.js';
import type { Link } from '../../server/src/model/types.js';
import { check, codes, render } from '../support/check.js';

function constant(expression: string): number | undefined {
  const result = check(`fabric f { let X = ${expression} }`);
  return result.fabric?.constants.get('X');
}

describe('integer expressions', () => {
  const cases: [string, number][] = [
    ['7 / 2', 3],
    ['(0 - 7) / 2', -3],
    ['(0 - 1) % 4', 3],
    ['7 % 4', 3],
    ['(0 - 7) % 4', 1],
    ['2 + 3 * 4', 14],
    ['(2 + 3) * 4', 20],
    ['10 - 2 - 3', 5],
    ['1_000 * 2', 2000],
    ['2e3 / 1000', 2],
  ];
  for (const [expression, expected] of cases) {
    it(`${expression} = ${expected}`, () => assert.equal(constant(expression), expected));
  }

  it('reports division by zero and non-integers', () => {
    assert.deepEqual(codes(check('fabric f { let X = 1 / 0 let Y = 1.5 }')), ['index-range', 'index-range']);
  });

  it('reports a constant defined in terms of itself', () => {
    assert.deepEqual(render(check('fabric f { let A = B + 1 let B = A }')).length > 0, true);
  });
});

describe('units normalise to SI', () => {
  const size = (quantity: string) => check(`fabric f { memory m { capacity: ${quantity} } }`).fabric!.devices[0].array.spec.capacity?.value;
  const bandwidth = (quantity: string) => check(`fabric f { memory m { bandwidth: ${quantity} } }`).fabric!.devices[0].array.spec.bandwidth?.value;
  const time = (quantity: string) => check(`fabric f { memory m { latency: ${quantity} } }`).fabric!.devices[0].array.spec.latency?.value;
  const length = (quantity: string) => check(`fabric f { gpu a gpu b link a <-> b : pcie6 x16 { length: ${quantity} } }`).fabric!.links[0].length;
  const power = (quantity: string) => check(`fabric f { switch s { power: ${quantity} } }`).fabric!.devices[0].array.spec.power?.value;
  const ratio = (quantity: string) => check(`fabric f { settings { hint_threshold: ${quantity} } }`).fabric!.settings.hint_threshold;

  const close = (actual: number | undefined, expected: number) => {
    assert.ok(actual !== undefined && Math.abs(actual - expected) <= Math.abs(expected) * 1e-12, `${actual} ≠ ${expected}`);
  };
  const sizes: [string, number][] = [['1 B', 1], ['1 KB', 1e3], ['1 kB', 1e3], ['1 MB', 1e6], ['1 GB', 1e9], ['1 TB', 1e12], ['1 KiB', 1024], ['1 MiB', 2 ** 20], ['1 GiB', 2 ** 30], ['1 TiB', 2 ** 40]];
  const bandwidths: [string, number][] = [['1 B/s', 1], ['1 KB/s', 1e3], ['1 kB/s', 1e3], ['1 MB/s', 1e6], ['1 GB/s', 1e9], ['1 TB/s', 1e12], ['8 Mb/s', 1e6], ['8 Gb/s', 1e9], ['8 Tb/s', 1e12]];
  const times: [string, number][] = [['1 ps', 1e-12], ['1 ns', 1e-9], ['1 us', 1e-6], ['1 \u00B5s', 1e-6], ['1 \u03BCs', 1e-6], ['1 ms', 1e-3], ['1 s', 1]];
  const lengths: [string, number][] = [['1 mm', 1e-3], ['1 cm', 1e-2], ['1 m', 1], ['1.5m', 1.5]];
  const powers: [string, number][] = [['1 W', 1], ['1 kW', 1e3]];
  const ratios: [string, number][] = [['1.5', 1.5], ['120%', 1.2]];
  for (const [q, v] of sizes) it(`size ${q}`, () => close(size(q), v));
  for (const [q, v] of bandwidths) it(`bandwidth ${q}`, () => close(bandwidth(q), v));
  for (const [q, v] of times) it(`time ${q}`, () => close(time(q), v));
  for (const [q, v] of lengths) it(`length ${q}`, () => close(length(q), v));
  for (const [q, v] of powers) it(`power ${q}`, () => close(power(q), v));
  for (const [q, v] of ratios) it(`ratio ${q}`, () => close(ratio(q), v));

  it('never converts across dimensions', () => {
    assert.deepEqual(codes(check('fabric f { memory m { capacity: 1 GB/s latency: 1 GB bandwidth: 1 ns } }')), ['unused-device', 'unit', 'unit', 'unit']);
  });
});

describe('loops and selectors', () => {
  const fabric = check(`fabric f {
    gpu acc[8] : gpu_ualink
    switch sx[2]
    for i in 7..0 { link acc[i] <-> sx[i % 2] : ualink x4 }
    group back = acc[5..2], acc[7]
    group both = back, acc[0]
    workload w { allreduce 1 GiB over both }
  }`).fabric!;

  it('expands a downward loop in order', () => {
    assert.deepEqual(fabric.links.slice(0, 3).map((l) => l.name), ['acc[7] <-> sx[1]', 'acc[6] <-> sx[0]', 'acc[5] <-> sx[1]']);
    assert.equal(fabric.links.length, 8);
  });

  it('keeps selector order, downward ranges included, through groups', () => {
    assert.deepEqual(fabric.groups.get('both')!.devices.map((d) => d.name), ['acc[5]', 'acc[4]', 'acc[3]', 'acc[2]', 'acc[7]', 'acc[0]']);
    const statement = fabric.workloads.get('w')!.statements[0];
    assert.equal(statement.type, 'allreduce');
    if (statement.type === 'allreduce') assert.equal(statement.ranks.length, 6);
  });

  it('folds the diagnostics of one loop line into one naming the first and the count', () => {
    const lines = render(check(`fabric f {
      gpu acc[4] : gpu_ualink
      switch sx
      for i in 0..3 { link acc[i] <-> sx : ualink x4 { length: 3 m } }
    }`));
    assert.deepEqual(lines, ['4:23 warning[reach] acc[0] <-> sx and 3 more: 3 m exceeds the ualink reach of 2 m (2 m passive, an estimate); add `retimers: 1` or shorten the link']);
  });
});

describe('models and links', () => {
  const fabric = check(`
    model big_pool : cxl_expander { capacity: 2 TiB }
    fabric f {
      memory pool : big_pool { bandwidth: 128 GB/s }
      gpu g : gpu_nvlink
      switch sx : nvlink_switch
      switch px : scorpio_x
      link g <-> sx : nvlink x2 * 18 { length: 1 m }
      link pool <-> px : cxl x16 { retimers: 1 }
      link g <-> px : pcie6 x16 { bandwidth: 100 GB/s latency: 25 ns }
    }`).fabric!;

  it('applies inheritance, then per-device overrides', () => {
    const pool = fabric.arrays.get('pool')!;
    assert.equal(pool.spec.capacity?.value, 2 * 2 ** 40);
    assert.equal(pool.spec.bandwidth?.value, 128e9);
    assert.equal(pool.spec.latency?.value, 170e-9);
    assert.equal(pool.spec.latency?.setBy, 'cxl_expander');
  });

  it('computes effective bandwidth and latency per §5, listing estimates', () => {
    const [nvlink, cxl, pcie] = fabric.links;
    assert.ok(Math.abs(nvlink.bandwidth - 18 * 2 * 25e9 * 0.8) < 1);
    assert.ok(Math.abs(nvlink.latency - (10e-9 + 5e-9)) < 1e-15);
    assert.deepEqual(nvlink.estimates.map((e) => e.value), [10e-9, 0.8]);
    assert.ok(Math.abs(cxl.bandwidth - 16 * 8e9 * 0.922) < 1);
    assert.ok(Math.abs(cxl.latency - (10e-9 + 2.5e-9 + 10e-9)) < 1e-15);
    assert.equal(pcie.bandwidth, 100e9);
    assert.equal(pcie.latency, 25e-9);
    assert.deepEqual(pcie.estimates, []);
  });

  it('marks catalog figures commented as estimates', () => {
    const px = fabric.arrays.get('px')!.spec;
    assert.match(px.latency?.estimate ?? '', /^estimate: no published figure/);
    assert.equal(px.lanes?.estimate, undefined);
    assert.deepEqual(px.protocols?.value.map((p) => `${p.protocol}:${p.estimate !== undefined}`), ['pcie6:false', 'cxl:false', 'ualink:true', 'nvlink:true']);
  });
});

/** The reference: best fit, widest first, one sub-link at a time. */
function bestFitOneByOne(widths: number[], ports: { width: number; count: number }[]): number {
  const unopened = ports.map((p) => ({ width: p.width, left: p.count })).sort((a, b) => b.width - a.width);
  const open: number[] = [];
  let unplaced = 0;
  for (const width of [...widths].sort((a, b) => b - a)) {
    let best = -1;
    for (let i = 0; i < open.length; i++) if (open[i] >= width && (best < 0 || open[i] < open[best])) best = i;
    if (best >= 0) {
      open[best] -= width;
      continue;
    }
    const group = unopened.find((g) => g.left > 0 && g.width >= width);
    if (!group) unplaced++;
    else {
      group.left--;
      open.push(group.width - width);
    }
  }
  return unplaced;
}

describe('port packing', () => {
  const link = {} as Link;
  const demands = (...widths: number[]) => widths.map((width) => ({ width, count: 1, link }));

  it('splits a wide port into narrower power-of-two sub-links', () => {
    assert.equal(packSubLinks(demands(8, 4, 4), [{ protocol: 'pcie6', width: 16, count: 1 }]), 0);
    assert.equal(packSubLinks(demands(4, 4, 4, 4, 4), [{ protocol: 'pcie6', width: 16, count: 1 }]), 1);
  });

  it('never places a sub-link on a narrower port', () => {
    assert.equal(packSubLinks(demands(16), [{ protocol: 'pcie6', width: 8, count: 4 }]), 1);
  });

  it('packs into as few ports as possible', () => {
    assert.equal(packSubLinks(demands(8, 8, 8), [{ protocol: 'pcie6', width: 16, count: 1 }, { protocol: 'pcie6', width: 8, count: 1 }]), 0);
    assert.equal(packSubLinks(demands(4, 2, 2, 2, 2), [{ protocol: 'ualink', width: 4, count: 3 }]), 0);
    assert.equal(packSubLinks(demands(4, 4, 2, 2, 2, 2), [{ protocol: 'ualink', width: 4, count: 3 }]), 2);
  });

  it('packs a link of 2^32 sub-links at once, not one by one (a fuzz finding: it ran out of memory)', () => {
    assert.equal(packSubLinks([{ width: 4, count: 2 ** 32, link }], [{ protocol: 'ualink', width: 4, count: 4 }]), 2 ** 32 - 4);
    assert.equal(packSubLinks([{ width: 1, count: 2 ** 40, link }], [{ protocol: 'pcie6', width: 16, count: 2 ** 36 }]), 0);
  });

  it('packs in bulk exactly as best fit one sub-link at a time does', () => {
    const widths = fc.constantFrom(1, 2, 4, 8, 16);
    const groups = fc.array(fc.record({ width: widths, count: fc.integer({ min: 1, max: 6 }) }), { maxLength: 5 });
    fc.assert(
      fc.property(groups, groups, (wanted, offered) => {
        const ports = offered.map((p) => ({ protocol: 'pcie6', ...p }));
        const one = wanted.flatMap((d) => demands(...Array<number>(d.count).fill(d.width)));
        assert.equal(packSubLinks(wanted.map((d) => ({ ...d, link })), ports), bestFitOneByOne(one.map((d) => d.width), ports));
      }),
      { seed: 9, numRuns: 1_000 },
    );
  });
});
