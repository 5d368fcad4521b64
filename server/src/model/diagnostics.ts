/**
 * Collects diagnostics and folds the many instances one loop line produces into one
 * (FABRIC-LANGUAGE.md §8): one per (file, range, code), naming the first instance and the count.
 */
import { SEVERITY_OF, type Diagnostic, type DiagnosticCode, type DiagnosticData, type RelatedInformation, type Span } from '../syntax/source.js';

export interface Report {
  file: string;
  span: Span;
  code: DiagnosticCode;
  /**
   * What the diagnostic is about (`acc[0] <-> sx[0]`, `sx[1]`). When several instances share a
   * range and code, the first subject becomes `acc[0] <-> sx[0] and 63 more`.
   */
  subject?: string;
  /** Builds the message from the (possibly folded) subject. */
  message: string | ((subject: string) => string);
  related?: RelatedInformation[];
  /** What a quick fix needs (the did-you-mean replacement, the faster algorithm, the grouped ring). */
  data?: DiagnosticData;
  /**
   * How bad this instance is (lanes used, a ratio): when instances fold, the message and related
   * information come from the worst one, so a folded `use up to N` is true of all of them.
   */
  magnitude?: number;
}

interface Folded {
  first: Report;
  worst: Report;
  subjects: Set<string>;
}

export class DiagnosticSink {
  private readonly folded = new Map<string, Folded>();

  report(report: Report): void {
    const key = `${report.file}\u0000${report.span.start}\u0000${report.span.end}\u0000${report.code}`;
    const existing = this.folded.get(key);
    if (existing) {
      if (report.subject !== undefined) existing.subjects.add(report.subject);
      if ((report.magnitude ?? 0) > (existing.worst.magnitude ?? 0)) existing.worst = report;
      return;
    }
    this.folded.set(key, { first: report, worst: report, subjects: new Set(report.subject === undefined ? [] : [report.subject]) });
  }

  diagnostics(): Diagnostic[] {
    const result: Diagnostic[] = [];
    for (const { first, worst, subjects } of this.folded.values()) {
      const count = subjects.size;
      const subject = first.subject === undefined ? '' : count > 1 ? `${first.subject} and ${count - 1} more` : first.subject;
      const message = typeof worst.message === 'string' ? worst.message : worst.message(subject);
      result.push({
        file: first.file,
        span: first.span,
        code: first.code,
        severity: SEVERITY_OF[first.code],
        message,
        related: worst.related ?? [],
        ...(first.data ? { data: first.data } : {}),
      });
    }
    return result;
  }
}

/** Verb agreement for a possibly folded subject: `sx uses`, `sx[0] and 3 more use`. */
export function agree(subject: string, one: string, many: string): string {
  return / and \d+ more$/.test(subject) ? many : one;
}

/** Orders strings by code unit: stable everywhere, and far cheaper than a locale's collation. */
const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Diagnostics in file order, then by position, for stable output. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => byCodeUnit(a.file, b.file) || a.span.start - b.span.start || a.span.end - b.span.end || byCodeUnit(a.code, b.code));
}
