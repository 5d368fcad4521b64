/**
 * The grammar as completion reads it: one item's tokens, read until they run out at the cursor,
 * where the reading stops with what may stand there (a `Stop` of slots).
 */
import type { IToken } from 'chevrotain';
import type { DeviceKind } from '../../syntax/ast.js';
import * as T from '../../syntax/tokens.js';
import { isKind } from '../../model/models.js';
import { measured, METRIC_BOUNDS, METRICS, shapeOf, WHOLE, type NumberForm, type Shape } from './shapes.js';
import { GIVE_UP, is, ITEM_ENDS, keywords, NOTHING, Reader, type Follow, type Owner, type Slot } from './slots.js';

const COMPARISONS = ['<', '<=', '>', '>=', '=='];
const COMPARISON_TOKENS = [T.Less, T.LessEqual, T.Greater, T.GreaterEqual, T.EqualEqual];

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
export function fabricItem(r: Reader, keyword: IToken): never {
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
      if (['time', 'throughput', 'mfu', 'ttft', 'tpot'].includes(metric)) {
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
export function statement(r: Reader, keyword: IToken): never {
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
    case 'train':
    case 'serve':
      r.expect(T.AnyWord, [{ type: 'transformers' }]);
      r.endWith(keywords('over'));
      r.expect(T.Over);
      selectorList(r, ITEM_ENDS);
      throw GIVE_UP;
    default:
      // `parallel` goes on with a block.
      throw GIVE_UP;
  }
}

/** An attribute block's `key: value` pairs. Always stops. */
export function attributes(r: Reader, owner: Owner, modelKind: (name: string) => DeviceKind | undefined): never {
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

