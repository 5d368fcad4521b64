/** Core diagnostics and spans to LSP shapes, and document URIs to the core's slash paths. */
import { DiagnosticSeverity, type Diagnostic as LspDiagnostic, type Range } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import type { Diagnostic, SourceFile, Span } from '../syntax/source.js';

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, hint: DiagnosticSeverity.Hint } as const;

/** `file:///a/b.fabric` → `/a/b.fabric`; other schemes keep their URI as the path. */
export function uriToPath(uri: string): string {
  const parsed = URI.parse(uri);
  return parsed.scheme === 'file' ? parsed.fsPath.replace(/\\/g, '/') : uri;
}

export function pathToUri(path: string): string {
  return /^[a-z][a-z0-9+.-]*:/i.test(path) && !/^[A-Za-z]:\//.test(path) ? path : URI.file(path).toString();
}

export function toRange(source: SourceFile | undefined, span: Span): Range {
  if (!source) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return { start: source.position(span.start), end: source.position(span.end) };
}

export function toLspDiagnostic(d: Diagnostic, sources: (path: string) => SourceFile | undefined): LspDiagnostic {
  return {
    range: toRange(sources(d.file), d.span),
    severity: SEVERITY[d.severity],
    code: d.code,
    source: 'fabric',
    message: d.message,
    relatedInformation: d.related.map((info) => ({
      location: { uri: pathToUri(info.file), range: toRange(sources(info.file), info.span) },
      message: info.message,
    })),
    ...(d.data ? { data: d.data } : {}),
  };
}
