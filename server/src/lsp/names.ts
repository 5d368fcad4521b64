/**
 * The name index as the LSP features see it: for an open document (or the catalog file), and
 * for every program a model reaches — the open documents and the files on disk under the
 * workspace folders that import the model's file — so that references and rename cover the
 * importers too.
 */
import { dirname } from 'node:path';
import type { Location } from 'vscode-languageserver';
import { CATALOG_PATH } from '../model/catalog.js';
import { catalog } from '../model/check.js';
import { DiagnosticSink } from '../model/diagnostics.js';
import { DEFAULT_LIMITS } from '../model/limits.js';
import { loadProgram } from '../model/program.js';
import { buildReferenceIndex, type IndexInput, type NameSymbol, type Occurrence, type ReferenceIndex } from '../model/references.js';
import type { SourceFile, Span } from '../syntax/source.js';
import { CATALOG_FILE, isCatalogUri, uriOfPath } from './catalog-file.js';
import { toRange } from './convert.js';
import { fabricFilesUnder } from './fabric-files.js';
import type { Workspace } from './workspace.js';

/** One program's names and the text of its files. */
export interface ProgramNames {
  index: ReferenceIndex;
  /** The program's entry file. */
  path: string;
  source(file: string): SourceFile | undefined;
}

const cache = new WeakMap<IndexInput, ProgramNames>();

function namesOf(input: IndexInput): ProgramNames {
  let names = cache.get(input);
  if (!names) {
    const sources = new Map<string, SourceFile>(input.program.files.map((f) => [f.source.path, f.source]));
    sources.set(CATALOG_PATH, input.catalog.source);
    names = { index: buildReferenceIndex(input), path: input.program.entry.source.path, source: (file) => sources.get(file) };
    cache.set(input, names);
  }
  return names;
}

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
  if (!names) return undefined;
  const source = names.source(names.path);
  const found = source && names.index.at(names.path, source.offset(position));
  return found && { names, found, source };
}

/** The URI the client knows a path by: an open document's own URI, the catalog file, or a file URI. */
export function uriFor(workspace: Workspace, path: string): string {
  for (const state of workspace.documents.values()) if (state.path === path) return state.uri;
  return uriOfPath(path);
}

export function locationOf(workspace: Workspace, names: ProgramNames, file: string, span: Span): Location {
  return { uri: uriFor(workspace, file), range: toRange(names.source(file), span) };
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

/** A declaration as one program sees it: programs index the same file's declarations separately. */
export interface SymbolIn {
  names: ProgramNames;
  symbol: NameSymbol;
}

/** The symbol in every program it reaches. Only models cross files; every other name lives in its fabric. */
export function symbolEverywhere(workspace: Workspace, own: ProgramNames, symbol: NameSymbol, words: string[] = [symbol.name]): SymbolIn[] {
  if (symbol.kind !== 'model') return [{ names: own, symbol }];
  return programsReaching(workspace, own, symbol, words).flatMap((names) => {
    const same = names.index.declaredAt(symbol.kind, symbol.file, symbol.span.start);
    return same ? [{ names, symbol: same }] : [];
  });
}

/** Every occurrence of the symbol over the programs, once each, with the program that gives its range. */
export function occurrencesOf(views: SymbolIn[]): { names: ProgramNames; occurrence: Occurrence }[] {
  const seen = new Set<string>();
  return views.flatMap(({ names, symbol }) =>
    names.index.references(symbol).flatMap((occurrence) => {
      const key = `${occurrence.file}\u0000${occurrence.span.start}`;
      if (seen.has(key)) return [];
      seen.add(key);
      return [{ names, occurrence }];
    }),
  );
}
