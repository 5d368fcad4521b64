// Builds the bundles and packages the extension with @vscode/vsce into out/<name>-<version>.vsix,
// checking it stays under 3 MB. Usage: npm run package
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { buildAll } from './build.mjs';

const { name, version } = JSON.parse(readFileSync('package.json', 'utf8'));
export const VSIX = `out/${name}-${version}.vsix`;

export async function packageExtension() {
  await buildAll({ minify: true });
  execFileSync(
    process.execPath,
    ['node_modules/@vscode/vsce/vsce', 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', VSIX],
    { stdio: 'inherit' },
  );
  const bytes = statSync(VSIX).size;
  const limit = 3 * 1024 * 1024;
  if (bytes > limit) throw new Error(`${VSIX} is ${(bytes / 1e6).toFixed(2)} MB, over the 3 MB budget`);
  process.stdout.write(`${VSIX}: ${(bytes / 1024).toFixed(0)} KiB\n`);
  return VSIX;
}

if (import.meta.url === `file://${process.argv[1]}`) await packageExtension();
