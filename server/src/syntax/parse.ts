/**
 * Text in, syntax tree and syntax diagnostics out. Parsing never fails: every mistake becomes a
 * `syntax` diagnostic and the tree holds everything that could be read.
 */
import type { IRecognitionException, IToken, TokenType } from 'chevrotain';
import type { FileNode } from './ast.js';
import { CommentIndex } from './comment-index.js';
import { buildFile, buildItem, type BuildContext, type BuildProblem, type SeparateItems } from './cst-to-ast.js';
import { ItemSplitter } from './item-split.js';
import { fabricParser } from './parser.js';
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

function describeError(error: IRecognitionException): string {
  const found = describeToken(error.token);
  const rule = error.context.ruleStack[error.context.ruleStack.length - 1] ?? 'file';
  switch (error.name) {
    case 'MismatchedTokenException': {
      const expected = /-->\s*(\w+)\s*<--/.exec(error.message)?.[1];
      const type = expected ? T.allTokens.find((t) => t.name === expected) : undefined;
      const word = type === T.AnyWord || type === T.Identifier;
      const what = word && wordDisplay[rule] ? wordDisplay[rule] : type ? describeExpected(type) : 'something else';
      return `expected ${what} but found ${found}`;
    }
    case 'NotAllInputParsedException':
      return `unexpected ${found}: a file holds only \`import\`, \`model\` and \`fabric\` declarations`;
    case 'EarlyExitException':
    case 'NoViableAltException':
      return `expected ${ruleDisplay[rule] ?? rule} but found ${found}`;
    default:
      return error.message;
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
function syntaxErrorSpan(error: IRecognitionException, text: string): Span {
  const found = errorSpan(error.token, text.length);
  const previous = (error as IRecognitionException & { previousToken?: IToken }).previousToken;
  if (error.name !== 'MismatchedTokenException' || !previous || Number.isNaN(previous.startOffset)) return found;
  const previousEnd = (previous.endOffset ?? previous.startOffset) + 1;
  return text.slice(previousEnd, found.start).includes('\n') ? { start: previousEnd, end: previousEnd } : found;
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
  return (options.inPieces !== false ? readInPieces(source, options) : undefined) ?? readWhole(source, options);
}

/**
 * Lexing goes a slice of about this many characters at a time, cut at a line's end. A slice's
 * tokens are alive while it is read, so every garbage collection meanwhile copies them: 16 K
 * characters cost 7 % fewer instructions for a whole parse than 64 K.
 */
const LEXING_SLICE = 1 << 14;

/**
 * Lexes a slice at a time and reads each fabric item on its own as soon as it ends, building its
 * syntax at once (see item-split.ts), so neither the file's tokens nor its concrete syntax trees
 * are alive all together. Undefined at the first problem of any kind (a lexing error, a split
 * that fails, a syntax error in a piece): then the whole file is read and recovers as always. A
 * clean piece parses alone as it does in the file (no item can continue with a token that starts
 * another), so both ways give the same tree.
 */
function readInPieces(source: SourceFile, options: ParseOptions): ParseResult | undefined {
  const text = source.text;
  const parser = fabricParser();
  const comments = new CommentIndex(source);
  const context = buildContext(comments);
  const separateItems = new Map<number, SeparateItems & { context: BuildContext }>();
  const splitter = new ItemSplitter(parser.itemStarts, options.maxNestingDepth, (tokens, open) => {
    parser.input = tokens;
    const cst = parser.item();
    if (parser.errors.length > 0) return false;
    let body = separateItems.get(open.startOffset);
    if (!body) {
      const problems: BuildProblem[] = [];
      body = { items: [], problems, context: { ...context, problems } };
      separateItems.set(open.startOffset, body);
    }
    const item = buildItem(cst, body.context);
    if (item) body.items.push(item);
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
  if (!splitter.finish()) return undefined;
  parser.input = splitter.outline;
  const cst = parser.file();
  if (parser.errors.length > 0) return undefined;
  const tree = buildFile(cst, { ...context, separateItems });
  return { source, tree, problems: context.problems.map((problem) => ({ code: 'syntax', ...problem })), comments: comments.comments };
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

  const parser = fabricParser();
  parser.input = lexed.tokens;
  const cst = parser.file();
  for (const error of parser.errors) {
    problems.push({ code: 'syntax', span: syntaxErrorSpan(error, text), message: describeError(error) });
  }
  const context = buildContext(comments);
  const tree = cst ? buildFile(cst, context) : emptyTree();
  for (const problem of context.problems) problems.push({ code: 'syntax', ...problem });
  return { source, tree, problems, comments: comments.comments };
}
