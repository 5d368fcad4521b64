/**
 * textDocument/inlayHint: the hints of ide/inlay-hints.ts at their positions; the client is asked
 * to refresh them when a simulation report arrives.
 */
import type { InlayHint } from 'vscode-languageserver';
import { inlayHints } from '../../ide/inlay-hints.js';
import type { Feature } from './feature.js';

export const inlayHintsFeature: Feature = {
  capabilities: { inlayHintProvider: true },
  register(connection, workspace) {
    connection.languages.inlayHint.on(({ textDocument, range }) => {
      const state = workspace.documents.get(textDocument.uri);
      if (!state) return null;
      const check = workspace.current(state);
      const source = check.program.entry.source;
      const stale = state.reportVersion !== state.document.version;
      return inlayHints(check, state.report, stale, source.offset(range.start), source.offset(range.end)).map(
        (hint): InlayHint => ({
          position: source.position(hint.offset),
          label: hint.label,
          paddingLeft: true,
          tooltip: { kind: 'markdown', value: hint.tooltip },
        }),
      );
    });
    workspace.reportListeners.push(() => {
      // A client that fails to refresh asks again at its next edit or scroll.
      if (workspace.clientCapabilities.workspace?.inlayHint?.refreshSupport) connection.languages.inlayHint.refresh().catch(() => undefined);
    });
  },
};
