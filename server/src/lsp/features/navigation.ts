/**
 * textDocument/definition, textDocument/references and textDocument/documentHighlight: the places
 * of ide/navigation.ts as LSP locations and highlights. References to a model also come from the
 * open documents and the files on disk that import its file.
 */
import { DocumentHighlightKind } from 'vscode-languageserver';
import { definition, highlights, references } from '../../ide/navigation.js';
import { toRange } from '../convert.js';
import { locationOf, nameAtPosition, symbolEverywhere } from '../names.js';
import type { Feature } from './feature.js';

export const navigationFeature: Feature = {
  capabilities: { definitionProvider: true, referencesProvider: true, documentHighlightProvider: true },
  register(connection, workspace) {

    connection.onDefinition(({ textDocument, position }) => {
      const at = nameAtPosition(workspace, textDocument.uri, position);
      return at ? locationOf(workspace, definition(at.names, at.occurrence)) : null;
    });

    connection.onReferences(({ textDocument, position, context }) => {
      const at = nameAtPosition(workspace, textDocument.uri, position);
      if (!at) return null;
      return references(symbolEverywhere(workspace, at.names, at.occurrence.symbol), context.includeDeclaration).map((place) => locationOf(workspace, place));
    });

    connection.onDocumentHighlight(({ textDocument, position }) => {
      const at = nameAtPosition(workspace, textDocument.uri, position);
      if (!at) return null;
      return highlights(at.names, at.occurrence.symbol).map(({ span, write }) => ({
        range: toRange(at.source, span),
        kind: write ? DocumentHighlightKind.Write : DocumentHighlightKind.Read,
      }));
    });
  },
};
