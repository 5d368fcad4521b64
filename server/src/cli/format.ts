/** Diagnostics as text (compiler style), JSON (§10) and SARIF 2.1.0 (code scanning). */
import { severityCounts, type SeverityCounts } from '../model/diagnostic-cap.js';
import { diagnosticToJson, locate, type SourceLookup } from '../model/locate.js';
import type { Diagnostic } from '../syntax/source.js';
import { SEVERITY_OF, type DiagnosticCode } from '../syntax/source.js';

export type { SourceLookup };

export interface CheckedFile {
  path: string;
  diagnostics: Diagnostic[];
  /** What the diagnostic limit left out, per file (the input's and its imports'). */
  omitted: Map<string, SeverityCounts>;
}

/** Every file's diagnostics in all, the omitted counted. */
export function totals(files: CheckedFile[]): SeverityCounts {
  return severityCounts(
    files.flatMap((f) => f.diagnostics),
    files.flatMap((f) => [...f.omitted.values()]),
  );
}

export function formatText(files: { path?: string; diagnostics: Diagnostic[] }[], sources: SourceLookup): string {
  const lines: string[] = [];
  for (const file of files) {
    for (const d of file.diagnostics) {
      const at = locate(d, sources);
      lines.push(`${d.file}:${at.line}:${at.column}: ${d.severity}[${d.code}]: ${d.message}`);
      for (const info of d.related) {
        const relatedAt = locate(info, sources);
        lines.push(`  ${info.file}:${relatedAt.line}:${relatedAt.column}: note: ${info.message}`);
      }
    }
  }
  return lines.join('\n');
}

export function summarize(files: CheckedFile[]): string {
  const { errors, warnings, hints } = totals(files);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const omitted = files.some((f) => f.omitted.size > 0) ? ' (not all shown: see `diagnostic-limit`)' : '';
  return `checked ${plural(files.length, 'file')}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${plural(hints, 'hint')}${omitted}`;
}

/** The omitted counts as JSON: an object by file path, present only when something was left out. */
function omittedJson(omitted: Map<string, SeverityCounts>): { omitted?: Record<string, SeverityCounts> } {
  return omitted.size > 0 ? { omitted: Object.fromEntries(omitted) } : {};
}

export function formatJson(files: CheckedFile[], sources: SourceLookup): string {
  return JSON.stringify(
    { files: files.map((file) => ({ path: file.path, diagnostics: file.diagnostics.map((d) => diagnosticToJson(d, sources)), ...omittedJson(file.omitted) })) },
    null,
    2,
  );
}

const RULE_DESCRIPTIONS: Record<DiagnosticCode, string> = {
  syntax: 'The parser could not read the text.',
  'unknown-name': 'An undeclared device, model, group, workload, constant, setting or attribute.',
  'duplicate-name': 'A name declared twice.',
  unit: 'A quantity of the wrong dimension or an unknown unit.',
  'value-range': 'A quantity outside the range its attribute allows, or a figure too large to compute.',
  'index-range': 'An index or range outside the array.',
  'model-kind': 'A model of another kind than the device.',
  'protocol-unsupported': 'A link protocol that an end does not speak.',
  'lane-width': 'A width the protocol or the port does not allow.',
  'link-endpoints': 'A link whose two ends are the same device.',
  'lane-budget': "A switch's links use more lanes than it has.",
  'port-budget': "An endpoint's links need more ports than it has.",
  capacity: "Allocations exceed a memory's capacity.",
  unreachable: 'A workload or expectation needs a route that does not exist.',
  'feature-unsupported': 'In-network compute or multicast where a switch lacks it.',
  'expectation-failed': 'An expectation does not hold.',
  'import-cycle': 'Files import each other.',
  'import-missing': 'An imported file cannot be read.',
  'import-kind': 'An import names something other than a .fabric file.',
  limit: 'The fabric exceeds a configured size limit.',
  oversubscription: 'A switch is statically oversubscribed beyond the limit.',
  'link-overload': 'A link slows a workload down.',
  reach: 'A link is longer than its reach.',
  'unused-device': 'A device with no links.',
  'duplicate-member': 'A device named twice in one selector list.',
  'inc-opportunity': 'In-network compute or another algorithm would be faster.',
  'ring-order': 'A ring would be faster with its ranks grouped by switch.',
  transformer: 'A transformer whose shape is incomplete or inconsistent.',
  parallelism: 'Parallel degrees that do not fit the ranks or the model.',
  'memory-capacity': 'A training stage or a serving replica does not fit in its memory.',
  'model-attribute': 'A figure a train or serve statement needs is missing.',
  placement: 'Another rank order would give a shorter training step.',
  'diagnostic-limit': 'A file has more diagnostics than are shown; they are counted.',
};

const SARIF_LEVEL = { error: 'error', warning: 'warning', hint: 'note' } as const;

export function formatSarif(files: CheckedFile[], sources: SourceLookup, version: string): string {
  const codes = Object.keys(RULE_DESCRIPTIONS) as DiagnosticCode[];
  const region = (d: { file: string; span: { start: number; end: number } }) => {
    const at = locate(d, sources);
    return { startLine: at.line, startColumn: at.column, endLine: at.endLine, endColumn: at.endColumn };
  };
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'fabric',
            version,
            rules: codes.map((code) => ({
              id: code,
              shortDescription: { text: RULE_DESCRIPTIONS[code] },
              defaultConfiguration: { level: SARIF_LEVEL[SEVERITY_OF[code]] },
            })),
          },
        },
        ...(files.some((f) => f.omitted.size > 0) ? { properties: { omittedDiagnostics: Object.fromEntries(files.flatMap((f) => [...f.omitted])) } } : {}),
        results: files.flatMap((file) =>
          file.diagnostics.map((d) => ({
            ruleId: d.code,
            ruleIndex: codes.indexOf(d.code),
            level: SARIF_LEVEL[d.severity],
            message: { text: d.message },
            locations: [{ physicalLocation: { artifactLocation: { uri: d.file }, region: region(d) } }],
            relatedLocations: d.related.map((info, id) => ({
              id,
              message: { text: info.message },
              physicalLocation: { artifactLocation: { uri: info.file }, region: region(info) },
            })),
          })),
        ),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2);
}
