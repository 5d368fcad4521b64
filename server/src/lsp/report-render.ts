/**
 * The report rendered for a report view or an export, in the simulation worker (elkjs's layout
 * takes seconds on large drawings and must not hold up hover): the report engine builds the
 * data, lays it out and draws it; this adds the source map a view uses to go from an element to
 * its declaration and back.
 */
import type { ElementSource } from '../../../shared/protocol.js';
import type { CheckResult } from '../model/check.js';
import type { ReportData, SourceLocation } from '../report/data.js';
import { buildReportData } from '../report/data.js';
import { renderReportPage, renderReportSections } from '../report/html.js';
import { layoutTopology, type TopologyLayout } from '../report/layout.js';
import { renderTopologyDocument, sourceAttribute } from '../report/svg.js';
import { expandableGroups } from '../report/view.js';
import type { Simulation } from '../sim/simulate.js';
import { pathToUri } from './convert.js';

export interface RenderJob {
  /** The groups drawn member by member. */
  expandedGroups: string[];
  /** `view`: the drawing and sections for a report view; `html`, `svg`: a file to export. */
  output: 'view' | 'html' | 'svg';
}

export type RenderOutput =
  /** `expandedGroups`: those of the job drawn expanded; `tooLargeGroups`: those left collapsed for their size. */
  | { output: 'view'; sections: string; sources: Record<string, ElementSource>; expandedGroups: string[]; tooLargeGroups: string[] }
  | { output: 'html' | 'svg'; text: string };

export async function renderReport(check: CheckResult, simulation: Simulation | undefined, uri: string, job: RenderJob): Promise<RenderOutput> {
  const data = buildReportData(check, simulation);
  const { expanded: expandedGroups, tooLarge: tooLargeGroups } = expandableGroups(data, job.expandedGroups);
  const layout = await layoutTopology(data, { expandedGroups });
  switch (job.output) {
    case 'view':
      return { output: 'view', sections: renderReportSections(data, layout), sources: elementSources(data, layout, uri), expandedGroups, tooLargeGroups };
    case 'svg':
      return { output: 'svg', text: renderTopologyDocument(data, layout) };
    case 'html':
      return { output: 'html', text: renderReportPage([{ data, layout }]) };
  }
}

/** Where each element of the markup is declared, by the key shared/protocol.ts describes. */
export function elementSources(data: ReportData, layout: TopologyLayout, entryUri: string): Record<string, ElementSource> {
  const uriOf = (file: string) => (file === data.file ? entryUri : pathToUri(file));
  const at = (location: SourceLocation): ElementSource => ({
    uri: uriOf(location.file),
    range: { start: { line: location.line - 1, character: location.column - 1 }, end: { line: location.endLine - 1, character: location.endColumn - 1 } },
  });
  const sources: Record<string, ElementSource> = {};
  for (const node of layout.nodes) sources[node.id] = at(node.source);
  for (const edge of layout.edges) sources[edge.id] = at(edge.sourceLocation);
  const bySource = (location: SourceLocation) => (sources[sourceAttribute(location)] = at(location));
  for (const workload of data.workloads) {
    bySource(workload.source);
    for (const step of workload.steps) bySource(step.source);
  }
  for (const expectation of data.expectations) bySource(expectation.source);
  for (const budget of data.laneBudgets) bySource(budget.source);
  return sources;
}
