/**
 * textDocument/codeLens: the lenses of ide/code-lens.ts as commands — `fabric.simulate` and
 * `fabric.showReport` with `[uri]` for the fabric and `[uri, workload]` for a workload. The client
 * is asked to refresh the lenses when a report arrives.
 */
import { CodeLensRefreshRequest, type CodeLens } from 'vscode-languageserver';
import { codeLenses, type Lens } from '../../ide/code-lens.js';
import { toRange } from '../convert.js';
import type { Feature } from './feature.js';

/** The commands the VS Code client registers; other clients may bind them themselves. */
const COMMAND: Record<Lens['action'], string> = { simulate: 'fabric.simulate', 'show-report': 'fabric.showReport' };

export const codeLensFeature: Feature = {
  capabilities: { codeLensProvider: { resolveProvider: false } },
  register(connection, workspace) {
    connection.onCodeLens(({ textDocument }) => {
      const state = workspace.documents.get(textDocument.uri);
      if (!state) return null;
      const check = workspace.current(state);
      const source = check.program.entry.source;
      const uri = textDocument.uri;
      return codeLenses(check, state.report, state.reportVersion !== state.document.version).map(
        (lens): CodeLens => ({
          range: toRange(source, lens.span),
          command: { title: lens.title, command: COMMAND[lens.action], arguments: lens.workload === undefined ? [uri] : [uri, lens.workload] },
        }),
      );
    });
    workspace.reportListeners.push(() => {
      // A client that fails to refresh asks again at its next edit.
      if (workspace.clientCapabilities.workspace?.codeLens?.refreshSupport) connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
    });
  },
};
