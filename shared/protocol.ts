/**
 * The custom requests between the Fabric language server and its clients, declared once and
 * imported by both sides (the server, the VS Code client, the tests).
 */
import { RequestType } from 'vscode-languageserver-protocol';
import type { SimulationReport } from '../server/src/sim/report.js';

export interface DocumentParams {
  /** The document's URI, as the client knows it. */
  uri: string;
}

/** `fabric/simulate`: the JSON report of FABRIC-LANGUAGE.md §10 for the document's current text. */
export const SimulateRequest = new RequestType<DocumentParams, SimulationReport | null, void>('fabric/simulate');

/** `fabric/topology`: what to draw — devices, links, utilization and source ranges. */
export const TopologyRequest = new RequestType<DocumentParams, Topology | null, void>('fabric/topology');

/** An LSP range: zero-based lines and UTF-16 characters. */
export interface SourceRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

export interface TopologyDevice {
  name: string;
  kind: 'gpu' | 'cpu' | 'switch' | 'memory';
  model: string;
  /** The declaration (`gpu acc[64] : gpu_ualink`) and its array name and index. */
  array: string;
  index: number | null;
  uri: string;
  range: SourceRange;
  /** Switches: lanes used of the budget; others: null. */
  lanesUsed: number | null;
  lanesTotal: number | null;
  /** Static oversubscription of a switch with endpoint and switch links, else null. */
  oversubscription: number | null;
}

export interface TopologyLink {
  name: string;
  a: string;
  b: string;
  protocol: string;
  width: number;
  count: number;
  /** Effective bytes per second per direction. */
  bandwidth: number;
  latency_s: number;
  uri: string;
  range: SourceRange;
  /** Peak utilization a→b and b→a (0–1) from the last simulation, or null before one. */
  utilization: { forward: number; backward: number; workload: string | null } | null;
}

export interface Topology {
  uri: string;
  /** The document version the devices and links come from. */
  version: number;
  /** The version the utilization comes from (the last finished simulation), or null. */
  simulatedVersion: number | null;
  fabric: string | null;
  devices: TopologyDevice[];
  links: TopologyLink[];
}
