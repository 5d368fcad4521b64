/**
 * textDocument/definition, textDocument/references and textDocument/documentHighlight for
 * devices, groups, constants, loop variables, workloads and models (into imported files and the
 * catalog file). References to a model also come from the open documents and the files on disk
 * that import its file.
 */
import { DocumentHighlightKind } from 'vscode-languageserver';
import { toRange } from '../convert.js';
import { documentNames, locationOf, occurrencesOf, symbolEverywhere } from '../names.js';
import type { Feature } from './feature.js';

export const navigationFeature: Feature = {
  capabilities: { definitionProvider: true, referencesProvider: true, documentHighlightProvider: true },
  register(connection, workspace) {
    /** The program's names and the name under the cursor, if any. */
    const nameAt = (uri: string, position: { line: number; character: number }) => {
      const names = documentNames(workspace, uri);
      if (!names) return undefined;
      const source = names.source(names.path);
      const found = source && names.index.at(names.path, source.offset(position));
      return found && { names, found };
    };

    connection.onDefinition(({ textDocument, position }) => {
      const at = nameAt(textDocument.uri, position);
      if (!at) return null;
      const { symbol } = at.found;
      return locationOf(workspace, at.names, symbol.file, symbol.span);
    });

    connection.onReferences(({ textDocument, position, context }) => {
      const at = nameAt(textDocument.uri, position);
      if (!at) return null;
      return occurrencesOf(symbolEverywhere(workspace, at.names, at.found.symbol))
        .filter(({ occurrence }) => context.includeDeclaration || !occurrence.declaration)
        .map(({ names, occurrence }) => locationOf(workspace, names, occurrence.file, occurrence.span));
    });

    connection.onDocumentHighlight(({ textDocument, position }) => {
      const at = nameAt(textDocument.uri, position);
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
