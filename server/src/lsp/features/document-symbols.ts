/**
 * textDocument/documentSymbol: the outline of ide/symbols.ts, hierarchical — the fabric, its
 * settings and constants, devices grouped by kind with counts, loops with the links they make,
 * groups, workloads with their statements, expectations, and the models.
 */
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver';
import { outline, type OutlineKind, type OutlineSymbol } from '../../ide/symbols.js';
import type { SourceFile } from '../../syntax/source.js';
import { toRange } from '../convert.js';
import type { Feature } from './feature.js';

const KIND: Record<OutlineKind, SymbolKind> = {
  fabric: SymbolKind.Module,
  settings: SymbolKind.Namespace,
  setting: SymbolKind.Property,
  constant: SymbolKind.Constant,
  'device-kind': SymbolKind.Package,
  device: SymbolKind.Variable,
  loop: SymbolKind.Namespace,
  link: SymbolKind.Interface,
  allocation: SymbolKind.Field,
  group: SymbolKind.Array,
  workload: SymbolKind.Function,
  parallel: SymbolKind.Namespace,
  statement: SymbolKind.Event,
  expectation: SymbolKind.Boolean,
  model: SymbolKind.Class,
  transformer: SymbolKind.Struct,
};

function toDocumentSymbol(symbol: OutlineSymbol, source: SourceFile): DocumentSymbol {
  return {
    name: symbol.name,
    ...(symbol.detail ? { detail: symbol.detail } : {}),
    kind: KIND[symbol.kind],
    range: toRange(source, symbol.span),
    selectionRange: toRange(source, symbol.selection),
    children: symbol.children.map((child) => toDocumentSymbol(child, source)),
  };
}

export const documentSymbolsFeature: Feature = {
  capabilities: { documentSymbolProvider: { label: 'Fabric' } },
  register(connection, workspace) {
    connection.onDocumentSymbol(({ textDocument }) => {
      const state = workspace.documents.get(textDocument.uri);
      if (!state) return null;
      const check = workspace.current(state);
      const entry = check.program.entry;
      return outline(entry, check.fabric).map((symbol) => toDocumentSymbol(symbol, entry.source));
    });
  },
};
