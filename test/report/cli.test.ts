/** `fabric report` as users run it: the files it writes, its formats, its errors and exit codes. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ReportData } from '../../server/src/report/data.js';

function fabric(...args: string[]) {
  const result = spawnSync(process.execPath, ['bin/fabric.js', ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'fabric-report-cli-'));

describe('fabric report', () => {
  it('writes one self-contained HTML page: no script, no external reference, a hash-based CSP', () => {
    const out = join(dir, 'pod.html');
    const result = fabric('report', 'examples/ualink_pod.fabric', '--out', out);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, `fabric: wrote ${out}\n`);
    const html = readFileSync(out, 'utf8');
    assert.match(html, /^<!DOCTYPE html>/);
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;sha256-[A-Za-z0-9+/]+=&#39;/);
    assert.doesNotMatch(html, /<script|<link|<img|src=|href=|@import|url\(/i);
    assert.match(html, /<svg class="topology"/);
  });

  it('compares two files on one page', () => {
    const out = join(dir, 'compare.html');
    const result = fabric('report', 'examples/legacy_pcie5.fabric', 'examples/scorpio_consolidated.fabric', '--out', out);
    assert.equal(result.code, 0, result.stderr);
    const html = readFileSync(out, 'utf8');
    assert.match(html, /data-section="comparison"/);
    assert.equal(html.match(/<svg class="topology"/g)?.length, 2);
  });

  it('takes the format from the extension: the topology alone as SVG, the report data as JSON', () => {
    const svg = join(dir, 'pod.svg');
    assert.equal(fabric('report', 'examples/ualink_pod.fabric', '--out', svg, '--theme', 'dark').code, 0);
    const drawing = readFileSync(svg, 'utf8');
    assert.match(drawing, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg class="topology standalone" data-theme="dark"/);
    assert.match(drawing, /<style><!\[CDATA\[/);
    const json = join(dir, 'pod.json');
    assert.equal(fabric('report', 'examples/ualink_pod.fabric', '--out', json).code, 0);
    const data = JSON.parse(readFileSync(json, 'utf8')) as ReportData;
    assert.equal(data.fabric?.name, 'ualink_pod');
    assert.equal(data.topology.groups.length, 8);
    assert.equal(data.workloads.length, 3);
  });

  it('prints to stdout without --out; two files as JSON give an array', () => {
    const result = fabric('report', 'examples/legacy_pcie5.fabric', 'examples/scorpio_consolidated.fabric', '--format', 'json');
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual((JSON.parse(result.stdout) as ReportData[]).map((d) => d.fabric?.name), ['legacy_pcie5', 'scorpio_consolidated']);
  });

  it('exits 1 when the input has errors, and still writes the report', () => {
    const out = join(dir, 'broken.html');
    const result = fabric('report', 'examples/broken/lane-budget.fabric', '--out', out);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /the input has 1 error; run `fabric check` to see them/);
    assert.match(readFileSync(out, 'utf8'), /class="chip errors">1 error</);
  });

  for (const [args, message] of [
    [['report'], 'fabric: fabric report needs one FILE, or two to compare\n'],
    [['report', 'a.fabric', 'b.fabric', 'c.fabric'], 'fabric: fabric report needs one FILE, or two to compare, not 3 arguments\n'],
    [['report', 'examples/ualink_pod.fabric', '--out', 'x.txt'], 'fabric: cannot tell the format from x.txt; end it in .html, .svg or .json, or pass --format\n'],
    [['report', 'examples/ualink_pod.fabric', '--format', 'pdf'], 'fabric: unknown format `pdf`; use html, svg or json\n'],
    [['report', 'examples/ualink_pod.fabric', '--theme', 'pink'], 'fabric: unknown theme `pink`; use auto, light or dark\n'],
    [['report', 'examples/legacy_pcie5.fabric', 'examples/scorpio_consolidated.fabric', '--out', 'x.svg'], 'fabric: an SVG holds one topology; pass one FILE, or use --format html to compare two\n'],
    [['report', 'examples/ualink_pod.fabric', '--out', '/no/such/dir/x.html'], 'fabric: cannot write /no/such/dir/x.html: no such file\n'],
    [['report', 'missing.fabric'], 'fabric: cannot read missing.fabric: no such file\n'],
    [['check', 'examples/ualink_pod.fabric', '--out', 'x.html'], 'fabric: unknown option `--out` for fabric check; run `fabric --help`\n'],
  ] as const) {
    it(`says what is wrong in one line and exits 2: ${args.slice(1).join(' ') || '(no file)'}`, () => {
      const result = fabric(...args);
      assert.equal(result.code, 2);
      assert.equal(result.stderr, message);
      assert.equal(result.stdout, '');
    });
  }

  it('is in the usage text', () => {
    assert.match(fabric('--help').stdout, /fabric report FILE \[FILE2\]\s+\[--out PATH\] \[--format html\|svg\|json\] \[--theme auto\|light\|dark\] \[LIMITS\]/);
  });
});
