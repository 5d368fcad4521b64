/**
 * The comments of a file, for what the syntax tree takes from them: `///` doc comments above a
 * declaration, and a comment calling a figure on its line an estimate. Comments arrive in source
 * order, possibly while the file is still being read (parse.ts reads large fabrics in pieces).
 */
import type { IToken } from 'chevrotain';
import type { SourceFile } from './source.js';
import * as T from './tokens.js';

const ESTIMATE = /\bestimate/i;
const NOT_AN_ESTIMATE = /\bnot an? estimate/i;

export class CommentIndex {
  readonly comments: IToken[] = [];
  private readonly docStarts: number[] = [];
  private readonly docEnds: number[] = [];
  private readonly docTexts: string[] = [];
  private readonly estimateLines = new Map<number, string>();

  constructor(private readonly source: SourceFile) {}

  add(comment: IToken): void {
    this.comments.push(comment);
    const image = comment.image;
    if (comment.tokenType === T.DocComment) {
      this.docStarts.push(comment.startOffset);
      this.docEnds.push(comment.startOffset + image.length);
      this.docTexts.push(image.slice(3).replace(/^ /, ''));
    }
    if (ESTIMATE.test(image) && !NOT_AN_ESTIMATE.test(image)) {
      const text = image.replace(/^\/\/+\s*|^\/\*\s*|\s*\*\/$/g, '').trim();
      this.estimateLines.set(this.source.position(comment.startOffset).line, text);
    }
  }

  /** The run of `///` lines that ends right above the declaration, with only blank space between. */
  docAt(offset: number): string | undefined {
    const ends = this.docEnds;
    let low = 0;
    let high = ends.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (ends[mid] <= offset) low = mid + 1;
      else high = mid;
    }
    const text = this.source.text;
    let index = low - 1;
    let boundary = offset;
    const lines: string[] = [];
    while (index >= 0 && /^\s*$/.test(text.slice(ends[index], boundary)) && text.slice(ends[index], boundary).split('\n').length <= 2) {
      lines.unshift(this.docTexts[index]);
      boundary = this.docStarts[index];
      index--;
    }
    return lines.length > 0 ? lines.join('\n') : undefined;
  }

  /** The comment on the line of this offset, when it calls the figure an estimate. */
  estimateAt(offset: number): string | undefined {
    return this.estimateLines.size > 0 ? this.estimateLines.get(this.source.position(offset).line) : undefined;
  }
}
