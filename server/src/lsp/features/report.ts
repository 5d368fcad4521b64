/**
 * The report view's requests (shared/protocol.ts): `fabric/report` registers the view and answers
 * with the rendering of the current text — or, while the text has errors, the last rendering of
 * a text without — `fabric/reportClosed` unregisters it, `fabric/exportReport` renders a file.
 * The rendering itself happens in the simulation worker, with the simulation it draws.
 */
import { ExportReportRequest, ReportClosedNotification, ReportRequest, type RenderedReport, type ReportError } from '../../../../shared/protocol.js';
import type { CheckResult } from '../../model/check.js';
import type { DocumentState, Workspace } from '../workspace.js';
import type { Feature } from './feature.js';

/**
 * The static errors of a check, its imports' included (named by file): the simulation's own
 * findings, such as a failed expectation, are what the report shows.
 */
function errorsOf(check: CheckResult): ReportError[] {
  const entry = check.program.entry.source.path;
  const sources = new Map(check.program.files.map((file) => [file.source.path, file.source]));
  return check.diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => ({
      message: d.file === entry ? d.message : `${d.file.split('/').pop()}: ${d.message}`,
      line: (sources.get(d.file)?.position(d.span.start).line ?? 0) + 1,
    }));
}

const sameGroups = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((group) => b.includes(group));

/** The rendering of the current check with these groups, waiting for (or starting) the run that makes it. */
async function currentRendering(workspace: Workspace, state: DocumentState, expandedGroups: string[]): Promise<RenderedReport | undefined> {
  const matches = () => state.rendered !== undefined && state.renderedFor?.generation === state.generation && sameGroups(state.renderedFor.expandedGroups, expandedGroups);
  // Each pass waits for one run to settle; an edit meanwhile starts a newer run, which the next pass waits for.
  for (let pass = 0; pass < 3 && !matches(); pass++) {
    const check = workspace.current(state);
    if (!check.fabric) return undefined;
    const inFlight = state.rendering?.generation === state.generation && sameGroups(state.rendering.expandedGroups, expandedGroups);
    const settled = inFlight ? await workspace.report(state) : await workspace.resimulate(state);
    if (!settled && !matches()) return undefined;
  }
  return matches() ? state.rendered : undefined;
}

export const reportFeature: Feature = {
  capabilities: {},
  register(connection, workspace) {
    /** The last rendering of each document while it had no errors: what its view shows while it has some. */
    const lastGood = new WeakMap<DocumentState, RenderedReport>();
    workspace.reportListeners.push((state) => {
      if (state.rendered && state.renderedFor?.generation === state.generation && state.check && errorsOf(state.check).length === 0) lastGood.set(state, state.rendered);
    });

    connection.onRequest(ReportRequest, async ({ uri, expandedGroups }) => {
      const state = workspace.documents.get(uri);
      if (!state) return null;
      workspace.reportViews.set(uri, expandedGroups);
      const hasErrors = errorsOf(workspace.current(state)).length > 0;
      const rendering = hasErrors && lastGood.has(state) ? undefined : await currentRendering(workspace, state, expandedGroups);
      // The text may have changed while the rendering ran: the answer describes it as it is now.
      const check = workspace.current(state);
      return { uri, version: state.document.version, fabric: check.fabric?.name ?? null, errors: errorsOf(check), report: rendering ?? lastGood.get(state) ?? null };
    });

    connection.onNotification(ReportClosedNotification, ({ uri }) => {
      workspace.reportViews.delete(uri);
    });

    connection.onRequest(ExportReportRequest, async ({ uri, format, expandedGroups }) => {
      const state = workspace.documents.get(uri);
      if (!state) return { error: `${uri} is not open in the editor; open it and export again.` };
      const check = workspace.current(state);
      if (!check.fabric) return { error: `${state.path} declares no fabric to report on.` };
      const errors = errorsOf(check);
      if (errors.length > 0) return { error: `${state.path} has ${errors.length === 1 ? 'an error' : `${errors.length} errors`} (line ${errors[0].line}: ${errors[0].message}); fix ${errors.length === 1 ? 'it' : 'them'} and export again.` };
      const outcome = await workspace.renderOnce(state, { expandedGroups, output: format });
      switch (outcome.kind) {
        case 'done':
          return outcome.answer.rendered?.output === format ? { text: outcome.answer.rendered.text } : { error: `the report of ${state.path} could not be rendered; see the Fabric Language Server output.` };
        case 'timeout':
          return { error: `rendering the report of ${state.path} took longer than the simulation time budget (fabric.simulation.timeBudgetMs); raise it or simplify the workloads.` };
        case 'failed':
          connection.console.error(`rendering the report of ${uri} failed: ${outcome.error}`);
          return { error: `the report of ${state.path} could not be rendered; see the Fabric Language Server output.` };
        case 'cancelled':
          return { error: `the export of ${state.path} was interrupted by a newer one.` };
      }
    });
  },
};
