/**
 * Splits a stream of tokens into its fabrics' items and the outline around them (imports,
 * models, each fabric's head and braces), so that parse.ts can read one item at a time and drop
 * its tokens and concrete syntax tree at once. Keeping every token and every item's concrete
 * tree alive until the whole file was read made garbage collection half the cost of parsing a
 * large fabric.
 *
 * The split looks at tokens only: an item starts at a token that can start one, directly inside
 * a fabric's braces and not right after `:` (`gpu g : gpu` names a model). It is a proposal:
 * parse.ts reads the file whole when any piece does not parse cleanly, so a split that a mistake
 * confused never changes what the user sees.
 */
import type { IToken, TokenType } from 'chevrotain';
import * as T from './tokens.js';

/** Receives an item's tokens, its fabric's `{` and the token after it; false stops the split. */
export type ItemReader = (tokens: IToken[], open: IToken, follower: IToken) => boolean;

export class ItemSplitter {
  /** Every token outside the items, in order: the file as it reads with its fabrics emptied. */
  readonly outline: IToken[] = [];
  private braceDepth = 0;
  private nesting = 0;
  private afterFabricKeyword = false;
  private open: IToken | undefined;
  private item: IToken[] | undefined;
  private previous: TokenType | undefined;

  constructor(
    private readonly itemStarts: ReadonlySet<TokenType>,
    private readonly maxNestingDepth: number,
    private readonly readItem: ItemReader,
  ) {}

  /**
   * False when the split cannot go on: braces do not balance, nesting goes deeper than allowed,
   * a fabric's body holds something before its first item, or the reader said stop. Then only
   * reading the whole file reports it the way a user expects.
   */
  push(token: IToken): boolean {
    const type = token.tokenType;
    const previous = this.previous;
    this.previous = type;
    const change = T.nestingChange(type);
    if (change > 0 && ++this.nesting > this.maxNestingDepth) return false;
    if (change < 0) this.nesting = Math.max(0, this.nesting - 1);
    const open = this.open;
    if (!open) {
      this.outline.push(token);
      if (type === T.LBrace) {
        if (this.braceDepth === 0 && this.afterFabricKeyword) this.open = token;
        this.braceDepth++;
      } else if (type === T.RBrace) {
        if (this.braceDepth === 0) return false;
        this.braceDepth--;
      } else if (this.braceDepth === 0) {
        if (type === T.Fabric) this.afterFabricKeyword = true;
        else if (type === T.Import || type === T.Model) this.afterFabricKeyword = false;
      }
      return true;
    }
    if (this.braceDepth === 1 && type === T.RBrace) {
      const done = this.finishItem(open, token);
      this.open = undefined;
      this.afterFabricKeyword = false;
      this.braceDepth = 0;
      this.outline.push(token);
      return done;
    }
    if (this.braceDepth === 1 && this.itemStarts.has(type) && previous !== T.Colon) {
      if (!this.finishItem(open, token)) return false;
      this.item = [];
    } else if (!this.item) {
      return false;
    }
    this.item.push(token);
    if (type === T.LBrace) this.braceDepth++;
    else if (type === T.RBrace) this.braceDepth--;
    return true;
  }

  /** False when the tokens ended inside a fabric or a block. */
  finish(): boolean {
    return this.braceDepth === 0;
  }

  private finishItem(open: IToken, follower: IToken): boolean {
    const item = this.item;
    this.item = undefined;
    return !item || this.readItem(item, open, follower);
  }
}
