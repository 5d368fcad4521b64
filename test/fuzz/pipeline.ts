/**
 * One fuzz case through the whole core: parse, check and simulate, the JSON report, the
 * formatter, and what the editor features compute (completion and the node found at a few
 * offsets, semantic tokens, folding, the outline, the reference index, quick fixes). Returns what is wrong with the run (an exception, a malformed diagnostic), or
 * undefined when it kept every promise: no throw, and every diagnostic well formed and on the text.
 */
import type { CheckResult } from '../../server/src/model/check.js';
import { complete } from '../../server/src/ide/completion/complete.js';
import { fixesFor } from '../../server/src/ide/fixes.js';
import { DEFAULT_LIMITS, type Limits } from '../../server/src/model/limits.js';
import type { FileAccess } from '../../server/src/model/program.js';
import { toReport } from '../../server/src/sim/json.js';
import { simulateSource } from '../../server/src/sim/simulate.js';
import { buildReferenceIndex } from '../../server/src/ide/references.js';
import { outline } from '../../server/src/ide/symbols.js';
import { findAt } from '../../server/src/syntax/find.js';
import { foldingRegions } from '../../server/src/syntax/folding.js';
import { formatSource } from '../../server/src/syntax/format.js';
import { semanticTokens } from '../../server/src/syntax/semantic-tokens.js';
import { parse } from '../../server/src/syntax/parse.js';
import { SEVERITY_OF, type Diagnostic, type Span } from '../../server/src/syntax/source.js';

export interface FuzzCase {
  path: string;
  text: string;
  /** Other files the case may import, by absolute path. */
  files: Record<string, string>;
}

/**
 * The fuzzers read with the size limits cut a hundredfold, so that a case a mutation blows up
 * to a limit takes milliseconds instead of seconds; the limits at their defaults have tests of
 * their own (test/unit/limits.test.ts) and a benchmark (scripts/bench-limits.mjs).
 */
export const FUZZ_LIMITS: Limits = {
  ...DEFAULT_LIMITS,
  maxDevices: DEFAULT_LIMITS.maxDevices / 100,
  maxLinks: DEFAULT_LIMITS.maxLinks / 100,
  maxLoopIterations: DEFAULT_LIMITS.maxLoopIterations / 100,
  maxFileSize: DEFAULT_LIMITS.maxFileSize / 100,
};

function spanProblem(span: Span, length: number | undefined, where: string): string | undefined {
  const integers = Number.isInteger(span.start) && Number.isInteger(span.end);
  if (!integers || span.start < 0 || span.end < span.start) return `${where}: malformed span ${JSON.stringify(span)}`;
  if (length !== undefined && span.end > length) return `${where}: span ${JSON.stringify(span)} beyond the text's ${length} characters`;
  return undefined;
}

function diagnosticProblem(diagnostic: Diagnostic, lengths: Map<string, number>): string | undefined {
  const where = `${diagnostic.code} "${diagnostic.message}"`;
  if (!(diagnostic.code in SEVERITY_OF)) return `unknown diagnostic code ${diagnostic.code}`;
  if (diagnostic.severity !== SEVERITY_OF[diagnostic.code]) return `${where}: severity ${diagnostic.severity}`;
  if (typeof diagnostic.message !== 'string' || diagnostic.message.trim() === '') return `${diagnostic.code}: empty message`;
  if (/\bundefined\b|\bNaN\b|\bInfinity\b|\[object Object\]/.test(diagnostic.message)) return `${where}: the message shows an internal value`;
  const own = spanProblem(diagnostic.span, lengths.get(diagnostic.file), where);
  if (own) return own;
  for (const related of diagnostic.related) {
    const problem = spanProblem(related.span, lengths.get(related.file), `${where}, related "${related.message}"`);
    if (problem) return problem;
  }
  return undefined;
}

/** The editor features' pure halves, as the language server calls them. */
function runEditorFeatures(check: CheckResult): void {
  const entry = check.program.entry;
  const text = entry.source.text;
  const builtin = (name: string) => check.fabric?.models.get(name)?.builtin === true;
  for (const offset of [0, Math.floor(text.length / 3), Math.floor((2 * text.length) / 3), text.length]) {
    complete(text, offset, check);
    findAt(entry.tree, offset);
  }
  semanticTokens(entry, builtin);
  foldingRegions(entry);
  outline(entry, check.fabric);
  buildReferenceIndex(check);
  for (const diagnostic of check.diagnostics) if (diagnostic.file === entry.source.path) fixesFor(diagnostic, check);
}

export function runCase(fuzzCase: FuzzCase): string | undefined {
  const files: FileAccess = { read: (path) => fuzzCase.files[path] };
  const limits = FUZZ_LIMITS;
  try {
    const parsed = parse(fuzzCase.path, fuzzCase.text, limits);
    for (const problem of parsed.problems) {
      const spanned = spanProblem(problem.span, fuzzCase.text.length, `parse ${problem.code} "${problem.message}"`);
      if (spanned) return spanned;
    }
    const { check, simulation } = simulateSource(fuzzCase.path, fuzzCase.text, files, { limits });
    JSON.stringify(toReport(check, simulation));
    formatSource(fuzzCase.text, { tabSize: 2, insertSpaces: true, maxNestingDepth: limits.maxNestingDepth });
    runEditorFeatures(check);
    if (!Array.isArray(check.diagnostics)) return 'the check returned no diagnostics list';
    const lengths = new Map(check.program.files.map((file) => [file.source.path, file.source.text.length]));
    lengths.set(check.catalog.source.path, check.catalog.source.text.length);
    for (const diagnostic of check.diagnostics) {
      const problem = diagnosticProblem(diagnostic, lengths);
      if (problem) return problem;
    }
    return undefined;
  } catch (error) {
    return `threw ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
  }
}
