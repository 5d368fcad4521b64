/** Source text, offsets and diagnostics: the vocabulary every layer shares. */

/** A half-open range of UTF-16 offsets into one file's text. */
export interface Span {
  start: number;
  end: number;
}

export type Severity = 'error' | 'warning' | 'hint';

export type DiagnosticCode =
  | 'syntax'
  | 'unknown-name'
  | 'duplicate-name'
  | 'unit'
  | 'value-range'
  | 'index-range'
  | 'model-kind'
  | 'protocol-unsupported'
  | 'lane-width'
  | 'link-endpoints'
  | 'lane-budget'
  | 'port-budget'
  | 'capacity'
  | 'unreachable'
  | 'feature-unsupported'
  | 'expectation-failed'
  | 'import-cycle'
  | 'import-missing'
  | 'import-kind'
  | 'limit'
  | 'oversubscription'
  | 'link-overload'
  | 'reach'
  | 'unused-device'
  | 'duplicate-member'
  | 'inc-opportunity'
  | 'ring-order'
  | 'transformer'
  | 'parallelism'
  | 'memory-capacity'
  | 'model-attribute'
  | 'placement'
  | 'diagnostic-limit';

export const SEVERITY_OF: Record<DiagnosticCode, Severity> = {
  syntax: 'error',
  'unknown-name': 'error',
  'duplicate-name': 'error',
  unit: 'error',
  'value-range': 'error',
  'index-range': 'error',
  'model-kind': 'error',
  'protocol-unsupported': 'error',
  'lane-width': 'error',
  'link-endpoints': 'error',
  'lane-budget': 'error',
  'port-budget': 'error',
  capacity: 'error',
  unreachable: 'error',
  'feature-unsupported': 'error',
  'expectation-failed': 'error',
  'import-cycle': 'error',
  'import-missing': 'error',
  'import-kind': 'error',
  limit: 'error',
  oversubscription: 'warning',
  'link-overload': 'warning',
  reach: 'warning',
  'unused-device': 'warning',
  'duplicate-member': 'warning',
  'inc-opportunity': 'hint',
  'ring-order': 'hint',
  transformer: 'error',
  parallelism: 'error',
  'memory-capacity': 'error',
  'model-attribute': 'error',
  placement: 'hint',
  'diagnostic-limit': 'warning',
};

export interface RelatedInformation {
  file: string;
  span: Span;
  message: string;
}

/** Machine-readable payload of a diagnostic, for quick fixes; each field belongs to some codes. */
export interface DiagnosticData {
  /** A replacement for the diagnostic's range: the did-you-mean name, the nearest width or unit. */
  suggestion?: string;
  /** `inc-opportunity`: the faster algorithm to name after `using`. */
  algorithm?: string;
  /** `ring-order`: the ranks grouped by switch, as selectors in ring order (`acc[0..3]`, `acc[8]`). */
  order?: string[];
  /** `parallelism`: attribute edits that would make the degrees work (`{ tp: 8, dp: 16 }`). */
  degrees?: Record<string, number>;
}

export interface Diagnostic {
  file: string;
  span: Span;
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  related: RelatedInformation[];
  /** Machine-readable payload for quick fixes, e.g. the did-you-mean replacement. */
  data?: DiagnosticData;
}

/** Zero-based line and UTF-16 column. */
export interface Position {
  line: number;
  character: number;
}

/** One file's text with a line index, so offsets turn into lines and columns cheaply. */
export class SourceFile {
  private lineStarts: number[] | undefined;

  constructor(
    readonly path: string,
    readonly text: string,
  ) {}

  position(offset: number): Position {
    const starts = this.lines();
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid] <= clamped) low = mid;
      else high = mid - 1;
    }
    return { line: low, character: clamped - starts[low] };
  }

  offset(position: Position): number {
    const starts = this.lines();
    if (position.line >= starts.length) return this.text.length;
    const lineEnd = position.line + 1 < starts.length ? starts[position.line + 1] : this.text.length;
    return Math.min(starts[position.line] + position.character, lineEnd);
  }

  lineText(line: number): string {
    const starts = this.lines();
    const end = line + 1 < starts.length ? starts[line + 1] : this.text.length;
    return this.text.slice(starts[line], end).replace(/\r?\n$/, '');
  }

  private lines(): number[] {
    if (!this.lineStarts) {
      const starts = [0];
      const text = this.text;
      for (let i = 0; i < text.length; i++) {
        if (text.charCodeAt(i) === 10) starts.push(i + 1);
      }
      this.lineStarts = starts;
    }
    return this.lineStarts;
  }
}
