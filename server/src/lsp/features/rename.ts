/**
 * textDocument/prepareRename and textDocument/rename: a device, group, constant, loop variable,
 * workload or model, with every use. A model is renamed across its file, its imports and every
 * importer that is open or on disk under the workspace folders. Refused, with the reason: a name
 * taken in the namespace (in any of those programs), a reserved word, a non-name, a lane width,
 * and the built-in catalog's models.
 */
import { LSPErrorCodes, ResponseError, type TextEdit } from 'vscode-languageserver';
import { toRange } from '../convert.js';
import { nameAtPosition, occurrencesOf, symbolEverywhere, uriFor } from '../names.js';
import type { Feature } from './feature.js';

export const renameFeature: Feature = {
  capabilities: { renameProvider: { prepareProvider: true } },
  register(connection, workspace) {
    const refuse = (message: string) => new ResponseError(LSPErrorCodes.RequestFailed, message);

    connection.onPrepareRename(({ textDocument, position }) => {
      const at = nameAtPosition(workspace, textDocument.uri, position);
      if (!at) return null;
      const { symbol, span } = at.found;
      // The name it has is valid, so what remains is a refusal of the symbol itself (a built-in model).
      const problem = at.names.index.renameProblem(symbol, symbol.name);
      if (problem) throw refuse(problem);
      return { range: toRange(at.source, span), placeholder: symbol.name };
    });

    connection.onRenameRequest(({ textDocument, position, newName }) => {
      const at = nameAtPosition(workspace, textDocument.uri, position);
      if (!at) return null;
      const views = symbolEverywhere(workspace, at.names, at.found.symbol, [at.found.symbol.name, newName]);
      for (const { names, symbol } of views) {
        const problem = names.index.renameProblem(symbol, newName);
        if (problem) throw refuse(problem);
      }
      const changes: Record<string, TextEdit[]> = {};
      for (const { names, occurrence } of occurrencesOf(views)) {
        (changes[uriFor(workspace, occurrence.file)] ??= []).push({ range: toRange(names.source(occurrence.file), occurrence.span), newText: newName });
      }
      return { changes };
    });
  },
};
