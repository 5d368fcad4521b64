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

export async function buildAll() {
  await build({
    ...shared,
    entryPoints: {
      cli: 'server/src/cli/main.ts',
      server: 'server/src/lsp/server.ts',
      'simulation-worker': 'server/src/lsp/simulation-worker.ts',
    },
    outdir: 'out',
  });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await buildAll();
