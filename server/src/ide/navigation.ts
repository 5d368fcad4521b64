/**
 * Definition, references, highlights and rename, in plain data: places (a file, its source and a
 * span) over the name index of one or more programs. Only models and transformers cross files,
 * so their references and renames gather the programs that read the declaring file; which those are is the
 * caller's to say (the language server looks at open documents and the workspace on disk).
 */
import { CATALOG_PATH } from '../model/catalog.js';
import type { SourceFile, Span } from '../syntax/source.js';
import { buildReferenceIndex, type IndexInput, type NameSymbol, type Occurrence, type ReferenceIndex } from './references.js';

/** One program's names and the text of its files. */
export interface ProgramNames {
  index: ReferenceIndex;
  /** The program's entry file. */
  path: string;
  source(file: string): SourceFile | undefined;
}

/** A span in a file, with the file's text to turn it into lines and columns. */
export interface Place {
  file: string;
  source: SourceFile | undefined;
  span: Span;
}

const cache = new WeakMap<IndexInput, ProgramNames>();

/** The names of a program (a check result is one), indexed once per input. */
export function namesOf(input: IndexInput): ProgramNames {
  let names = cache.get(input);
  if (!names) {
    const sources = new Map<string, SourceFile>(input.program.files.map((f) => [f.source.path, f.source]));
    sources.set(CATALOG_PATH, input.catalog.source);
    names = { index: buildReferenceIndex(input), path: input.program.entry.source.path, source: (file) => sources.get(file) };
    cache.set(input, names);
  }
  return names;
}

/** The name at an offset of the program's entry file: its occurrence, and that file's source. */
export function nameAt(names: ProgramNames, offset: number): { occurrence: Occurrence; source: SourceFile } | undefined {
  const source = names.source(names.path);
  const occurrence = source && names.index.at(names.path, offset);
  return occurrence && source ? { occurrence, source } : undefined;
}

const placeOf = (names: ProgramNames, file: string, span: Span): Place => ({ file, source: names.source(file), span });

export function definition(names: ProgramNames, occurrence: Occurrence): Place {
  return placeOf(names, occurrence.symbol.file, occurrence.symbol.span);
}

/** A declaration as one program sees it: programs index the same file's declarations separately. */
export interface SymbolIn {
  names: ProgramNames;
  symbol: NameSymbol;
}

/**
 * The symbol in each of `programs` (the asking one included) that declares it at the same place.
 * Only models and transformers cross files; every other name lives in the asking program's fabric.
 */
export function symbolAcross(own: ProgramNames, symbol: NameSymbol, programs: () => ProgramNames[]): SymbolIn[] {
  if (symbol.kind !== 'model' && symbol.kind !== 'transformer') return [{ names: own, symbol }];
  return programs().flatMap((names) => {
    const same = names.index.declaredAt(symbol.kind, symbol.file, symbol.span.start);
    return same ? [{ names, symbol: same }] : [];
  });
}

/** Every occurrence of the symbol over the programs, once each. */
function occurrencesOf(views: SymbolIn[]): { place: Place; declaration: boolean }[] {
  const seen = new Set<string>();
  return views.flatMap(({ names, symbol }) =>
    names.index.references(symbol).flatMap((occurrence) => {
      const key = `${occurrence.file}\u0000${occurrence.span.start}`;
      if (seen.has(key)) return [];
      seen.add(key);
      return [{ place: placeOf(names, occurrence.file, occurrence.span), declaration: occurrence.declaration }];
    }),
  );
}

export function references(views: SymbolIn[], includeDeclaration: boolean): Place[] {
  return occurrencesOf(views)
    .filter((occurrence) => includeDeclaration || !occurrence.declaration)
    .map((occurrence) => occurrence.place);
}

/** The symbol's occurrences in the entry file; `write` for the declaration. */
export function highlights(names: ProgramNames, symbol: NameSymbol): { span: Span; write: boolean }[] {
  return names.index
    .references(symbol)
    .filter((occurrence) => occurrence.file === names.path)
    .map((occurrence) => ({ span: occurrence.span, write: occurrence.declaration }));
}

/** Where a rename may start (the name under the cursor, and its text), or why it may not. */
export function prepareRename(names: ProgramNames, occurrence: Occurrence): { problem: string } | { span: Span; placeholder: string } {
  const { symbol } = occurrence;
  // The name it has is valid, so what remains is a refusal of the symbol itself (a built-in model).
  const problem = names.index.renameProblem(symbol, symbol.name);
  return problem ? { problem } : { span: occurrence.span, placeholder: symbol.name };
}

/** The edits of a rename over every program the symbol reaches, or the first reason it is refused. */
export function renameEdits(views: SymbolIn[], newName: string): { problem: string } | { edits: Place[] } {
  for (const { names, symbol } of views) {
    const problem = names.index.renameProblem(symbol, newName);
    if (problem) return { problem };
  }
  return { edits: occurrencesOf(views).map((occurrence) => occurrence.place) };
}
