/**
 * Where an editor can fold a file: blocks and lists spanning lines, runs of comment lines, and
 * runs of imports. Read from the tokens, so folding keeps working while the file has errors.
 */
import type { IToken } from 'chevrotain';
import { tokenEnd, tokensOf } from './lexed.js';
import type { ParseResult } from './parse.js';
import * as T from './tokens.js';

export interface FoldingRegion {
  /** Zero-based lines; the first stays visible, the rest up to endLine fold away. */
  startLine: number;
  endLine: number;
  kind?: 'comment' | 'imports';
}

export function foldingRegions(parsed: ParseResult): FoldingRegion[] {
  const regions = [...blocks(parsed), ...commentRuns(parsed), ...importRuns(parsed)];
  return regions.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
}

const closerOf = new Map([
  [T.LBrace, T.RBrace],
  [T.LBracket, T.RBracket],
]);

/** `{ ... }` and `[ ... ]` over several lines; a closer that starts its line stays visible. */
function blocks(parsed: ParseResult): FoldingRegion[] {
  const { source } = parsed;
  const regions: FoldingRegion[] = [];
  const open: IToken[] = [];
  for (const token of tokensOf(source)) {
    if (closerOf.has(token.tokenType)) {
      open.push(token);
      continue;
    }
    if (token.tokenType !== T.RBrace && token.tokenType !== T.RBracket) continue;
    // An unmatched closer (a file being edited) closes the nearest opener of its kind.
    let at = open.length - 1;
    while (at >= 0 && closerOf.get(open[at].tokenType) !== token.tokenType) at--;
    if (at < 0) continue;
    const opener = open[at];
    open.length = at;
    const startLine = source.position(opener.startOffset).line;
    const close = source.position(token.startOffset);
    const startsLine = source.lineText(close.line).slice(0, close.character).trim() === '';
    const endLine = startsLine ? close.line - 1 : close.line;
    if (endLine > startLine) regions.push({ startLine, endLine });
  }
  return regions;
}

/** Two or more consecutive lines holding only comments (a long block comment counts alone). */
function commentRuns(parsed: ParseResult): FoldingRegion[] {
  const { source } = parsed;
  const regions: FoldingRegion[] = [];
  let run: FoldingRegion | undefined;
  const flush = () => {
    if (run && run.endLine > run.startLine) regions.push({ ...run, kind: 'comment' });
    run = undefined;
  };
  for (const comment of parsed.comments) {
    const start = source.position(comment.startOffset);
    const end = source.position(tokenEnd(comment));
    const alone =
      source.lineText(start.line).slice(0, start.character).trim() === '' && source.lineText(end.line).slice(end.character).trim() === '';
    if (!alone) {
      flush();
      continue;
    }
    if (run && start.line === run.endLine + 1) run.endLine = end.line;
    else {
      flush();
      run = { startLine: start.line, endLine: end.line };
    }
  }
  flush();
  return regions;
}

/** Imports with no other declaration between them, when there are two or more. */
function importRuns(parsed: ParseResult): FoldingRegion[] {
  const { tree, source } = parsed;
  const others = [...tree.models, ...tree.fabrics].map((decl) => decl.span.start);
  const regions: FoldingRegion[] = [];
  let first = 0;
  for (let i = 1; i <= tree.imports.length; i++) {
    const current = tree.imports[i];
    const previous = tree.imports[i - 1];
    const continues = current && !others.some((start) => start > previous.span.start && start < current.span.start);
    if (continues) continue;
    if (i - first >= 2) {
      regions.push({ startLine: source.position(tree.imports[first].span.start).line, endLine: source.position(previous.span.end).line, kind: 'imports' });
    }
    first = i;
  }
  return regions;
}
