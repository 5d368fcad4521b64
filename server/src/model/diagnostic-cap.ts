/**
 * An error limit, as compilers have: past the first N diagnostics of a file the rest are counted,
 * not shown, and one `diagnostic-limit` warning says how many there were. A file of 100,000
 * mistakes then costs the editor and a JSON reader what 1,000 do. Errors are kept before
 * warnings and warnings before hints, so no error is hidden behind lesser diagnostics; within a
 * severity the first in the file are kept.
 */
import { type Diagnostic, type Severity } from '../syntax/source.js';
import { sortDiagnostics } from './diagnostics.js';

export const DEFAULT_MAX_DIAGNOSTICS_PER_FILE = 1000;

export interface SeverityCounts {
  errors: number;
  warnings: number;
  hints: number;
}

export interface CappedDiagnostics {
  /** The diagnostics shown, with one `diagnostic-limit` summary in each file that had more. */
  diagnostics: Diagnostic[];
  /** Per file, what was counted but not shown. */
  omitted: Map<string, SeverityCounts>;
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, hint: 2 };
const COUNT_KEY = { error: 'errors', warning: 'warnings', hint: 'hints' } as const;

const emptyCounts = (): SeverityCounts => ({ errors: 0, warnings: 0, hints: 0 });

const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

/**
 * `maxPerFile` 0 shows them all. The diagnostics shown keep the order they came in; a file's
 * summary follows its last.
 */
export function capDiagnostics(diagnostics: readonly Diagnostic[], maxPerFile: number): CappedDiagnostics {
  const omitted = new Map<string, SeverityCounts>();
  const byFile = new Map<string, Diagnostic[]>();
  for (const diagnostic of diagnostics) {
    let list = byFile.get(diagnostic.file);
    if (!list) byFile.set(diagnostic.file, (list = []));
    list.push(diagnostic);
  }
  if (maxPerFile === 0 || [...byFile.values()].every((list) => list.length <= maxPerFile)) return { diagnostics: [...diagnostics], omitted };
  const shown = new Set<Diagnostic>();
  const summaries = new Map<string, Diagnostic>();
  for (const [file, list] of byFile) {
    if (list.length <= maxPerFile) {
      for (const diagnostic of list) shown.add(diagnostic);
      continue;
    }
    const inFileOrder = sortDiagnostics(list);
    const ranked = inFileOrder.map((diagnostic, order) => ({ diagnostic, order }));
    ranked.sort((a, b) => RANK[a.diagnostic.severity] - RANK[b.diagnostic.severity] || a.order - b.order);
    const counts = emptyCounts();
    let firstOmittedOrder = Infinity;
    for (let i = 0; i < ranked.length; i++) {
      const { diagnostic, order } = ranked[i]!;
      if (i < maxPerFile) {
        shown.add(diagnostic);
        continue;
      }
      counts[COUNT_KEY[diagnostic.severity]]++;
      firstOmittedOrder = Math.min(firstOmittedOrder, order);
    }
    omitted.set(file, counts);
    summaries.set(file, summary(file, inFileOrder[firstOmittedOrder]!, counts, maxPerFile));
  }
  const result: Diagnostic[] = [];
  for (const [file, list] of byFile) {
    for (const diagnostic of list) if (shown.has(diagnostic)) result.push(diagnostic);
    const fileSummary = summaries.get(file);
    if (fileSummary) result.push(fileSummary);
  }
  return { diagnostics: result, omitted };
}

function summary(file: string, firstOmitted: Diagnostic, counts: SeverityCounts, maxPerFile: number): Diagnostic {
  const total = counts.errors + counts.warnings + counts.hints;
  const kinds = [plural(counts.errors, 'error'), plural(counts.warnings, 'warning'), plural(counts.hints, 'hint')].filter((text) => !text.startsWith('0 '));
  return {
    file,
    span: { start: firstOmitted.span.start, end: firstOmitted.span.start },
    code: 'diagnostic-limit',
    severity: 'warning',
    message:
      `${plural(total, 'more diagnostic')} in this file (${kinds.join(', ')}) ${total === 1 ? 'is' : 'are'} not shown, the first from here on: ` +
      `only ${maxPerFile.toLocaleString('en-US')} are shown per file, errors first. Fix those, or raise the limit ` +
      '(`--max-diagnostics N` on the command line, `fabric.diagnostics.maxPerFile` in the editor; 0 shows all)',
    related: [],
  };
}

/** What a set of files has in all, the omitted counted and the summaries not. */
export function severityCounts(diagnostics: readonly Diagnostic[], omitted: Iterable<SeverityCounts>): SeverityCounts {
  const counts = emptyCounts();
  for (const diagnostic of diagnostics) if (diagnostic.code !== 'diagnostic-limit') counts[COUNT_KEY[diagnostic.severity]]++;
  for (const more of omitted) {
    counts.errors += more.errors;
    counts.warnings += more.warnings;
    counts.hints += more.hints;
  }
  return counts;
}
