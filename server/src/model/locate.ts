/** Diagnostics with 1-based lines and UTF-16 columns, as the JSON outputs of §10 give them. */
import type { Diagnostic, SourceFile } from '../syntax/source.js';

export type SourceLookup = (path: string) => SourceFile | undefined;

export interface Located {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export function locate(item: { file: string; span: { start: number; end: number } }, sources: SourceLookup): Located {
  const source = sources(item.file);
  if (!source) return { line: 1, column: 1, endLine: 1, endColumn: 1 };
  const start = source.position(item.span.start);
  const end = source.position(item.span.end);
  return { line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
}

export function diagnosticToJson(d: Diagnostic, sources: SourceLookup) {
  return {
    code: d.code,
    severity: d.severity,
    message: d.message,
    file: d.file,
    ...locate(d, sources),
    related: d.related.map((info) => ({ file: info.file, message: info.message, ...locate(info, sources) })),
  };
}
