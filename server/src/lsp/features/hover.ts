/** textDocument/hover: the hover of ide/hover.ts as LSP Markdown content. */
import { hoverAt } from '../../ide/hover.js';
import { toRange } from '../convert.js';
import type { Feature } from './feature.js';

export const hoverFeature: Feature = {
  capabilities: { hoverProvider: true },
  register(connection, workspace) {
    connection.onHover((params) => {
      const state = workspace.documents.get(params.textDocument.uri);
      if (!state) return null;
      const check = workspace.current(state);
      const source = check.program.entry.source;
      const found = hoverAt(check, source.offset(params.position), {
        network: () => workspace.network(state),
        report: state.report,
        stale: state.reportVersion !== state.document.version,
      });
      if (!found) return null;
      return { contents: { kind: 'markdown', value: found.markdown }, range: toRange(source, found.span) };
    });
  },
};
