#!/usr/bin/env node
// A stand-in for VS Code's command line that @vscode/test-electron's runTests can start as its
// `vscodeExecutablePath`: it translates test-electron's flags, starts code-server (the server
// build of VS Code) on a free loopback port, opens the workbench in headless Debian chromium with
// the extension under test and the test suite, and exits with the suite's exit code.
// Extra environment: FABRIC_E2E_VSIX (install that .vsix and test it instead of the development
// folder), FABRIC_SCREENSHOT_DIR (the suite asks for screenshots by writing NAME.request there, and
// for a click in a webview by writing NAME.click holding a CSS selector; NAME.clicked answers).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { format } from 'node:util';
import { launchChromium } from '../../scripts/chromium.mjs';
import { CODE_SERVER_BIN } from './setup.mjs';

const TIMEOUT_MS = Number(process.env.FABRIC_E2E_TIMEOUT_MS ?? 10 * 60 * 1000);

function parseArguments(argv) {
  const options = { workspace: undefined, developmentPaths: [], testsPath: undefined };
  for (const arg of argv) {
    const [flag, value] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (flag === '--extensionDevelopmentPath') options.developmentPaths.push(resolve(value));
    else if (flag === '--extensionTestsPath') options.testsPath = resolve(value);
    else if (!arg.startsWith('-') && !options.workspace) options.workspace = resolve(arg);
    // Desktop-only flags (--no-sandbox, --disable-updates, profile directories …) mean nothing here.
  }
  if (!options.testsPath || options.developmentPaths.length === 0) throw new Error('launcher: --extensionTestsPath and --extensionDevelopmentPath are required');
  return options;
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

function serverEnvironment() {
  const env = { ...process.env, EXTENSIONS_GALLERY: '{"serviceUrl":""}' };
  delete env.VSCODE_IPC_HOOK_CLI;
  return env;
}

/**
 * Clicks the first element matching `selector` in any frame (webviews are nested iframes, and
 * one shown again loads anew: it is looked for until a deadline); answers `clicked` or why not.
 */
async function clickInWebview(page, selector, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  do {
    for (const frame of page.frames()) {
      const target = await frame.$(selector).catch(() => null);
      if (!target) continue;
      await target.click();
      return 'clicked';
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, 200));
  } while (Date.now() < deadline);
  return `no frame holds ${selector}`;
}

async function main() {
  const options = parseArguments(process.argv.slice(2));
  const home = mkdtempSync(join(tmpdir(), 'fabric-e2e-'));
  const config = join(home, 'config.yaml');
  const userData = join(home, 'user-data');
  const extensions = join(home, 'extensions');
  mkdirSync(userData, { recursive: true });
  mkdirSync(extensions, { recursive: true });
  writeFileSync(config, 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n');
  // Quiet, deterministic settings: no trust prompts, no startup editors.
  mkdirSync(join(userData, 'User'), { recursive: true });
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify({ 'workbench.startupEditor': 'none', 'security.workspace.trust.enabled': false, 'workbench.tips.enabled': false, 'telemetry.telemetryLevel': 'off', 'editor.wordBasedSuggestions': 'off' }));

  const vsix = process.env.FABRIC_E2E_VSIX;
  if (vsix) {
    const installed = spawnSync(process.execPath, [CODE_SERVER_BIN, '--config', config, '--user-data-dir', userData, '--extensions-dir', extensions, '--install-extension', resolve(vsix)], { encoding: 'utf8', env: serverEnvironment() });
    process.stdout.write(installed.stdout + installed.stderr);
    if (installed.status !== 0) throw new Error(`code-server could not install ${vsix}`);
  }

  const port = await freePort();
  const server = spawn(
    process.execPath,
    [CODE_SERVER_BIN, '--config', config, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--user-data-dir', userData, '--extensions-dir', extensions, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--ignore-last-opened'],
    { detached: true, env: serverEnvironment(), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let serverLog = '';
  const listening = new Promise((resolveListening, reject) => {
    const onData = (chunk) => {
      serverLog += chunk;
      if (serverLog.includes('HTTP server listening on')) resolveListening();
    };
    server.stdout.on('data', onData);
    server.stderr.on('data', onData);
    server.once('exit', (code) => reject(new Error(`code-server exited (${code}) before listening:\n${serverLog}`)));
  });

  let browser;
  let screenshotTimer;
  const cleanUp = async () => {
    clearInterval(screenshotTimer);
    await browser?.close().catch(() => undefined);
    try {
      process.kill(-server.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    rmSync(home, { recursive: true, force: true });
  };

  const overall = setTimeout(async () => {
    process.stderr.write(`launcher: the suite did not finish within ${TIMEOUT_MS / 1000} s\n`);
    await cleanUp();
    process.exit(1);
  }, TIMEOUT_MS);

  await listening;
  browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const exited = new Promise((resolveExit) => {
    void page.exposeFunction('codeAutomationExit', (code) => resolveExit(Number(code)));
  });
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const text = Array.isArray(args) ? format(...args) : format(args);
    process.stdout.write(`${text}\n`);
  });
  page.on('pageerror', (error) => process.stderr.write(`[workbench error] ${error.message}\n`));

  const screenshots = process.env.FABRIC_SCREENSHOT_DIR;
  if (screenshots) {
    mkdirSync(screenshots, { recursive: true });
    let busy = false;
    screenshotTimer = setInterval(async () => {
      if (busy) return;
      busy = true;
      try {
        for (const name of readdirSync(screenshots).filter((f) => f.endsWith('.request'))) {
          const target = join(screenshots, name.replace(/\.request$/, '.png'));
          await page.screenshot({ path: target });
          unlinkSync(join(screenshots, name));
        }
        for (const name of readdirSync(screenshots).filter((f) => f.endsWith('.click'))) {
          const request = join(screenshots, name);
          const answer = await clickInWebview(page, readFileSync(request, 'utf8'));
          writeFileSync(request.replace(/\.click$/, '.clicked'), answer);
          unlinkSync(request);
        }
      } finally {
        busy = false;
      }
    }, 100);
  }

  const remote = (path) => `vscode-remote://127.0.0.1:${port}${path}`;
  // With a .vsix, the development path is only the test harness: the installed extensions stay enabled.
  const payload = [
    ...options.developmentPaths.map((path) => ['extensionDevelopmentPath', remote(path)]),
    ['extensionTestsPath', remote(options.testsPath)],
    ['skipWelcome', 'true'],
    ['skipReleaseNotes', 'true'],
    ...(vsix ? [] : [['disableExtensions', 'true']]),
  ];
  const folder = options.workspace && existsSync(options.workspace) ? `folder=${encodeURIComponent(remote(options.workspace))}&` : '';
  await page.goto(`http://127.0.0.1:${port}/?${folder}payload=${encodeURIComponent(JSON.stringify(payload))}`);
  const code = await exited;
  clearTimeout(overall);
  await cleanUp();
  process.exit(code);
}

main().catch((error) => {
  process.stderr.write(`launcher: ${error.stack ?? error}\n`);
  process.exit(1);
});
