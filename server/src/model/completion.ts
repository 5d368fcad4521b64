/**
 * Completion, the pure half: what may stand at an offset of a possibly half-written file, and the
 * items to offer there. The context comes from the tokens before the cursor, not from the syntax
 * tree, because the parser's recovery drops whole declarations around an unfinished line while the
 * tokens are all still there. Declared names come from a token scan of the whole file for the same
 * reason; models, ports and constant values come from the last check of the text.
 */
import { tokenMatcher, type IToken, type TokenType } from 'chevrotain';
import type { DeviceKind } from '../syntax/ast.js';
import type { Span } from '../syntax/source.js';
import * as T from '../syntax/tokens.js';
import { attributeKeysFor, LINK_ATTRIBUTES, SETTINGS_ATTRIBUTES } from './attributes.js';
import type { CheckResult } from './check.js';
import { isKind } from './models.js';
import { PROTOCOLS, widthText } from './protocols.js';
import { ALGORITHMS } from './resolve.js';
import type { DeviceSpec, FabricModel, Settings } from './types.js';
import { unitsOf, type Dimension } from './units.js';

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

// ---------------------------------------------------------------------------------------------
// What may come next

type Owner = { type: 'device'; kind: DeviceKind } | { type: 'model'; base: string } | { type: 'link' } | { type: 'settings' };

type ItemsOf = 'file' | 'fabric' | 'loop' | 'statements';

/** Something that may stand at the cursor; turned into items with what the file declares. */
type Slot =
  | { type: 'items'; of: ItemsOf }
  | { type: 'keywords'; words: readonly string[] }
  | { type: 'operators'; words: readonly string[] }
  | { type: 'devices'; groups: boolean; exclude?: string }
  | { type: 'integers'; loopVariables: boolean; exclude?: string }
  | { type: 'models'; kind?: DeviceKind }
  | { type: 'workloads' }
  | { type: 'keys'; owner: Owner; taken: readonly string[] }
  | { type: 'protocols'; exclude: readonly string[] }
  | { type: 'widths'; protocol: string; ends: readonly string[] }
  | { type: 'units'; dimension: Dimension }
  | { type: 'algorithms'; op: string }
  | { type: 'metrics' }
  | { type: 'values'; words: readonly string[] };

/** Where the tokens ran out: what may stand there, and whether the item may also end there. */
class Stop {
  constructor(
    readonly slots: readonly Slot[],
    readonly complete: boolean,
  ) {}
}

/** What may follow a construct once it is complete. */
interface Follow {
  slots: readonly Slot[];
  complete: boolean;
}

const NOTHING: Follow = { slots: [], complete: false };
const ITEM_ENDS: Follow = { slots: [], complete: true };
const keywords = (...words: string[]): Follow => ({ slots: [{ type: 'keywords', words }], complete: false });

const COMPARISONS = ['<', '<=', '>', '>=', '=='];
const COMPARISON_TOKENS = [T.Less, T.LessEqual, T.Greater, T.GreaterEqual, T.EqualEqual];


const ALGORITHM_DOCS: Record<string, string> = {
  ring: 'a ring in selector order: 2(p−1) steps for all-reduce',
  tree: 'double binary trees over the selector order',
  inc: 'in-network reduction in the switches (needs `inc` on every switch of the trees)',
  hypercast: 'multicast in the switches (needs `hypercast` on every switch of the trees)',
  auto: 'the fastest algorithm the hardware supports (the default)',
};

/** Expectation metrics (§7) and the bound each compares. */
const METRICS: Record<string, { detail: string; pair: boolean }> = {
  latency: { detail: 'expect latency A -> B OP TIME', pair: true },
  bandwidth: { detail: 'expect bandwidth A -> B OP BANDWIDTH', pair: true },
  time: { detail: 'expect time WORKLOAD OP TIME', pair: false },
  utilization: { detail: 'expect utilization SEL OP PERCENT', pair: false },
  oversubscription: { detail: 'expect oversubscription SEL OP RATIO', pair: false },
};

/** The units a number may take, and whether it may stand without one. */
interface NumberForm {
  dimension?: Dimension;
  bare: boolean;
}
const measured = (dimension: Dimension): NumberForm => ({ dimension, bare: dimension === 'ratio' });
const WHOLE: NumberForm = { bare: true };

const METRIC_BOUNDS: Record<string, NumberForm> = {
  latency: measured('time'),
  bandwidth: measured('bandwidth'),
  time: measured('time'),
  utilization: { dimension: 'ratio', bare: false },
  oversubscription: WHOLE,
};

/** The shape of an attribute's value, for what to offer after its `:`. */
type Shape =
  | { type: 'number'; form: NumberForm; detail: string }
  | { type: 'words'; words: readonly string[]; detail: string }
  | { type: 'protocols'; detail: string }
  | { type: 'ports'; detail: string };

const quantityShape = (dimension: Dimension, detail: string): Shape => ({ type: 'number', form: measured(dimension), detail });
const WHOLE_SHAPE: Shape = { type: 'number', form: WHOLE, detail: 'a whole number' };
const BOOLEAN: Shape = { type: 'words', words: ['true', 'false'], detail: '`true` or `false`' };

/** Typed by the spec's keys, so a new device attribute cannot be forgotten here. */
const DEVICE_SHAPES: Record<keyof DeviceSpec, Shape> = {
  lanes: WHOLE_SHAPE,
  protocols: { type: 'protocols', detail: 'a list of protocols, such as `[pcie6, cxl]`' },
  latency: quantityShape('time', 'a time'),
  hypercast: BOOLEAN,
  inc: BOOLEAN,
  inc_style: { type: 'words', words: ['push', 'pull'], detail: '`push` (SHARP-like) or `pull` (NVLS-like)' },
  inc_efficiency: quantityShape('ratio', 'a ratio'),
  power: quantityShape('power', 'a power'),
  ports: { type: 'ports', detail: 'a list of ports, such as `[ualink x4 * 4, pcie6 x16]`' },
  memory: quantityShape('size', 'a size'),
  capacity: quantityShape('size', 'a size'),
  bandwidth: quantityShape('bandwidth', 'a bandwidth'),
};

const SETTINGS_SHAPES: Record<keyof Settings, Shape> = {
  step_overhead: quantityShape('time', 'a time'),
  oversubscription_limit: quantityShape('ratio', 'a ratio'),
  overload_threshold: quantityShape('ratio', 'a ratio'),
  hint_threshold: quantityShape('ratio', 'a ratio'),
};

/** Link attributes (§5), keyed like LINK_ATTRIBUTES; the unit tests check every key's units against the checker. */
const LINK_SHAPES: Record<string, Shape> = {
  length: quantityShape('length', 'a length'),
  retimers: WHOLE_SHAPE,
  latency: quantityShape('time', 'a time'),
  bandwidth: quantityShape('bandwidth', 'a bandwidth'),
  efficiency: quantityShape('ratio', 'a ratio'),
};

// ---------------------------------------------------------------------------------------------
// Reading the tokens of one item

const is = (token: IToken | undefined, type: TokenType): boolean => token !== undefined && tokenMatcher(token, type);

/** Reads an item's tokens; running out of them stops the reading with what may stand there. */
class Reader {
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
const GIVE_UP = new Stop([], false);

function expression(r: Reader, integers: Slot, follow: Follow): void {
  for (;;) {
    atom(r, integers);
    r.endWith(follow);
    if (![T.Plus, T.Minus, T.Star, T.Slash, T.Percent].some((type) => r.at(type))) return;
    r.take();
  }
}

function atom(r: Reader, integers: Slot): void {
  r.end([integers]);
  if (r.at(T.NumberLiteral) || r.at(T.AnyWord)) {
    r.take();
    return;
  }
  r.expect(T.LParen);
  expression(r, integers, NOTHING);
  r.expect(T.RParen);
}

/** A number and its unit; after a bare number, the units of its dimension. */
function quantity(r: Reader, form: NumberForm, follow: Follow): void {
  r.expect(T.NumberLiteral);
  const units: Slot[] = form.dimension ? [{ type: 'units', dimension: form.dimension }] : [];
  if (form.bare) r.end([...units, ...follow.slots], follow.complete);
  else r.end(units);
  // As the parser reads it: a word is a unit unless what follows makes it a key or a name.
  if (r.at(T.Percent) || r.at(T.MicroUnit)) {
    r.take();
  } else if (r.at(T.Identifier) && ![T.Colon, T.LBracket, T.Arrow, T.BiArrow].some((type) => is(r.peek(1), type))) {
    r.take();
    if (r.at(T.Slash) && is(r.peek(1), T.Identifier)) {
      r.take();
      r.take();
    }
  }
  r.endWith(follow);
}

/** Indices, counts and bounds outside declarations see constants and loop variables. */
const LOOP_INTEGERS: Slot = { type: 'integers', loopVariables: true };

/** `acc[i + 1]` or `pool`: one device. */
function endpoint(r: Reader, follow: Follow): IToken {
  const name = r.expect(T.AnyWord, [{ type: 'devices', groups: false }]);
  r.endWith(follow);
  if (r.at(T.LBracket)) {
    r.take();
    expression(r, LOOP_INTEGERS, NOTHING);
    r.expect(T.RBracket);
    r.endWith(follow);
  }
  return name;
}

/** `acc[*], acc[0..3], tp`: devices and groups, with an index, a range or `*`; not the group being declared. */
function selectorList(r: Reader, follow: Follow, declaring?: string): void {
  for (;;) {
    r.expect(T.AnyWord, [{ type: 'devices', groups: true, exclude: declaring }]);
    r.endWith(follow);
    if (r.at(T.LBracket)) {
      r.take();
      r.end([LOOP_INTEGERS]);
      if (r.at(T.Star)) r.take();
      else {
        expression(r, LOOP_INTEGERS, NOTHING);
        if (r.at(T.Range)) {
          r.take();
          expression(r, LOOP_INTEGERS, NOTHING);
        }
      }
      r.expect(T.RBracket);
      r.endWith(follow);
    }
    if (!r.at(T.Comma)) return;
    r.take();
  }
}

/** `for VAR in A..B`: the bounds may use the variables of the loops around this one. */
function loopHead(r: Reader): void {
  r.expect(T.AnyWord);
  r.expect(T.In, [{ type: 'keywords', words: ['in'] }]);
  expression(r, LOOP_INTEGERS, NOTHING);
  r.expect(T.Range);
  expression(r, LOOP_INTEGERS, NOTHING);
}

/** An item of the file, the fabric or a loop, after its keyword. Always stops. */
function fabricItem(r: Reader, keyword: IToken): never {
  const word = keyword.image;
  if (isKind(word)) {
    r.expect(T.AnyWord);
    r.endWith(ITEM_ENDS);
    if (r.at(T.LBracket)) {
      r.take();
      expression(r, { type: 'integers', loopVariables: false }, NOTHING);
      r.expect(T.RBracket);
      r.endWith(ITEM_ENDS);
    }
    r.expect(T.Colon);
    r.expect(T.AnyWord, [{ type: 'models', kind: word }]);
    r.endWith(ITEM_ENDS);
    throw GIVE_UP;
  }
  switch (word) {
    case 'link': {
      const left = endpoint(r, { slots: [{ type: 'operators', words: ['<->'] }], complete: false });
      r.expect(T.BiArrow);
      const right = endpoint(r, NOTHING);
      r.expect(T.Colon);
      const protocol = r.expect(T.AnyWord, [{ type: 'protocols', exclude: [] }]);
      r.expect(T.Width, [{ type: 'widths', protocol: protocol.image, ends: [left.image, right.image] }]);
      r.endWith(ITEM_ENDS);
      r.expect(T.Star);
      atom(r, LOOP_INTEGERS);
      r.endWith(ITEM_ENDS);
      throw GIVE_UP;
    }
    case 'for':
      loopHead(r);
      throw GIVE_UP;
    case 'group': {
      const name = r.expect(T.AnyWord);
      r.expect(T.Equals);
      selectorList(r, ITEM_ENDS, name.image);
      throw GIVE_UP;
    }
    case 'let': {
      const name = r.expect(T.AnyWord);
      r.expect(T.Equals);
      expression(r, { type: 'integers', loopVariables: false, exclude: name.image }, ITEM_ENDS);
      throw GIVE_UP;
    }
    case 'allocate':
      quantity(r, measured('size'), keywords('of'));
      r.expect(T.Of);
      endpoint(r, keywords('to'));
      r.expect(T.To);
      selectorList(r, ITEM_ENDS);
      throw GIVE_UP;
    case 'expect': {
      const metric = r.expect(T.Identifier, [{ type: 'metrics' }]).image;
      const comparisons: Follow = { slots: [{ type: 'operators', words: COMPARISONS }], complete: false };
      if (metric === 'time') {
        r.expect(T.AnyWord, [{ type: 'workloads' }]);
        r.endWith(comparisons);
      } else if (METRICS[metric]?.pair) {
        selectorList(r, { slots: [{ type: 'operators', words: ['->'] }], complete: false });
        r.expect(T.Arrow);
        selectorList(r, comparisons);
      } else {
        selectorList(r, comparisons);
      }
      if (!COMPARISON_TOKENS.some((type) => r.at(type))) throw GIVE_UP;
      r.take();
      quantity(r, METRIC_BOUNDS[metric] ?? WHOLE, ITEM_ENDS);
      throw GIVE_UP;
    }
    case 'model':
      r.expect(T.AnyWord);
      r.expect(T.Colon);
      r.expect(T.AnyWord, [{ type: 'models' }]);
      r.endWith(ITEM_ENDS);
      throw GIVE_UP;
    default:
      // `fabric`, `import`, `settings` and `workload` go on with a name, a string or a block.
      throw GIVE_UP;
  }
}

/** A workload statement after its keyword. Always stops. */
function statement(r: Reader, keyword: IToken): never {
  const op = keyword.image;
  const size = measured('size');
  const using: Follow = { slots: [{ type: 'keywords', words: ['using'] }], complete: true };
  switch (op) {
    case 'compute':
      quantity(r, measured('time'), ITEM_ENDS);
      throw GIVE_UP;
    case 'allreduce':
    case 'reducescatter':
    case 'allgather':
    case 'alltoall':
    case 'broadcast':
      if (op === 'broadcast') {
        quantity(r, size, keywords('from'));
        r.expect(T.From);
        endpoint(r, keywords('to'));
        r.expect(T.To);
      } else {
        quantity(r, size, keywords('over'));
        r.expect(T.Over);
      }
      selectorList(r, op === 'alltoall' ? ITEM_ENDS : using);
      r.expect(T.Using);
      r.expect(T.AnyWord, [{ type: 'algorithms', op }]);
      r.endWith(ITEM_ENDS);
      throw GIVE_UP;
    case 'flow':
      quantity(r, size, { slots: [{ type: 'devices', groups: false }], complete: false });
      endpoint(r, { slots: [{ type: 'operators', words: ['->'] }], complete: false });
      r.expect(T.Arrow);
      endpoint(r, ITEM_ENDS);
      throw GIVE_UP;
    case 'read':
    case 'write':
      quantity(r, size, keywords(op === 'read' ? 'from' : 'to'));
      r.expect(op === 'read' ? T.From : T.To);
      endpoint(r, keywords('by'));
      r.expect(T.By);
      selectorList(r, ITEM_ENDS);
      throw GIVE_UP;
    case 'for':
      loopHead(r);
      throw GIVE_UP;
    default:
      // `parallel` goes on with a block.
      throw GIVE_UP;
  }
}

function shapeOf(owner: Owner, key: string, modelKind: (name: string) => DeviceKind | undefined): Shape | undefined {
  switch (owner.type) {
    case 'link':
      return LINK_SHAPES[key];
    case 'settings':
      return (SETTINGS_SHAPES as Record<string, Shape>)[key];
    default: {
      const kind = ownerKind(owner, modelKind);
      return kind && attributeKeysFor(kind).includes(key) ? (DEVICE_SHAPES as Record<string, Shape>)[key] : undefined;
    }
  }
}

function ownerKind(owner: Owner, modelKind: (name: string) => DeviceKind | undefined): DeviceKind | undefined {
  if (owner.type === 'device') return owner.kind;
  if (owner.type === 'model') return isKind(owner.base) ? owner.base : modelKind(owner.base);
  return undefined;
}

/** An attribute block's `key: value` pairs. Always stops. */
function attributes(r: Reader, owner: Owner, modelKind: (name: string) => DeviceKind | undefined): never {
  const taken: string[] = [];
  for (;;) {
    const key = r.expect(T.AnyWord, [{ type: 'keys', owner, taken: [...taken] }]).image;
    taken.push(key);
    r.expect(T.Colon);
    value(r, shapeOf(owner, key, modelKind), { slots: [{ type: 'keys', owner, taken: [...taken] }], complete: false });
  }
}

function valueStart(shape: Shape | undefined, listed: readonly string[]): Slot[] {
  if (shape?.type === 'words') return [{ type: 'values', words: shape.words }];
  if (shape?.type === 'protocols' || shape?.type === 'ports') return [{ type: 'protocols', exclude: shape.type === 'protocols' ? listed : [] }];
  return [];
}

/** One value: a list, a quantity, a string, a port spec, a word or a width. */
function value(r: Reader, shape: Shape | undefined, follow: Follow, listed: string[] = []): void {
  r.end(valueStart(shape, listed));
  if (r.at(T.LBracket)) {
    r.take();
    const items: string[] = [];
    for (;;) {
      r.end(valueStart(shape, items));
      if (r.at(T.RBracket)) break;
      if (r.at(T.Comma)) r.take();
      else value(r, shape, { slots: valueStart(shape, items), complete: false }, items);
    }
    r.take();
    r.endWith(follow);
    return;
  }
  if (r.at(T.NumberLiteral)) {
    quantity(r, shape?.type === 'number' ? shape.form : WHOLE, follow);
    return;
  }
  if (r.at(T.AnyWord)) {
    const word = r.take().image;
    listed.push(word);
    if (shape?.type === 'ports' || r.at(T.Width)) {
      r.expect(T.Width, [{ type: 'widths', protocol: word, ends: [] }]);
      r.endWith(follow);
      if (r.at(T.Star)) {
        r.take();
        atom(r, { type: 'integers', loopVariables: false });
      }
    }
    r.endWith(follow);
    return;
  }
  if (!r.at(T.StringLiteral) && !r.at(T.Width)) throw GIVE_UP;
  r.take();
  r.endWith(follow);
}

// ---------------------------------------------------------------------------------------------
// Blocks and items: a walk over the whole file's tokens

const FILE_ITEMS = ['import', 'model', 'fabric'];
const FABRIC_ITEMS = ['gpu', 'cpu', 'switch', 'memory', 'link', 'for', 'group', 'allocate', 'workload', 'expect', 'settings', 'let', 'model'];
const LOOP_ITEMS = ['link', 'allocate', 'for'];
const STATEMENTS = ['compute', 'allreduce', 'reducescatter', 'allgather', 'alltoall', 'broadcast', 'flow', 'read', 'write', 'parallel', 'for'];
const ITEM_KEYWORDS: Record<ItemsOf, readonly string[]> = { file: FILE_ITEMS, fabric: FABRIC_ITEMS, loop: LOOP_ITEMS, statements: STATEMENTS };

type Frame =
  | { type: 'file' | 'fabric' | 'skip'; item: IToken[] }
  | { type: 'loop' | 'statements'; variable?: string; item: IToken[] }
  | { type: 'attributes'; owner: Owner; item: IToken[] };

interface DeviceDeclaration {
  name: string;
  kind: DeviceKind;
  array: boolean;
  model?: string;
}

/** Names the file declares, read from its tokens. */
interface Declarations {
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
class Walker {
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
    if (!is(token, T.ReservedWord)) return false;
    // Model names and algorithms may be reserved words: `gpu g : gpu`, `model link : gpu`.
    const previous = this.tokens[index - 1];
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
    if (!first || !is(first, T.ReservedWord) || frame.type === 'attributes' || frame.type === 'skip') return { type: 'skip', item: [] };
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
function slotsOf(frame: Frame, modelKind: (name: string) => DeviceKind | undefined): readonly Slot[] {
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

// ---------------------------------------------------------------------------------------------
// The cursor

const isPartial = (token: IToken) => is(token, T.AnyWord) || is(token, T.Width);
const tokenEnd = (token: IToken) => token.startOffset + token.image.length;

interface Cursor {
  /** Tokens of the whole file, and how many of them stand before the word being typed. */
  tokens: IToken[];
  before: number;
  replace: Span;
  typing?: IToken;
}

/** Where the cursor is among the tokens, or undefined inside a comment or a string. */
function locate(text: string, offset: number): Cursor | undefined {
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

// ---------------------------------------------------------------------------------------------
// Items

interface Knowledge {
  declarations: Declarations;
  /** Loop variables of the loops around the cursor. */
  loopVariables: string[];
  modelKind: (name: string) => DeviceKind | undefined;
  models: Map<string, { kind?: DeviceKind; detail: string; doc?: string }>;
  fabric?: FabricModel;
}

const LINK_LOOP: CompletionItem = {
  label: 'link loop',
  kind: 'snippet',
  filter: 'for',
  detail: 'a loop of links',
  insert: 'for ${1:i} in ${2:0}..${3:N-1} {\n  link ${4:acc}[$1] <-> ${5:sx}[$1 % ${6:4}] : ${7:ualink} ${8:x4}\n}$0',
  snippet: true,
};

/** Common blocks with tab stops, offered where an item may start. */
const SNIPPETS: Record<'fabric' | 'loop', CompletionItem[]> = {
  fabric: [
    {
      label: 'switch tier',
      kind: 'snippet',
      filter: 'switch',
      detail: 'switches, and a loop spreading devices over them',
      insert: 'switch ${1:sx}[${2:4}] : ${3:scorpio_x}\nfor ${4:i} in 0..${5:N}-1 {\n  link ${6:acc}[$4] <-> $1[$4 % $2] : ${7:ualink} ${8:x4} * ${9:2}\n}$0',
      snippet: true,
    },
    LINK_LOOP,
    {
      label: 'workload',
      kind: 'snippet',
      filter: 'workload',
      detail: 'a workload with one collective',
      insert: 'workload ${1:step} {\n  ${2|allreduce,allgather,reducescatter,alltoall|} ${3:256 MiB} over ${4:acc[*]}\n}$0',
      snippet: true,
    },
    {
      label: 'expect latency',
      kind: 'snippet',
      filter: 'expect',
      detail: 'an expectation on a path latency',
      insert: 'expect latency ${1:acc[0]} -> ${2:pool} < ${3:500 ns}$0',
      snippet: true,
    },
    {
      label: 'expect time',
      kind: 'snippet',
      filter: 'expect',
      detail: 'an expectation on a workload time',
      insert: 'expect time ${1:step} < ${2:10 ms}$0',
      snippet: true,
    },
  ],
  loop: [LINK_LOOP],
};

const KEYWORD_DETAILS: Record<string, string> = {
  gpu: 'an accelerator: gpu NAME[COUNT] : MODEL',
  cpu: 'a host CPU: cpu NAME[COUNT] : MODEL',
  switch: 'a switch: switch NAME[COUNT] : MODEL',
  memory: 'a memory device: memory NAME[COUNT] : MODEL',
  link: 'link END <-> END : PROTOCOL WIDTH * COUNT',
  for: 'for VAR in A..B { ... }',
  group: 'group NAME = SELECTOR, ...',
  allocate: 'allocate SIZE of MEMORY to SELECTOR',
  workload: 'workload NAME { statements }',
  expect: 'expect METRIC ... OP VALUE',
  settings: 'settings { key: value }',
  let: 'let NAME = EXPRESSION',
  model: 'model NAME : BASE { attributes }',
  import: 'import "path"',
  fabric: 'fabric NAME "description" { ... }',
  compute: 'compute TIME',
  allreduce: 'allreduce SIZE over SEL using ring|tree|inc|auto',
  reducescatter: 'reducescatter SIZE over SEL using ring|inc|auto',
  allgather: 'allgather SIZE over SEL using ring|hypercast|auto',
  alltoall: 'alltoall SIZE over SEL',
  broadcast: 'broadcast SIZE from END to SEL using ring|tree|hypercast|auto',
  flow: 'flow SIZE END -> END',
  read: 'read SIZE from DEVICE by SEL',
  write: 'write SIZE to DEVICE by SEL',
  parallel: 'parallel { statements run together }',
};

function itemsOf(slot: Slot, knowledge: Knowledge): CompletionItem[] {
  const { declarations, fabric } = knowledge;
  switch (slot.type) {
    case 'items': {
      const words = ITEM_KEYWORDS[slot.of].map((label): CompletionItem => ({ label, kind: 'keyword', detail: KEYWORD_DETAILS[label] }));
      const snippets = slot.of === 'fabric' || slot.of === 'loop' ? SNIPPETS[slot.of] : [];
      return [...words, ...snippets];
    }
    case 'keywords':
      return slot.words.map((label) => ({ label, kind: 'keyword' }));
    case 'operators':
      return slot.words.map((label) => ({ label, kind: 'operator' }));
    case 'values':
      return slot.words.map((label) => ({ label, kind: 'value' }));
    case 'devices': {
      const devices = declarations.devices.map((d): CompletionItem => {
        const count = d.array ? `[${fabric?.arrays.get(d.name)?.count ?? ''}]` : '';
        return { label: d.name, kind: 'device', detail: `${d.kind}${count}${d.model ? ` : ${d.model}` : ''}` };
      });
      if (!slot.groups) return devices;
      return [
        ...devices,
        ...declarations.groups.filter((name) => name !== slot.exclude).map((label): CompletionItem => ({ label, kind: 'group', detail: `group${groupSize(fabric, label)}` })),
      ];
    }
    case 'integers': {
      const constants = declarations.constants
        .filter((name) => name !== slot.exclude)
        .map((label): CompletionItem => ({ label, kind: 'constant', detail: fabric?.constants.has(label) ? `= ${fabric.constants.get(label)}` : 'constant' }));
      const variables = slot.loopVariables ? knowledge.loopVariables.map((label): CompletionItem => ({ label, kind: 'variable', detail: 'loop variable' })) : [];
      return [...variables, ...constants];
    }
    case 'models': {
      const models = [...knowledge.models]
        .filter(([, model]) => slot.kind === undefined || model.kind === slot.kind)
        .map(([label, model]): CompletionItem => ({ label, kind: 'model', detail: model.detail, documentation: model.doc }));
      if (slot.kind) return models;
      // A model's base may be a kind; `gpu` and `cpu` are also the names of their default models.
      const kinds = (['gpu', 'cpu', 'switch', 'memory'] as const).filter((kind) => !knowledge.models.has(kind));
      return [...models, ...kinds.map((label): CompletionItem => ({ label, kind: 'kind', detail: `starts from the default ${label} model` }))];
    }
    case 'workloads':
      return declarations.workloads.map((label) => ({ label, kind: 'workload' }));
    case 'keys':
      return keysOf(slot.owner, knowledge)
        .filter(({ key }) => !slot.taken.includes(key))
        .map(({ key, detail }) => ({ label: key, kind: 'attribute', detail, insert: `${key}: ` }));
    case 'protocols':
      return [...PROTOCOLS.values()]
        .filter((p) => !slot.exclude.includes(p.name))
        .map((p) => ({ label: p.name, kind: 'protocol', detail: `${p.widths.map(widthText).join(' ')} · ${p.laneRate.value / 1e9} GB/s per lane` }));
    case 'widths':
      return widthsFor(slot.protocol, slot.ends, fabric).map((width) => ({ label: widthText(width), kind: 'width', detail: `${width} lane${width > 1 ? 's' : ''}` }));
    case 'units':
      return (slot.dimension === 'ratio' ? ['%'] : unitsOf(slot.dimension)).map((label) => ({ label, kind: 'unit', detail: slot.dimension }));
    case 'algorithms':
      // `alltoall` has no choice of algorithm, so nothing follows its `using`.
      return (slot.op === 'alltoall' ? [] : (ALGORITHMS[slot.op] ?? [])).map((label) => ({ label, kind: 'algorithm', detail: ALGORITHM_DOCS[label] }));
    case 'metrics':
      return Object.entries(METRICS).map(([label, { detail }]) => ({ label, kind: 'metric', detail }));
  }
}

function groupSize(fabric: FabricModel | undefined, name: string): string {
  const group = fabric?.groups.get(name);
  return group ? ` of ${group.devices.length}` : '';
}

function keysOf(owner: Owner, knowledge: Knowledge): { key: string; detail: string }[] {
  switch (owner.type) {
    case 'link':
      return Object.entries(LINK_ATTRIBUTES).map(([key, { describe }]) => ({ key, detail: describe }));
    case 'settings':
      return Object.entries(SETTINGS_ATTRIBUTES).map(([key, { describe }]) => ({ key, detail: describe }));
    default: {
      const kind = ownerKind(owner, knowledge.modelKind);
      return kind ? attributeKeysFor(kind).map((key) => ({ key, detail: (DEVICE_SHAPES as Record<string, Shape>)[key].detail })) : [];
    }
  }
}

/** The protocol's widths, no wider than the widest port of that protocol on an endpoint end. */
function widthsFor(protocol: string, ends: readonly string[], fabric: FabricModel | undefined): number[] {
  const widths = PROTOCOLS.get(protocol)?.widths ?? [];
  let widest = Infinity;
  for (const end of ends) {
    const array = fabric?.arrays.get(end);
    if (!array || array.kind === 'switch') continue;
    const ports = (array.spec.ports?.value ?? []).filter((p) => p.protocol === protocol);
    if (ports.length > 0) widest = Math.min(widest, Math.max(...ports.map((p) => p.width)));
  }
  return widths.filter((w) => w <= widest);
}

/** Models of the catalog, the imports and this file, with their kinds (following bases). */
function modelsOf(check: CheckResult | undefined, declared: Map<string, string>): Pick<Knowledge, 'models' | 'modelKind'> {
  const bases = new Map<string, string>();
  const docs = new Map<string, string | undefined>();
  const trees = check ? [check.catalog, ...check.program.files] : [];
  for (const { tree } of trees) {
    const inFabric = tree.fabrics.flatMap((f) => f.items.flatMap((item) => (item.type === 'model' ? [item] : [])));
    for (const decl of [...tree.models, ...inFabric]) {
      bases.set(decl.name.text, decl.base.text);
      docs.set(decl.name.text, decl.doc);
    }
  }
  for (const [name, base] of declared) if (!bases.has(name)) bases.set(name, base);
  const modelKind = (name: string): DeviceKind | undefined => {
    const seen = new Set<string>();
    for (let at: string | undefined = name; at !== undefined && !seen.has(at); at = bases.get(at)) {
      seen.add(at);
      const base = bases.get(at);
      if (base !== undefined && isKind(base)) return base;
    }
    return undefined;
  };
  const models = new Map<string, { kind?: DeviceKind; detail: string; doc?: string }>();
  for (const name of bases.keys()) {
    const kind = modelKind(name);
    const resolved = check?.fabric?.models.get(name);
    models.set(name, { kind, detail: resolved ? describeModel(resolved.kind, resolved.spec) : (kind ?? 'model'), doc: docs.get(name) });
  }
  return { models, modelKind };
}

function describeModel(kind: DeviceKind, spec: DeviceSpec): string {
  if (kind === 'switch') {
    const protocols = (spec.protocols?.value ?? []).map((p) => p.protocol).join(', ');
    return `switch · ${spec.lanes?.value ?? 0} lanes · ${protocols || 'no protocol'}`;
  }
  const ports = (spec.ports?.value ?? []).map((p) => `${p.protocol} ${widthText(p.width)}${p.count > 1 ? ` × ${p.count}` : ''}`).join(', ');
  return `${kind} · ${ports || 'no ports'}`;
}

/**
 * The completions at `offset` of `text`. `check` is the check of this same text: it supplies the
 * catalog's and imported models, device ports and constant values; without it only what the text
 * itself declares is offered.
 */
export function complete(text: string, offset: number, check?: CheckResult): Completions {
  const cursor = locate(text, offset);
  if (!cursor) return { replace: { start: offset, end: offset }, items: [] };
  const walker = new Walker(cursor.tokens, cursor.typing);
  for (let i = 0; i < cursor.before; i++) walker.step(i);
  const stack = walker.stack.map((frame) => ({ ...frame, item: [...frame.item] }));
  for (let i = cursor.before; i < cursor.tokens.length; i++) walker.step(i);

  const { models, modelKind } = modelsOf(check, walker.declarations.models);
  const loopVariables = stack.flatMap((frame) => ('variable' in frame && frame.variable ? [frame.variable] : []));
  const knowledge: Knowledge = { declarations: walker.declarations, loopVariables, models, modelKind, fabric: check?.fabric };
  // Right after a `:` (a completion trigger), the item brings the space the file's style puts there.
  const spaced = cursor.replace.start === offset && text[offset - 1] === ':';
  const seen = new Set<string>();
  const items: CompletionItem[] = [];
  for (const slot of slotsOf(stack[stack.length - 1], modelKind)) {
    for (const item of itemsOf(slot, knowledge)) {
      const key = `${item.kind}\u0000${item.label}`;
      if (seen.has(key)) continue;
      seen.add(key);
      items.push(spaced ? { ...item, insert: ` ${item.insert ?? item.label}` } : item);
    }
  }
  return { replace: cursor.replace, items };
}
