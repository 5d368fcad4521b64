// Runs the end-to-end suites in a real VS Code (code-server driven by headless chromium, offline):
// first the development extension, then the report view across a window reload, then the
// packaged .vsix installed into VS Code. Installs what
// is missing first (test/e2e/setup.mjs). Writes the combined counts to out/test/e2e-results.json
// for scripts/run-tests.mjs. Screenshots land in out/test/e2e/screenshots, or in docs/images with
// FABRIC_UPDATE_SCREENSHOTS=1 (so a test run leaves the repository's images as they are).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';
import { build } from 'esbuild';
import { shared } from '../../scripts/build.mjs';
import { packageExtension } from '../../scripts/package.mjs';
import { setup } from './setup.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(root, 'out', 'test', 'e2e');
const launcher = join(root, 'test', 'e2e', 'launcher.mjs');
const totals = { passed: 0, failed: 0, failures: [] };

async function suite(name, entry, extensionDevelopmentPath, env = {}) {
  const bundle = join(out, name, 'index.js');
  await build({ ...shared, entryPoints: [join(root, entry)], outfile: bundle, external: ['vscode'] });
  const results = join(out, `${name}-results.json`);
  rmSync(results, { force: true });
  process.stdout.write(`\n== end-to-end: ${name}\n`);
  try {
    await runTests({
      vscodeExecutablePath: launcher,
      extensionDevelopmentPath,
      extensionTestsPath: bundle,
      launchArgs: [root],
      extensionTestsEnv: { FABRIC_REPO: root, FABRIC_E2E_RESULTS: results, ...env },
    });
  } catch (error) {
    process.stdout.write(`${name}: ${error.message}\n`);
  }
  try {
    const counts = JSON.parse(readFileSync(results, 'utf8'));
    totals.passed += counts.passed;
    totals.failed += counts.failed;
    totals.failures.push(...counts.failures);
  } catch {
    // The suite never reported: VS Code did not start or the suite crashed.
    totals.failed += 1;
    totals.failures.push(`${name}: the suite did not run to completion`);
  }
}

mkdirSync(out, { recursive: true });
try {
  setup();
  const screenshots = process.env.FABRIC_UPDATE_SCREENSHOTS === '1' ? join(root, 'docs', 'images') : join(out, 'screenshots');
  await suite('extension', 'test/e2e/suite/index.ts', root, { FABRIC_SCREENSHOT_DIR: screenshots });
  // Its click request and what it leaves for the run after the reload go to a fresh folder.
  const reloadRequests = mkdtempSync(join(tmpdir(), 'fabric-e2e-reload-'));
  await suite('reload', 'test/e2e/reload-suite/index.ts', root, { FABRIC_SCREENSHOT_DIR: reloadRequests });
  rmSync(reloadRequests, { recursive: true, force: true });
  const vsix = await packageExtension();
  await suite('vsix', 'test/e2e/vsix-suite/index.ts', join(root, 'test', 'e2e', 'vsix-harness'), { FABRIC_E2E_VSIX: join(root, vsix) });
} catch (error) {
  totals.failed += 1;
  totals.failures.push(`end-to-end setup: ${error.message}`);
}
writeFileSync(join(root, 'out', 'test', 'e2e-results.json'), JSON.stringify(totals));
process.stdout.write(`\nend-to-end: ${totals.passed} passed, ${totals.failed} failed\n${totals.failures.map((f) => `  ✖ ${f}\n`).join('')}`);
process.exitCode = totals.failed > 0 ? 1 : 0;
