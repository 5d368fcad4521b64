/**
 * Text in, syntax tree and syntax diagnostics out. Parsing never fails: every mistake becomes a
 * `syntax` diagnostic and the tree holds everything that could be read.
 */
import type { IRecognitionException, IToken, TokenType } from 'chevrotain';
import type { FileNode } from './ast.js';
import { buildFile, buildItem, type BuildContext, type SeparateItems } from './cst-to-ast.js';
import { splitItems } from './item-split.js';
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

const emptyTree = (): FileNode => ({ imports: [], models: [], fabrics: [], span: { start: 0, end: 0 } });

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
    const type = token.tokenType;
    if (type === T.LBrace || type === T.LParen || type === T.LBracket) {
      depth++;
      if (depth > maxDepth) return token;
    } else if (type === T.RBrace || type === T.RParen || type === T.RBracket) {
      depth = Math.max(0, depth - 1);
    }
  }
  return undefined;
}

function docComments(comments: IToken[]): { ends: number[]; texts: string[]; starts: number[] } {
  const docs = comments.filter((c) => c.tokenType === T.DocComment);
  return {
    starts: docs.map((d) => d.startOffset),
    ends: docs.map((d) => (d.endOffset ?? d.startOffset) + 1),
    texts: docs.map((d) => d.image.slice(3).replace(/^ /, '')),
  };
}

function createContext(text: string, source: SourceFile, comments: IToken[]): BuildContext {
  const docs = docComments(comments);
  let estimateLines: Map<number, string> | undefined;
  return {
    problems: [],
    docAt(offset) {
      // The run of `///` lines that ends right above the declaration, with only blank space between.
      let low = 0;
      let high = docs.ends.length;
      while (low < high) {
        const mid = (low + high) >> 1;
        if (docs.ends[mid] <= offset) low = mid + 1;
        else high = mid;
      }
      let index = low - 1;
      let boundary = offset;
      const lines: string[] = [];
      while (index >= 0 && /^\s*$/.test(text.slice(docs.ends[index], boundary)) && text.slice(docs.ends[index], boundary).split('\n').length <= 2) {
        lines.unshift(docs.texts[index]);
        boundary = docs.starts[index];
        index--;
      }
      return lines.length > 0 ? lines.join('\n') : undefined;
    },
    estimateAt(offset) {
      if (!estimateLines) {
        estimateLines = new Map();
        for (const comment of comments) {
          if (/\bestimate/i.test(comment.image) && !/\bnot an? estimate/i.test(comment.image)) {
            const text = comment.image.replace(/^\/\/+\s*|^\/\*\s*|\s*\*\/$/g, '').trim();
            estimateLines.set(source.position(comment.startOffset).line, text);
          }
        }
      }
      return estimateLines.size > 0 ? estimateLines.get(source.position(offset).line) : undefined;
    },
  };
}

export function parse(path: string, text: string, options: ParseOptions): ParseResult {
  const source = new SourceFile(path, text);
  const problems: SyntaxProblem[] = [];
  const lexed = T.fabricLexer.tokenize(text);
  // The lexer tracks start offsets only (line and column tracking is costly on large files);
  // end offsets follow from the image.
  const comments = (lexed.groups.comments as IToken[] | undefined) ?? [];
  for (const token of lexed.tokens) token.endOffset = token.startOffset + token.image.length - 1;
  for (const token of comments) token.endOffset = token.startOffset + token.image.length - 1;

  for (const error of lexed.errors) {
    const character = text.slice(error.offset, error.offset + error.length);
    problems.push({
      code: 'syntax',
      span: { start: error.offset, end: error.offset + error.length },
      message: `unexpected character${error.length > 1 ? 's' : ''} \`${character}\``,
    });
  }
  for (const comment of comments) {
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
    return { source, tree: emptyTree(), problems, comments };
  }

  const context = createContext(text, source, comments);
  const tree =
    (options.inPieces !== false ? readInPieces(lexed.tokens, context) : undefined) ??
    readWhole(lexed.tokens, text, context, problems);
  for (const problem of context.problems) problems.push({ code: 'syntax', ...problem });
  return { source, tree, problems, comments };
}

/**
 * Reads each fabric item on its own and builds its syntax at once (see item-split.ts).
 * Undefined when the split fails or any piece has a syntax error: then the whole file is read
 * and recovers as always. A piece without errors parses alone as it does in the file (no item
 * can continue with a token that starts another), so both ways give the same tree.
 */
function readInPieces(tokens: IToken[], context: BuildContext): FileNode | undefined {
  const parser = fabricParser();
  const split = splitItems(tokens, parser.itemStarts);
  if (!split) return undefined;
  const separateItems = new Map<number, SeparateItems>();
  for (const body of split.bodies) {
    const built: SeparateItems = { items: [], problems: [] };
    const itemContext: BuildContext = { ...context, problems: built.problems };
    for (const [start, end] of body.items) {
      parser.input = tokens.slice(start, end);
      const cst = parser.item();
      if (parser.errors.length > 0) return undefined;
      const item = buildItem(cst, itemContext);
      if (item) built.items.push(item);
    }
    separateItems.set(body.open.startOffset, built);
  }
  parser.input = split.outline;
  const cst = parser.file();
  if (parser.errors.length > 0) return undefined;
  return buildFile(cst, { ...context, separateItems });
}

function readWhole(tokens: IToken[], text: string, context: BuildContext, problems: SyntaxProblem[]): FileNode {
  const parser = fabricParser();
  parser.input = tokens;
  const cst = parser.file();
  for (const error of parser.errors) {
    problems.push({ code: 'syntax', span: syntaxErrorSpan(error, text), message: describeError(error) });
  }
  return cst ? buildFile(cst, context) : emptyTree();
}
