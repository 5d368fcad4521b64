// Bundles the CLI (and later the server and client) with esbuild; `.fabric` files embed as text.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

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

await build({ ...shared, entryPoints: { cli: 'server/src/cli/main.ts' }, outdir: 'out' });
