/**
 * The report's data: everything the HTML report and the VS Code report view draw, as plain JSON
 * (it crosses the language server's worker boundary). Built from a check result and its
 * simulation; SI units throughout (seconds, bytes, bytes per second, watts); source locations
 * 1-based like the JSON diagnostics.
 */
import type { CheckResult } from '../model/check.js';
import { declarationHead, lanesUsed, linkHead, staticOversubscription } from '../model/checks.js';
import { locate } from '../model/locate.js';
import type { DeviceKind } from '../syntax/ast.js';
import type { Device, FabricModel, Link } from '../model/types.js';
import { busFactor } from '../sim/collectives.js';
import { sourceLookup } from '../sim/json.js';
import { Network } from '../sim/network.js';
import type { Simulation } from '../sim/simulate.js';
import type { Span } from '../syntax/source.js';
import { acceleratorSets, memorySets, topologySets, type DeviceSet } from './groups.js';

export interface SourceLocation {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface ReportNode {
  /** The device's name (`acc[3]`), unique in the fabric. */
  id: string;
  kind: DeviceKind;
  model: string;
  array: string;
  index: number | null;
  /** The group node this device is drawn in while the group is collapsed; null when drawn on its own. */
  group: string | null;
  /** The declaration's `///` comment. */
  doc: string | null;
  power_W: number | null;
  /** Switches: lanes used and the budget; null for other devices. */
  lanes: { used: number; total: number | null } | null;
  /** Static oversubscription (§9): endpoint bandwidth ÷ switch-link bandwidth; null unless a switch has both. */
  oversubscription: number | null;
  /** Above the fabric's `oversubscription_limit` (the `oversubscription` warning). */
  overLimit: boolean;
  /** More lanes used than the switch has (the `lane-budget` error). */
  overBudget: boolean;
  /** In-network features the model gives (`inc`, `hypercast`). */
  features: string[];
  source: SourceLocation;
}

export interface ReportGroup {
  id: string;
  /** `acc[0..7]` or `acc[*]`. */
  label: string;
  kind: DeviceKind;
  model: string;
  count: number;
  doc: string | null;
  source: SourceLocation;
}

export interface LinkUtilization {
  /** Peak utilization (0–1) a→b and b→a over all phases, and the larger of the two. */
  forward: number;
  backward: number;
  peak: number;
  /** Where the peak happened. */
  workload: string | null;
  line: number | null;
}

export interface ReportLink {
  /** `link7`: unique even when two links join the same pair. */
  id: string;
  /** `acc[0] <-> sx[0]`. */
  name: string;
  a: string;
  b: string;
  protocol: string;
  width: number;
  count: number;
  /** width × count, per end. */
  lanes: number;
  /** Effective bytes per second per direction. */
  bandwidth: number;
  latency_s: number;
  length_m: number;
  retimers: number;
  /** Null before a simulation. */
  utilization: LinkUtilization | null;
  /** Saturated, and named by a `link-overload` warning: it slows a workload down. */
  overloaded: boolean;
  source: SourceLocation;
}

export interface LaneBudget {
  switch: string;
  model: string;
  used: number;
  total: number | null;
  /** Lanes used per protocol, in the order the protocols first appear. */
  byProtocol: { protocol: string; lanes: number }[];
  overBudget: boolean;
  source: SourceLocation;
}

export interface LatencySet {
  id: string;
  label: string;
  kind: DeviceKind;
  count: number;
  /** The device whose latencies stand for the set's row. */
  representative: string;
}

export interface LatencyCell {
  /** One-way path latency from the row's representative to the nearest and farthest member of the column (the representative itself left out). */
  min_s: number;
  max_s: number;
  /** Members of the column with no route from the representative. */
  unreachable: number;
}

export interface LatencyMatrix {
  rows: LatencySet[];
  /** Memory sets first, then the accelerator sets (peers). */
  columns: LatencySet[];
  /** rows × columns; null when every member is unreachable or the column holds only the representative. */
  cells: (LatencyCell | null)[][];
}

export interface ReportStep {
  op: string;
  /** The statement as written (`allreduce 1 GiB over acc[*]`). */
  text: string;
  /** The algorithm simulated (`ring`, `inc`, …, `direct`), null for compute. */
  algorithm: string | null;
  bytes: number;
  ranks: number;
  phase: number;
  /** When the step's phase starts, from the workload's start. */
  start_s: number;
  time_s: number;
  latency_s: number;
  transfer_s: number;
  algbw_GBps: number | null;
  busbw_GBps: number | null;
  bottleneck: string | null;
  /** Each algorithm the hardware supports, alone on the idle fabric, fastest first. */
  alternatives: { algorithm: string; time_s: number }[];
  source: SourceLocation;
}

export interface ReportWorkload {
  name: string;
  doc: string | null;
  time_s: number;
  steps: ReportStep[];
  source: SourceLocation;
}

export interface ReportExpectation {
  /** The expectation as written (`expect latency acc[*] -> pool[*] < 250 ns`). */
  text: string;
  metric: string;
  comparison: string;
  bound: number;
  /** The unit the bound was written in (`ns`, `GB/s`, `%`, or '' for a ratio). */
  unit: string;
  /** Measured, in SI units; null when it could not be measured. */
  actual: number | null;
  pass: boolean;
  source: SourceLocation;
}

export interface BomDevices {
  kind: DeviceKind;
  model: string;
  count: number;
  /** Switch lanes each; null for other kinds. */
  lanesEach: number | null;
  /** From the model or the declaration; null when neither gives a power figure. */
  powerEach_W: number | null;
}

export interface BomLinks {
  protocol: string;
  width: number;
  /** Link instances (a loop's line counts once per iteration). */
  links: number;
  /** Sub-links (a link `x4 * 2` is two). */
  subLinks: number;
  /** Lanes per end. */
  lanes: number;
  /** One per sub-link at each retimer position a link declares. */
  retimers: number;
}

export interface BillOfMaterials {
  devices: BomDevices[];
  links: BomLinks[];
  totals: {
    devices: number;
    accelerators: number;
    switches: number;
    hosts: number;
    memories: number;
    links: number;
    subLinks: number;
    lanes: number;
    switchLanesUsed: number;
    switchLanesTotal: number;
    retimers: number;
    /** Sum over the devices with a power figure; the rest are counted in powerUnknown. */
    power_W: number;
    powerUnknown: number;
  };
}

export interface ReportData {
  fabric: { name: string; description: string | null; doc: string | null; file: string } | null;
  /** The file the report was made from. */
  file: string;
  diagnostics: { errors: number; warnings: number; hints: number };
  /** Whether a simulation ran (false: utilization, workloads and expectations are empty). */
  simulated: boolean;
  settings: { oversubscription_limit: number; overload_threshold: number; step_overhead_s: number } | null;
  topology: { nodes: ReportNode[]; groups: ReportGroup[]; links: ReportLink[] };
  laneBudgets: LaneBudget[];
  latency: LatencyMatrix;
  workloads: ReportWorkload[];
  expectations: ReportExpectation[];
  bom: BillOfMaterials;
  /** Each estimated figure the results rest on. */
  assumptions: string[];
}

/** A link saturates at this utilization (max-min rates fill a bottleneck to within rounding). */
const SATURATED = 0.999;

export function buildReportData(check: CheckResult, simulation: Simulation | undefined): ReportData {
  const sources = sourceLookup(check);
  const at = (file: string, span: Span): SourceLocation => ({ file, ...locate({ file, span }, sources) });
  const textOf = (file: string, span: Span) => (sources(file)?.text.slice(span.start, span.end) ?? '').replace(/\s+/g, ' ').trim();
  const count = (severity: string) => check.diagnostics.filter((d) => d.severity === severity).length;
  const fabric = check.fabric;
  const data: ReportData = {
    fabric: null,
    file: check.program.entry.source.path,
    diagnostics: { errors: count('error'), warnings: count('warning'), hints: count('hint') },
    simulated: simulation !== undefined,
    settings: null,
    topology: { nodes: [], groups: [], links: [] },
    laneBudgets: [],
    latency: { rows: [], columns: [], cells: [] },
    workloads: [],
    expectations: [],
    bom: billOfMaterials(undefined),
    assumptions: simulation?.assumptions ?? [],
  };
  if (!fabric) return data;
  const decl = check.program.entry.tree.fabrics[0];
  data.fabric = { name: fabric.name, description: fabric.description ?? null, doc: decl?.doc ?? null, file: fabric.file };
  data.settings = { oversubscription_limit: fabric.settings.oversubscription_limit, overload_threshold: fabric.settings.overload_threshold, step_overhead_s: fabric.settings.step_overhead };

  const sets = topologySets(fabric);
  const groupOf = new Map<Device, DeviceSet>();
  for (const set of sets) if (set.devices.length > 1) for (const device of set.devices) groupOf.set(device, set);
  data.topology.groups = sets
    .filter((set) => set.devices.length > 1)
    .map((set) => {
      const array = set.array ?? set.devices[0].array;
      return { id: set.id, label: set.label, kind: set.kind, model: set.model, count: set.devices.length, doc: array.decl.doc ?? null, source: at(array.file, declarationHead(array.decl)) };
    });
  data.topology.nodes = fabric.devices.map((device) => deviceNode(device, fabric, groupOf.get(device)?.id ?? null, at(device.array.file, declarationHead(device.array.decl))));
  data.topology.links = topologyLinks(check, simulation, at);
  data.laneBudgets = fabric.devices
    .filter((d) => d.array.kind === 'switch')
    .map((d) => ({ switch: d.name, model: d.array.model.name, used: lanesUsed(d), total: d.array.spec.lanes?.value ?? null, byProtocol: lanesByProtocol(d.links), overBudget: isOverBudget(d), source: at(d.array.file, declarationHead(d.array.decl)) }));
  data.latency = latencyMatrix(fabric, simulation?.network ?? new Network(fabric));
  data.bom = billOfMaterials(fabric);
  if (!simulation) return data;

  data.workloads = simulation.workloads.map((result) => {
    const workload = fabric.workloads.get(result.name)!;
    let start = 0;
    let phase = -1;
    let phaseEnd = 0;
    const steps = result.steps.map((step): ReportStep => {
      if (step.phase !== phase) {
        start = phaseEnd;
        phase = step.phase;
      }
      phaseEnd = Math.max(phaseEnd, start + step.time);
      const statement = step.statement;
      const bytes = statement.type === 'compute' || statement.type === 'train' || statement.type === 'serve' ? 0 : statement.bytes;
      const algbw = bytes === 0 || !(step.time > 0) ? null : bytes / step.time / 1e9;
      const alternatives = Object.entries(step.alternatives)
        .map(([algorithm, time_s]) => ({ algorithm, time_s: time_s! }))
        .sort((x, y) => x.time_s - y.time_s);
      return {
        op: statement.type,
        text: textOf(fabric.file, statement.span),
        algorithm: step.algorithm,
        bytes,
        ranks: step.ranks,
        phase: step.phase,
        start_s: start,
        time_s: step.time,
        latency_s: step.latency,
        transfer_s: step.transfer,
        algbw_GBps: algbw,
        busbw_GBps: algbw === null ? null : algbw * busFactor(statement.type, step.ranks),
        bottleneck: step.bottleneck,
        alternatives,
        source: at(fabric.file, statement.span),
      };
    });
    return { name: result.name, doc: workloadDoc(check, result.name), time_s: result.time, steps, source: at(workload.origin.file, workload.origin.span) };
  });
  data.expectations = simulation.expectations.map((result) => {
    const e = result.expectation;
    return { text: textOf(e.file, e.decl.span), metric: e.metric, comparison: e.comparison, bound: e.bound, unit: e.unit, actual: result.actual, pass: result.pass, source: at(e.file, e.decl.span) };
  });
  return data;
}

function deviceNode(device: Device, fabric: FabricModel, group: string | null, source: SourceLocation): ReportNode {
  const spec = device.array.spec;
  const isSwitch = device.array.kind === 'switch';
  const oversubscription = isSwitch ? (staticOversubscription(device) ?? null) : null;
  return {
    id: device.name,
    kind: device.array.kind,
    model: device.array.model.name,
    array: device.array.name,
    index: device.index ?? null,
    group,
    doc: device.array.decl.doc ?? null,
    power_W: spec.power?.value ?? null,
    lanes: isSwitch ? { used: lanesUsed(device), total: spec.lanes?.value ?? null } : null,
    oversubscription,
    overLimit: oversubscription !== null && oversubscription > fabric.settings.oversubscription_limit * (1 + 1e-9),
    overBudget: isOverBudget(device),
    features: [...(spec.inc?.value ? ['inc'] : []), ...(spec.hypercast?.value ? ['hypercast'] : [])],
    source,
  };
}

function isOverBudget(device: Device): boolean {
  const total = device.array.spec.lanes?.value;
  return device.array.kind === 'switch' && total !== undefined && lanesUsed(device) > total;
}

function lanesByProtocol(links: Link[]): { protocol: string; lanes: number }[] {
  const lanes = new Map<string, number>();
  for (const link of links) lanes.set(link.protocol.name, (lanes.get(link.protocol.name) ?? 0) + link.lanes);
  return [...lanes].map(([protocol, n]) => ({ protocol, lanes: n }));
}

function topologyLinks(check: CheckResult, simulation: Simulation | undefined, at: (file: string, span: Span) => SourceLocation): ReportLink[] {
  const fabric = check.fabric!;
  // A link-overload warning sits on its link's line; a loop's line covers all its links, so
  // only the saturated ones on a flagged line count as overloaded.
  const flagged = new Set(check.diagnostics.filter((d) => d.code === 'link-overload').map((d) => `${d.file}\u0000${d.span.start}`));
  const lineOf = (span: Span | null) => (span ? at(fabric.file, span).line : null);
  return fabric.links.map((link) => {
    const peak = simulation?.peaks[link.id];
    const head = linkHead(link.decl);
    const utilization = peak
      ? { forward: peak.forward, backward: peak.backward, peak: Math.max(peak.forward, peak.backward), workload: peak.workload, line: lineOf(peak.span) }
      : null;
    return {
      id: `link${link.id}`,
      name: link.name,
      a: link.a.name,
      b: link.b.name,
      protocol: link.protocol.name,
      width: link.width,
      count: link.count,
      lanes: link.lanes,
      bandwidth: link.bandwidth,
      latency_s: link.latency,
      length_m: link.length,
      retimers: link.retimers,
      utilization,
      overloaded: utilization !== null && utilization.peak >= SATURATED && flagged.has(`${link.file}\u0000${head.start}`),
      source: at(link.file, head),
    };
  });
}

function workloadDoc(check: CheckResult, name: string): string | null {
  const decl = check.program.entry.tree.fabrics[0]?.items.find((item) => item.type === 'workload' && item.name.text === name);
  return decl?.type === 'workload' ? (decl.doc ?? null) : null;
}

/** Latencies from one representative per accelerator set: one routing pass per row, not all pairs. */
function latencyMatrix(fabric: FabricModel, network: Network): LatencyMatrix {
  const rowSets = acceleratorSets(fabric);
  const columnSets = [...memorySets(fabric), ...rowSets];
  const describe = (set: DeviceSet): LatencySet => ({ id: set.id, label: set.label, kind: set.kind, count: set.devices.length, representative: set.devices[0].name });
  const cells = rowSets.map((row) => {
    const from = row.devices[0];
    const latencies = network.latenciesFrom(from);
    return columnSets.map((column): LatencyCell | null => {
      let min = Infinity;
      let max = -Infinity;
      let unreachable = 0;
      for (const device of column.devices) {
        if (device === from) continue;
        const ps = latencies[device.id];
        if (ps === Infinity) unreachable++;
        else {
          min = Math.min(min, ps);
          max = Math.max(max, ps);
        }
      }
      return max < 0 ? null : { min_s: min / 1e12, max_s: max / 1e12, unreachable };
    });
  });
  return { rows: rowSets.map(describe), columns: columnSets.map(describe), cells };
}

function billOfMaterials(fabric: FabricModel | undefined): BillOfMaterials {
  const devices = new Map<string, BomDevices>();
  const links = new Map<string, BomLinks>();
  const totals = { devices: 0, accelerators: 0, switches: 0, hosts: 0, memories: 0, links: 0, subLinks: 0, lanes: 0, switchLanesUsed: 0, switchLanesTotal: 0, retimers: 0, power_W: 0, powerUnknown: 0 };
  const kindTotal = { gpu: 'accelerators', cpu: 'hosts', switch: 'switches', memory: 'memories' } as const;
  for (const device of fabric?.devices ?? []) {
    const kind = device.array.kind;
    const key = `${kind}\u0000${device.array.model.name}\u0000${device.array.spec.power?.value ?? ''}\u0000${device.array.spec.lanes?.value ?? ''}`;
    let row = devices.get(key);
    if (!row) {
      row = { kind, model: device.array.model.name, count: 0, lanesEach: kind === 'switch' ? (device.array.spec.lanes?.value ?? null) : null, powerEach_W: device.array.spec.power?.value ?? null };
      devices.set(key, row);
    }
    row.count++;
    totals.devices++;
    totals[kindTotal[kind]]++;
    if (row.powerEach_W === null) totals.powerUnknown++;
    else totals.power_W += row.powerEach_W;
    if (kind === 'switch') {
      totals.switchLanesUsed += lanesUsed(device);
      totals.switchLanesTotal += row.lanesEach ?? 0;
    }
  }
  for (const link of fabric?.links ?? []) {
    const key = `${link.protocol.name} x${link.width}`;
    let row = links.get(key);
    if (!row) {
      row = { protocol: link.protocol.name, width: link.width, links: 0, subLinks: 0, lanes: 0, retimers: 0 };
      links.set(key, row);
    }
    row.links++;
    row.subLinks += link.count;
    row.lanes += link.lanes;
    row.retimers += link.retimers * link.count;
    totals.links++;
    totals.subLinks += link.count;
    totals.lanes += link.lanes;
    totals.retimers += link.retimers * link.count;
  }
  const kindOrder: DeviceKind[] = ['switch', 'gpu', 'cpu', 'memory'];
  return {
    devices: [...devices.values()].sort((x, y) => kindOrder.indexOf(x.kind) - kindOrder.indexOf(y.kind)),
    links: [...links.values()].sort((x, y) => x.protocol.localeCompare(y.protocol) || x.width - y.width),
    totals,
  };
}
