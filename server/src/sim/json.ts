/**
 * The simulation as the JSON report of §10 (lines 1-based, SI units, GB/s for bandwidths). Every
 * figure is asserted finite: JSON would write `Infinity` and `NaN` as `null`, a silent lie.
 */
import type { CheckResult } from '../model/check.js';
import { lanesUsed, staticOversubscription } from '../model/checks.js';
import { diagnosticToJson, type SourceLookup } from '../model/locate.js';
import type { SourceFile } from '../syntax/source.js';
import { busFactor, routePlan } from './collectives.js';
import type { LatencyReport, SimulationReport } from './report.js';
import type { FabricModel } from '../model/types.js';
import { didYouMean } from '../model/suggest.js';
import { assertFinite } from '../model/units.js';
import { collectAssumptions } from './assumptions.js';
import type { Network } from './network.js';
import type { Simulation, StepResult } from './simulate.js';

export function sourceLookup(check: CheckResult): SourceLookup {
  const sources = new Map<string, SourceFile>(check.program.files.map((f) => [f.source.path, f.source]));
  sources.set(check.catalog.source.path, check.catalog.source);
  return (path) => sources.get(path);
}

const GB = 1e9;

const finiteOrNull = (value: number | null, what: string) => (value === null ? null : assertFinite(value, what));

function finiteAlternatives(alternatives: StepResult['alternatives']): Record<string, number> {
  const result: Record<string, number> = {};
  for (const [algorithm, time] of Object.entries(alternatives)) result[algorithm] = assertFinite(time, "an alternative's time");
  return result;
}

export function toReport(check: CheckResult, simulation: Simulation | undefined): SimulationReport {
  const sources = sourceLookup(check);
  const lineOf = (file: string, offset: number) => (sources(file)?.position(offset).line ?? 0) + 1;
  const fabric = check.fabric;
  const report: SimulationReport = {
    fabric: fabric?.name ?? null,
    diagnostics: check.diagnostics.map((d) => {
      const { related: _related, ...json } = diagnosticToJson(d, sources);
      return json;
    }),
    assumptions: simulation?.assumptions ?? [],
    switches: [],
    workloads: [],
    expectations: [],
    links: [],
  };
  if (!fabric) return report;
  report.switches = fabric.devices
    .filter((d) => d.array.kind === 'switch')
    .map((d) => ({
      name: d.name,
      model: d.array.model.name,
      lanesUsed: lanesUsed(d),
      lanesTotal: d.array.spec.lanes?.value ?? 0,
      oversubscription: finiteOrNull(staticOversubscription(d) ?? null, "a switch's oversubscription"),
    }));
  if (!simulation) return report;
  report.workloads = simulation.workloads.map((w) => ({
    name: w.name,
    line: lineOf(fabric.file, fabric.workloads.get(w.name)!.origin.span.start),
    time_s: assertFinite(w.time, "a workload's time"),
    steps: w.steps.map((step) => {
      const s = step.statement;
      const compute = s.type === 'compute' || s.type === 'train' || s.type === 'serve';
      const bytes = compute ? 0 : s.bytes;
      const algbw = compute || !(step.time > 0) ? null : assertFinite(bytes / step.time / GB, "a step's algbw");
      return {
        op: s.type,
        line: lineOf(fabric.file, s.span.start),
        algorithm: step.algorithm,
        bytes: assertFinite(bytes, "a step's size"),
        ranks: step.ranks,
        time_s: assertFinite(step.time, "a step's time"),
        algbw_GBps: algbw,
        busbw_GBps: algbw === null ? null : assertFinite(algbw * busFactor(s.type, step.ranks), "a step's busbw"),
        bottleneck: step.bottleneck,
        alternatives: finiteAlternatives(step.alternatives),
        phase: step.phase,
        latency_s: assertFinite(step.latency, "a step's latency"),
        transfer_s: assertFinite(step.transfer, "a step's transfer time"),
        ...(step.train ? { train: step.train } : {}),
        ...(step.serve ? { serve: step.serve } : {}),
      };
    }),
  }));
  report.expectations = simulation.expectations.map((result) => ({
    line: lineOf(result.expectation.file, result.expectation.decl.span.start),
    metric: result.expectation.metric,
    actual: finiteOrNull(result.actual, 'a measured value'),
    unit: result.expectation.unit,
    bound: assertFinite(result.expectation.bound, "an expectation's bound"),
    comparison: result.expectation.comparison,
    pass: result.pass,
  }));
  report.links = fabric.links.map((link) => {
    const peak = simulation.peaks[link.id];
    return {
      name: link.name,
      line: lineOf(link.file, link.decl.span.start),
      bandwidth: assertFinite(link.bandwidth, "a link's bandwidth"),
      latency_s: assertFinite(link.latency, "a link's latency"),
      peakUtilization: {
        forward: assertFinite(peak.forward, "a link's utilization"),
        backward: assertFinite(peak.backward, "a link's utilization"),
        workload: peak.workload,
        line: peak.span ? lineOf(fabric.file, peak.span.start) : null,
      },
    };
  });
  return report;
}

export function toLatencyReport(fabric: FabricModel, network: Network, fromName: string, toName: string): LatencyReport | { error: string } {
  const find = (name: string) => fabric.devices.find((d) => d.name === name);
  const from = find(fromName);
  const to = find(toName);
  if (!from || !to) {
    const missing = !from ? fromName : toName;
    const { hint } = didYouMean(missing, fabric.devices.length <= 10_000 ? fabric.devices.map((d) => d.name) : []);
    return { error: `no device named \`${missing}\` in the fabric ${fabric.name}${hint}` };
  }
  if (from === to) return { error: `\`${fromName}\` and \`${toName}\` are the same device` };
  const route = network.route(from, to);
  if (!route) return { error: `no route from ${fromName} to ${toName}: only switches forward, and no chain of switches joins them` };
  const assumptions = collectAssumptions(fabric, [routePlan(network, route)]);
  const { path, pathLinks } = network.reportedPath(route);
  return { from: fromName, to: toName, latency_s: assertFinite(route.latencyPs / 1e12, 'a path latency'), hops: pathLinks.length, path: path.map((d) => d.name), paths: route.paths, assumptions };
}
