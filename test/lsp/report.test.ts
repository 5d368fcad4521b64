/** The report view's requests over real LSP messages: fabric/report, fabric/reportClosed, fabric/exportReport. */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { ExportReportRequest, ReportClosedNotification, ReportRequest } from '../../shared/protocol.js';
import { LspClient } from '../support/lsp.js';

const POD = `fabric pod {
  gpu acc[8] : gpu_ualink
  switch sx[2] : scorpio_x
  memory pool : cxl_expander
  for i in 0..7 { link acc[i] <-> sx[i % 2] : ualink x4 * 2 }
  link sx[0] <-> pool : cxl x16
  link sx[0] <-> sx[1] : ualink x4 * 8
  workload step {
    allreduce 256 MiB over acc[*]
  }
  expect time step < 1 s
}
`;

/** Sixty-four accelerators: drawn as groups of like-wired devices until one is expanded. */
const LARGE = POD.replace('gpu acc[8]', 'gpu acc[64]').replace('for i in 0..7', 'for i in 0..63');

describe('report view requests', () => {
  const client = new LspClient();
  const dir = mkdtempSync(join(tmpdir(), 'fabric-report-'));
  const uri = (name: string) => pathToFileURL(join(dir, name)).href;
  const report = (doc: string, expandedGroups: string[] = []) => client.connection.sendRequest(ReportRequest, { uri: doc, expandedGroups });

  before(async () => {
    await client.initialize({ fabric: { diagnostics: { debounceMs: 10 } } });
  });

  after(async () => {
    assert.equal(await client.stop(), 0, client.stderr);
  });

  it('renders the current text: sections with the drawing, and where each element is declared', async () => {
    const doc = uri('pod.fabric');
    await client.open(doc, POD);
    const answer = await report(doc);
    assert.ok(answer?.report);
    assert.equal(answer.version, 1);
    assert.equal(answer.fabric, 'pod');
    assert.deepEqual(answer.errors, []);
    assert.equal(answer.report.version, 1);
    assert.match(answer.report.sections, /<svg class="topology"/);
    assert.match(answer.report.sections, /data-id="acc\[3\]"/);
    assert.deepEqual(answer.report.sources['acc[3]'], { uri: doc, range: { start: { line: 1, character: 2 }, end: { line: 1, character: 25 } } });
    // A workload step is keyed by its data-source (file:line:column) and spans its statement.
    const step = Object.entries(answer.report.sources).find(([, source]) => source.range.start.line === 8);
    assert.ok(step, 'the allreduce has a source');
    assert.match(answer.report.sections, new RegExp(`data-source="${step[0].replace(/[[\]]/g, '\\$&')}"`));
    assert.equal(step[1].range.start.character, 4);
  });

  it('keeps the last report without errors while the text has some, and says what they are', async () => {
    const doc = uri('errors.fabric');
    await client.open(doc, POD);
    const good = await report(doc);
    await client.change(doc, POD.replace('switch sx[2] : scorpio_x', 'switch sx[2] : scorpio_y'), 2);
    const broken = await report(doc);
    assert.ok(broken?.report);
    assert.equal(broken.version, 2);
    assert.equal(broken.report.version, 1, 'the report of version 1');
    assert.equal(broken.report.sections, good!.report!.sections);
    assert.equal(broken.errors.length, 1);
    assert.equal(broken.errors[0].line, 3);
    assert.match(broken.errors[0].message, /scorpio_y/);
    await client.change(doc, POD.replace('allreduce 256 MiB', 'allreduce 512 MiB'), 3);
    const fixed = await report(doc);
    assert.equal(fixed?.report?.version, 3);
    assert.deepEqual(fixed?.errors, []);
    assert.match(fixed!.report!.sections, /allreduce 512 MiB over acc\[\*\]/);
    assert.doesNotMatch(good!.report!.sections, /allreduce 512 MiB/);
  });

  it('draws a file that never checked cleanly as it is, with its errors', async () => {
    const doc = uri('never-clean.fabric');
    await client.open(doc, POD.replace('cxl_expander', 'cxl_expandr'));
    const answer = await report(doc);
    assert.equal(answer?.report?.version, 1);
    assert.equal(answer?.errors.length, 1);
  });

  it('expands a group into its members and collapses it back', async () => {
    const doc = uri('large.fabric');
    await client.open(doc, LARGE);
    const collapsed = await report(doc);
    const groups = [...collapsed!.report!.sections.matchAll(/data-group="([^"]+)"/g)].map((m) => m[1]);
    assert.ok(groups.length > 0, 'groups drawn');
    assert.doesNotMatch(collapsed!.report!.sections, /data-id="acc\[0\]"/);
    const expanded = await report(doc, [groups[0]]);
    assert.deepEqual(expanded?.report?.expandedGroups, [groups[0]]);
    assert.match(expanded!.report!.sections, /data-id="acc\[0\]"/);
    assert.ok(expanded!.report!.sources['acc[0]']);
    const again = await report(doc);
    assert.equal(again?.report?.sections, collapsed?.report?.sections);
  });

  it('leaves a group too large to draw device by device collapsed', async () => {
    const doc = uri('huge-group.fabric');
    await client.open(doc, POD.replace('gpu acc[8]', 'gpu acc[256]').replace('for i in 0..7', 'for i in 0..255'));
    const collapsed = await report(doc);
    const groups = [...collapsed!.report!.sections.matchAll(/data-group="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(groups, ['acc[*]']);
    const refused = await report(doc, [...groups, 'gone[*]']);
    assert.deepEqual(refused?.report?.expandedGroups, []);
    assert.deepEqual(refused?.report?.tooLargeGroups, ['acc[*]'], 'a group the text lacks is dropped without a word');
    assert.equal(refused?.report?.sections, collapsed?.report?.sections);
  });

  it('answers for a file without a fabric, and for a closed view', async () => {
    const doc = uri('models-only.fabric');
    await client.open(doc, 'model m : switch { lanes: 16 }\n');
    const answer = await report(doc);
    assert.deepEqual(answer, { uri: doc, version: 1, fabric: null, errors: [], report: null });
    await client.connection.sendNotification(ReportClosedNotification, { uri: doc });
    assert.equal(await report(uri('not-open.fabric')), null);
  });

  it('exports a self-contained HTML page and a styled SVG drawing, and refuses while there are errors', async () => {
    const doc = uri('export.fabric');
    await client.open(doc, POD);
    const html = await client.connection.sendRequest(ExportReportRequest, { uri: doc, format: 'html', expandedGroups: [] });
    assert.ok('text' in html, JSON.stringify(html));
    assert.match(html.text, /^<!DOCTYPE html>/);
    assert.match(html.text, /Content-Security-Policy/);
    assert.match(html.text, /data-id="acc\[0\]"/);
    const svg = await client.connection.sendRequest(ExportReportRequest, { uri: doc, format: 'svg', expandedGroups: [] });
    assert.ok('text' in svg, JSON.stringify(svg));
    assert.match(svg.text, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<svg class="topology standalone" [^>]*><style><!\[CDATA\[/);
    await client.change(doc, POD.replace('gpu_ualink', 'gpu_ualnk'), 2);
    const refused = await client.connection.sendRequest(ExportReportRequest, { uri: doc, format: 'html', expandedGroups: [] });
    assert.ok('error' in refused);
    assert.match(refused.error, /export\.fabric has 2 errors \(line 2: unknown gpu model `gpu_ualnk`; did you mean `gpu_ualink`\?\); fix them and export again\.$/);
  });
});
