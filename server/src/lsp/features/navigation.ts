/**
 * textDocument/definition, textDocument/references and textDocument/documentHighlight for
 * devices, groups, constants, loop variables, workloads and models (into imported files and the
 * catalog file). References to a model also come from the open documents and the files on disk
 * that import its file.
 */
import { DocumentHighlightKind } from 'vscode-languageserver';
import { toRange } from '../convert.js';
import { locationOf, nameAtPosition, occurrencesOf, symbolEverywhere } from '../names.js';
import type { Feature } from './feature.js';

export const navigationFeature: Feature = {
  capabilities: { definitionProvider: true, referencesProvider: true, documentHighlightProvider: true },
  register(connection, workspace) {

    connection.onDefinition(({ textDocument, position }) => {
      const at = nameAtPosition(workspace, textDocument.uri, position);
      if (!at) return null;
      const { symbol } = at.found;
      return locationOf(workspace, at.names, symbol.file, symbol.span);
    });

    connection.onReferences(({ textDocument, position, context }) => {
      const at = nameAtPosition(workspace, textDocument.uri, position);
      if (!at) return null;
      return occurrencesOf(symbolEverywhere(workspace, at.names, at.found.symbol))
        .filter(({ occurrence }) => context.includeDeclaration || !occurrence.declaration)
        .map(({ names, occurrence }) => locationOf(workspace, names, occurrence.file, occurrence.span));
    });

    connection.onDocumentHighlight(({ textDocument, position }) => {
      const at = nameAtPosition(workspace, textDocument.uri, position);
      if (!at) return null;
      const { names, found } = at;
      const source = names.source(names.path);
      return names.index
        .references(found.symbol)
        .filter((occurrence) => occurrence.file === names.path)
        .map((occurrence) => ({
          range: toRange(source, occurrence.span),
          kind: occurrence.declaration ? DocumentHighlightKind.Write : DocumentHighlightKind.Read,
        }));
    });
  },
};
