/**
 * Two fabrics side by side: the figures an architect weighs (devices, lanes, power, latencies,
 * workload times), each with the second fabric's change against the first.
 */
import type { ReportData } from './data.js';
import { escapeHtml as escape } from './escape.js';
import { formatCount, formatPower, formatTime } from './format.js';

export interface ComparisonRow {
  label: string;
  values: (number | null)[];
  format: (value: number) => string;
  /** Whether a smaller value is the better one (times, latencies); undefined when neither is. */
  lowerIsBetter?: boolean;
}

/** The nearest and farthest one-way latency over the matrix cells of one column kind. */
function latencyRange(data: ReportData, memory: boolean): { min: number; max: number } | null {
  let min = Infinity;
  let max = -Infinity;
  data.latency.columns.forEach((column, c) => {
    if ((column.kind === 'memory') !== memory) return;
    for (const row of data.latency.cells) {
      const cell = row[c];
      if (!cell) continue;
      min = Math.min(min, cell.min_s);
      max = Math.max(max, cell.max_s);
    }
  });
  return max < 0 ? null : { min, max };
}

export function comparisonRows(reports: ReportData[]): ComparisonRow[] {
  const count = (label: string, pick: (d: ReportData) => number): ComparisonRow => ({ label, values: reports.map(pick), format: formatCount });
  const rows: ComparisonRow[] = [
    count('accelerators', (d) => d.bom.totals.accelerators),
    count('switches', (d) => d.bom.totals.switches),
    count('hosts', (d) => d.bom.totals.hosts),
    count('memory devices', (d) => d.bom.totals.memories),
    count('links', (d) => d.bom.totals.links),
    count('lanes (per end, all links)', (d) => d.bom.totals.lanes),
    count('switch lanes installed', (d) => d.bom.totals.switchLanesTotal),
    count('retimers', (d) => d.bom.totals.retimers),
    { label: 'power (devices with a figure)', values: reports.map((d) => (d.bom.totals.power_W > 0 ? d.bom.totals.power_W : null)), format: formatPower, lowerIsBetter: true },
  ];
  for (const [label, memory, end] of [
    ['accelerator ↔ accelerator, nearest', false, 'min'],
    ['accelerator ↔ accelerator, farthest', false, 'max'],
    ['accelerator → memory, nearest', true, 'min'],
    ['accelerator → memory, farthest', true, 'max'],
  ] as const) {
    rows.push({ label: `latency ${label}`, values: reports.map((d) => latencyRange(d, memory)?.[end] ?? null), format: formatTime, lowerIsBetter: true });
  }
  const names = [...new Set(reports.flatMap((d) => d.workloads.map((w) => w.name)))];
  for (const name of names) {
    rows.push({ label: `workload ${name}`, values: reports.map((d) => d.workloads.find((w) => w.name === name)?.time_s ?? null), format: formatTime, lowerIsBetter: true });
  }
  rows.push({ label: 'expectations failing', values: reports.map((d) => (d.simulated ? d.expectations.filter((e) => !e.pass).length : null)), format: formatCount, lowerIsBetter: true });
  return rows;
}

function change(row: ComparisonRow): string {
  const [first, second] = row.values;
  if (first === null || second === null || first === second) return '';
  const better = row.lowerIsBetter === undefined ? '' : second < first === row.lowerIsBetter ? ' better' : ' worse';
  const text = first > 0 && second > 0 && row.lowerIsBetter !== undefined ? (second < first ? `${(first / second).toFixed(2)}× less` : `${(second / first).toFixed(2)}× more`) : `${second > first ? '+' : '−'}${row.format(Math.abs(second - first))}`;
  return `<span class="delta${better}">${escape(text)}</span>`;
}

export function renderComparison(reports: ReportData[]): string {
  const heads = reports.map((d) => `<th class="num">${escape(d.fabric?.name ?? d.file)}</th>`).join('');
  const rows = comparisonRows(reports).map(
    (row) => `<tr><td>${escape(row.label)}</td>${row.values.map((v) => `<td class="num">${v === null ? '–' : escape(row.format(v))}</td>`).join('')}<td class="num">${change(row)}</td></tr>`,
  );
  return (
    `<section class="card" data-section="comparison"><header><h2>Side by side</h2><span class="note">change: the second fabric against the first</span></header>` +
    `<div class="scroll"><table><thead><tr><th></th>${heads}<th class="num">change</th></tr></thead><tbody>${rows.join('')}</tbody></table></div></section>`
  );
}
