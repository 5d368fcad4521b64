// Bundles the CLI (and later the server and client) with esbuild; `.fabric` files embed as text.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
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
  });
  await build({ ...options, entryPoints: { extension: 'client/src/extension.ts' }, outdir: 'out', external: ['vscode'] });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await buildAll();
