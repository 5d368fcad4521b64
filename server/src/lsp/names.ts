/**
 * Which programs the name services of ide/navigation.ts see: an open document's (or the catalog
 * file's), and for a model every program that reaches it — the open documents and the files on
 * disk under the workspace folders that import the model's file — so that references and rename
 * cover the importers too. Places become LSP locations here.
 */
import { dirname } from 'node:path';
import type { Location } from 'vscode-languageserver';
import { CATALOG_PATH } from '../model/catalog.js';
import { catalog } from '../model/check.js';
import { DiagnosticSink } from '../model/diagnostics.js';
import { DEFAULT_LIMITS } from '../model/limits.js';
import { loadProgram } from '../model/program.js';
import { nameAt, namesOf, symbolAcross, type Place, type ProgramNames, type SymbolIn } from '../ide/navigation.js';
import type { IndexInput, NameSymbol } from '../ide/references.js';
import { CATALOG_FILE, isCatalogUri, uriOfPath } from './catalog-file.js';
import { toRange } from './convert.js';
import { fabricFilesUnder } from './fabric-files.js';
import type { Workspace } from './workspace.js';

let catalogInput: IndexInput | undefined;

/** The names of an open document, or of the catalog file (read as the catalog alone). */
export function documentNames(workspace: Workspace, uri: string): ProgramNames | undefined {
  const state = workspace.documents.get(uri);
  if (state) return namesOf(workspace.current(state));
  if (!isCatalogUri(uri)) return undefined;
  const builtins = catalog();
  catalogInput ??= { program: { entry: builtins, files: [builtins] }, catalog: builtins };
  return namesOf(catalogInput);
}

/** The program's names, the name under the cursor and its file's source, if the cursor is on a name. */
export function nameAtPosition(workspace: Workspace, uri: string, position: { line: number; character: number }) {
  const names = documentNames(workspace, uri);
  const source = names?.source(names.path);
  const found = names && source && nameAt(names, source.offset(position));
  return found && { names, ...found };
}

/** The URI the client knows a path by: an open document's own URI, the catalog file, or a file URI. */
export function uriFor(workspace: Workspace, path: string): string {
  for (const state of workspace.documents.values()) if (state.path === path) return state.uri;
  return uriOfPath(path);
}

export function locationOf(workspace: Workspace, place: Place): Location {
  return { uri: uriFor(workspace, place.file), range: toRange(place.source, place.span) };
}

/**
 * Every program in which the model `symbol` may appear: the asking document's, every open
 * document's that reads the model's file, and every file on disk under the workspace folders
 * (without folders: the folder of the model's file, or of the asking document for a built-in
 * model) that reads it and mentions one of `words` (the model's name, and for a rename the new
 * name, which could collide there).
 */
function programsReaching(workspace: Workspace, own: ProgramNames, symbol: NameSymbol, words: string[]): ProgramNames[] {
  const reaches = (files: { source: { path: string } }[]) => symbol.file === CATALOG_PATH || files.some((f) => f.source.path === symbol.file);
  const programs = new Map<string, ProgramNames>([[own.path, own]]);
  for (const state of workspace.documents.values()) {
    if (programs.has(state.path)) continue;
    const check = workspace.current(state);
    if (reaches(check.program.files)) programs.set(state.path, namesOf(check));
  }
  const roots = workspace.roots.length > 0 ? workspace.roots : symbol.file === CATALOG_PATH ? [dirname(own.path)] : [dirname(symbol.file)];
  const paths = fabricFilesUnder(roots).filter((path) => path !== CATALOG_FILE);
  const limits = { ...DEFAULT_LIMITS, ...workspace.settings.limits };
  for (const path of paths) {
    if (programs.has(path)) continue;
    const text = workspace.files.read(path, limits.maxFileSize);
    if (typeof text !== 'string' || !words.some((word) => text.includes(word))) continue;
    // Diagnostics of files that are not open are not this request's business.
    const program = loadProgram(path, text, workspace.files, limits, new DiagnosticSink());
    if (reaches(program.files)) programs.set(path, namesOf({ program, catalog: catalog() }));
  }
  return [...programs.values()];
}

/** The symbol in every program it reaches. */
export function symbolEverywhere(workspace: Workspace, own: ProgramNames, symbol: NameSymbol, words: string[] = [symbol.name]): SymbolIn[] {
  return symbolAcross(own, symbol, () => programsReaching(workspace, own, symbol, words));
}
