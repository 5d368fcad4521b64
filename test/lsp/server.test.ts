/** The language server over real LSP messages: diagnostics, hover, custom requests, imports. */
import assert from 'node:assert/strict';
import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { DidChangeWatchedFilesNotification, FileChangeType } from 'vscode-languageserver-protocol';
import { SimulateRequest, TopologyRequest } from '../../shared/protocol.js';
import { codesOf, cursor, LspClient, RUNAWAY_SIMULATION } from '../support/lsp.js';

const POD = `/// A small pod.
fabric pod {
  settings { step_overhead: 1 us  oversubscription_limit: 2 }
  gpu acc[8] : gpu_ualink
  switch sx[2] : scorpio_x
  memory pool : cxl_expander
  for i in 0..7 { link acc[i] <-> sx[i % 2] : ualink x4 * 2 { length: 1.5 m } }
  link sx[0] <-> pool : cxl x16
  link sx[0] <-> sx[1] : ualink x4 * 8
  workload step {
    allreduce 256 MiB over acc[*]
    read 4 KiB from pool by acc[0..3]
  }
  expect latency acc[0] -> pool < 100 ns
}
`;

describe('language server', () => {
  const client = new LspClient();
  const dir = mkdtempSync(join(tmpdir(), 'fabric-lsp-'));
  const uri = (name: string) => pathToFileURL(join(dir, name)).href;

  before(async () => {
    const result = await client.initialize({ fabric: { diagnostics: { debounceMs: 10 } } });
    assert.equal(result.capabilities.hoverProvider, true);
  });

  after(async () => {
    assert.equal(await client.stop(), 0, client.stderr);
  });

  it('publishes static diagnostics at once and simulated ones right after', async () => {
    const doc = uri('pod.fabric');
    await client.open(doc, POD);
    const first = await client.waitForDiagnostics(doc, () => true);
    assert.deepEqual(codesOf(first), [], 'the static check finds nothing');
    const simulated = await client.waitForDiagnostics(doc, (d) => codesOf(d).includes('expectation-failed'));
    const failed = simulated.find((d) => d.code === 'expectation-failed')!;
    assert.equal(failed.range.start.line, 13);
    assert.match(String(failed.message), /^latency is [\d.]+ ns \(acc\[\d\] -> pool\), but the expectation is < 100 ns$/);
  });

  it('re-checks on change and clears fixed diagnostics', async () => {
    const doc = uri('edit.fabric');
    await client.open(doc, 'fabric f {\n  gpu g : gpu_ualnk\n}\n');
    const broken = await client.waitForDiagnostics(doc, (d) => codesOf(d).includes('unknown-name'));
    assert.match(String(broken.find((d) => d.code === "unknown-name")!.message), /did you mean `gpu_ualink`\?/);
    const seen = client.published(doc).length;
    await client.change(doc, 'fabric f {\n  gpu g : gpu_ualink\n}\n', 2);
    const fixed = await client.waitForDiagnostics(doc, (d) => !codesOf(d).includes('unknown-name'), seen);
    assert.deepEqual(codesOf(fixed), ['unused-device']);
  });

  it('hovers a device with its ports, memory latency (one-way and load-to-use) and peers, marking estimates', async () => {
    const { text, position } = cursor(POD.replace('gpu acc[8]', 'gpu a<|>cc[8]'));
    const doc = uri('hover-device.fabric');
    await client.open(doc, text);
    const hover = await client.hover(doc, position);
    assert.match(hover, /\*\*acc\[0\]\*\* — gpu, model `gpu_ualink` \(one of 8\)/);
    assert.match(hover, /Ports used: ualink 8 of 16 lanes \(4 × x4\)/);
    // acc[0] -> sx[0]: 10 ns PHY + 1.5 m × 5 ns/m = 17.5 ns; Scorpio X 120 ns; sx[0] -> pool 12.5 ns.
    assert.match(hover, /\| pool \| 150 ns \| 470 ns \|/, 'one-way 150 ns; load-to-use 2 × 150 + 170 ns access');
    // acc[2] shares sx[0]: 17.5 + 120 + 17.5; acc[1] is behind sx[1]: 17.5 + 120 + 12.5 + 120 + 17.5.
    assert.match(hover, /Nearest accelerator: acc\[2\], 155 ns, 186 GB\/s · farthest: acc\[1\], 287\.5 ns, 186 GB\/s/);
    assert.match(hover, /Rests on estimates:.*scorpio_x latency 120 ns/);
  });

  it('hovers a link with bandwidth, latency breakdown, reach and peak utilization', async () => {
    const doc = uri('hover-link.fabric');
    const { text, position } = cursor(POD.replace('link sx[0] <-> sx[1]', 'link sx[0] <-<|>> sx[1]'));
    await client.open(doc, text);
    await client.waitForDiagnostics(doc, (d) => codesOf(d).includes('expectation-failed'));
    const hover = await client.hover(doc, position);
    assert.match(hover, /\*\*sx\[0\] <-> sx\[1\]\*\* — ualink x4 × 8/);
    assert.match(hover, /Bandwidth: 744 GB\/s per direction = 32 lanes × 25 GB\/s × 0\.93/);
    assert.match(hover, /Latency: 12\.5 ns = PHY 10 ns \(estimate\) \+ wire 50 cm × 5 ns\/m = 2\.5 ns \+ 0 retimers × 10 ns \(estimate\) = 0 s/);
    assert.match(hover, /Reach: 50 cm of 2 m \(2 m passive, an estimate\)/);
    assert.match(hover, /Peak utilization: [\d.]+ % → \/ [\d.]+ % ← in workload `step` \(line 11\)/);
  });

  it('hovers a workload statement with time, algorithm, bandwidths, bottleneck and alternatives', async () => {
    const doc = uri('hover-step.fabric');
    const { text, position } = cursor(POD.replace('allreduce 256 MiB', 'all<|>reduce 256 MiB'));
    await client.open(doc, text);
    await client.waitForDiagnostics(doc, (d) => codesOf(d).includes('expectation-failed'));
    const hover = await client.hover(doc, position);
    assert.match(hover, /\*\*allreduce\*\* — (ring|tree|inc) in workload `step`/);
    assert.match(hover, /Time: [\d.]+ (µs|ms) \(latency [\d.]+ µs \+ transfer [\d.]+ (µs|ms)\)/);
    assert.match(hover, /algbw [\d.]+ GB\/s · busbw [\d.]+ GB\/s/);
    assert.match(hover, /Bottleneck: \S+ -> \S+/);
    assert.match(hover, /Alone on the idle fabric: ring [\d.]+ (µs|ms) · tree [\d.]+ (µs|ms) · (\*\*)?inc/);
  });

  it('hovers a quantity with its normalised value, and a model with its doc and attributes', async () => {
    const doc = uri('hover-misc.fabric');
    const marked = POD.replace('allreduce 256 MiB', 'allreduce 2<|>56 MiB');
    const { text, position } = cursor(marked);
    await client.open(doc, text);
    assert.match(await client.hover(doc, position), /\*\*256 MiB\*\* = 268,435,456 B \(size; 256 MiB\)/);
    const model = cursor(POD.replace(': scorpio_x', ': scorpio<|>_x')).position;
    const modelHover = await client.hover(doc, model);
    assert.match(modelHover, /\*\*model scorpio_x\*\* — switch \(built in\)/);
    assert.match(modelHover, /Astera Labs Scorpio X-Series smart fabric switch/);
    assert.match(modelHover, /\| latency \| 120 ns \| estimate — no published figure/);
    assert.match(modelHover, /\| lanes \| 320 \| scorpio_x \|/);
  });

  it('answers fabric/simulate with the §10 report and fabric/topology with ranges and utilization', async () => {
    const doc = uri('pod.fabric');
    const report = await client.connection.sendRequest(SimulateRequest, { uri: doc });
    assert.ok(report);
    assert.equal(report.fabric, 'pod');
    assert.equal(report.workloads[0].steps.length, 2);
    assert.ok(report.assumptions.some((a) => /scorpio_x latency 120 ns/.test(a)));
    const topology = await client.connection.sendRequest(TopologyRequest, { uri: doc });
    assert.ok(topology);
    assert.equal(topology.devices.length, 11);
    const sx = topology.devices.find((d) => d.name === 'sx[0]')!;
    assert.deepEqual(sx.range, { start: { line: 4, character: 2 }, end: { line: 4, character: 26 } }, '`switch sx[2] : scorpio_x`');
    assert.equal(sx.lanesUsed, 4 * 8 + 16 + 32);
    const trunk = topology.links.find((l) => l.name === 'sx[0] <-> sx[1]')!;
    assert.equal(trunk.range.start.line, 8);
    assert.ok(trunk.utilization && trunk.utilization.forward > 0);
    assert.equal(topology.simulatedVersion, 1);
  });

  it('re-checks a document when a file it imports changes in the editor', async () => {
    const lib = join(dir, 'lib.fabric');
    writeFileSync(lib, 'model fast_gpu : gpu_ualink { memory: 1 TiB }\n');
    const main = uri('main.fabric');
    await client.open(main, 'import "lib.fabric"\nfabric f {\n  gpu g : fast_gpu\n  switch s\n  link g <-> s : ualink x4\n}\n');
    await client.waitForDiagnostics(main, (d) => d.length === 0);
    const seen = client.published(main).length;
    const libUri = pathToFileURL(lib).href;
    await client.open(libUri, 'model fast_gpu : gpu_ualink { memory: 1 TiB }\n');
    await client.change(libUri, 'model fast_gpus : gpu_ualink { memory: 1 TiB }\n', 2);
    const after = await client.waitForDiagnostics(main, (d) => codesOf(d).includes('unknown-name'), seen);
    assert.match(String(after.find((d) => d.code === "unknown-name")!.message), /unknown gpu model `fast_gpu`; did you mean `fast_gpus`\?/);
  });

  it('re-checks a document when a file it imports changes on disk', async () => {
    const lib = join(dir, 'disk-lib.fabric');
    writeFileSync(lib, 'model disk_gpu : gpu_ualink\n');
    const main = uri('uses-disk.fabric');
    await client.open(main, 'import "disk-lib.fabric"\nfabric f {\n  gpu g : disk_gpu\n  switch s\n  link g <-> s : ualink x4\n}\n');
    await client.waitForDiagnostics(main, (d) => d.length === 0);
    const seen = client.published(main).length;
    // Written aside and renamed, as editors save, so the server never reads half a file.
    writeFileSync(`${lib}.tmp`, 'model disk_gpu : gpu_ualink { ports: [pcie6 x16] }\n');
    renameSync(`${lib}.tmp`, lib);
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pathToFileURL(lib).href, type: FileChangeType.Changed }] });
    const after = await client.waitForDiagnostics(main, (d) => codesOf(d).includes('protocol-unsupported'), seen);
    assert.match(String(after[0].message), /g \(disk_gpu\) has no ualink port/);
  });

  it('publishes diagnostics about an imported file under that file', async () => {
    const lib = join(dir, 'broken-lib.fabric');
    writeFileSync(lib, 'model bad : gpu { ports: [pcie6 x3] }\n');
    const main = uri('uses-broken.fabric');
    await client.open(main, 'import "broken-lib.fabric"\nfabric f { }\n');
    const libDiagnostics = await client.waitForDiagnostics(pathToFileURL(lib).href, (d) => codesOf(d).includes('lane-width'));
    assert.equal(libDiagnostics[0].range.start.character, 32, 'the `x3` of `ports: [pcie6 x3]`');
  });

  it('keeps answering hover while a large simulation runs, and the edit cancels it', async () => {
    const doc = uri('big.fabric');
    await client.open(doc, RUNAWAY_SIMULATION);
    await client.waitForDiagnostics(doc, () => true);
    const started = Date.now();
    const hover = await client.hover(doc, { line: 1, character: 7 });
    assert.match(hover, /\*\*acc\[0\]\*\*/);
    // The hover does not wait for the all-to-all.
    assert.ok(Date.now() - started < 5_000, `hover took ${Date.now() - started} ms`);
    const seen = client.published(doc).length;
    await client.change(doc, 'fabric big { gpu g }\n', 2);
    // The all-to-all alone takes more than 20 s; the new text's static and simulated diagnostics
    // arrive within 4 s only if the edit stopped it.
    await client.waitForDiagnostics(doc, (d) => codesOf(d).includes('unused-device'), seen, 4_000);
    const latest = await client.waitForDiagnostics(doc, (d) => codesOf(d).includes('unused-device'), seen + 1, 4_000);
    assert.deepEqual(codesOf(latest), ['unused-device']);
  });
});

describe('fabric lsp', () => {
  it('refuses to start without a transport', async () => {
    const { spawnSync } = await import('node:child_process');
    const result = spawnSync(process.execPath, ['bin/fabric.js', 'lsp'], { encoding: 'utf8' });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /^fabric: fabric lsp needs a transport: --stdio/);
  });
});
