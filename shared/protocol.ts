/**
 * The custom requests between the Fabric language server and its clients, declared once and
 * imported by both sides (the server, the VS Code client, the tests).
 */
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
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

/**
 * `fabric/report`: the live report of a document for a report view. Asking for it also tells the
 * server that a view is open (every later simulation of the document renders the report too,
 * in the worker) until `fabric/reportClosed`. Answered once the current text is checked and,
 * when it has no errors, simulated and rendered.
 */
export const ReportRequest = new RequestType<ReportParams, ReportResult | null, void>('fabric/report');

/** `fabric/reportClosed`: the document's report view closed; its simulations stop rendering. */
export const ReportClosedNotification = new NotificationType<DocumentParams>('fabric/reportClosed');

/** `fabric/exportReport`: the report of the current text as a stand-alone HTML page or SVG drawing. */
export const ExportReportRequest = new RequestType<ExportReportParams, ExportReportResult, void>('fabric/exportReport');

export interface ReportParams extends DocumentParams {
  /** The accelerator groups the view shows expanded (`data-group` of the drawing). */
  expandedGroups: string[];
}

export interface ReportResult {
  uri: string;
  /** The document version the answer is about. */
  version: number;
  fabric: string | null;
  /** The current text's errors (static ones: the simulation's findings are part of the report). */
  errors: ReportError[];
  /** What to show: the current text's report, or, while the text has errors, the last one without. */
  report: RenderedReport | null;
}

export interface ReportError {
  message: string;
  /** 1-based, as the CLI prints it. */
  line: number;
}

export interface RenderedReport {
  /** The document version the report was rendered from (older than the answer's while there are errors). */
  version: number;
  /** The groups drawn expanded: those asked for that the text has, less any too large to draw device by device. */
  expandedGroups: string[];
  /** The groups asked for but left collapsed: too many devices to lay out one by one. */
  tooLargeGroups: string[];
  /** The report's sections, the topology drawing among them: HTML and SVG markup from the report engine. */
  sections: string;
  /**
   * Where each element of the markup is declared, by its key: its `data-id` (nodes and edges of
   * the drawing), else its `data-source` (workloads, steps, expectations, lane budgets).
   */
  sources: Record<string, ElementSource>;
}

export interface ElementSource {
  uri: string;
  range: SourceRange;
}

export interface ExportReportParams extends ReportParams {
  format: 'html' | 'svg';
}

export type ExportReportResult = { text: string } | { error: string };
