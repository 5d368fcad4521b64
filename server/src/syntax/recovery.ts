/**
 * Two of chevrotain's recovery steps cost more than their mistake, so a file of many mistakes
 * took time quadratic in them and, past a few thousand in one block, overflowed the stack. Both
 * are replaced here by the same computation done cheaply, so a parse gives the same tree and the
 * same errors as before.
 *
 * 1. Recovering inside a repetition (`MANY`, `AT_LEAST_ONE`), chevrotain skips to the next
 *    iteration and calls the repetition again from within its recovery: one stack frame deeper
 *    for every mistake, and every garbage collection scans the deep stack. The call is the last
 *    thing every frame on the way does, so it can wait: the first recovery of a repetition runs
 *    it, and each later recovery of the same repetition hands its call back to that one.
 * 2. Before each recovery chevrotain works out which tokens may come next by walking the grammar
 *    from the outermost rule, allocating as it goes: the answer depends only on the path through
 *    the grammar, so it is kept per path.
 * 3. To resynchronise, chevrotain looks for the next token that may follow any rule being parsed
 *    by reading token after token; where that token is far away (the end of the file, when the
 *    mistakes are fabric items) every mistake read the rest of the file. Here the positions of
 *    each token type are listed once per input, and the nearest is found by binary search.
 */
import { EOF, tokenMatcher, type CstParser, type IToken, type TokenType } from 'chevrotain';

type RepetitionRecovery = (repetition: Function, args: unknown[], lookahead: () => boolean, expected: TokenType) => void;

/** The parts of chevrotain's parser that these replacements read or stand in for. */
interface RecoveryInternals {
  tryInRepetitionRecovery: RepetitionRecovery;
  findReSyncTokenType: () => TokenType;
  getNextPossibleTokenTypes: (path: GrammarPath) => TokenType[];
  flattenFollowSet: () => TokenType[];
  /** Depth of the rule being parsed: a repetition is the same one only at the same depth. */
  RULE_STACK_IDX: number;
  tokVector: IToken[];
  tokVectorLength: number;
  currIdx: number;
}

interface GrammarPath {
  ruleStack: string[];
  occurrenceStack: number[];
  lastTok: TokenType;
  lastTokOccurrence: number;
}

interface PendingRepetition {
  depth: number;
  repetition: Function;
  /** The repetition's occurrence index in its rule (its first argument). */
  occurrence: unknown;
  rerun: (() => void) | undefined;
}

export function boundRecoveryCosts(parser: CstParser): void {
  const internals = parser as unknown as RecoveryInternals;
  flattenRepetitionRecovery(internals);
  rememberNextTokens(internals);
  indexResynchronisation(internals);
}

function flattenRepetitionRecovery(internals: RecoveryInternals): void {
  const recover = internals.tryInRepetitionRecovery;
  const active: PendingRepetition[] = [];
  internals.tryInRepetitionRecovery = function (repetition, args, lookahead, expected) {
    const depth = internals.RULE_STACK_IDX;
    const innermost = active.at(-1);
    const reentered =
      innermost !== undefined && innermost.depth === depth && innermost.repetition === repetition && innermost.occurrence === args[0] && innermost.rerun === undefined;
    const frame = reentered ? innermost : { depth, repetition, occurrence: args[0], rerun: undefined };
    const later = () => {
      frame.rerun = () => repetition.apply(internals, args);
    };
    if (reentered) {
      recover.call(internals, later, [], lookahead, expected);
      return;
    }
    active.push(frame);
    try {
      recover.call(internals, later, [], lookahead, expected);
      for (let rerun = frame.rerun; rerun; rerun = frame.rerun) {
        frame.rerun = undefined;
        rerun();
      }
    } finally {
      active.pop();
    }
  };
}

function rememberNextTokens(internals: RecoveryInternals): void {
  const walk = internals.getNextPossibleTokenTypes;
  const known = new Map<string, TokenType[]>();
  internals.getNextPossibleTokenTypes = function (path) {
    const key = `${path.ruleStack.join(' ')}|${path.occurrenceStack.join(' ')}|${path.lastTok.name}|${path.lastTokOccurrence}`;
    let next = known.get(key);
    if (!next) {
      next = walk.call(internals, path);
      known.set(key, next);
    }
    return next;
  };
}

function indexResynchronisation(internals: RecoveryInternals): void {
  let indexed: IToken[] | undefined;
  let positionsOf = new Map<TokenType, Int32Array>();
  const positions = (type: TokenType): Int32Array => {
    let found = positionsOf.get(type);
    if (!found) {
      const at: number[] = [];
      const tokens = internals.tokVector;
      for (let i = 0; i < internals.tokVectorLength; i++) if (tokenMatcher(tokens[i]!, type)) at.push(i);
      found = Int32Array.from(at);
      positionsOf.set(type, found);
    }
    return found;
  };
  internals.findReSyncTokenType = function () {
    const follows = internals.flattenFollowSet();
    if (indexed !== internals.tokVector) {
      indexed = internals.tokVector;
      positionsOf = new Map();
    }
    const from = internals.currIdx + 1;
    let nearest = internals.tokVectorLength;
    for (const type of follows) {
      if (type === EOF) continue;
      const at = positions(type);
      const index = firstAtOrAfter(at, from);
      if (index < at.length && at[index]! < nearest) nearest = at[index]!;
    }
    if (nearest >= internals.tokVectorLength) return EOF;
    const token = internals.tokVector[nearest]!;
    return follows.find((type) => tokenMatcher(token, type)) ?? EOF;
  };
}

/** The index of the first entry not less than `value` in an ascending array. */
function firstAtOrAfter(sorted: Int32Array, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}
