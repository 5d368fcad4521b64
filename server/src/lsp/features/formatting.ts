/**
 * textDocument/formatting and textDocument/rangeFormatting: the canonical layout of
 * syntax/format.ts, indented as the client asks. A file with a syntax error gets no edits; a
 * range formats every line it touches.
 */
import type { FormattingOptions, TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DEFAULT_LIMITS } from '../../model/limits.js';
import { formatLines, formatSource, type FormatOptions, type LineEdit } from '../../syntax/format.js';
import type { Workspace } from '../workspace.js';
import type { Feature } from './feature.js';

/** The client's indentation and the configured nesting limit; undefined for a file over the size limit. */
function options(workspace: Workspace, document: TextDocument, client: FormattingOptions): FormatOptions | undefined {
  const limits = { ...DEFAULT_LIMITS, ...workspace.settings.limits };
  if (document.getText().length > limits.maxFileSize) return undefined;
  return { tabSize: client.tabSize, insertSpaces: client.insertSpaces, maxNestingDepth: limits.maxNestingDepth };
}

function toTextEdits(document: TextDocument, edits: LineEdit[] | undefined): TextEdit[] {
  return (edits ?? []).map((edit) => ({ range: { start: document.positionAt(edit.start), end: document.positionAt(edit.end) }, newText: edit.newText }));
}

export const formattingFeature: Feature = {
  capabilities: { documentFormattingProvider: true, documentRangeFormattingProvider: true },
  register(connection, workspace) {
    connection.onDocumentFormatting(({ textDocument, options: client }) => {
      const document = workspace.documents.get(textDocument.uri)?.document;
      const settings = document && options(workspace, document, client);
      if (!document || !settings) return [];
      return toTextEdits(document, formatSource(document.getText(), settings)?.edits);
    });

    connection.onDocumentRangeFormatting(({ textDocument, range, options: client }) => {
      const document = workspace.documents.get(textDocument.uri)?.document;
      const settings = document && options(workspace, document, client);
      if (!document || !settings) return [];
      // A selection that ends at the start of a line does not touch that line.
      const lastLine = range.end.character === 0 && range.end.line > range.start.line ? range.end.line - 1 : range.end.line;
      return toTextEdits(document, formatLines(document.getText(), settings, range.start.line, lastLine));
    });
  },
};
