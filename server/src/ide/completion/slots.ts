/**
 * Completion's vocabulary: the items it offers, the slots that say what may stand at the cursor,
 * and the reader that walks an item's tokens until they run out there.
 */
import { tokenMatcher, type IToken, type TokenType } from 'chevrotain';
import type { DeviceKind } from '../../syntax/ast.js';
import type { Span } from '../../syntax/source.js';
import type { Dimension } from '../../model/units.js';

export type CompletionKind =
  | 'keyword'
  | 'snippet'
  | 'device'
  | 'group'
  | 'model'
  | 'kind'
  | 'constant'
  | 'variable'
  | 'workload'
  | 'attribute'
  | 'protocol'
  | 'width'
  | 'unit'
  | 'algorithm'
  | 'metric'
  | 'operator'
  | 'value';

export interface CompletionItem {
  label: string;
  kind: CompletionKind;
  detail?: string;
  /** Markdown. */
  documentation?: string;
  /** The text to insert when it is not the label; with `${1:tab stops}` when `snippet`. */
  insert?: string;
  snippet?: boolean;
  /** What the typed word is matched against when it is not the label (a snippet's keyword). */
  filter?: string;
}

export interface Completions {
  /** What a chosen item replaces: the word (or unit) being typed, empty when none is. */
  replace: Span;
  items: CompletionItem[];
}

export type Owner = { type: 'device'; kind: DeviceKind } | { type: 'model'; base: string } | { type: 'link' } | { type: 'settings' } | { type: 'transformer' | 'train' | 'serve' };

export type ItemsOf = 'file' | 'fabric' | 'loop' | 'statements';

/** Something that may stand at the cursor; turned into items with what the file declares. */
export type Slot =
  | { type: 'items'; of: ItemsOf }
  | { type: 'keywords'; words: readonly string[] }
  | { type: 'operators'; words: readonly string[] }
  | { type: 'devices'; groups: boolean; exclude?: string }
  | { type: 'integers'; loopVariables: boolean; exclude?: string }
  | { type: 'models'; kind?: DeviceKind }
  | { type: 'workloads' }
  | { type: 'transformers' }
  | { type: 'keys'; owner: Owner; taken: readonly string[] }
  | { type: 'protocols'; exclude: readonly string[] }
  | { type: 'widths'; protocol: string; ends: readonly string[] }
  | { type: 'units'; dimension: Dimension }
  | { type: 'algorithms'; op: string }
  | { type: 'metrics' }
  | { type: 'values'; words: readonly string[] };

/** Where the tokens ran out: what may stand there, and whether the item may also end there. */
export class Stop {
  constructor(
    readonly slots: readonly Slot[],
    readonly complete: boolean,
  ) {}
}

/** What may follow a construct once it is complete. */
export interface Follow {
  slots: readonly Slot[];
  complete: boolean;
}

export const NOTHING: Follow = { slots: [], complete: false };
export const ITEM_ENDS: Follow = { slots: [], complete: true };
export const keywords = (...words: string[]): Follow => ({ slots: [{ type: 'keywords', words }], complete: false });



export const is = (token: IToken | undefined, type: TokenType): boolean => token !== undefined && tokenMatcher(token, type);

/** Reads an item's tokens; running out of them stops the reading with what may stand there. */
export class Reader {
  private index = 0;

  constructor(private readonly tokens: readonly IToken[]) {}

  /** Stops with `slots` when no token is left. */
  end(slots: readonly Slot[], complete = false): void {
    if (this.index >= this.tokens.length) throw new Stop(slots, complete);
  }

  endWith(follow: Follow): void {
    this.end(follow.slots, follow.complete);
  }

  peek(ahead = 0): IToken | undefined {
    return this.tokens[this.index + ahead];
  }

  at(type: TokenType): boolean {
    return is(this.peek(), type);
  }

  take(): IToken {
    return this.tokens[this.index++];
  }

  /** Takes a token of `type`, offering `slots` when none is left; other text is not this grammar. */
  expect(type: TokenType, slots: readonly Slot[] = []): IToken {
    this.end(slots);
    if (!this.at(type)) throw GIVE_UP;
    return this.take();
  }
}

/** The text is not what the grammar expects here: nothing to offer. */
export const GIVE_UP = new Stop([], false);

