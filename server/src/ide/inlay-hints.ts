/**
 * Inlay hints, in plain data: the effective bandwidth per direction after each link (for a loop
 * line, the figure of each link it makes), and the simulated time after each workload statement
 * from the document's last simulation report. A report of an earlier version still labels the
 * statements whose line and operation have not changed (the tooltip says it is updating), so
 * hints do not blink out at every keystroke.
 */
import type { CheckResult } from '../model/check.js';
import type { Link } from '../model/types.js';
import { formatQuantity } from '../model/units.js';
import type { StepReport, SimulationReport } from '../sim/report.js';
import type * as A from '../syntax/ast.js';
import type { SourceFile } from '../syntax/source.js';

type Leaf = Exclude<A.Statement, { type: 'parallel' | 'for' }>;

export interface Hint {
  /** Where the hint stands in the entry file: after the syntax it labels. */
  offset: number;
  label: string;
  /** Markdown. */
  tooltip: string;
}

const time = (seconds: number) => formatQuantity(seconds, 'time');
const opOf = (statement: Leaf) => (statement.type === 'collective' ? statement.op : statement.type);

/** `186 GB/s`, or `93–186 GB/s` when the values differ once written. */
function spread(values: number[], format: (value: number) => string): string {
  // A loop line can make a million links: too many arguments for Math.min(...values).
  let min = Infinity;
  let max = -Infinity;
  for (const value of values) {
    min = Math.min(min, value);
    max = Math.max(max, value);
  }
  const low = format(min);
  const high = format(max);
  if (low === high) return low;
  const [lowNumber, lowUnit] = low.split(' ');
  return lowUnit === high.split(' ')[1] ? `${lowNumber}–${high}` : `${low} – ${high}`;
}

function append<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Per resolved fabric's links: hints are asked for at every scroll, the links change only with a check. */
const bandwidthCache = new WeakMap<Link[], Hint[]>();

function bandwidthHints(links: Link[]): Hint[] {
  const cached = bandwidthCache.get(links);
  if (cached) return cached;
  const byDecl = new Map<A.LinkDecl, Link[]>();
  for (const link of links) append(byDecl, link.decl, link);
  const hints = [...byDecl].map(([decl, made]) => {
    const figure = spread(made.map((l) => l.bandwidth), (b) => formatQuantity(b, 'bandwidth'));
    const many = made.length > 1;
    return {
      offset: decl.port.span.end,
      label: many ? `${figure} each` : figure,
      tooltip: many
        ? `Effective bandwidth per direction of each of the ${made.length} links this line makes (${made[0].name} and ${made.length - 1} more).`
        : `Effective bandwidth per direction of ${made[0].name}.`,
    };
  });
  bandwidthCache.set(links, hints);
  return hints;
}

function leavesOf(statements: A.Statement[], out: Leaf[]): Leaf[] {
  for (const statement of statements) {
    if (statement.type === 'parallel' || statement.type === 'for') leavesOf(statement.statements, out);
    else out.push(statement);
  }
  return out;
}

function describe(step: StepReport, workload: string): string {
  const algorithm = step.algorithm && step.algorithm !== 'direct' ? ` (${step.algorithm})` : '';
  const bottleneck = step.bottleneck ? `; bottleneck ${step.bottleneck}` : '';
  return `Simulated time of \`${step.op}\`${algorithm} in workload \`${workload}\`: ${time(step.time_s)} = latency ${time(step.latency_s)} + transfer ${time(step.transfer_s)}${bottleneck}.`;
}

const percent = (ratio: number) => `${(ratio * 100).toFixed(1)} %`;
const tokens = (value: number) => formatQuantity(value, 'tokens');

/** A train or serve step's headline (§13.5): tokens/s with MFU and the share waiting on the fabric, or TTFT and TPOT. */
function headlineOf(step: StepReport, workload: string, stale: boolean): { label: string; tooltip: string } | undefined {
  const note = stale ? '\n\n*From the simulation of an earlier version of this file; updating…*' : '';
  if (step.train) {
    const t = step.train;
    return {
      label: `${tokens(t.tokens_per_s)} · MFU ${percent(t.mfu)} · ${percent(t.waiting_on_fabric)} on the fabric`,
      tooltip: `Training \`${t.transformer}\` in workload \`${workload}\`: ${tokens(t.tokens_per_s)} (${tokens(t.tokens_per_s_per_accelerator)} per accelerator), a step of ${time(step.time_s)}, MFU ${percent(t.mfu)}; ${percent(t.waiting_on_fabric)} of the step the accelerators wait on the fabric.${note}`,
    };
  }
  if (step.serve) {
    const s = step.serve;
    return {
      label: `${tokens(s.tokens_per_s)} · TTFT ${time(s.ttft_s)} · TPOT ${time(s.tpot_s)}`,
      tooltip: `Serving \`${s.transformer}\` in workload \`${workload}\`: ${tokens(s.tokens_per_s)} (${tokens(s.tokens_per_s_per_accelerator)} per accelerator), time to first token ${time(s.ttft_s)}, ${time(s.tpot_s)} per output token.${note}`,
    };
  }
  return undefined;
}

/**
 * The report gives each step its line, not its column: a line holding one statement takes all
 * of that line's steps (a loop runs it several times); a line holding several takes them in
 * order when there is one step each, and gets no hint otherwise.
 */
function timeHints(fabric: A.FabricDecl, report: SimulationReport, stale: boolean, source: SourceFile): Hint[] {
  const hints: Hint[] = [];
  for (const item of fabric.items) {
    if (item.type !== 'workload') continue;
    const result = report.workloads.find((w) => w.name === item.name.text);
    if (!result) continue;
    const stepsByLine = new Map<number, StepReport[]>();
    for (const step of result.steps) append(stepsByLine, step.line, step);
    const leavesByLine = new Map<number, Leaf[]>();
    for (const leaf of leavesOf(item.statements, [])) append(leavesByLine, source.position(leaf.span.start).line + 1, leaf);
    for (const [line, leaves] of leavesByLine) {
      const steps = stepsByLine.get(line) ?? [];
      const assigned = leaves.length === 1 ? [steps] : steps.length === leaves.length ? steps.map((step) => [step]) : [];
      assigned.forEach((runs, i) => {
        const leaf = leaves[i];
        const headline = runs[0] && headlineOf(runs[0], item.name.text, stale);
        if (headline) {
          if (!stale || runs[0].op === leaf.type) hints.push({ offset: leaf.span.end, ...headline });
          return;
        }
        // A compute step repeats the time written; a step with no algorithm failed (its diagnostic says why).
        const simulated = runs.filter((s) => s.op !== 'compute' && s.algorithm !== null);
        if (leaf.type === 'compute' || simulated.length === 0) return;
        if (stale && runs.some((s) => s.op !== opOf(leaf))) return;
        const figure = spread(simulated.map((s) => s.time_s), time);
        const failed = runs.length - simulated.length;
        const notes = [
          ...(failed > 0 ? [`${failed} more run${failed === 1 ? '' : 's'} could not be simulated; the diagnostics say why.`] : []),
          ...(stale ? ['*From the simulation of an earlier version of this file; updating…*'] : []),
        ];
        hints.push({
          offset: leaf.span.end,
          label: simulated.length > 1 ? `${simulated.length} × ${figure}` : figure,
          tooltip: [
            simulated.length > 1
              ? `A loop runs this line: each of its ${simulated.length} simulated runs takes ${figure}. The first: ${describe(simulated[0], item.name.text)}`
              : describe(simulated[0], item.name.text),
            ...notes,
          ].join('\n\n'),
        });
      });
    }
  }
  return hints;
}

/**
 * The hints between two offsets of the check's entry file, in order: every link's bandwidth, and
 * the statements' times when there is a report (`stale` when it is of an earlier version).
 */
export function inlayHints(check: CheckResult, report: SimulationReport | undefined, stale: boolean, from: number, to: number): Hint[] {
  const source = check.program.entry.source;
  const hints = [...bandwidthHints(check.fabric?.links ?? [])];
  const fabric = check.program.entry.tree.fabrics[0];
  if (fabric && report) hints.push(...timeHints(fabric, report, stale, source));
  return hints.filter((hint) => hint.offset >= from && hint.offset <= to).sort((a, b) => a.offset - b.offset);
}
