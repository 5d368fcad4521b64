// Bundles the CLI, the language server, its worker, the VS Code client and the report view's
// webview with esbuild (`.fabric` files embed as text), and copies the webview's styles and fonts.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

/** Options every bundle shares, tests included. */
export const shared = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  loader: { '.fabric': 'text' },
  define: { FABRIC_VERSION: JSON.stringify(version) },
  logLevel: 'warning',
};

/** elkjs's bundled build, copied beside the bundles rather than bundled into them. */
export const ELK_FILE = 'elk.bundled.js';

/**
 * elkjs is 3.3 MB, most of a bundle; only drawing a report needs it. Compiling it cost every
 * command about 0.15 s at start-up even though it loads lazily, so the bundles require the copy
 * in out/ at first use instead.
 */
const elkBesideTheBundle = {
  name: 'elk-beside-the-bundle',
  setup(plugin) {
    plugin.onResolve({ filter: /^elkjs\/lib\/elk\.bundled\.js$/ }, () => ({ path: `./${ELK_FILE}`, external: true }));
  },
};

/** The CLI, the language server, its simulation worker and the VS Code client; minified for the .vsix. */
export async function buildAll({ minify = false } = {}) {
  const options = { ...shared, minify, sourcemap: !minify };
  await build({
    ...options,
    entryPoints: {
      cli: 'server/src/cli/main.ts',
      server: 'server/src/lsp/server.ts',
      'simulation-worker': 'server/src/lsp/simulation-worker.ts',
    },
    outdir: 'out',
    plugins: [elkBesideTheBundle],
  });
  copyFileSync(`node_modules/elkjs/lib/${ELK_FILE}`, `out/${ELK_FILE}`);
  await build({ ...options, entryPoints: { extension: 'client/src/extension.ts' }, outdir: 'out', external: ['vscode'] });
  await buildWebview(options);
}

/** The files the report view's webview loads (client/src/report-html.ts names them). */
export const WEBVIEW_FILES = ['report-view.js', 'report-view.css', 'codicon.css', 'codicon.ttf'];

/** The webview's script for the browser, its stylesheet, and the codicons its elements draw with. */
async function buildWebview({ minify, sourcemap }) {
  await build({ ...shared, platform: 'browser', target: 'chrome120', format: 'iife', minify, sourcemap, entryPoints: { 'report-view': 'client/webview/report-view.ts' }, outdir: 'out/webview' });
  mkdirSync('out/webview', { recursive: true });
  copyFileSync('client/webview/report-view.css', 'out/webview/report-view.css');
  for (const file of ['codicon.css', 'codicon.ttf']) copyFileSync(`node_modules/@vscode/codicons/dist/${file}`, `out/webview/${file}`);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await buildAll();
