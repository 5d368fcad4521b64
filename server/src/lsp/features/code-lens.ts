/**
 * textDocument/codeLens: "Simulate" above the fabric (command `fabric.simulate` with `[uri]`)
 * and above each workload (`[uri, workload]`), the workload's lens showing its last simulated
 * time ("Simulate · 23.4 ms", or "Simulate · was 23.4 ms" when the text changed since); beside
 * each, "Show report" (`fabric.showReport`, same arguments). The client is asked to refresh the
 * lenses when a report arrives.
 */
import { CodeLensRefreshRequest, type CodeLens } from 'vscode-languageserver';
import { formatQuantity } from '../../model/units.js';
import { toRange } from '../convert.js';
import type { Feature } from './feature.js';

/** The commands the VS Code client registers; other clients may bind them themselves. */
const SIMULATE_COMMAND = 'fabric.simulate';
const SHOW_REPORT_COMMAND = 'fabric.showReport';

export const codeLensFeature: Feature = {
  capabilities: { codeLensProvider: { resolveProvider: false } },
  register(connection, workspace) {
    connection.onCodeLens(({ textDocument }) => {
      const state = workspace.documents.get(textDocument.uri);
      if (!state) return null;
      const check = workspace.current(state);
      const source = check.program.entry.source;
      const fabric = check.program.entry.tree.fabrics[0];
      if (!fabric) return [];
      const uri = textDocument.uri;
      const stale = state.reportVersion !== state.document.version;
      const fabricRange = toRange(source, fabric.name.span);
      const lenses: CodeLens[] = [
        { range: fabricRange, command: { title: 'Simulate', command: SIMULATE_COMMAND, arguments: [uri] } },
        { range: fabricRange, command: { title: 'Show report', command: SHOW_REPORT_COMMAND, arguments: [uri] } },
      ];
      for (const item of fabric.items) {
        if (item.type !== 'workload') continue;
        const result = state.report?.workloads.find((w) => w.name === item.name.text);
        const title = result ? `Simulate · ${stale ? 'was ' : ''}${formatQuantity(result.time_s, 'time')}` : 'Simulate';
        const range = toRange(source, item.name.span);
        lenses.push(
          { range, command: { title, command: SIMULATE_COMMAND, arguments: [uri, item.name.text] } },
          { range, command: { title: 'Show report', command: SHOW_REPORT_COMMAND, arguments: [uri, item.name.text] } },
        );
      }
      return lenses;
    });
    workspace.reportListeners.push(() => {
      // A client that fails to refresh asks again at its next edit.
      if (workspace.clientCapabilities.workspace?.codeLens?.refreshSupport) connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
    });
  },
};
