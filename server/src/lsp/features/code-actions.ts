/** textDocument/codeAction: the quick fixes of ide/fixes.ts for the diagnostics the editor sends. */
import { CodeActionKind, type CodeAction } from 'vscode-languageserver';
import { fixesFor } from '../../ide/fixes.js';
import type { DiagnosticData } from '../../syntax/source.js';
import { toRange } from '../convert.js';
import type { Feature } from './feature.js';

export const codeActionsFeature: Feature = {
  capabilities: { codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] } },
  register(connection, workspace) {
    connection.onCodeAction((params) => {
      const { only, diagnostics } = params.context;
      if (only && !only.some((kind) => CodeActionKind.QuickFix.startsWith(kind))) return [];
      const state = workspace.documents.get(params.textDocument.uri);
      if (!state) return [];
      const fabric = diagnostics.filter((d) => d.source === 'fabric' && typeof d.code === 'string');
      if (fabric.length === 0) return [];
      const check = workspace.current(state);
      const source = check.program.entry.source;
      const actions: CodeAction[] = [];
      for (const diagnostic of fabric) {
        const span = { start: source.offset(diagnostic.range.start), end: source.offset(diagnostic.range.end) };
        for (const fix of fixesFor({ code: String(diagnostic.code), span, data: diagnostic.data as DiagnosticData | undefined }, check)) {
          actions.push({
            title: fix.title,
            kind: CodeActionKind.QuickFix,
            diagnostics: [diagnostic],
            isPreferred: fix.preferred,
            edit: { changes: { [state.uri]: fix.edits.map((edit) => ({ range: toRange(source, edit.span), newText: edit.newText })) } },
          });
        }
      }
      return actions;
    });
  },
};
