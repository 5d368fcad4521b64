/** textDocument/completion: the items of ide/completion as LSP completion items. */
import { CompletionItemKind, InsertTextFormat, type CompletionItem as LspCompletionItem } from 'vscode-languageserver';
import { complete, type CompletionKind } from '../../ide/completion/complete.js';
import { toRange } from '../convert.js';
import type { Feature } from './feature.js';

const KIND: Record<CompletionKind, CompletionItemKind> = {
  keyword: CompletionItemKind.Keyword,
  snippet: CompletionItemKind.Snippet,
  device: CompletionItemKind.Variable,
  group: CompletionItemKind.Module,
  model: CompletionItemKind.Class,
  kind: CompletionItemKind.Interface,
  constant: CompletionItemKind.Constant,
  variable: CompletionItemKind.Variable,
  workload: CompletionItemKind.Function,
  attribute: CompletionItemKind.Property,
  protocol: CompletionItemKind.EnumMember,
  width: CompletionItemKind.Value,
  unit: CompletionItemKind.Unit,
  algorithm: CompletionItemKind.EnumMember,
  metric: CompletionItemKind.Field,
  operator: CompletionItemKind.Operator,
  value: CompletionItemKind.Value,
};

export const completionFeature: Feature = {
  // `:` starts a model, a protocol or a value; words trigger completion in every client anyway.
  capabilities: { completionProvider: { triggerCharacters: [':'] } },
  register(connection, workspace) {
    connection.onCompletion((params) => {
      const state = workspace.documents.get(params.textDocument.uri);
      if (!state) return null;
      const check = workspace.current(state);
      const source = check.program.entry.source;
      const { replace, items } = complete(source.text, source.offset(params.position), check);
      const range = toRange(source, replace);
      return {
        isIncomplete: false,
        items: items.map(
          (item, index): LspCompletionItem => ({
            label: item.label,
            kind: KIND[item.kind],
            detail: item.detail,
            documentation: item.documentation ? { kind: 'markdown', value: item.documentation } : undefined,
            // The order of the core is meaningful (x1 before x16, B before KB): keep it.
            sortText: String(index).padStart(4, '0'),
            filterText: item.filter,
            insertTextFormat: item.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
            textEdit: { range, newText: item.insert ?? item.label },
          }),
        ),
      };
    });
  },
};
