/**
 * The tokens of a parsed file, for the editing features that look at every token (formatting,
 * folding, semantic highlighting). A parse keeps only its comments, so that every open document
 * does not hold all its tokens in memory; the tokens are lexed again on first use and kept as
 * long as the parse itself is.
 */
import type { IToken } from 'chevrotain';
import type { SourceFile } from './source.js';
import { fabricLexer } from './tokens.js';

const lexed = new WeakMap<SourceFile, IToken[]>();

/** Every token but comments and whitespace, in source order, with `endOffset` set. */
export function tokensOf(source: SourceFile): IToken[] {
  let tokens = lexed.get(source);
  if (!tokens) {
    tokens = fabricLexer.tokenize(source.text).tokens;
    lexed.set(source, tokens);
  }
  return tokens;
}

/** The offset just past a token. */
export const tokenEnd = (token: IToken): number => token.startOffset + token.image.length;
