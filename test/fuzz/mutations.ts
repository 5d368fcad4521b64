/**
 * Arbitraries for the fuzzers: random text, soups of Fabric's own tokens, and mutations of real
 * files (tokens deleted, duplicated, swapped; truncations; huge numbers; deep nesting; unicode).
 * Mutations pick their place by token index or offset modulo the text, so they shrink well.
 */
import fc from 'fast-check';
import { fabricLexer, NumberLiteral } from '../../server/src/syntax/tokens.js';

export type Mutation =
  | { kind: 'delete'; at: number }
  | { kind: 'duplicate'; at: number }
  | { kind: 'swap'; at: number; other: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'huge-number'; at: number; value: string }
  | { kind: 'nest'; at: number; wrapper: number; depth: number; balanced: boolean }
  | { kind: 'unicode'; at: number; text: string };

/** Numbers past every limit, past 2^53, past the doubles, and too small to matter. */
const HUGE_NUMBERS = ['100000000', '4294967296', '9007199254740993', '123456789012345678901234567890', '1e308', '1e309', '2e3000', '1_000_000_000_000', '0.0000000000000000000001', '99999999999999999999e99'];

/** Openers and closers that nest: blocks, loops, parallel blocks, parentheses, brackets. */
const WRAPPERS: [string, string][] = [
  ['(', ')'],
  ['{ ', ' }'],
  ['[', ']'],
  ['parallel { ', ' }'],
  ['for i in 0..1 { ', ' }'],
  ['(1 + ', ')'],
];

/** Mostly modest depths, sometimes far past the nesting limit. */
const depth = fc.oneof(fc.integer({ min: 1, max: 70 }), fc.integer({ min: 900, max: 1200 }));

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap' as const), at: fc.nat(), other: fc.nat() }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('huge-number' as const), at: fc.nat(), value: fc.constantFrom(...HUGE_NUMBERS) }),
  fc.record({ kind: fc.constant('nest' as const), at: fc.nat(), wrapper: fc.nat({ max: WRAPPERS.length - 1 }), depth, balanced: fc.boolean() }),
  fc.record({ kind: fc.constant('unicode' as const), at: fc.nat(), text: fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }) }),
);

export const mutations = fc.array(mutation, { minLength: 1, maxLength: 4 });

interface Piece {
  start: number;
  end: number;
  number: boolean;
}

function pieces(text: string): Piece[] {
  return fabricLexer.tokenize(text).tokens.map((token) => ({ start: token.startOffset, end: token.startOffset + token.image.length, number: token.tokenType === NumberLiteral }));
}

const splice = (text: string, start: number, end: number, insert: string) => text.slice(0, start) + insert + text.slice(end);

function mutateOnce(text: string, change: Mutation): string {
  const tokens = pieces(text);
  if (change.kind === 'truncate') return text.slice(0, change.at % (text.length + 1));
  if (change.kind === 'unicode') return splice(text, change.at % (text.length + 1), change.at % (text.length + 1), change.text);
  if (tokens.length === 0) return text;
  const token = tokens[change.at % tokens.length];
  switch (change.kind) {
    case 'delete':
      return splice(text, token.start, token.end, '');
    case 'duplicate':
      return splice(text, token.end, token.end, ` ${text.slice(token.start, token.end)}`);
    case 'swap': {
      const other = tokens[change.other % tokens.length];
      const [first, second] = token.start <= other.start ? [token, other] : [other, token];
      if (first === second) return text;
      const a = text.slice(first.start, first.end);
      const b = text.slice(second.start, second.end);
      return text.slice(0, first.start) + b + text.slice(first.end, second.start) + a + text.slice(second.end);
    }
    case 'huge-number': {
      const numbers = tokens.filter((piece) => piece.number);
      if (numbers.length === 0) return text;
      const target = numbers[change.at % numbers.length];
      return splice(text, target.start, target.end, change.value);
    }
    case 'nest': {
      const [open, close] = WRAPPERS[change.wrapper];
      const inner = text.slice(token.start, token.end);
      return splice(text, token.start, token.end, open.repeat(change.depth) + inner + (change.balanced ? close.repeat(change.depth) : ''));
    }
  }
}

export function mutate(text: string, changes: Mutation[]): string {
  return changes.reduce(mutateOnce, text);
}

/** Fabric's words, punctuation, numbers, quantities, widths, strings and comments. */
const VOCABULARY = [
  'fabric', 'import', 'model', 'settings', 'let', 'gpu', 'cpu', 'switch', 'memory', 'link', 'for', 'group', 'allocate', 'workload', 'expect',
  'parallel', 'compute', 'allreduce', 'reducescatter', 'allgather', 'broadcast', 'alltoall', 'flow', 'read', 'write',
  'in', 'of', 'to', 'over', 'from', 'by', 'using', 'ring', 'tree', 'inc', 'hypercast', 'auto',
  'latency', 'bandwidth', 'time', 'utilization', 'oversubscription', 'step_overhead', 'oversubscription_limit', 'lanes', 'ports', 'protocols',
  'pcie5', 'pcie6', 'cxl', 'ualink', 'nvlink', 'scorpio_x', 'gpu_ualink', 'cxl_expander', 'true', 'false',
  'g', 'sx', 'pool', 'acc', 'i', 'N', 'w',
  '{', '}', '[', ']', '(', ')', ':', ',', '=', '<->', '->', '..', '*', '+', '-', '/', '%', '<', '<=', '>', '>=', '==',
  '0', '1', '4', '63', '1.5', '2e3', '1_000', '9999999999', '1e400', 'x4', 'x16', 'x3', 'x16a',
  '1 GiB', '64 MiB', '100 GB/s', '800 Gb/s', '120 ns', '2 ms', '1 us', '1.5 m', '45 W', '50 %', '3 furlongs',
  '"doc"', '"unterminated', '"esc\\"aped"', '// note', '/// doc', '/* block */', '/* open',
  '\n', 'µs', '😀', '\u0000', '\u202e',
];

const separator = fc.constantFrom(' ', ' ', ' ', '\n', '', '\t', '\r\n');

/** Fabric's tokens in random order: text the lexer reads, that the parser mostly rejects. */
export const tokenSoup = fc
  .array(fc.tuple(fc.constantFrom(...VOCABULARY), separator), { maxLength: 160 })
  .map((parts) => parts.map(([token, gap]) => token + gap).join(''));
