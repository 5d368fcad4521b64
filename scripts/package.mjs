// Builds the bundles and packages the extension with @vscode/vsce into out/<name>-<version>.vsix,
// checking it carries the report view's webview files and elkjs and stays under 3 MB. Usage: npm run package
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { buildAll, ELK_FILE, WEBVIEW_FILES } from './build.mjs';

const { name, version } = JSON.parse(readFileSync('package.json', 'utf8'));
export const VSIX = `out/${name}-${version}.vsix`;

const VSCE = 'node_modules/@vscode/vsce/vsce';

export async function packageExtension() {
  await buildAll({ minify: true });
  const included = execFileSync(process.execPath, [VSCE, 'ls', '--no-dependencies'], { encoding: 'utf8' }).split('\n');
  const missing = [...WEBVIEW_FILES.map((file) => `out/webview/${file}`), `out/${ELK_FILE}`].filter((file) => !included.includes(file));
  if (missing.length > 0) throw new Error(`the .vsix would lack ${missing.join(', ')}; list them in .vscodeignore`);
  execFileSync(process.execPath, [VSCE, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', VSIX], { stdio: 'inherit' });
  const bytes = statSync(VSIX).size;
  const limit = 3 * 1024 * 1024;
  if (bytes > limit) throw new Error(`${VSIX} is ${(bytes / 1e6).toFixed(2)} MB, over the 3 MB budget`);
  process.stdout.write(`${VSIX}: ${(bytes / 1024).toFixed(0)} KiB\n`);
  return VSIX;
}

if (import.meta.url === `file://${process.argv[1]}`) await packageExtension();
