// Drives the real language server (`fabric lsp --stdio`) and measures what a user feels:
// time from the end of the debounce to published static diagnostics and to simulated ones
// after an edit, and hover latency, on generated two-tier fabrics of 1,024 and 16,384
// accelerators (with a 16,384-rank simulation running for the hover case).
// The debounce is set to 0 ms so the clock starts when the edit arrives. Figures go to
// docs/performance.md. Usage: node scripts/bench-lsp.mjs
import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import lsp from 'vscode-languageserver-protocol/node';
import { generateFabric, generateTwoTier } from './generate-fabric.mjs';

const { createProtocolConnection, StreamMessageReader, StreamMessageWriter } = lsp;

function startServer() {
  const child = spawn(process.execPath, ['bin/fabric.js', 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const waiting = [];
  connection.onNotification('textDocument/publishDiagnostics', (params) => {
    const now = performance.now();
    for (const w of waiting.splice(0)) w({ now, params });
  });
  connection.listen();
  const nextPublication = () => new Promise((resolve) => waiting.push(resolve));
  return { child, connection, nextPublication };
}

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const summary = (values) => `p50 ${percentile(values, 50).toFixed(1)} ms, p95 ${percentile(values, 95).toFixed(1)} ms, max ${Math.max(...values).toFixed(1)} ms (n = ${values.length})`;

/** Static diagnostics on the flat 1.4 MB file (one line per device and link, no loops). */
async function measureFlat(accelerators, edits) {
  const { child, connection, nextPublication } = startServer();
  await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {}, initializationOptions: { settings: { fabric: { diagnostics: { debounceMs: 0 } } } } });
  await connection.sendNotification('initialized', {});
  const uri = pathToFileURL(`${process.cwd()}/.bench/lsp-flat-${accelerators}.fabric`).href;
  const base = generateFabric(accelerators);
  const opened = nextPublication();
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'fabric', version: 1, text: base } });
  await opened;
  const times = [];
  for (let i = 0; i < edits; i++) {
    const first = nextPublication();
    const sent = performance.now();
    await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: i + 2 }, contentChanges: [{ text: base.replace('(generated)', `(generated, edit ${i})`) }] });
    times.push((await first).now - sent);
  }
  await connection.sendRequest('shutdown');
  await connection.sendNotification('exit');
  child.kill();
  console.log(`${accelerators} accelerators, flat file (${(base.length / 1e6).toFixed(2)} MB)`);
  console.log(`  static diagnostics after an edit:    ${summary(times)}`);
}

async function measure(accelerators, edits, hovers) {
  const { child, connection, nextPublication } = startServer();
  await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {}, initializationOptions: { settings: { fabric: { diagnostics: { debounceMs: 0 } } } } });
  await connection.sendNotification('initialized', {});
  const uri = pathToFileURL(`${process.cwd()}/.bench/lsp-${accelerators}.fabric`).href;
  const base = generateTwoTier(accelerators, 'auto');
  let version = 1;
  const opened = nextPublication();
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'fabric', version, text: base } });
  await opened;
  await nextPublication();
  const staticTimes = [];
  const simulatedTimes = [];
  for (let i = 0; i < edits; i++) {
    version++;
    const text = base.replace('allreduce 1 GiB', `allreduce ${i + 2} GiB`);
    const first = nextPublication();
    const sent = performance.now();
    await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    const published = await first;
    staticTimes.push(published.now - sent);
    const simulated = await nextPublication();
    simulatedTimes.push(simulated.now - sent);
  }
  const hoverTimes = [];
  const position = { line: 5, character: 7 };
  for (let i = 0; i < hovers; i++) {
    const started = performance.now();
    await connection.sendRequest('textDocument/hover', { textDocument: { uri }, position });
    hoverTimes.push(performance.now() - started);
  }
  // Hover while a simulation runs: edit, wait for the static publication, then hover at once.
  const duringSimulation = [];
  for (let i = 0; i < hovers; i++) {
    version++;
    const first = nextPublication();
    await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text: base.replace('allreduce 1 GiB', `allreduce ${i + 100} GiB`) }] });
    await first;
    const second = nextPublication();
    const started = performance.now();
    await connection.sendRequest('textDocument/hover', { textDocument: { uri }, position });
    duringSimulation.push(performance.now() - started);
    await second;
  }
  await connection.sendRequest('shutdown');
  await connection.sendNotification('exit');
  child.kill();
  console.log(`${accelerators} accelerators`);
  console.log(`  static diagnostics after an edit:    ${summary(staticTimes)}`);
  console.log(`  simulated diagnostics after an edit: ${summary(simulatedTimes)}`);
  console.log(`  hover (idle):                         ${summary(hoverTimes)}`);
  console.log(`  hover while a simulation runs:        ${summary(duringSimulation)}`);
}

await import('node:fs').then((fs) => fs.mkdirSync('.bench', { recursive: true }));
await measure(1024, 40, 60);
await measure(16384, 5, 20);
await measureFlat(16384, 10);
