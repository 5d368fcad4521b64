/**
 * The simulation runs here, off the language server's main thread, so hover and completion never
 * wait behind it; so does the report's layout when a report view or an export asks for it. An
 * edit that makes a running simulation stale terminates this worker.
 */
import { parentPort } from 'node:worker_threads';
import { readRegularFile } from '../disk/read.js';
import type { Limits } from '../model/limits.js';
import type { FileAccess } from '../model/program.js';
import { toReport } from '../sim/json.js';
import type { SimulationReport } from '../sim/report.js';
import { simulateSource } from '../sim/simulate.js';
import type { Diagnostic } from '../syntax/source.js';
import { renderReport, type RenderJob, type RenderOutput } from './report-render.js';

export interface SimulationJob {
  id: number;
  path: string;
  text: string;
  /** Texts of open documents by path: they win over the disk. */
  overlays: Record<string, string>;
  limits: Partial<Limits>;
  /** The document's URI (for the report's source map), and what of the report to render, if anything. */
  uri: string;
  render?: RenderJob;
}

export type SimulationAnswer =
  | { id: number; report: SimulationReport; diagnostics: Diagnostic[]; rendered?: RenderOutput }
  | { id: number; error: string };

parentPort?.on('message', async (job: SimulationJob) => {
  const files: FileAccess = {
    read: (path, maxCharacters) => (path in job.overlays ? job.overlays[path] : readRegularFile(path, maxCharacters)),
  };
  let answer: SimulationAnswer;
  try {
    const { check, simulation } = simulateSource(job.path, job.text, files, { limits: job.limits });
    const rendered = job.render && (await renderReport(check, simulation, job.uri, job.render));
    answer = { id: job.id, report: toReport(check, simulation), diagnostics: check.diagnostics, ...(rendered ? { rendered } : {}) };
  } catch (error) {
    answer = { id: job.id, error: error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error) };
  }
  parentPort!.postMessage(answer);
});
