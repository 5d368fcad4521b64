// Screenshots of `fabric report` for every example, light and dark, and of the side-by-side
// comparison, into docs/images/report-<name>-<theme>.png (the whole page) and
// report-<name>-overview-<theme>.png (down to the topology). npm run screenshots:report builds first.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium } from './chromium.mjs';

const outDir = resolve('out/report-screenshots');
mkdirSync(outDir, { recursive: true });
const report = (files, out) => execFileSync(process.execPath, ['bin/fabric.js', 'report', ...files, '--out', out], { stdio: 'pipe' });

const pages = readdirSync('examples')
  .filter((name) => name.endsWith('.fabric'))
  .map((name) => ({ name: name.replace(/\.fabric$/, ''), files: [join('examples', name)], width: 1280 }));
pages.push({ name: 'compare', files: ['examples/legacy_pcie5.fabric', 'examples/scorpio_consolidated.fabric'], width: 1600 });

const browser = await launchChromium();
try {
  for (const { name, files, width } of pages) {
    const html = join(outDir, `${name}.html`);
    report(files, html);
    for (const theme of ['light', 'dark']) {
      const page = await browser.newPage({ viewport: { width, height: 900 }, colorScheme: theme, deviceScaleFactor: 1 });
      await page.goto(pathToFileURL(html).href);
      const path = `docs/images/report-${name}-${theme}.png`;
      await page.screenshot({ path, fullPage: true });
      // The top of the page down to the topology (both, side by side), for the README.
      const bottom = await page.locator('[data-section=topology]').evaluateAll((els) => Math.max(...els.map((e) => e.getBoundingClientRect().bottom)));
      await page.screenshot({ path: `docs/images/report-${name}-overview-${theme}.png`, fullPage: true, clip: { x: 0, y: 0, width, height: Math.ceil(bottom) + 24 } });
      await page.close();
      process.stdout.write(`${path}\n`);
    }
  }
} finally {
  await browser.close();
}
