/** textDocument/hover: latency and bandwidth estimates, models, quantities, workload steps. */
import { findAt } from '../../syntax/find.js';
import { hover } from '../hover.js';
import type { Feature } from './feature.js';

export const hoverFeature: Feature = {
  capabilities: { hoverProvider: true },
  register(connection, workspace) {
    connection.onHover((params) => {
      const state = workspace.documents.get(params.textDocument.uri);
      if (!state) return null;
      const check = workspace.current(state);
      const source = check.program.entry.source;
      const found = findAt(check.program.entry.tree, source.offset(params.position));
      if (!found) return null;
      const text = hover(found, {
        check,
        network: () => workspace.network(state),
        report: state.report,
        stale: state.reportVersion !== state.document.version,
        lineOf: (at) => source.position(at).line + 1,
      });
      if (!text) return null;
      return { contents: { kind: 'markdown', value: text }, range: { start: source.position(found.span.start), end: source.position(found.span.end) } };
    });
  },
};
