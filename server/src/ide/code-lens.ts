/**
 * Code lenses, in plain data: "Simulate" and "Show report" above the fabric and above each
 * workload, the workload's lens showing its last simulated time ("Simulate · 23.4 ms", or
 * "Simulate · was 23.4 ms" when the text changed since).
 */
import type { CheckResult } from '../model/check.js';
import { formatQuantity } from '../model/units.js';
import type { SimulationReport } from '../sim/report.js';
import type { Span } from '../syntax/source.js';

export interface Lens {
  /** The name the lens stands above, in the entry file. */
  span: Span;
  title: string;
  action: 'simulate' | 'show-report';
  /** The workload the lens is about; none for the fabric's own lenses. */
  workload?: string;
}

export function codeLenses(check: CheckResult, report: SimulationReport | undefined, stale: boolean): Lens[] {
  const fabric = check.program.entry.tree.fabrics[0];
  if (!fabric) return [];
  const lenses: Lens[] = [
    { span: fabric.name.span, title: 'Simulate', action: 'simulate' },
    { span: fabric.name.span, title: 'Show report', action: 'show-report' },
  ];
  for (const item of fabric.items) {
    if (item.type !== 'workload') continue;
    const workload = item.name.text;
    const result = report?.workloads.find((w) => w.name === workload);
    const title = result ? `Simulate · ${stale ? 'was ' : ''}${formatQuantity(result.time_s, 'time')}` : 'Simulate';
    lenses.push({ span: item.name.span, title, action: 'simulate', workload }, { span: item.name.span, title: 'Show report', action: 'show-report', workload });
  }
  return lenses;
}
