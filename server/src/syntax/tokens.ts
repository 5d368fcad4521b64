/**
 * Tokens of the Fabric language (FABRIC-LANGUAGE.md §2, §12).
 * Order matters: chevrotain takes the first pattern that matches, so `///` precedes `//`,
 * `..` precedes numbers, `<->` precedes `<=` precedes `<`, `->` precedes `-`, and widths
 * precede words.
 */
import { createToken, Lexer, type ILexingResult, type IToken, type TokenType } from 'chevrotain';

const WORD = /[A-Za-z_][A-Za-z0-9_]*/;

/** Any word, reserved or not: attribute keys, model names and kinds are read by position. */
export const AnyWord = createToken({ name: 'AnyWord', pattern: Lexer.NA });
/** The connecting words, keywords only where they stand (`in of to over from by using`). */
export const ConnectingWord = createToken({ name: 'ConnectingWord', pattern: Lexer.NA });
/** Words that start an item or a statement. */
export const ReservedWord = createToken({ name: 'ReservedWord', pattern: Lexer.NA });
/**
 * v2's words that start an item or a statement (`transformer`, `train`, `serve`): keywords only
 * there, names everywhere else, so a v1.2 file with `workload train { … }` stays valid.
 */
export const ContextualWord = createToken({ name: 'ContextualWord', pattern: Lexer.NA });
export const StringLiteral = createToken({ name: 'StringLiteral', pattern: Lexer.NA });

export const Identifier = createToken({ name: 'Identifier', pattern: WORD, categories: [AnyWord] });

/**
 * Keywords by their text. The lexer reads every word with the one Identifier pattern, and the
 * token factory gives a keyword its own type (see FabricLexer): a pattern per keyword, each tried
 * before Identifier with Identifier as its longer alternative, cost lexing about 11 % more
 * instructions.
 */
const keywordsByText = new Map<string, TokenType>();
const textOfKeyword = new Map<TokenType, string>();

function keyword(word: string, category: TokenType): TokenType {
  const type = createToken({ name: word[0].toUpperCase() + word.slice(1), pattern: Lexer.NA, categories: [category, AnyWord] });
  keywordsByText.set(word, type);
  textOfKeyword.set(type, word);
  return type;
}

/** A keyword's text (`fabric` for Fabric), for messages. */
export const keywordText = (type: TokenType): string | undefined => textOfKeyword.get(type);

export const Fabric = keyword('fabric', ReservedWord);
export const Import = keyword('import', ReservedWord);
export const Model = keyword('model', ReservedWord);
export const Settings = keyword('settings', ReservedWord);
export const Let = keyword('let', ReservedWord);
export const Gpu = keyword('gpu', ReservedWord);
export const Cpu = keyword('cpu', ReservedWord);
export const Switch = keyword('switch', ReservedWord);
export const Memory = keyword('memory', ReservedWord);
export const Link = keyword('link', ReservedWord);
export const For = keyword('for', ReservedWord);
export const Group = keyword('group', ReservedWord);
export const Allocate = keyword('allocate', ReservedWord);
export const Workload = keyword('workload', ReservedWord);
export const Expect = keyword('expect', ReservedWord);
export const Parallel = keyword('parallel', ReservedWord);
export const Compute = keyword('compute', ReservedWord);
export const Allreduce = keyword('allreduce', ReservedWord);
export const Reducescatter = keyword('reducescatter', ReservedWord);
export const Allgather = keyword('allgather', ReservedWord);
export const Broadcast = keyword('broadcast', ReservedWord);
export const Alltoall = keyword('alltoall', ReservedWord);
export const Flow = keyword('flow', ReservedWord);
export const Read = keyword('read', ReservedWord);
export const Write = keyword('write', ReservedWord);
export const Transformer = keyword('transformer', ContextualWord);
export const Train = keyword('train', ContextualWord);
export const Serve = keyword('serve', ContextualWord);

export const In = keyword('in', ConnectingWord);
export const Of = keyword('of', ConnectingWord);
export const To = keyword('to', ConnectingWord);
export const Over = keyword('over', ConnectingWord);
export const From = keyword('from', ConnectingWord);
export const By = keyword('by', ConnectingWord);
export const Using = keyword('using', ConnectingWord);

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n\f\v\uFEFF\u00A0]+/, group: Lexer.SKIPPED });
export const DocComment = createToken({ name: 'DocComment', pattern: /\/\/\/(?!\/)[^\r\n]*/, group: 'comments' });
export const LineComment = createToken({ name: 'LineComment', pattern: /\/\/[^\r\n]*/, group: 'comments' });
export const BlockComment = createToken({ name: 'BlockComment', pattern: /\/\*[\s\S]*?\*\//, group: 'comments' });
/** An unterminated block comment swallows the rest of the file; reported once. */
export const UnterminatedComment = createToken({ name: 'UnterminatedComment', pattern: /\/\*[\s\S]*/, group: 'comments' });

export const String = createToken({ name: 'String', pattern: /"(?:[^"\\\r\n]|\\.)*"/, categories: [StringLiteral] });
/** An unterminated string ends at the line end; reported once, parsed as a string. */
export const UnterminatedString = createToken({ name: 'UnterminatedString', pattern: /"(?:[^"\\\r\n]|\\.)*/, categories: [StringLiteral] });

export const Range = createToken({ name: 'Range', pattern: /\.\./ });
export const BiArrow = createToken({ name: 'BiArrow', pattern: /<->/ });
export const LessEqual = createToken({ name: 'LessEqual', pattern: /<=/ });
export const Less = createToken({ name: 'Less', pattern: /</ });
export const GreaterEqual = createToken({ name: 'GreaterEqual', pattern: />=/ });
export const Greater = createToken({ name: 'Greater', pattern: />/ });
export const EqualEqual = createToken({ name: 'EqualEqual', pattern: /==/ });
export const Equals = createToken({ name: 'Equals', pattern: /=/ });
export const Arrow = createToken({ name: 'Arrow', pattern: /->/ });
export const Minus = createToken({ name: 'Minus', pattern: /-/ });
export const Plus = createToken({ name: 'Plus', pattern: /\+/ });
export const Star = createToken({ name: 'Star', pattern: /\*/ });
export const Slash = createToken({ name: 'Slash', pattern: /\// });
export const Percent = createToken({ name: 'Percent', pattern: /%/ });
export const LParen = createToken({ name: 'LParen', pattern: /\(/ });
export const RParen = createToken({ name: 'RParen', pattern: /\)/ });
export const LBrace = createToken({ name: 'LBrace', pattern: /\{/ });
export const RBrace = createToken({ name: 'RBrace', pattern: /\}/ });
export const LBracket = createToken({ name: 'LBracket', pattern: /\[/ });
export const RBracket = createToken({ name: 'RBracket', pattern: /\]/ });
export const Colon = createToken({ name: 'Colon', pattern: /:/ });
export const Comma = createToken({ name: 'Comma', pattern: /,/ });

/** `_` only between digits, a digit after `.`, no sign (so `acc[i-1]` is a subtraction). */
export const NumberLiteral = createToken({
  name: 'NumberLiteral',
  pattern: /\d(?:_?\d)*(?:\.\d(?:_?\d)*)?(?:[eE][+-]?\d(?:_?\d)*)?/,
});
/** `x` and digits with no further word character: `x16` is a width, `x16a` a word. */
export const Width = createToken({
  name: 'Width',
  pattern: /x\d+(?![A-Za-z0-9_])/,
  start_chars_hint: ['x'],
});
/** `µs` with U+00B5 or U+03BC; the only unit that is not a word. */
export const MicroUnit = createToken({
  name: 'MicroUnit',
  pattern: /[\u00B5\u03BC]s(?![A-Za-z0-9_])/,
  start_chars_hint: ['\u00B5', '\u03BC'],
});

const keywords = [
  Fabric, Import, Model, Settings, Let, Gpu, Cpu, Switch, Memory, Link, For, Group, Allocate,
  Workload, Expect, Parallel, Compute, Allreduce, Reducescatter, Allgather, Broadcast, Alltoall,
  Flow, Read, Write, Transformer, Train, Serve, In, Of, To, Over, From, By, Using,
];

export const allTokens: TokenType[] = [
  WhiteSpace,
  DocComment,
  LineComment,
  BlockComment,
  UnterminatedComment,
  String,
  UnterminatedString,
  Range,
  BiArrow,
  LessEqual,
  Less,
  GreaterEqual,
  Greater,
  EqualEqual,
  Equals,
  Arrow,
  Minus,
  Plus,
  Star,
  Slash,
  Percent,
  LParen,
  RParen,
  LBrace,
  RBrace,
  LBracket,
  RBracket,
  Colon,
  Comma,
  NumberLiteral,
  Width,
  MicroUnit,
  ...keywords,
  Identifier,
  AnyWord,
  ConnectingWord,
  ReservedWord,
  ContextualWord,
  StringLiteral,
];

/** How a token changes the nesting depth: +1 for `{ ( [`, −1 for `} ) ]`, 0 for any other. */
export function nestingChange(type: TokenType): number {
  if (type === LBrace || type === LParen || type === LBracket) return 1;
  if (type === RBrace || type === RParen || type === RBracket) return -1;
  return 0;
}

export const reservedWords: readonly string[] = keywords
  .filter((token) => token.CATEGORIES?.includes(ReservedWord))
  .map((token) => textOfKeyword.get(token)!);

/**
 * Tracks start offsets only (line and column tracking is costly on large files) and gives every
 * token its end offset as it is made, which spans and chevrotain's node locations need. Setting
 * it afterwards added a property to every token, about 0.13 s on a 16,384-accelerator fabric.
 * `createOffsetOnlyToken` is the factory chevrotain 11 uses for 'onlyOffset'; the lexer tests
 * check that tokens carry `endOffset`, so a chevrotain that renames it fails them.
 */
class FabricLexer extends Lexer {
  /** Added to every token's offsets while `tokenizeSlice` runs. */
  private sliceStart = 0;

  createOffsetOnlyToken(image: string, startOffset: number, tokenTypeIdx: number, tokenType: TokenType): IToken {
    const start = startOffset + this.sliceStart;
    const keywordType = tokenType === Identifier ? keywordsByText.get(image) : undefined;
    return keywordType
      ? { image, startOffset: start, endOffset: start + image.length - 1, tokenTypeIdx: keywordType.tokenTypeIdx!, tokenType: keywordType }
      : { image, startOffset: start, endOffset: start + image.length - 1, tokenTypeIdx, tokenType };
  }

  /**
   * Lexes `text` from `start` to `end` with offsets into the whole text. Only a cut at a line's
   * end lexes as the whole text does, and only outside a block comment (which then shows up as
   * an unterminated one).
   */
  tokenizeSlice(text: string, start: number, end: number): ILexingResult {
    this.sliceStart = start;
    try {
      const result = this.tokenize(text.slice(start, end));
      for (const error of result.errors) error.offset += start;
      return result;
    } finally {
      this.sliceStart = 0;
    }
  }
}

/** chevrotain checks the token definitions when asked to: the tests ask, start-up skips it. */
export function createFabricLexer(validate = false): FabricLexer {
  return new FabricLexer(allTokens, { positionTracking: 'onlyOffset', ensureOptimizations: false, skipValidations: !validate });
}

export const fabricLexer = createFabricLexer();
