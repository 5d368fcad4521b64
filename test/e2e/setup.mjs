// Installs what the end-to-end tests need on a fresh machine, idempotently:
// Debian's chromium, ripgrep and libkrb5-dev (as root, with apt-get), and code-server 4.100.3
// (VS Code 1.100.3's server build) from test/e2e/code-server's own lockfile into the ignored
// folder .vscode-test/code-server. See ../shared/E2E-OFFLINE.md in the steering repository.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM, ensureDebianPackages } from '../../scripts/chromium.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
export const CODE_SERVER_DIR = join(root, '.vscode-test', 'code-server');
export const CODE_SERVER_BIN = join(CODE_SERVER_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

function log(message) {
  process.stdout.write(`[e2e setup] ${message}\n`);
}

function ensureCodeServer() {
  const lock = readFileSync(join(here, 'code-server', 'package-lock.json'), 'utf8');
  const stamp = join(CODE_SERVER_DIR, '.installed-lock');
  if (existsSync(CODE_SERVER_BIN) && existsSync(stamp) && readFileSync(stamp, 'utf8') === lock) return;
  log('installing code-server 4.100.3 (about a minute, once)');
  rmSync(CODE_SERVER_DIR, { recursive: true, force: true });
  mkdirSync(CODE_SERVER_DIR, { recursive: true });
  copyFileSync(join(here, 'code-server', 'package.json'), join(CODE_SERVER_DIR, 'package.json'));
  copyFileSync(join(here, 'code-server', 'package-lock.json'), join(CODE_SERVER_DIR, 'package-lock.json'));
  // @vscode/ripgrep's postinstall downloads rg from GitHub unless its cache holds one: give it Debian's.
  const temp = process.env.TMPDIR ?? tmpdir();
  const cache = join(temp, 'vscode-ripgrep-cache-1.15.11');
  const archive = join(cache, 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz');
  if (!existsSync(archive)) {
    mkdirSync(cache, { recursive: true });
    const staging = mkdtempSync(join(temp, 'rg-'));
    copyFileSync('/usr/bin/rg', join(staging, 'rg'));
    execFileSync('tar', ['-czf', archive, '-C', staging, 'rg']);
    rmSync(staging, { recursive: true, force: true });
  }
  const env = {
    ...process.env,
    npm_config_unsafe_perm: 'true',
    npm_config_yes: 'true',
    npm_config_nodedir: '/usr',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
  };
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--foreground-scripts'], { cwd: CODE_SERVER_DIR, stdio: 'inherit', env });
  if (result.status !== 0 || !existsSync(CODE_SERVER_BIN)) throw new Error('installing code-server failed (see the npm output above)');
  writeFileSync(stamp, lock);
}

export function setup() {
  ensureDebianPackages(
    [
      ['chromium', CHROMIUM],
      ['ripgrep', '/usr/bin/rg'],
      ['libkrb5-dev', '/usr/include/gssapi/gssapi.h'],
    ],
    'the end-to-end tests',
  );
  ensureCodeServer();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) setup();
