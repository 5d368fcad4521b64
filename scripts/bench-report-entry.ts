// In-process timing of each report stage for scripts/bench-report.mjs (bundled by it on the fly).
import { readFileSync } from 'node:fs';
import { buildReportData } from '../server/src/report/data.js';
import { renderReportPage } from '../server/src/report/html.js';
import { layoutTopology } from '../server/src/report/layout.js';
import { simulateSource } from '../server/src/sim/simulate.js';

async function main(file: string): Promise<void> {
  const started = performance.now();
  const { check, simulation } = simulateSource(file, readFileSync(file, 'utf8'), { read: () => undefined });
  const simulated = performance.now();
  const data = buildReportData(check, simulation);
  const built = performance.now();
  const layout = await layoutTopology(data);
  const laidOut = performance.now();
  // The first layout in a process also pays for elkjs's start-up; a language server pays it once.
  await layoutTopology(data);
  const laidOutAgain = performance.now();
  const html = renderReportPage([{ data, layout }]);
  const rendered = performance.now();
  const figures = {
    simulate_ms: simulated - started,
    data_ms: built - simulated,
    layout_ms: laidOut - built,
    layout_again_ms: laidOutAgain - laidOut,
    render_ms: rendered - laidOutAgain,
    nodes: layout.nodes.length,
    edges: layout.edges.length,
    html_bytes: html.length,
    json_bytes: JSON.stringify(data).length,
  };
  process.stdout.write(JSON.stringify(figures) + '\n');
}

void main(process.argv[2]);
