/** `fabric/topology`: the resolved devices and links with source ranges and last utilization. */
import type { Topology } from '../../../shared/protocol.js';
import type { CheckResult } from '../model/check.js';
import { declarationHead, lanesUsed, linkHead, staticOversubscription } from '../model/checks.js';
import type { SimulationReport } from '../sim/report.js';
import type { SourceFile } from '../syntax/source.js';
import { pathToUri, toRange } from './convert.js';

export function buildTopology(uri: string, version: number, check: CheckResult, report: SimulationReport | undefined, reportVersion: number | undefined): Topology {
  const fabric = check.fabric;
  const sources = new Map<string, SourceFile>(check.program.files.map((f) => [f.source.path, f.source]));
  const uriOf = (file: string) => (file === check.program.entry.source.path ? uri : pathToUri(file));
  const peaks = new Map((report?.links ?? []).map((l) => [l.name, l.peakUtilization]));
  return {
    uri,
    version,
    simulatedVersion: report ? (reportVersion ?? null) : null,
    fabric: fabric?.name ?? null,
    devices: (fabric?.devices ?? []).map((d) => {
      const isSwitch = d.array.kind === 'switch';
      return {
        name: d.name,
        kind: d.array.kind,
        model: d.array.model.name,
        array: d.array.name,
        index: d.index ?? null,
        uri: uriOf(d.array.file),
        range: toRange(sources.get(d.array.file), declarationHead(d.array.decl)),
        lanesUsed: isSwitch ? lanesUsed(d) : null,
        lanesTotal: isSwitch ? (d.array.spec.lanes?.value ?? null) : null,
        oversubscription: isSwitch ? (staticOversubscription(d) ?? null) : null,
      };
    }),
    links: (fabric?.links ?? []).map((l) => {
      const peak = peaks.get(l.name);
      return {
        name: l.name,
        a: l.a.name,
        b: l.b.name,
        protocol: l.protocol.name,
        width: l.width,
        count: l.count,
        bandwidth: l.bandwidth,
        latency_s: l.latency,
        uri: uriOf(l.file),
        range: toRange(sources.get(l.file), linkHead(l.decl)),
        utilization: peak ? { forward: peak.forward, backward: peak.backward, workload: peak.workload } : null,
      };
    }),
  };
}
