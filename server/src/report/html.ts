/**
 * The report as HTML: the body markup (for the VS Code report view, which brings its own page
 * and maps the `--fabric-*` custom properties to its theme), the stylesheet, and the complete
 * self-contained page `fabric report` writes. The page has no script: its Content-Security-
 * Policy allows nothing but its one stylesheet, by hash, so nothing from a `.fabric` file can run.
 */
import { renderComparison } from './compare.js';
import type { ReportData } from './data.js';
import { escapeHtml as escape } from './escape.js';
import type { TopologyLayout } from './layout.js';
import { sectionsOf } from './sections.js';
import { sha256Base64 } from './sha256.js';
import { reportStylesheet } from './style.js';

export { reportStylesheet };

export type ReportTheme = 'auto' | 'light' | 'dark';

export function renderReportSections(data: ReportData, layout: TopologyLayout): string {
  return `<div class="report" data-fabric="${escape(data.fabric?.name ?? '')}">${sectionsOf(data, layout).join('')}</div>`;
}

function contentSecurityPolicy(stylesheet: string): string {
  return `default-src 'none'; style-src 'sha256-${sha256Base64(stylesheet)}'; img-src 'none'; base-uri 'none'; form-action 'none'`;
}

export function renderReportPage(reports: { data: ReportData; layout: TopologyLayout }[], options: { theme?: ReportTheme } = {}): string {
  const names = reports.map((r) => r.data.fabric?.name ?? r.data.file);
  const title = reports.length > 1 ? `${names.join(' vs ')} — Fabric report` : `${names[0] ?? 'Fabric'} — Fabric report`;
  const body =
    reports.length > 1
      ? `${renderComparison(reports.map((r) => r.data))}<div class="compare-columns">${reports.map((r) => renderReportSections(r.data, r.layout)).join('')}</div>`
      : reports.map((r) => renderReportSections(r.data, r.layout)).join('');
  const theme = options.theme && options.theme !== 'auto' ? ` data-theme="${options.theme}"` : '';
  return (
    `<!DOCTYPE html>\n<html lang="en"${theme}><head><meta charset="utf-8">` +
    `<meta http-equiv="Content-Security-Policy" content="${escape(contentSecurityPolicy(reportStylesheet))}">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light dark">` +
    `<title>${escape(title)}</title><style>${reportStylesheet}</style></head>` +
    `<body><main class="fabric-report">${body}</main></body></html>\n`
  );
}
