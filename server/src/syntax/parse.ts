/**
 * Text in, syntax tree and syntax diagnostics out. Parsing never fails: every mistake becomes a
 * `syntax` diagnostic and the tree holds everything that could be read.
 */
import { EOF, type IToken, type TokenType } from 'chevrotain';
import type { FileNode } from './ast.js';
import { CommentIndex } from './comment-index.js';
import { buildFile, buildPieceItems, type BuildContext, type BuildProblem, type SeparateItems } from './cst-to-ast.js';
import { ItemSplitter } from './item-split.js';
import { fabricParser, type SyntaxMistake } from './parser.js';
import { SourceFile, type Span } from './source.js';
import * as T from './tokens.js';

export interface SyntaxProblem {
  code: 'syntax' | 'limit';
  span: Span;
  message: string;
}

export interface ParseResult {
  source: SourceFile;
  tree: FileNode;
  problems: SyntaxProblem[];
  /** Every comment, for tools that keep them (formatting, hover). */
  comments: IToken[];
}

export interface ParseOptions {
  /** Deepest nesting of `{`, `(` and `[` read; deeper text is a `limit` diagnostic. */
  maxNestingDepth: number;
  /**
   * False reads the file whole, never item by item: the reference that reading in pieces is
   * tested against. Both give the same tree and problems.
   */
  inPieces?: boolean;
}

const emptyTree = (): FileNode => ({ imports: [], models: [], transformers: [], fabrics: [], span: { start: 0, end: 0 } });

const tokenDisplay = new Map<TokenType, string>([
  [T.LBrace, '`{`'],
  [T.RBrace, '`}`'],
  [T.LBracket, '`[`'],
  [T.RBracket, '`]`'],
  [T.LParen, '`(`'],
  [T.RParen, '`)`'],
  [T.Colon, '`:`'],
  [T.Comma, '`,`'],
  [T.Equals, '`=`'],
  [T.BiArrow, '`<->`'],
  [T.Arrow, '`->`'],
  [T.Range, '`..`'],
  [T.Star, '`*`'],
  [T.Identifier, 'a name'],
  [T.AnyWord, 'a word'],
  [T.NumberLiteral, 'a number'],
  [T.StringLiteral, 'a string'],
  [T.Width, 'a lane width such as `x16`'],
]);

const ruleDisplay: Record<string, string> = {
  file: '`import`, `model` or `fabric`',
  item: 'a declaration (`gpu`, `cpu`, `switch`, `memory`, `link`, `for`, `group`, `allocate`, `workload`, `expect`, `settings`, `let`)',
  statement: 'a statement (`compute`, `allreduce`, `reducescatter`, `allgather`, `alltoall`, `broadcast`, `flow`, `read`, `write`, `parallel`, `for`)',
  deviceDecl: 'a device kind (`gpu`, `cpu`, `switch`, `memory`)',
  value: 'a value (a number, a quantity, a string, a word, a width or a list)',
  atom: 'a number, a constant or `(`',
  name: 'a name',
  unit: 'a unit',
  expectDecl: 'a comparison (`<`, `<=`, `>`, `>=`, `==`)',
  selector: '`*`, an index or a range',
  collectiveStatement: 'a collective',
};

/** What a word stands for where a rule expects one. */
const wordDisplay: Record<string, string> = {
  name: 'a name',
  usingClause: 'an algorithm (`ring`, `tree`, `inc`, `hypercast` or `auto`)',
  attribute: 'an attribute such as `length: 1 m`',
  portSpec: 'a protocol (`pcie5`, `pcie6`, `cxl`, `ualink` or `nvlink`)',
  modelDecl: 'a model name',
  deviceDecl: 'a model name',
  expectDecl: 'a metric (`latency`, `bandwidth`, `time`, `utilization` or `oversubscription`)',
};

function describeToken(token: IToken): string {
  if (token.tokenType.name === 'EOF') return 'the end of the file';
  return `\`${token.image}\``;
}

function describeExpected(type: TokenType): string {
  const known = tokenDisplay.get(type);
  if (known) return known;
  const word = T.keywordText(type);
  if (word) return `\`${word}\``;
  const pattern = type.PATTERN;
  return pattern instanceof RegExp ? `\`${pattern.source}\`` : type.name;
}

/** `top` is the rule the parse began with: the whole file, or items read on their own. */
function describeMistake(mistake: SyntaxMistake, top: 'file' | 'items'): string {
  const found = describeToken(mistake.token);
  switch (mistake.kind) {
    case 'MismatchedTokenException': {
      // Items read on their own end where their fabric's body goes on, or closes.
      const type = top === 'items' && mistake.expected === EOF ? T.RBrace : mistake.expected;
      const word = type === T.AnyWord || type === T.Identifier;
      const what = word && wordDisplay[mistake.rule] ? wordDisplay[mistake.rule] : type ? describeExpected(type) : 'something else';
      return `expected ${what} but found ${found}`;
    }
    case 'NotAllInputParsedException':
      if (top === 'items') return `expected ${describeExpected(T.RBrace)} but found ${found}`;
      return `unexpected ${found}: a file holds only \`import\`, \`model\` and \`fabric\` declarations`;
    default:
      return `expected ${ruleDisplay[mistake.rule] ?? mistake.rule} but found ${found}`;
  }
}

function errorSpan(token: IToken, textLength: number): Span {
  if (Number.isNaN(token.startOffset) || token.tokenType.name === 'EOF') {
    return { start: textLength, end: textLength };
  }
  return { start: token.startOffset, end: (token.endOffset ?? token.startOffset) + 1 };
}

/**
 * A missing token is reported right after the last token read when the next one is on a later
 * line (`link a <-> b : pcie6` followed by a new item), where the user has to type it.
 */
function mistakeSpan(mistake: SyntaxMistake, text: string): Span {
  const found = errorSpan(mistake.token, text.length);
  const previous = mistake.previous;
  if (mistake.kind !== 'MismatchedTokenException' || !previous || Number.isNaN(previous.startOffset)) return found;
  const previousEnd = (previous.endOffset ?? previous.startOffset) + 1;
  return text.slice(previousEnd, found.start).includes('\n') ? { start: previousEnd, end: previousEnd } : found;
}

function syntaxProblems(mistakes: readonly SyntaxMistake[], text: string, top: 'file' | 'items', into: SyntaxProblem[]): void {
  for (const mistake of mistakes) into.push({ code: 'syntax', span: mistakeSpan(mistake, text), message: describeMistake(mistake, top) });
}

/** Finds the first place nesting goes deeper than allowed, before recursion could overflow. */
function firstTooDeep(tokens: IToken[], maxDepth: number): IToken | undefined {
  let depth = 0;
  for (const token of tokens) {
    const change = T.nestingChange(token.tokenType);
    if (change > 0 && ++depth > maxDepth) return token;
    if (change < 0) depth = Math.max(0, depth - 1);
  }
  return undefined;
}

/** What the tree builder needs, with doc comments and estimates read from the comments so far. */
function buildContext(comments: CommentIndex): BuildContext {
  return { problems: [], docAt: (offset) => comments.docAt(offset), estimateAt: (offset) => comments.estimateAt(offset) };
}

export function parse(path: string, text: string, options: ParseOptions): ParseResult {
  const source = new SourceFile(path, text);
  // chevrotain's syntax errors are Errors: capturing a stack for each was a third of the time
  // of reading a file of many mistakes, and nothing reads those stacks.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return (options.inPieces !== false ? readInPieces(source, options) : undefined) ?? readWhole(source, options);
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

/**
 * Lexing goes a slice of about this many characters at a time, cut at a line's end. A slice's
 * tokens are alive while it is read, so every garbage collection meanwhile copies them: 16 K
 * characters cost 7 % fewer instructions for a whole parse than 64 K.
 */
const LEXING_SLICE = 1 << 14;

/**
 * A file with more fabric items that do not parse than this is read item by item even so, each
 * failing item recovering on its own: reading it whole holds every token and concrete tree of
 * the file at once, and a file of 100,000 broken lines took 2 s that way. With fewer, the whole
 * file is read again, where recovery may use what comes after the item.
 */
const FAILED_PIECES_READ_WHOLE = 100;

/**
 * Lexes a slice at a time and reads each fabric item on its own as soon as it ends, building its
 * syntax at once (see item-split.ts), so neither the file's tokens nor its concrete syntax trees
 * are alive all together. Undefined at a problem the split cannot go on from (a lexing error, a
 * split that fails) and when few items fail to parse: then the whole file is read and recovers
 * as always. A clean piece parses alone as it does in the file (no item can continue with a
 * token that starts another), so both ways give the same tree.
 */
function readInPieces(source: SourceFile, options: ParseOptions): ParseResult | undefined {
  const text = source.text;
  const parser = fabricParser();
  const comments = new CommentIndex(source);
  const context = buildContext(comments);
  const pieceProblems: SyntaxProblem[] = [];
  let failedPieces = 0;
  const separateItems = new Map<number, SeparateItems & { context: BuildContext }>();
  const splitter = new ItemSplitter(parser.itemStarts, options.maxNestingDepth, (tokens, open, follower) => {
    const { cst, mistakes } = parser.read(tokens, 'items');
    if (mistakes.length > 0) {
      failedPieces++;
      // The end of the piece is the token after it in the file.
      for (const mistake of mistakes) if (mistake.token.tokenType === EOF) mistake.token = follower;
      syntaxProblems(mistakes, text, 'items', pieceProblems);
    }
    let body = separateItems.get(open.startOffset);
    if (!body) {
      const problems: BuildProblem[] = [];
      body = { items: [], problems, context: { ...context, problems } };
      separateItems.set(open.startOffset, body);
    }
    if (cst) for (const item of buildPieceItems(cst, body.context)) body.items.push(item);
    return true;
  });

  const lineEndFrom = (offset: number) => {
    const lineEnd = text.indexOf('\n', offset);
    return lineEnd < 0 ? text.length : lineEnd + 1;
  };
  for (let start = 0; start < text.length; ) {
    let end = lineEndFrom(start + LEXING_SLICE);
    let lexed = T.fabricLexer.tokenizeSlice(text, start, end);
    // A block comment open at the cut: the slice goes on to the line where the comment closes.
    for (let last = lexed.groups.comments?.at(-1); last?.tokenType === T.UnterminatedComment && end < text.length; last = lexed.groups.comments?.at(-1)) {
      const close = text.indexOf('*/', last.startOffset + 2);
      if (close < 0) return undefined;
      end = lineEndFrom(close + 2);
      lexed = T.fabricLexer.tokenizeSlice(text, start, end);
    }
    if (lexed.errors.length > 0) return undefined;
    // Comments first: an item's doc comment and the comments on its lines are known when it is built.
    for (const comment of lexed.groups.comments ?? []) {
      if (comment.tokenType === T.UnterminatedComment) return undefined;
      comments.add(comment);
    }
    if (!splitTokens(splitter, lexed.tokens)) return undefined;
    start = end;
  }
  if (!splitter.finish() || (failedPieces > 0 && failedPieces <= FAILED_PIECES_READ_WHOLE)) return undefined;
  const { cst, mistakes } = parser.read(splitter.outline, 'file');
  if (!cst || mistakes.length > 0) return undefined;
  const tree = buildFile(cst, { ...context, separateItems });
  const problems = pieceProblems;
  for (const problem of context.problems) problems.push({ code: 'syntax', ...problem });
  return { source, tree, problems, comments: comments.comments };
}

/**
 * Feeds a slice's tokens to the splitter; false at an unterminated string or a failed split.
 * A function of its own so that V8 optimizes this hot loop after a slice or two.
 */
function splitTokens(splitter: ItemSplitter, tokens: IToken[]): boolean {
  for (const token of tokens) {
    if (token.tokenType === T.UnterminatedString || !splitter.push(token)) return false;
  }
  return true;
}

/** Reads the whole file at once; every mistake becomes a problem and the tree holds the rest. */
function readWhole(source: SourceFile, options: ParseOptions): ParseResult {
  const text = source.text;
  const problems: SyntaxProblem[] = [];
  const lexed = T.fabricLexer.tokenize(text);
  const comments = new CommentIndex(source);
  for (const comment of lexed.groups.comments ?? []) comments.add(comment);

  for (const error of lexed.errors) {
    const character = text.slice(error.offset, error.offset + error.length);
    problems.push({
      code: 'syntax',
      span: { start: error.offset, end: error.offset + error.length },
      message: `unexpected character${error.length > 1 ? 's' : ''} \`${character}\``,
    });
  }
  for (const comment of comments.comments) {
    if (comment.tokenType === T.UnterminatedComment) {
      problems.push({
        code: 'syntax',
        span: { start: comment.startOffset, end: comment.startOffset + 2 },
        message: 'unterminated block comment: close it with `*/`',
      });
    }
  }
  for (const token of lexed.tokens) {
    if (token.tokenType === T.UnterminatedString) {
      problems.push({
        code: 'syntax',
        span: { start: token.startOffset, end: (token.endOffset ?? token.startOffset) + 1 },
        message: 'unterminated string: close it with `"` on the same line',
      });
    }
  }

  const tooDeep = firstTooDeep(lexed.tokens, options.maxNestingDepth);
  if (tooDeep) {
    problems.push({
      code: 'limit',
      span: errorSpan(tooDeep, text.length),
      message: `nesting deeper than ${options.maxNestingDepth} levels; flatten the blocks or expressions, or raise the nesting-depth limit`,
    });
    return { source, tree: emptyTree(), problems, comments: comments.comments };
  }

  const { cst, mistakes } = fabricParser().read(lexed.tokens, 'file');
  syntaxProblems(mistakes, text, 'file', problems);
  const context = buildContext(comments);
  const tree = cst ? buildFile(cst, context) : emptyTree();
  for (const problem of context.problems) problems.push({ code: 'syntax', ...problem });
  return { source, tree, problems, comments: comments.comments };
}
