/**
 * The canonical layout of a `.fabric` file. The syntax tree decides the structure (one item,
 * statement or attribute per line, blocks indented), the tokens give the text, and every comment
 * is put back where it was: at the end of the line it trailed, or on its own line before what it
 * preceded. Attribute blocks and lists stay on one line when they are short and hold no
 * comment. Formatting is idempotent, and it refuses (returns undefined) rather than risk text:
 * a file with a syntax error is left alone, and so is any output that would not parse back to
 * the same tree and the same comments.
 */
import { tokenMatcher, type IToken, type TokenType } from 'chevrotain';
import type * as A from './ast.js';
import { tokenEnd, tokensOf } from './lexed.js';
import { parse, type ParseResult } from './parse.js';
import type { Span } from './source.js';
import * as T from './tokens.js';
import { maxOf } from '../base/arrays.js';

export interface FormatOptions {
  /** Columns of one indentation level, and of a tab when measuring a line. */
  tabSize: number;
  /** Indent with spaces (otherwise with tabs). */
  insertSpaces: boolean;
  /** Longest line a block or list is kept on, trailing comments not counted. */
  printWidth?: number;
  /** As in ParseOptions: deeper files are not parsed, hence not formatted. */
  maxNestingDepth?: number;
}

/** Replace the source lines [startLine, endLine) — the text [start, end) — with `newText`. */
export interface LineEdit {
  startLine: number;
  endLine: number;
  start: number;
  end: number;
  newText: string;
}

export interface FormatResult {
  text: string;
  /** The changes from the source to `text`, each over whole lines, in order, not overlapping. */
  edits: LineEdit[];
}

const DEFAULT_PRINT_WIDTH = 100;
const DEFAULT_MAX_NESTING_DEPTH = 64;
/** Spaces between code and a trailing comment, at least. */
const COMMENT_GAP = 2;
/** Between attributes that share a line: `{ capacity: 8 TiB  bandwidth: 256 GB/s }`. */
const ATTRIBUTE_GAP = '  ';

/** The formatted text and the edits that produce it, or undefined when the file is not formatted. */
export function formatSource(text: string, options: FormatOptions): FormatResult | undefined {
  const parsed = parse('', text, { maxNestingDepth: options.maxNestingDepth ?? DEFAULT_MAX_NESTING_DEPTH });
  if (parsed.problems.length > 0) return undefined;
  let lines: Line[];
  try {
    lines = new Printer(parsed, options).print();
  } catch (error) {
    if (error instanceof Unformattable) return undefined;
    throw error;
  }
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const rendered = render(lines, options);
  const formatted = rendered.map((line) => line + eol).join('');
  if (!sameMeaning(parsed, formatted, options)) return undefined;
  return { text: formatted, edits: lineEdits(text, lines, rendered, eol) };
}

/** The edits of formatSource that touch the source lines firstLine..lastLine (inclusive). */
export function formatLines(text: string, options: FormatOptions, firstLine: number, lastLine: number): LineEdit[] | undefined {
  return formatSource(text, options)?.edits.filter((edit) => edit.startLine <= lastLine && edit.endLine > firstLine);
}

/** An internal inconsistency (the tree and the tokens disagree): leave the file as it is. */
class Unformattable extends Error {}

interface Line {
  /** Leading whitespace; a block comment's continuation lines carry theirs in `code`. */
  indent: string;
  code: string;
  /** Block comments after the last token, waiting to see whether code follows on this line. */
  pending?: string;
  comment?: string;
  /** The line ends in a line comment: nothing can follow on it. */
  closed?: boolean;
  /** A trailing comment that starts a block comment of several lines is not aligned. */
  unaligned?: boolean;
  /** The source lines the content came from; undefined for a blank line. */
  first?: number;
  last?: number;
}

/**
 * Where the next token goes: on the open line (`none`), on a new line (`line`), on a new line
 * after a blank one where the source had one (`blank`), or on a continuation line one level
 * deeper, because a comment ended the line in the middle of a construct (`continue`).
 */
type Break = 'none' | 'line' | 'blank' | 'continue';

class Printer {
  private readonly text: string;
  private readonly tokens: IToken[];
  private readonly comments: IToken[];
  private readonly lines: Line[] = [];
  private line: Line | undefined;
  private next = 0;
  private nextComment = 0;
  private level = 0;
  private want: Break = 'line';
  /** End of the last source element consumed (token, comment or dropped comma). */
  private lastEnd = 0;
  /** Right after a block's opening brace, where blank lines are dropped. */
  private blockStart = true;
  private readonly unitStarts = new Set<number>();
  private readonly unitInside = new Set<number>();
  private readonly spacedRanges = new Set<number>();
  private readonly indentUnit: string;
  private readonly width: number;

  constructor(
    private readonly parsed: ParseResult,
    private readonly options: FormatOptions,
  ) {
    this.text = parsed.source.text;
    this.tokens = tokensOf(parsed.source);
    this.comments = parsed.comments;
    this.indentUnit = options.insertSpaces ? ' '.repeat(options.tabSize) : '\t';
    this.width = options.printWidth ?? DEFAULT_PRINT_WIDTH;
    this.collectSpacing(parsed.tree);
  }

  print(): Line[] {
    const tree = this.parsed.tree;
    const declarations = [...tree.imports, ...tree.models, ...tree.transformers, ...tree.fabrics].sort((a, b) => a.span.start - b.span.start);
    for (const declaration of declarations) {
      this.want = 'blank';
      if (declaration.type === 'import') this.run(declaration.span, ' ');
      else if (declaration.type === 'model' || declaration.type === 'transformer') this.withAttributes(declaration.span, declaration.attributes);
      else this.withBody(declaration.span, declaration.items, (item) => this.item(item));
    }
    this.want = 'blank';
    this.flushComments(Infinity);
    this.settle();
    if (this.next !== this.tokens.length) throw new Unformattable();
    return this.lines;
  }

  // --- Structure ----------------------------------------------------------------------------

  private item(item: A.Item): void {
    switch (item.type) {
      case 'settings':
      case 'device':
      case 'link':
      case 'model':
      case 'transformer':
        return this.withAttributes(item.span, item.attributes);
      case 'for':
        return this.withBody(item.span, item.items, (inner) => this.item(inner));
      case 'workload':
        return this.withBody(item.span, item.statements, (statement) => this.statement(statement));
      default:
        return this.run(item.span, ' ');
    }
  }

  private statement(statement: A.Statement): void {
    if (statement.type === 'parallel' || statement.type === 'for') {
      this.withBody(statement.span, statement.statements, (inner) => this.statement(inner));
    } else if (statement.type === 'train' || statement.type === 'serve') {
      this.withAttributes(statement.span, statement.attributes);
    } else {
      this.run(statement.span, ' ');
    }
  }

  /** A head, then `{ children }`, one child per line. */
  private withBody<C>(span: Span, children: C[], each: (child: C) => void): void {
    const open = this.find(T.LBrace, span);
    if (!open) throw new Unformattable();
    this.run({ start: span.start, end: open.startOffset }, ' ');
    const close = this.lastToken(span);
    this.take(' ', T.LBrace);
    if (children.length === 0 && !this.commentsBetween(open, close)) {
      this.take('', T.RBrace);
      return;
    }
    this.enterBlock();
    for (const child of children) {
      this.want = 'blank';
      each(child);
    }
    this.leaveBlock(close, T.RBrace);
  }

  /** A head, then an optional attribute block. */
  private withAttributes(span: Span, attributes: readonly A.Attribute[]): void {
    const open = this.find(T.LBrace, span);
    this.run({ start: span.start, end: open ? open.startOffset : span.end }, ' ');
    if (!open) return;
    const close = this.lastToken(span);
    const hasComments = this.commentsBetween(open, close);
    if (attributes.length === 0 && !hasComments) {
      this.take(' ', T.LBrace);
      this.take('', T.RBrace);
      return;
    }
    const flat = !hasComments && (this.fits(1 + this.flatBlock(attributes).length) || this.commentTrails(close));
    this.take(' ', T.LBrace);
    if (flat) {
      attributes.forEach((attribute, i) => this.attribute(attribute, i === 0 ? ' ' : ATTRIBUTE_GAP, true));
      this.take(' ', T.RBrace);
      return;
    }
    this.enterBlock();
    attributes.forEach((attribute, i) => {
      if (i === 0 || !this.keptTogether(attributes[i - 1].span, attribute.span)) this.want = 'blank';
      this.attribute(attribute, ATTRIBUTE_GAP, false);
    });
    this.leaveBlock(close, T.RBrace);
  }

  private attribute(attribute: A.Attribute, gap: string, flat: boolean): void {
    if (!attribute.value) throw new Unformattable();
    this.take(gap, undefined, attribute.key.span.start);
    this.take('', T.Colon);
    this.value(attribute.value, ' ', flat);
  }

  private value(value: A.Value, gap: string, flat: boolean): void {
    if (value.type !== 'list') {
      this.run(value.span, gap);
      return;
    }
    const open = this.tokens[this.next];
    const close = this.lastToken(value.span);
    if (open?.startOffset !== value.span.start) throw new Unformattable();
    const hasComments = this.commentsBetween(open, close);
    const oneLine = flat || (!hasComments && (this.fits(gap.length + this.flatValue(value).length) || this.commentTrails(close)));
    this.take(gap, T.LBracket);
    if (oneLine) {
      value.items.forEach((item, i) => {
        this.value(item, i === 0 ? '' : ' ', true);
        if (i < value.items.length - 1) this.append(',');
        this.dropCommas();
      });
      this.take('', T.RBracket);
      return;
    }
    this.enterBlock();
    value.items.forEach((item, i) => {
      if (i === 0 || !this.keptTogether(value.items[i - 1].span, item.span)) this.want = 'blank';
      this.value(item, ' ', false);
      this.append(',');
      this.dropCommas();
    });
    this.leaveBlock(close, T.RBracket);
  }

  private enterBlock(): void {
    this.level++;
    this.blockStart = true;
  }

  /** Comments before the closing token stay inside the block, then the block closes. */
  private leaveBlock(close: IToken, type: TokenType): void {
    this.want = 'blank';
    this.flushComments(close.startOffset);
    this.level--;
    this.want = 'line';
    this.take('', type);
  }

  /**
   * Items on one source line stay on one line when a comment sits between them or after the
   * second on that line: a comment marks every figure on its line as an estimate
   * (docs/language.md §5.5), so splitting them would change what it marks. Comments inside the
   * first item, or after what follows the second (a closing brace), end up on other lines.
   */
  private keptTogether(previous: Span, current: Span): boolean {
    const line = this.lineOf(current.start);
    if (this.lineOf(previous.end - 1) !== line || this.lineOf(current.end - 1) !== line) return false;
    let after = this.indexAt(current.end);
    while (this.tokens[after]?.tokenType === T.Comma) after++;
    const following = this.tokens[after]?.startOffset ?? Infinity;
    let shares = false;
    for (let comment = this.commentAfter(previous.end - 1); comment && comment.startOffset < following; comment = this.commentAfter(comment.startOffset)) {
      // A comment inside the second item may break it over lines (a list), so no promise holds.
      if (comment.startOffset >= current.start && comment.startOffset < current.end) return false;
      if (this.lineOf(comment.startOffset) === line) shares = true;
    }
    return shares;
  }

  // --- Flat text, for the one-line-or-not decisions -------------------------------------------

  private flatBlock(attributes: readonly A.Attribute[]): string {
    const body = attributes.map((attribute) => `${attribute.key.text}: ${attribute.value ? this.flatValue(attribute.value) : ''}`);
    return `{ ${body.join(ATTRIBUTE_GAP)} }`;
  }

  private flatValue(value: A.Value): string {
    if (value.type === 'list') return `[${value.items.map((item) => this.flatValue(item)).join(', ')}]`;
    let text = '';
    let previous: IToken | undefined;
    for (let i = this.indexAt(value.span.start); i < this.tokens.length && this.tokens[i].startOffset < value.span.end; i++) {
      const token = this.tokens[i];
      text += (previous ? this.gap(previous, token) : '') + token.image;
      previous = token;
    }
    return text;
  }

  private fits(extra: number): boolean {
    const line = this.line;
    return !line || columns(line.indent, this.options.tabSize) + line.code.length + extra <= this.width;
  }

  // --- Tokens ---------------------------------------------------------------------------------

  /** The tokens of a span on one line, spaced canonically; `gap` goes before the first. */
  private run(span: Span, gap: string): void {
    const first = this.tokens[this.next];
    if (!first || first.startOffset !== span.start) throw new Unformattable();
    let previous: IToken | undefined;
    while (this.next < this.tokens.length && this.tokens[this.next].startOffset < span.end) {
      const token = this.tokens[this.next];
      this.take(previous ? this.gap(previous, token) : gap);
      previous = token;
    }
  }

  /** Places the next token, checking that it is the one the structure expects. */
  private take(gap: string, type?: TokenType, at?: number): void {
    const token = this.tokens[this.next];
    if (!token || (type && token.tokenType !== type) || (at !== undefined && token.startOffset !== at)) throw new Unformattable();
    this.flushComments(token.startOffset);
    this.place(token.image, gap, token.startOffset, tokenEnd(token));
    this.next++;
    this.lastEnd = tokenEnd(token);
  }

  /** Commas in lists are written by the printer, one after each item; the source's are dropped. */
  private dropCommas(): void {
    for (let comma = this.tokens[this.next]; comma?.tokenType === T.Comma; comma = this.tokens[this.next]) {
      // A comment after the item on its line trails it; one on a line of its own waits for the next item.
      this.flushComments(comma.startOffset, true);
      this.lastEnd = tokenEnd(comma);
      this.next++;
    }
  }

  /** Text the printer adds (a list comma): no source of its own. */
  private append(text: string): void {
    if (!this.line) throw new Unformattable();
    this.line.code += text;
  }

  private place(text: string, gap: string, start: number, end: number): void {
    if (!this.line || this.want !== 'none') {
      this.openLine(start);
    } else if (this.line.pending !== undefined) {
      // `a /* note */ b`: the comment stays between the tokens.
      this.line.code += ` ${this.line.pending}${gap || ' '}`;
      this.line.pending = undefined;
    } else {
      this.line.code += gap;
    }
    const line = this.line!;
    line.code += text;
    this.cover(line, start, end);
    this.want = 'none';
    this.blockStart = false;
  }

  private openLine(start: number): void {
    this.settle();
    if (this.want === 'blank' && this.blankBefore(start)) this.lines.push({ indent: '', code: '' });
    const line: Line = { indent: this.indentUnit.repeat(this.want === 'continue' ? this.level + 1 : this.level), code: '' };
    this.lines.push(line);
    this.line = line;
  }

  /** A blank line goes out where the source had one, except at the start of a block or file. */
  private blankBefore(start: number): boolean {
    if (this.blockStart || this.lines.length === 0) return false;
    const between = this.text.slice(this.lastEnd, start);
    const first = between.indexOf('\n');
    return first >= 0 && between.indexOf('\n', first + 1) >= 0;
  }

  // --- Comments -------------------------------------------------------------------------------

  private flushComments(before: number, onlyTrailing = false): void {
    while (this.nextComment < this.comments.length && this.comments[this.nextComment].startOffset < before) {
      const comment = this.comments[this.nextComment];
      const start = comment.startOffset;
      const trailing = this.line !== undefined && !this.line.closed && this.lastEnd > 0 && this.lineOf(this.lastEnd - 1) === this.lineOf(start);
      if (onlyTrailing && !trailing) return;
      this.nextComment++;
      const end = tokenEnd(comment);
      const parts = comment.image.split(/\r?\n/).map((part) => part.trimEnd());
      const rest = this.text.slice(end, this.lineEndAfter(end)).trim();
      if (trailing) {
        if (parts.length === 1 && rest !== '' && !rest.startsWith('//')) {
          // A block comment with code after it: between tokens if the code stays on this line.
          const line = this.line!;
          line.pending = line.pending === undefined ? parts[0] : `${line.pending} ${parts[0]}`;
          this.cover(line, start, end);
        } else {
          this.trail(parts, start, end);
        }
      } else {
        this.ownLine(parts, start, end, rest !== '');
      }
      this.lastEnd = end;
    }
  }

  /** Inline comments left at the end of a line become its trailing comment. */
  private settle(): void {
    const line = this.line;
    if (line?.pending === undefined) return;
    line.comment = line.comment === undefined ? line.pending : `${line.comment} ${line.pending}`;
    line.pending = undefined;
  }

  /** A comment after code on its line stays at the end of that line. */
  private trail(parts: string[], start: number, end: number): void {
    this.settle();
    const line = this.line!;
    line.comment = line.comment === undefined ? parts[0] : `${line.comment} ${parts[0]}`;
    line.closed = parts[0].startsWith('//');
    this.cover(line, start, end);
    if (parts.length > 1) {
      line.unaligned = true;
      for (const part of parts.slice(1)) {
        this.line = { indent: '', code: part, first: line.first, last: line.last };
        this.lines.push(this.line);
      }
    }
    if (this.want === 'none') this.want = 'continue';
  }

  /** A comment on a line of its own stays on its own line, indented with the code around it. */
  private ownLine(parts: string[], start: number, end: number, codeFollows: boolean): void {
    this.settle();
    const inside = this.want === 'none' || this.want === 'continue';
    if (!inside && this.want === 'blank' && this.blankBefore(start)) this.lines.push({ indent: '', code: '' });
    const indent = this.indentUnit.repeat(inside ? this.level + 1 : this.level);
    // Continuation lines of a block comment move with its first line.
    const shift = indent.length - (start - this.lineStartBefore(start));
    parts.forEach((part, i) => {
      const code = i === 0 ? part : shift >= 0 ? ' '.repeat(shift) + part : part.replace(new RegExp(`^\\s{0,${-shift}}`), '');
      const line: Line = { indent: i === 0 ? indent : '', code };
      this.cover(line, start, end);
      this.lines.push(line);
      this.line = line;
    });
    this.blockStart = false;
    if (codeFollows) {
      this.want = 'none';
    } else {
      this.line = undefined;
      if (inside) this.want = 'continue';
    }
  }

  private commentsBetween(open: IToken, close: IToken): boolean {
    const comment = this.commentAfter(open.startOffset);
    return comment !== undefined && comment.startOffset < close.startOffset;
  }

  /** A comment on the same line right after this token. */
  private commentTrails(token: IToken): boolean {
    const comment = this.commentAfter(token.startOffset);
    const next = this.tokens[this.indexAt(token.startOffset) + 1];
    return comment !== undefined && (!next || comment.startOffset < next.startOffset) && this.lineOf(comment.startOffset) === this.lineOf(token.startOffset);
  }

  private commentAfter(offset: number): IToken | undefined {
    let low = 0;
    let high = this.comments.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.comments[mid].startOffset <= offset) low = mid + 1;
      else high = mid;
    }
    return this.comments[low];
  }

  // --- Spacing --------------------------------------------------------------------------------

  /**
   * Units (`256 GiB`, `90%`, `GB/s`) and ranges (`0..7`, but `0 .. N - 1` when a bound is an
   * expression) need the tree to be told apart from operators; collect where they are.
   */
  private collectSpacing(tree: A.FileNode): void {
    const visit = (node: unknown): void => {
      if (Array.isArray(node)) {
        for (const child of node) visit(child);
        return;
      }
      if (node === null || typeof node !== 'object') return;
      const record = node as Record<string, unknown>;
      const unit = record.unit as A.Name | undefined;
      if (unit && typeof unit === 'object' && 'span' in unit) {
        const first = this.indexAt(unit.span.start);
        for (let i = first; i < this.tokens.length && this.tokens[i].startOffset < unit.span.end; i++) {
          (i === first ? this.unitStarts : this.unitInside).add(this.tokens[i].startOffset);
        }
      }
      const from = record.from as A.Expression | undefined;
      const to = record.to as A.Expression | undefined;
      if (from && to && typeof from === 'object' && 'span' in from && (from.type === 'binary' || to.type === 'binary')) {
        const range = this.tokens[this.indexAt(from.span.end)];
        if (range?.tokenType === T.Range) this.spacedRanges.add(range.startOffset);
      }
      for (const key in record) if (key !== 'span') visit(record[key]);
    };
    visit(tree);
  }

  private gap(previous: IToken, token: IToken): string {
    const at = token.startOffset;
    if (this.unitStarts.has(at)) return token.tokenType === T.Percent ? '' : ' ';
    if (this.unitInside.has(at)) return '';
    if (token.tokenType === T.Range) return this.spacedRanges.has(at) ? ' ' : '';
    if (previous.tokenType === T.Range) return this.spacedRanges.has(previous.startOffset) ? ' ' : '';
    if (previous.tokenType === T.LBracket || previous.tokenType === T.LParen) return '';
    if (token.tokenType === T.RBracket || token.tokenType === T.RParen || token.tokenType === T.Comma) return '';
    if (token.tokenType === T.LBracket && tokenMatcher(previous, T.AnyWord)) return '';
    return ' ';
  }

  // --- Positions ------------------------------------------------------------------------------

  private cover(line: Line, start: number, end: number): void {
    const first = this.lineOf(start);
    const last = this.lineOf(Math.max(start, end - 1));
    line.first = line.first === undefined ? first : Math.min(line.first, first);
    line.last = line.last === undefined ? last : Math.max(line.last, last);
  }

  private lineOf(offset: number): number {
    return this.parsed.source.position(offset).line;
  }

  private lineStartBefore(offset: number): number {
    return this.text.lastIndexOf('\n', offset - 1) + 1;
  }

  private lineEndAfter(offset: number): number {
    const end = this.text.indexOf('\n', offset);
    return end < 0 ? this.text.length : end;
  }

  /** Index of the first token starting at or after the offset. */
  private indexAt(offset: number): number {
    let low = 0;
    let high = this.tokens.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.tokens[mid].startOffset < offset) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  private find(type: TokenType, span: Span): IToken | undefined {
    for (let i = this.indexAt(span.start); i < this.tokens.length && this.tokens[i].startOffset < span.end; i++) {
      if (this.tokens[i].tokenType === type) return this.tokens[i];
    }
    return undefined;
  }

  private lastToken(span: Span): IToken {
    const token = this.tokens[this.indexAt(span.end) - 1];
    if (!token || tokenEnd(token) !== span.end) throw new Unformattable();
    return token;
  }
}

function columns(indent: string, tabSize: number): number {
  let width = 0;
  for (const character of indent) width += character === '\t' ? tabSize : 1;
  return width;
}

/** Lines to text; trailing comments on consecutive lines line up, COMMENT_GAP after the longest code. */
function render(lines: Line[], options: FormatOptions): string[] {
  const out: string[] = [];
  const codeWidth = (line: Line) => columns(line.indent, options.tabSize) + line.code.length;
  for (let i = 0; i < lines.length; ) {
    const line = lines[i];
    if (line.comment === undefined || line.unaligned) {
      out.push(line.comment === undefined ? line.indent + line.code : `${line.indent}${line.code}${' '.repeat(COMMENT_GAP)}${line.comment}`);
      i++;
      continue;
    }
    let end = i;
    while (end < lines.length && lines[end].comment !== undefined && !lines[end].unaligned) end++;
    const column = maxOf(lines.slice(i, end).map(codeWidth)) + COMMENT_GAP;
    for (; i < end; i++) out.push(`${lines[i].indent}${lines[i].code}${' '.repeat(column - codeWidth(lines[i]))}${lines[i].comment}`);
  }
  return out;
}

/**
 * Groups output lines with the source lines they came from, and turns every group whose text
 * changed into an edit. Lines between groups are blank on both sides (blank-line runs collapse).
 */
function lineEdits(source: string, lines: Line[], rendered: string[], eol: string): LineEdit[] {
  const starts = [0];
  for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
  // A final newline ends the last line rather than starting an empty one.
  const lineCount = starts[starts.length - 1] === source.length ? starts.length - 1 : starts.length;
  const startOf = (line: number) => (line < lineCount ? starts[line] : source.length);
  const edits: LineEdit[] = [];
  const compare = (startLine: number, endLine: number, from: number, to: number) => {
    const newText = rendered.slice(from, to).map((line) => line + eol).join('');
    const start = startOf(startLine);
    const end = startOf(endLine);
    if (source.slice(start, end) !== newText) edits.push({ startLine, endLine, start, end, newText });
  };
  let sourceLine = 0;
  let outLine = 0;
  for (let i = 0; i < lines.length; ) {
    if (lines[i].first === undefined) {
      i++;
      continue;
    }
    const first = lines[i].first!;
    let last = lines[i].last!;
    let end = i + 1;
    while (end < lines.length && lines[end].first !== undefined && lines[end].first! <= last) last = Math.max(last, lines[end++].last!);
    compare(sourceLine, first, outLine, i);
    compare(first, last + 1, i, end);
    sourceLine = last + 1;
    outLine = end;
    i = end;
  }
  compare(sourceLine, lineCount, outLine, rendered.length);
  return edits;
}

/** The formatted text reads back as the same tree (spans aside) with the same comments. */
function sameMeaning(original: ParseResult, formatted: string, options: FormatOptions): boolean {
  const again = parse('', formatted, { maxNestingDepth: options.maxNestingDepth ?? DEFAULT_MAX_NESTING_DEPTH });
  if (again.problems.length > 0) return false;
  const comments = (result: ParseResult) => result.comments.map((comment) => comment.image.replace(/\s+/g, ' ').trim()).join('\n');
  return sameTree(original.tree, again.tree) && comments(original) === comments(again);
}

/** Deep equality of two syntax trees, spans aside; absent and undefined properties are alike. */
function sameTree(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = (record: Record<string, unknown>) => Object.keys(record).filter((key) => record[key] !== undefined && key !== 'span' && key !== 'pathSpan');
  const leftKeys = keys(left);
  if (leftKeys.length !== keys(right).length) return false;
  return leftKeys.every((key) =>
    // Trailing spaces of doc comments are trimmed.
    key === 'doc' && typeof left.doc === 'string' && typeof right.doc === 'string'
      ? left.doc.replace(/[ \t]+$/gm, '') === right.doc.replace(/[ \t]+$/gm, '')
      : sameTree(left[key], right[key]),
  );
}
