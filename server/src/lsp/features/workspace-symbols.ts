/**
 * workspace/symbol: fabrics, devices, models, groups and workloads declared in the open documents
 * and in the `.fabric` files under the workspace folders. Files are parsed, not checked, and a
 * file's symbols are kept until its version (open) or its modification time (on disk) changes.
 */
import { statSync } from 'node:fs';
import { SymbolKind, type SymbolInformation } from 'vscode-languageserver';
import { DEFAULT_LIMITS } from '../../model/limits.js';
import { declaredSymbols, searchSymbols, type DeclaredSymbol } from '../../ide/symbols.js';
import { parse } from '../../syntax/parse.js';
import type { SourceFile } from '../../syntax/source.js';
import { pathToUri, toRange } from '../convert.js';
import { fabricFilesUnder } from '../fabric-files.js';
import type { Workspace } from '../workspace.js';
import type { Feature } from './feature.js';

const KIND: Record<DeclaredSymbol['kind'], SymbolKind> = {
  fabric: SymbolKind.Module,
  device: SymbolKind.Variable,
  model: SymbolKind.Class,
  transformer: SymbolKind.Struct,
  group: SymbolKind.Array,
  workload: SymbolKind.Function,
};

interface Indexed {
  stamp: string;
  uri: string;
  source: SourceFile;
  symbols: DeclaredSymbol[];
}

class SymbolIndex {
  private files = new Map<string, Indexed>();

  constructor(private readonly workspace: Workspace) {}

  /** Every indexed file, re-parsing only those that changed; files gone from disk drop out. */
  refresh(): Indexed[] {
    const limits = { ...DEFAULT_LIMITS, ...this.workspace.settings.limits };
    const next = new Map<string, Indexed>();
    const index = (path: string, uri: string, stamp: string, text: () => string | undefined) => {
      const known = this.files.get(path);
      if (known?.stamp === stamp) {
        next.set(path, known);
        return;
      }
      const content = text();
      if (content === undefined || content.length > limits.maxFileSize) return;
      const parsed = parse(path, content, { maxNestingDepth: limits.maxNestingDepth });
      next.set(path, { stamp, uri, source: parsed.source, symbols: declaredSymbols(parsed.tree) });
    };
    for (const state of this.workspace.documents.values()) {
      index(state.path, state.uri, `open ${state.document.version}`, () => state.document.getText());
    }
    for (const path of fabricFilesUnder(this.workspace.roots)) {
      if (next.has(path)) continue;
      let stamp: string;
      try {
        const stat = statSync(path);
        stamp = `disk ${stat.mtimeMs} ${stat.size}`;
      } catch {
        continue;
      }
      index(path, pathToUri(path), stamp, () => {
        const content = this.workspace.files.read(path, limits.maxFileSize);
        return typeof content === 'string' ? content : undefined;
      });
    }
    this.files = next;
    return [...next.values()];
  }
}

export const workspaceSymbolsFeature: Feature = {
  capabilities: { workspaceSymbolProvider: true },
  register(connection, workspace) {
    const index = new SymbolIndex(workspace);
    connection.onWorkspaceSymbol(({ query }) =>
      searchSymbols(index.refresh(), query).map(
        ({ file, symbol }): SymbolInformation => ({
          name: symbol.name,
          kind: KIND[symbol.kind],
          location: { uri: file.uri, range: toRange(file.source, symbol.span) },
          ...(symbol.container ? { containerName: symbol.container } : {}),
        }),
      ),
    );
  },
};
