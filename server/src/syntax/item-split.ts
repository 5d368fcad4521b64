/**
 * Splits a file's tokens into its fabrics' items and the outline around them (imports, models,
 * each fabric's head and braces), so that parse.ts can read one item at a time and drop its
 * concrete syntax tree at once. Keeping every item's concrete tree alive until the whole file
 * was read made garbage collection half the cost of parsing a large fabric.
 *
 * The split looks at tokens only: an item starts at a token that can start one, directly inside
 * a fabric's braces and not right after `:`. It is a proposal: parse.ts reads the file whole when any piece does not
 * parse cleanly, so a split that a mistake confused never changes what the user sees.
 */
import type { IToken, TokenType } from 'chevrotain';
import * as T from './tokens.js';

/** Token index ranges `[start, end)` of one fabric's items, and the fabric's `{`. */
export interface FabricBody {
  open: IToken;
  items: Array<[start: number, end: number]>;
}

export interface ItemSplit {
  /** Every token outside the items, in order: what the file reads as with its fabrics emptied. */
  outline: IToken[];
  bodies: FabricBody[];
}

/**
 * Undefined when braces do not balance or a fabric's body holds something before its first item:
 * then only a parse of the whole file can recover the way a user expects.
 */
export function splitItems(tokens: readonly IToken[], itemStarts: ReadonlySet<TokenType>): ItemSplit | undefined {
  const outline: IToken[] = [];
  const bodies: FabricBody[] = [];
  let depth = 0;
  let afterFabricKeyword = false;
  let body: FabricBody | undefined;
  let itemStart = -1;

  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index];
    const type = token.tokenType;
    if (!body) {
      outline.push(token);
      if (type === T.LBrace) {
        if (depth === 0 && afterFabricKeyword) {
          body = { open: token, items: [] };
          itemStart = -1;
        }
        depth++;
      } else if (type === T.RBrace) {
        if (depth === 0) return undefined;
        depth--;
      } else if (depth === 0) {
        if (type === T.Fabric) afterFabricKeyword = true;
        else if (type === T.Import || type === T.Model) afterFabricKeyword = false;
      }
      continue;
    }
    if (depth === 1 && type === T.RBrace) {
      if (itemStart >= 0) body.items.push([itemStart, index]);
      bodies.push(body);
      body = undefined;
      afterFabricKeyword = false;
      outline.push(token);
      depth = 0;
      continue;
    }
    // After `:` a keyword is a model's name (`gpu g : gpu`), not the start of an item.
    if (depth === 1 && itemStarts.has(type) && tokens[index - 1].tokenType !== T.Colon) {
      if (itemStart >= 0) body.items.push([itemStart, index]);
      itemStart = index;
    } else if (itemStart < 0) {
      return undefined;
    }
    if (type === T.LBrace) depth++;
    else if (type === T.RBrace) depth--;
  }
  return depth === 0 ? { outline, bodies } : undefined;
}
