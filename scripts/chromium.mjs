// Debian's chromium, headless and offline-minded through playwright-core, for the report's
// browser test and screenshots and for driving code-server in the end-to-end tests; and the
// apt-get step (as root) that installs it, or any Debian package a test needs, on a fresh machine.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Installs the packages whose file is missing; `packages` holds [name, a file it installs]. */
export function ensureDebianPackages(packages, purpose) {
  const names = packages.filter(([, path]) => !existsSync(path)).map(([name]) => name);
  if (names.length === 0) return;
  if (process.getuid?.() !== 0) throw new Error(`${purpose} needs the Debian packages ${names.join(', ')}; install them with: sudo apt-get install -y ${names.join(' ')}`);
  process.stdout.write(`installing Debian packages for ${purpose}: ${names.join(', ')}\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', ...names], { stdio: 'inherit', env });
}

export async function launchChromium() {
  ensureDebianPackages([['chromium', CHROMIUM]], 'the browser tests');
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}
