/** Runs the core on in-memory files and renders diagnostics compactly for assertions. */
import { checkText, type CheckResult } from '../../server/src/model/check.js';
import type { Limits } from '../../server/src/model/limits.js';
import type { FileAccess } from '../../server/src/model/program.js';
import { SourceFile, type Diagnostic } from '../../server/src/syntax/source.js';

export const MAIN = '/work/main.fabric';

export function memoryFiles(files: Record<string, string>): FileAccess {
  return { read: (path) => files[path] };
}

/** Checks `text` as /work/main.fabric; other files are keyed by their absolute path. */
export function check(text: string, others: Record<string, string> = {}, limits?: Partial<Limits>): CheckResult {
  return checkText(MAIN, text, memoryFiles(others), { limits });
}

/** `line:col severity[code] message`, one per diagnostic, 1-based, for the given file only unless `all`. */
export function render(result: CheckResult, texts: Record<string, string> = {}): string[] {
  const sources = new Map<string, SourceFile>();
  for (const file of result.program.files) sources.set(file.source.path, file.source);
  return result.diagnostics.map((d: Diagnostic) => {
    const source = sources.get(d.file) ?? new SourceFile(d.file, texts[d.file] ?? '');
    const at = source.position(d.span.start);
    const prefix = d.file === MAIN ? '' : `${d.file}:`;
    return `${prefix}${at.line + 1}:${at.character + 1} ${d.severity}[${d.code}] ${d.message}`;
  });
}

export function codes(result: CheckResult): string[] {
  return result.diagnostics.map((d) => d.code);
}
