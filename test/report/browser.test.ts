/// <reference lib="dom" />
/**
 * The report page in a real browser (Debian chromium through playwright-core): every example in
 * light and dark, the side-by-side page, and a hostile file. Sections and drawn elements are all
 * there, edge colours follow utilization, nothing is fetched, nothing logs an error, no script
 * runs, printing turns the page light.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../scripts/chromium.mjs';
import { buildTopologyView, utilizationBand } from '../../server/src/report/view.js';
import { EXAMPLES, reportOfFile } from './support.js';

const pagesDir = resolve('out/test/report-pages');
const SECTIONS = ['summary', 'topology', 'workloads', 'expectations', 'latency', 'lanes', 'bom', 'assumptions'];

function report(files: string[], out: string): void {
  const result = spawnSync(process.execPath, ['bin/fabric.js', 'report', ...files, '--out', out], { encoding: 'utf8' });
  assert.ok(result.status === 0 || result.status === 1, `fabric report failed (${result.status}): ${result.stderr}`);
}

/** `#d7372f` → `rgb(215, 55, 47)`, as getComputedStyle writes colours. */
function rgb(hex: string): string {
  const n = Number.parseInt(hex.trim().slice(1), 16);
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`;
}

interface Visit {
  page: Page;
  errors: string[];
  requests: string[];
  dialogs: string[];
}

let browser: Browser;

async function visit(file: string, colorScheme: 'light' | 'dark'): Promise<Visit> {
  const page = await browser.newPage({ colorScheme });
  const url = pathToFileURL(file).href;
  const visit: Visit = { page, errors: [], requests: [], dialogs: [] };
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') visit.errors.push(message.text());
  });
  page.on('pageerror', (error) => visit.errors.push(error.message));
  page.on('dialog', (dialog) => {
    visit.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.route('**/*', (route) => {
    if (route.request().url() === url) return route.continue();
    visit.requests.push(route.request().url());
    return route.abort();
  });
  await page.goto(url);
  return visit;
}

before(async () => {
  mkdirSync(pagesDir, { recursive: true });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
});

describe('the report page in chromium', () => {
  for (const name of EXAMPLES) {
    for (const theme of ['light', 'dark'] as const) {
      it(`${name}, ${theme}: every section, the drawn topology, colours by utilization, no error, no request`, async () => {
        const file = join(pagesDir, `${name}.html`);
        report([`examples/${name}.fabric`], file);
        const view = buildTopologyView(reportOfFile(`examples/${name}.fabric`));
        const { page, errors, requests } = await visit(file, theme);
        try {
          const sections = await page.locator('[data-section]').evaluateAll((els) => els.map((e) => e.getAttribute('data-section')));
          assert.deepEqual(sections, SECTIONS);
          assert.equal(await page.locator('svg.topology g.node').count(), view.nodes.length);
          assert.equal(await page.locator('svg.topology g.edge').count(), view.edges.length);
          assert.equal(await page.locator('svg.topology g.group[data-group]').count(), view.nodes.filter((n) => n.group !== null).length);
          assert.equal(await page.locator('script').count(), 0);

          const tokens = await page.evaluate(() => {
            const style = getComputedStyle(document.documentElement);
            const token = (name: string) => style.getPropertyValue(`--fabric-${name}`);
            return { bg: token('bg'), full: token('util-full'), bodyBackground: getComputedStyle(document.body).backgroundColor, bands: Object.fromEntries(['idle', 'low', 'medium', 'high', 'full'].map((b) => [b, token(`util-${b}`)])) };
          });
          assert.equal(tokens.bodyBackground, rgb(tokens.bg), 'the stylesheet applies (its CSP hash matches)');
          assert.equal(tokens.bg.trim(), theme === 'light' ? '#f4f6f9' : '#0e1116');

          const edges = await page.locator('svg.topology g.edge').evaluateAll((els) =>
            els.map((e) => ({ id: e.getAttribute('data-id'), cls: e.getAttribute('class'), utilization: e.getAttribute('data-utilization'), stroke: getComputedStyle(e.querySelector('.wire')!).stroke })),
          );
          for (const edge of edges) {
            const band = utilizationBand(Number(edge.utilization));
            assert.match(edge.cls!, new RegExp(`\\butil-${band}\\b`), `edge ${edge.id} at ${edge.utilization}`);
            assert.equal(edge.stroke, rgb(tokens.bands[band]), `edge ${edge.id} colour`);
            assert.equal(band, view.edges.find((e) => e.id === edge.id)!.band);
          }
          assert.deepEqual(errors, []);
          assert.deepEqual(requests, []);
        } finally {
          await page.close();
        }
      });
    }
  }

  it('compares two fabrics side by side: the comparison, then both reports', async () => {
    const file = join(pagesDir, 'compare.html');
    report(['examples/legacy_pcie5.fabric', 'examples/scorpio_consolidated.fabric'], file);
    const { page, errors, requests } = await visit(file, 'light');
    try {
      assert.equal(await page.locator('[data-section=comparison]').count(), 1);
      assert.deepEqual(await page.locator('.compare-columns > .report').evaluateAll((els) => els.map((e) => e.getAttribute('data-fabric'))), ['legacy_pcie5', 'scorpio_consolidated']);
      const switches = await page.locator('[data-section=comparison] tr', { hasText: /^switches/ }).locator('td').allTextContents();
      assert.deepEqual(switches.slice(0, 3), ['switches', '5', '1']);
      const columns = await page.locator('.compare-columns > .report').evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top)));
      assert.equal(columns[0], columns[1], 'the two reports sit side by side');
      assert.deepEqual(errors, []);
      assert.deepEqual(requests, []);
    } finally {
      await page.close();
    }
  });

  it('draws the standalone SVG with its own stylesheet, in the theme asked for', async () => {
    const file = join(pagesDir, 'heterogeneous.svg');
    const result = spawnSync(process.execPath, ['bin/fabric.js', 'report', 'examples/heterogeneous.fabric', '--out', file, '--theme', 'dark'], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    const { page, errors, requests } = await visit(file, 'light');
    try {
      const drawn = await page.evaluate(() => {
        const root = getComputedStyle(document.documentElement);
        const wire = document.querySelector('g.edge.util-full .wire')!;
        return { full: root.getPropertyValue('--fabric-util-full'), stroke: getComputedStyle(wire).stroke, nodes: document.querySelectorAll('g.node').length };
      });
      assert.equal(drawn.full.trim(), '#ff5b52', 'the dark palette');
      assert.equal(drawn.stroke, rgb(drawn.full));
      assert.equal(drawn.nodes, buildTopologyView(reportOfFile('examples/heterogeneous.fabric')).nodes.length);
      assert.deepEqual(errors, []);
      assert.deepEqual(requests, []);
    } finally {
      await page.close();
    }
  });

  it('prints light, whatever the screen theme', async () => {
    const { page } = await visit(join(pagesDir, 'ualink_pod.html'), 'dark');
    try {
      await page.emulateMedia({ media: 'print' });
      assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(255, 255, 255)');
      assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('.topology-frame')!).maxHeight), 'none');
    } finally {
      await page.close();
    }
  });
});

describe('a hostile .fabric file in the report page', () => {
  const attack = '</script><img src=x onerror=alert(1)><script>alert(2)</script>';
  const dir = mkdtempSync(join(tmpdir(), 'fabric-report-'));
  const file = join(dir, 'x"><img src=x onerror=alert(3)>.fabric');
  writeFileSync(
    file,
    `/// <b onmouseover=alert(4)>doc</b> <img src=x onerror=alert(5)> <style>body{display:none}</style>
fabric hostile "${attack}" {
  /// <svg onload=alert(6)></svg><a href="javascript:alert(7)">link</a>
  gpu g[2]
  switch sx : scorpio_x
  for i in 0..1 { link g[i] <-> sx : pcie6 x16 }
  /// <iframe src="https://example.com"></iframe>
  workload w { allreduce 1 MiB over g[*] }
  expect time w < 1 s
}
`,
  );

  it('shows every string as text: no element, script, dialog or request comes from it', async () => {
    const out = join(dir, 'report.html');
    report([file], out);
    const { page, errors, requests, dialogs } = await visit(out, 'light');
    try {
      assert.equal(await page.locator('img, script, iframe, b, a, svg:not(.topology):not(.bar):not(.timeline) svg').count(), 0);
      assert.equal(await page.locator('style').count(), 1);
      const description = await page.locator('.headline .description').textContent();
      assert.equal(description, attack);
      assert.match((await page.locator('.headline .doc').textContent())!, /<b onmouseover=alert\(4\)>doc<\/b>/);
      assert.match((await page.locator('.headline .mono').first().textContent())!, /x"><img src=x onerror=alert\(3\)>\.fabric/);
      assert.match((await page.locator('g.node[data-id="g[0]"] title').textContent())!, /<svg onload=alert\(6\)>/);
      await page.locator('svg.topology g.node').first().hover();
      assert.deepEqual(dialogs, []);
      assert.deepEqual(requests, []);
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  });
});
