/** textDocument/foldingRange: blocks, lists, comment runs and import runs (syntax/folding.ts). */
import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver';
import { foldingRegions } from '../../syntax/folding.js';
import type { Feature } from './feature.js';

const KIND = { comment: FoldingRangeKind.Comment, imports: FoldingRangeKind.Imports } as const;

export const foldingFeature: Feature = {
  capabilities: { foldingRangeProvider: true },
  register(connection, workspace) {
    connection.onFoldingRanges(({ textDocument }) => {
      const state = workspace.documents.get(textDocument.uri);
      if (!state) return null;
      return foldingRegions(workspace.current(state).program.entry).map(
        ({ startLine, endLine, kind }): FoldingRange => (kind ? { startLine, endLine, kind: KIND[kind] } : { startLine, endLine }),
      );
    });
  },
};
