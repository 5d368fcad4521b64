/**
 * What the report draws, checked against figures derived by hand (comments) on small fabrics and
 * on the examples: flags, utilization classes, group collapse, the bill of materials, the latency
 * matrix, workload timelines and alternatives, expectations.
 *
 * pcie6 x16 = 16 × 8 GB/s × 0.922 = 118.016 GB/s; a default link 10 ns + 0.5 m × 5 ns/m = 12.5 ns.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { generateTwoTier } from '../../scripts/generate-fabric.mjs';
import { comparisonRows } from '../../server/src/report/compare.js';
import { buildReportData } from '../../server/src/report/data.js';
import { layoutTopology } from '../../server/src/report/layout.js';
import { renderTopologySvg } from '../../server/src/report/svg.js';
import { buildTopologyView, edgeWidth, utilizationBand } from '../../server/src/report/view.js';
import { simulateSource } from '../../server/src/sim/simulate.js';
import { lineOf, near } from '../support/sim.js';
import { reportOfFile, reportOfText } from './support.js';

const X16 = 16 * 8e9 * 0.922;
const GiB = 2 ** 30;

/** Four gpus on a leaf with two x16 uplinks to a spine: 4 × B down over 2 × B up = 2:1. */
const OVERSUBSCRIBED = `fabric over {
  gpu g[4]
  switch leaf : scorpio_x
  switch spine : scorpio_x
  for i in 0..3 { link g[i] <-> leaf : pcie6 x16 }
  link leaf <-> spine : pcie6 x16 * 2
  workload alone { flow 1 GiB g[0] -> g[1] }
  workload shared {
    parallel {
      flow 1 GiB g[2] -> g[3]
      compute 13 ms
    }
  }
}`;

describe('report view model: switches', () => {
  const data = reportOfText(OVERSUBSCRIBED);
  const view = buildTopologyView(data);

  it('flags a 2:1 oversubscribed switch above the default limit of 1 and leaves the spine alone', () => {
    const leaf = view.nodes.find((n) => n.id === 'leaf')!;
    near(leaf.oversubscription, 2, 1e-9, 'leaf oversubscription');
    assert.equal(leaf.oversubscribed, true);
    assert.equal(leaf.overLimit, true);
    const spine = view.nodes.find((n) => n.id === 'spine')!;
    assert.equal(spine.oversubscription, null);
    assert.equal(spine.overLimit, false);
    assert.deepEqual(leaf.lanes, { used: 4 * 16 + 32, total: 320 });
  });

  it('draws the flag: the leaf node carries over-limit and a 2:1 badge, the spine neither', async () => {
    const svg = renderTopologySvg(data, await layoutTopology(data));
    const leaf = /<g class="([^"]*)" data-id="leaf"[^>]*>(.*?)<\/g><\/g>|<g class="([^"]*)" data-id="leaf"/.exec(svg)!;
    assert.match(leaf[0], /over-limit/);
    assert.match(svg, /<g class="ratio">.*?>2:1<\/text>/);
    assert.doesNotMatch(/<g class="([^"]*)" data-id="spine"/.exec(svg)![1], /over-limit|oversubscribed/);
  });

  it('places the spine above the leaf (the upper end is the edge source)', () => {
    const uplink = view.edges.find((e) => [e.source, e.target].sort().join() === 'leaf,spine')!;
    assert.equal(uplink.source, 'spine');
    assert.equal(uplink.subLinks, 2);
    near(uplink.bandwidth, 2 * X16, 1e-9, 'uplink bandwidth');
  });
});

describe('report view model: link utilization', () => {
  const data = reportOfText(OVERSUBSCRIBED);
  const view = buildTopologyView(data);
  const edge = (a: string, b: string) => view.edges.find((e) => [e.source, e.target].sort().join() === [a, b].sort().join())!;

  it('colours a link by its peak: full for a lone flow, medium when compute stretches the phase, idle when unused', () => {
    // alone: the flow fills g[0] -> leaf for all but its latency (~1.1 µs of 9.1 ms).
    assert.equal(edge('g[0]', 'leaf').band, 'full');
    // shared: 1 GiB / 118.016 GB/s = 9.098 ms of a 13 ms phase = 0.700.
    near(edge('g[2]', 'leaf').peak, GiB / X16 / 13e-3, 0.001, 'g[2] link peak');
    assert.equal(edge('g[2]', 'leaf').band, 'medium');
    assert.equal(edge('leaf', 'spine').band, 'idle');
  });

  it('writes the class into the SVG for every edge', async () => {
    const svg = renderTopologySvg(data, await layoutTopology(data));
    for (const e of view.edges) assert.match(svg, new RegExp(`<g class="edge util-${e.band}[^"]*" data-id="${e.id}"`));
  });

  it('bands follow the documented bounds, and an unsimulated fabric has no colour of use', () => {
    assert.deepEqual([0, 0.009, 0.01, 0.49, 0.5, 0.79, 0.8, 0.949, 0.95, 1].map(utilizationBand), ['idle', 'idle', 'low', 'low', 'medium', 'medium', 'high', 'high', 'full', 'full']);
    assert.equal(utilizationBand(null), 'unsimulated');
    const { check } = simulateSource('/t/main.fabric', OVERSUBSCRIBED, { read: () => undefined });
    assert.ok(buildTopologyView(buildReportData(check, undefined)).edges.every((e) => e.band === 'unsimulated' && e.peak === null));
  });

  it('widens edges with bandwidth', () => {
    assert.ok(edgeWidth(2 * X16) > edgeWidth(X16));
    assert.ok(edgeWidth(40 * X16) > edgeWidth(4 * X16));
  });

  it('marks saturated links named by a link-overload warning as overloaded, and only those', () => {
    const overloaded = reportOfFile('examples/broken/link-overload.fabric');
    assert.deepEqual(overloaded.topology.links.filter((l) => l.overloaded).map((l) => l.name), ['leaf[0] <-> spine', 'leaf[1] <-> spine']);
    const drawn = buildTopologyView(overloaded).edges.filter((e) => e.overloaded).map((e) => [e.source, e.target].join(' '));
    assert.deepEqual(drawn, ['spine leaf[0]', 'spine leaf[1]']);
    // The 4:1 leaves are oversubscribed but within the file's limit of 4.
    const leaf = buildTopologyView(overloaded).nodes.find((n) => n.id === 'leaf[0]')!;
    assert.deepEqual([leaf.oversubscribed, leaf.overLimit], [true, false]);
  });
});

describe('report view model: groups', () => {
  it('collapses the 64 pod accelerators into 8 groups of 8, one per host, and keeps small arrays', () => {
    const data = reportOfFile('examples/ualink_pod.fabric');
    assert.deepEqual(
      data.topology.groups.map((g) => `${g.id} ${g.count}`),
      [0, 1, 2, 3, 4, 5, 6, 7].map((k) => `acc[${8 * k}..${8 * k + 7}] 8`),
    );
    const view = buildTopologyView(data);
    // 8 groups + 4 switches + 2 pools + 8 hosts; edges: 8 × 4 group–plane, 8 host–group, 8 host–plane, 2 × 4 pool–plane.
    assert.equal(view.nodes.length, 22);
    assert.equal(view.edges.length, 56);
    const plane = view.edges.find((e) => e.source === 'sx[0]' && e.target === 'acc[0..7]')!;
    assert.equal(plane.links, 8);
    assert.equal(view.nodes.find((n) => n.id === 'acc[0..7]')!.count, 8);
  });

  it('expands a group on request: its members replace it and their links are drawn one by one', () => {
    const data = reportOfFile('examples/ualink_pod.fabric');
    const view = buildTopologyView(data, ['acc[0..7]']);
    assert.equal(view.nodes.length, 29);
    assert.ok(!view.nodes.some((n) => n.id === 'acc[0..7]'));
    assert.equal(view.nodes.find((n) => n.id === 'acc[3]')!.group, null);
    // 8 members × 4 planes + 8 host links, 7 groups × 4 + 7, 8 host–plane, 8 pool–plane.
    assert.equal(view.edges.length, 32 + 8 + 28 + 7 + 8 + 8);
  });

  it('folds an NVL72 into its three arrays, the 1,296 GPU–switch links into one edge', () => {
    const view = buildTopologyView(reportOfFile('examples/nvl72.fabric'));
    assert.deepEqual(view.nodes.map((n) => `${n.id} ${n.count}`).sort(), ['b200[*] 72', 'grace[*] 36', 'nvs[*] 18']);
    const spine = view.edges.find((e) => e.source === 'nvs[*]')!;
    assert.equal(spine.links, 72 * 18);
    near(spine.bandwidth, 72 * 18 * 2 * 25e9 * 0.8, 1e-9, 'NVLink edge bandwidth');
  });

  it('keeps a 16,384-accelerator two-tier fabric to a handful of nodes', () => {
    const data = reportOfText(generateTwoTier(16384));
    const view = buildTopologyView(data);
    // acc[*] and leaf[*] fold (1,024 runs each, more than 8); the 8 spines stay.
    assert.deepEqual(view.nodes.map((n) => n.id), ['acc[*]', 'leaf[*]', ...Array.from({ length: 8 }, (_, s) => `spine[${s}]`)]);
    assert.equal(view.edges.find((e) => e.source === 'leaf[*]')!.links, 16384);
    assert.equal(data.latency.rows.length, 1);
  });

  it('tags every group node with data-group and every element with its source', async () => {
    const data = reportOfFile('examples/ualink_pod.fabric');
    const svg = renderTopologySvg(data, await layoutTopology(data));
    assert.equal(svg.match(/data-group="acc\[\d+\.\.\d+\]"/g)?.length, 8);
    const elements = svg.match(/<g class="(node|edge)[^"]*" data-id="[^"]*"[^>]*>/g)!;
    assert.equal(elements.length, 22 + 56);
    for (const element of elements) assert.match(element, /data-source="examples\/ualink_pod\.fabric:\d+:\d+"/);
  });
});

describe('report view model: bill of materials', () => {
  const data = reportOfText(`model hot : gpu { ports: [pcie6 x16 * 2]  power: 300 W }
fabric bom {
  gpu g[4] : hot
  switch sx : scorpio_x
  cpu host
  for i in 0..3 { link g[i] <-> sx : pcie6 x16 }
  link host <-> sx : pcie6 x8 * 2 { length: 3 m  retimers: 1 }
}`);

  it('totals devices, links, lanes, retimers and power by hand', () => {
    assert.deepEqual(data.bom.totals, {
      devices: 6,
      accelerators: 4,
      switches: 1,
      hosts: 1,
      memories: 0,
      links: 5,
      subLinks: 4 + 2,
      lanes: 4 * 16 + 2 * 8,
      switchLanesUsed: 80,
      switchLanesTotal: 320,
      retimers: 2, // one retimer position × two sub-links
      power_W: 4 * 300,
      powerUnknown: 2, // scorpio_x and the default cpu give no power
    });
  });

  it('lists switches by model, then accelerators, hosts; links by protocol and width', () => {
    assert.deepEqual(data.bom.devices, [
      { kind: 'switch', model: 'scorpio_x', count: 1, lanesEach: 320, powerEach_W: null },
      { kind: 'gpu', model: 'hot', count: 4, lanesEach: null, powerEach_W: 300 },
      { kind: 'cpu', model: 'cpu', count: 1, lanesEach: null, powerEach_W: null },
    ]);
    assert.deepEqual(data.bom.links, [
      { protocol: 'pcie6', width: 8, links: 1, subLinks: 2, lanes: 16, retimers: 2 },
      { protocol: 'pcie6', width: 16, links: 4, subLinks: 4, lanes: 64, retimers: 0 },
    ]);
  });

  it('gives the lane budget per protocol', () => {
    assert.deepEqual(data.laneBudgets.map((b) => [b.switch, b.used, b.total, b.byProtocol]), [['sx', 80, 320, [{ protocol: 'pcie6', lanes: 80 }]]]);
    const consolidated = reportOfFile('examples/scorpio_consolidated.fabric');
    // 16 accelerators × 16 pcie6, host 16 + 2 cards × 16 on cxl: 256 + 48 = 304 of 320.
    assert.deepEqual(consolidated.laneBudgets[0].byProtocol, [{ protocol: 'pcie6', lanes: 256 }, { protocol: 'cxl', lanes: 48 }]);
    assert.equal(consolidated.laneBudgets[0].used, 304);
  });
});

describe('report view model: latency matrix', () => {
  const data = reportOfFile('examples/legacy_pcie5.fabric');

  it('has one row per leaf group, memories then peers as columns', () => {
    assert.deepEqual(data.latency.rows.map((r) => `${r.label} from ${r.representative}`), ['acc[0..3] from acc[0]', 'acc[4..7] from acc[4]', 'acc[8..11] from acc[8]', 'acc[12..15] from acc[12]']);
    assert.deepEqual(data.latency.columns.map((c) => c.label), ['mem[0]', 'mem[1]', 'acc[0..3]', 'acc[4..7]', 'acc[8..11]', 'acc[12..15]']);
  });

  it('derives the latencies: 138 ns within a leaf, 393 ns across, host-attached memory unreachable', () => {
    const [row] = data.latency.cells;
    // Host-attached memory: endpoints never relay, so no accelerator reaches it.
    assert.deepEqual(row.slice(0, 2), [null, null]);
    // 0.3 m risers: 10 + 1.5 = 11.5 ns; leaf 115 ns: 11.5 + 115 + 11.5.
    near(row[2]!.max_s, 138e-9, 1e-6, 'within a leaf');
    // leaf, root, leaf: 3 × 115 + 2 × 11.5 + 2 × 12.5 (root links at 0.5 m).
    near(row[3]!.min_s, 393e-9, 1e-6, 'across leaves');
    near(row[3]!.max_s, 393e-9, 1e-6, 'across leaves');
  });
});

describe('report view model: workloads and expectations', () => {
  const data = reportOfFile('examples/scorpio_consolidated.fabric');
  const train = data.workloads.find((w) => w.name === 'train_step')!;

  it('keeps each step as written, with its alternatives fastest first', () => {
    const allreduce = train.steps.find((s) => s.op === 'allreduce')!;
    assert.equal(allreduce.text, 'allreduce 256 MiB over acc[*]');
    assert.equal(allreduce.algorithm, 'inc');
    // tree: 2 ⌈log2 16⌉ α + 2S/B = 4.57 ms, behind ring's 4.36 ms.
    assert.deepEqual(allreduce.alternatives.map((a) => a.algorithm), ['inc', 'ring', 'tree']);
    // inc (push): 3 µs + 2 × (11.5 + 120) ns + 256 MiB / 118.016 GB/s.
    const S = 256 * 2 ** 20;
    near(allreduce.alternatives[0].time_s, 3e-6 + 2 * 131.5e-9 + S / X16, 0.01, 'inc');
    // ring: 30 × (3 µs + 143 ns) + 30/16 × S / B.
    near(allreduce.alternatives[1].time_s, 30 * 3.143e-6 + (30 / 16) * (S / X16), 0.01, 'ring');
    assert.equal(allreduce.source.line, lineOf(readFileSync('examples/scorpio_consolidated.fabric', 'utf8'), 'allreduce 256 MiB over acc[*]'));
  });

  it('lays the steps end to end: each phase starts where the last ended', () => {
    let end = 0;
    for (const step of train.steps) {
      near(step.start_s, end, 1e-9, `start of line ${step.source.line}`);
      end = step.start_s + step.time_s;
    }
    near(end, train.time_s, 1e-9, 'workload time');
    const parallel = data.workloads.find((w) => w.name === 'tensor_parallel')!;
    assert.ok(parallel.steps.every((s) => s.start_s === 0 && s.phase === 0));
  });

  it('reports a failed expectation with its measured value and bound', () => {
    const failed = reportOfFile('examples/broken/expectation-failed.fabric');
    assert.equal(failed.expectations.length, 1);
    const [e] = failed.expectations;
    assert.equal(e.text, 'expect latency acc[0] -> acc[1] < 100 ns');
    assert.equal(e.pass, false);
    near(e.actual, 145e-9, 1e-6, 'measured'); // 12.5 + 120 + 12.5 ns
    near(e.bound, 100e-9, 1e-9, 'bound');
    assert.equal(failed.diagnostics.errors, 1);
  });
});

describe('report comparison', () => {
  it('sets the legacy tree beside the consolidated switch: counts, latencies, workload times', () => {
    const rows = comparisonRows([reportOfFile('examples/legacy_pcie5.fabric'), reportOfFile('examples/scorpio_consolidated.fabric')]);
    const row = (label: string) => rows.find((r) => r.label === label)!.values;
    assert.deepEqual(row('switches'), [5, 1]);
    assert.deepEqual(row('accelerators'), [16, 16]);
    // Both designs: 16 × 350 W accelerators; the other devices have no power figure.
    assert.deepEqual(row('power (devices with a figure)'), [5600, 5600]);
    const farthest = row('latency accelerator ↔ accelerator, farthest');
    near(farthest[0], 393e-9, 1e-6, 'legacy farthest');
    near(farthest[1], 143e-9, 1e-6, 'consolidated farthest'); // 11.5 + 120 + 11.5
    assert.deepEqual(row('latency accelerator → memory, nearest')[0], null);
    assert.deepEqual(row('expectations failing'), [0, 0]);
    const train = row('workload train_step');
    assert.ok(train[0]! > train[1]!, `legacy ${train[0]} should be slower than consolidated ${train[1]}`);
  });
});
