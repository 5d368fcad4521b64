/**
 * Where the cursor stands: the file's tokens walked block by block (which item, which attribute
 * block, which loop), the names the file declares, and what may stand after the innermost item.
 */
import type { IToken } from 'chevrotain';
import type { DeviceKind } from '../../syntax/ast.js';
import type { Span } from '../../syntax/source.js';
import * as T from '../../syntax/tokens.js';
import { isKind } from '../../model/models.js';
import { attributes, fabricItem, statement } from './grammar.js';
import { is, Reader, Stop, type ItemsOf, type Owner, type Slot } from './slots.js';

const FILE_ITEMS = ['import', 'model', 'transformer', 'fabric'];
const FABRIC_ITEMS = ['gpu', 'cpu', 'switch', 'memory', 'link', 'for', 'group', 'allocate', 'workload', 'expect', 'settings', 'let', 'model', 'transformer'];
const LOOP_ITEMS = ['link', 'allocate', 'for'];
const STATEMENTS = ['compute', 'allreduce', 'reducescatter', 'allgather', 'alltoall', 'broadcast', 'flow', 'read', 'write', 'parallel', 'for', 'train', 'serve'];
export const ITEM_KEYWORDS: Record<ItemsOf, readonly string[]> = { file: FILE_ITEMS, fabric: FABRIC_ITEMS, loop: LOOP_ITEMS, statements: STATEMENTS };

type Frame =
  | { type: 'file' | 'fabric' | 'skip'; item: IToken[] }
  | { type: 'loop' | 'statements'; variable?: string; item: IToken[] }
  | { type: 'attributes'; owner: Owner; item: IToken[] };

export interface DeviceDeclaration {
  name: string;
  kind: DeviceKind;
  array: boolean;
  model?: string;
}

/** Names the file declares, read from its tokens. */
export interface Declarations {
  devices: DeviceDeclaration[];
  groups: string[];
  constants: string[];
  workloads: string[];
  /** Models of this file by name, with the word they start from. */
  models: Map<string, string>;
}

/**
 * Follows the blocks of a file token by token. An item keyword that the innermost open block does
 * not take closes that block when it is an attribute block or a workload, as when the user has
 * not typed its `}` yet; loops stay open, where a declaration is the user's mistake to see.
 */
export class Walker {
  readonly stack: Frame[] = [{ type: 'file', item: [] }];
  readonly declarations: Declarations = { devices: [], groups: [], constants: [], workloads: [], models: new Map() };

  constructor(
    private readonly tokens: readonly IToken[],
    /** The token the user is typing: it declares nothing yet. */
    private readonly typing: IToken | undefined,
  ) {}

  get top(): Frame {
    return this.stack[this.stack.length - 1];
  }

  step(index: number): void {
    const token = this.tokens[index];
    if (is(token, T.LBrace)) {
      this.stack.push(this.blockOf(this.top));
    } else if (is(token, T.RBrace)) {
      if (this.stack.length > 1) this.stack.pop();
      this.top.item = [];
    } else if (this.startsItem(index)) {
      while (this.closesOnItem(this.top, token.image)) {
        this.stack.pop();
        this.top.item = [];
      }
      this.top.item = [token];
      this.declare(index);
    } else {
      this.top.item.push(token);
    }
  }

  private startsItem(index: number): boolean {
    const token = this.tokens[index];
    const previous = this.tokens[index - 1];
    // v2's words start an item only where no name is expected (`workload train { … }` names one).
    if (is(token, T.ContextualWord)) return !is(previous, T.ReservedWord) && !is(previous, T.ContextualWord) && !is(previous, T.Colon) && this.top.type !== 'attributes';
    if (!is(token, T.ReservedWord)) return false;
    // Model names and algorithms may be reserved words: `gpu g : gpu`, `model link : gpu`.
    if (is(previous, T.Colon) || is(previous, T.Model) || is(previous, T.Using)) return false;
    // Attribute keys may be too (`memory: 256 GiB`).
    return this.top.type !== 'attributes' || !is(this.tokens[index + 1], T.Colon);
  }

  private closesOnItem(frame: Frame, word: string): boolean {
    if (this.stack.length === 1) return false;
    if (frame.type === 'attributes' || frame.type === 'skip') return true;
    return frame.type === 'statements' && !STATEMENTS.includes(word);
  }

  private blockOf(frame: Frame): Frame {
    const [first, ...rest] = frame.item;
    const word = first?.image;
    if (!first || !(is(first, T.ReservedWord) || is(first, T.ContextualWord)) || frame.type === 'attributes' || frame.type === 'skip') return { type: 'skip', item: [] };
    if (isKind(word)) return { type: 'attributes', owner: { type: 'device', kind: word }, item: [] };
    switch (word) {
      case 'fabric':
        return { type: 'fabric', item: [] };
      case 'model':
        return { type: 'attributes', owner: { type: 'model', base: is(rest[1], T.Colon) && rest[2] ? rest[2].image : '' }, item: [] };
      case 'link':
        return { type: 'attributes', owner: { type: 'link' }, item: [] };
      case 'settings':
        return { type: 'attributes', owner: { type: 'settings' }, item: [] };
      case 'transformer':
      case 'train':
      case 'serve':
        return { type: 'attributes', owner: { type: word }, item: [] };
      case 'for':
        return { type: frame.type === 'statements' ? 'statements' : 'loop', variable: rest[0]?.image, item: [] };
      case 'workload':
      case 'parallel':
        return { type: 'statements', item: [] };
      default:
        return { type: 'skip', item: [] };
    }
  }

  private declare(index: number): void {
    const keyword = this.tokens[index].image;
    const name = this.tokens[index + 1];
    if (!name || name === this.typing || !is(name, T.AnyWord)) return;
    const { devices, groups, constants, workloads, models } = this.declarations;
    if (isKind(keyword) && !is(name, T.ReservedWord)) {
      let at = index + 2;
      const array = is(this.tokens[at], T.LBracket);
      if (array) while (at < this.tokens.length && !is(this.tokens[at], T.RBracket) && !is(this.tokens[at], T.LBrace)) at++;
      if (array) at++;
      const model = is(this.tokens[at], T.Colon) && is(this.tokens[at + 1], T.AnyWord) ? this.tokens[at + 1].image : undefined;
      devices.push({ name: name.image, kind: keyword, array, model });
    } else if (keyword === 'model' && is(this.tokens[index + 2], T.Colon) && is(this.tokens[index + 3], T.AnyWord)) {
      models.set(name.image, this.tokens[index + 3].image);
    } else if (!is(name, T.ReservedWord)) {
      if (keyword === 'group') groups.push(name.image);
      else if (keyword === 'let') constants.push(name.image);
      else if (keyword === 'workload') workloads.push(name.image);
    }
  }
}

/** What may stand after the item tokens of the innermost block. */
export function slotsOf(frame: Frame, modelKind: (name: string) => DeviceKind | undefined): readonly Slot[] {
  if (frame.type === 'skip') return [];
  const r = new Reader(frame.item);
  const itemsOf: ItemsOf = frame.type === 'attributes' ? 'fabric' : frame.type;
  try {
    if (frame.type === 'attributes') attributes(r, frame.owner, modelKind);
    const keyword = frame.item[0];
    if (!keyword) return [{ type: 'items', of: itemsOf }];
    r.take();
    if (frame.type === 'statements') statement(r, keyword);
    fabricItem(r, keyword);
  } catch (stop) {
    if (!(stop instanceof Stop)) throw stop;
    return stop.complete ? [...stop.slots, { type: 'items', of: itemsOf }] : stop.slots;
  }
}

const isPartial = (token: IToken) => is(token, T.AnyWord) || is(token, T.Width);
const tokenEnd = (token: IToken) => token.startOffset + token.image.length;

export interface Cursor {
  /** Tokens of the whole file, and how many of them stand before the word being typed. */
  tokens: IToken[];
  before: number;
  replace: Span;
  typing?: IToken;
}

/** Where the cursor is among the tokens, or undefined inside a comment or a string. */
export function locate(text: string, offset: number): Cursor | undefined {
  const lexed = T.fabricLexer.tokenize(text);
  const inside = (token: IToken, endInside: boolean) => token.startOffset < offset && (offset < tokenEnd(token) || (endInside && offset === tokenEnd(token)));
  for (const comment of (lexed.groups.comments as IToken[] | undefined) ?? []) {
    // A line comment (or an unterminated block) runs on to the cursor at its end; `*/` closes.
    if (inside(comment, !is(comment, T.BlockComment))) return undefined;
  }
  const tokens = lexed.tokens;
  let before = 0;
  while (before < tokens.length && tokenEnd(tokens[before]) < offset) before++;
  const here = tokens[before];
  let typing: IToken | undefined;
  if (here && here.startOffset < offset) {
    if (is(here, T.StringLiteral) && inside(here, is(here, T.UnterminatedString))) return undefined;
    if (isPartial(here)) typing = here;
    else before++;
  }
  let replace: Span = typing ? { start: typing.startOffset, end: tokenEnd(typing) } : { start: offset, end: offset };
  // A unit with a slash is two words around a `/`: `GB/` and `GB/s` are typed as one unit.
  const slash = tokens[before - 1];
  const unit = tokens[before - 2];
  if (
    is(slash, T.Slash) &&
    tokenEnd(slash) === (typing ? typing.startOffset : offset) &&
    is(unit, T.Identifier) &&
    tokenEnd(unit) === slash.startOffset &&
    is(tokens[before - 3], T.NumberLiteral)
  ) {
    replace = { start: unit.startOffset, end: replace.end };
    before -= 2;
  }
  return { tokens, before, replace, typing };
}

