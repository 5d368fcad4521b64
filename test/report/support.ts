/** Report data for the report tests: an example from disk, or a fabric written in the test. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { buildReportData, type ReportData } from '../../server/src/report/data.js';
import { simulateSource } from '../../server/src/sim/simulate.js';

const disk = {
  read(path: string): string | undefined {
    try {
      return statSync(path).isFile() ? readFileSync(path, 'utf8') : undefined;
    } catch {
      return undefined;
    }
  },
};

export function reportOfFile(path: string): ReportData {
  const { check, simulation } = simulateSource(path, readFileSync(path, 'utf8'), disk);
  return buildReportData(check, simulation);
}

export function reportOfText(text: string, path = '/t/main.fabric'): ReportData {
  const { check, simulation } = simulateSource(path, text, { read: () => undefined });
  return buildReportData(check, simulation);
}

/** Every example fabric, by name (`ualink_pod`). */
export const EXAMPLES = readdirSync('examples').filter((name) => name.endsWith('.fabric')).map((name) => name.replace(/\.fabric$/, ''));
