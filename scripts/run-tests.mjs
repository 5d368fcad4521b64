// Runs every test suite and ends with one line `N passed, N failed` that adds them all up.
// Suites: the type check (one case); the unit, simulator, CLI and language-server tests
// (node:test, bundled by esbuild); the end-to-end tests in a real VS Code (test/e2e/run.mjs,
// which installs what it needs on a fresh machine). `--no-e2e` leaves the last out for a quick
// local run (and says so in the summary). Paths given as arguments (`test/cli`, `test/unit/x.test.ts`)
// run only the tests under them, without the end-to-end suite: a quick check while working.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { shared } from './build.mjs';

let passed = 0;
let failed = 0;

function step(title, command, args) {
  process.stdout.write(`\n== ${title}\n`);
  return spawnSync(command, args, { stdio: 'inherit' }).status === 0;
}

if (!step('build', process.execPath, ['scripts/build.mjs'])) failed++;
if (step('type check', process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'])) passed++;
else failed++;
// The report view's webview runs in a browser: its own configuration gives it the DOM's types.
if (step('type check (webview)', process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'client/webview/tsconfig.json'])) passed++;
else failed++;

function testFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'fixtures' || name === 'e2e' ? [] : testFiles(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

const only = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const entries = testFiles('test').filter((path) => only.length === 0 || only.some((prefix) => path.startsWith(prefix.replace(/\/$/, ''))));
rmSync('out/test', { recursive: true, force: true });
mkdirSync('out/test', { recursive: true });
// playwright-core (the report's browser test) reads its own files at run time: required, not bundled.
await build({ ...shared, entryPoints: entries, outdir: 'out/test', outbase: 'test', sourcemap: 'inline', external: ['playwright-core'] });
const bundles = entries.map((entry) => join('out/test', entry.slice('test/'.length).replace(/\.ts$/, '.js')));

const tap = 'out/test/results.tap';
process.stdout.write('\n== unit and CLI tests\n');
spawnSync(
  process.execPath,
  ['--enable-source-maps', '--test', '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...bundles],
  { stdio: 'inherit', env: { ...process.env, FABRIC_REPO: process.cwd() } },
);
const summary = readFileSync(tap, 'utf8');
const count = (label) => Number(new RegExp(`^# ${label} (\\d+)$`, 'm').exec(summary)?.[1] ?? 0);
passed += count('pass');
failed += count('fail') + count('cancelled');
if (!/^# pass /m.test(summary)) failed++;
const skipped = count('skipped') + count('todo');
if (skipped > 0) process.stdout.write(`${skipped} skipped or todo (not counted as passed)\n`);

if (process.argv.includes('--no-e2e') || only.length > 0) {
  process.stdout.write(`\nend-to-end tests not run (${only.length > 0 ? 'only the tests under the paths given' : '--no-e2e'})\n`);
} else {
  spawnSync(process.execPath, ['test/e2e/run.mjs'], { stdio: 'inherit' });
  try {
    const e2e = JSON.parse(readFileSync('out/test/e2e-results.json', 'utf8'));
    passed += e2e.passed;
    failed += e2e.failed;
  } catch {
    failed++;
    process.stdout.write('end-to-end tests reported no results\n');
  }
}

process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exitCode = failed > 0 ? 1 : 0;
