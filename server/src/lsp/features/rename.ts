/**
 * textDocument/prepareRename and textDocument/rename: ide/navigation.ts's rename as LSP edits. A
 * model is renamed across its file, its imports and every importer that is open or on disk under
 * the workspace folders. A refusal (a name taken in the namespace in any of those programs, a
 * reserved word, a non-name, a lane width, a built-in catalog model) is an error with the reason.
 */
import { LSPErrorCodes, ResponseError, type TextEdit } from 'vscode-languageserver';
import { prepareRename, renameEdits } from '../../ide/navigation.js';
import { toRange } from '../convert.js';
import { nameAtPosition, symbolEverywhere, uriFor } from '../names.js';
import type { Feature } from './feature.js';

export const renameFeature: Feature = {
  capabilities: { renameProvider: { prepareProvider: true } },
  register(connection, workspace) {
    const refuse = (message: string) => new ResponseError(LSPErrorCodes.RequestFailed, message);

    connection.onPrepareRename(({ textDocument, position }) => {
      const at = nameAtPosition(workspace, textDocument.uri, position);
      if (!at) return null;
      const prepared = prepareRename(at.names, at.occurrence);
      if ('problem' in prepared) throw refuse(prepared.problem);
      return { range: toRange(at.source, prepared.span), placeholder: prepared.placeholder };
    });

    connection.onRenameRequest(({ textDocument, position, newName }) => {
      const at = nameAtPosition(workspace, textDocument.uri, position);
      if (!at) return null;
      const { symbol } = at.occurrence;
      const rename = renameEdits(symbolEverywhere(workspace, at.names, symbol, [symbol.name, newName]), newName);
      if ('problem' in rename) throw refuse(rename.problem);
      const changes: Record<string, TextEdit[]> = {};
      for (const place of rename.edits) (changes[uriFor(workspace, place.file)] ??= []).push({ range: toRange(place.source, place.span), newText: newName });
      return { changes };
    });
  },
};
