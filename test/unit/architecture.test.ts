/** The layering rules: imports point downward only, and the core touches no I/O or LSP. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';

const layers = ['syntax', 'model', 'sim', 'report', 'disk', 'cli', 'lsp'];
const rank: Record<string, number> = { syntax: 0, model: 1, sim: 2, report: 3, disk: 4, cli: 5, lsp: 5 };

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function imports(path: string): string[] {
  return [...readFileSync(path, 'utf8').matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm)].map((m) => m[1] ?? m[2]);
}

describe('architecture', () => {
  const root = 'server/src';
  for (const layer of layers) {
    let files: string[] = [];
    try {
      files = sources(join(root, layer));
    } catch {
      continue;
    }
    it(`${layer} imports only from its own layer or below`, () => {
      for (const file of files) {
        for (const target of imports(file)) {
          if (!target.startsWith('.')) continue;
          const inside = relative(root, resolve(dirname(file), target));
          if (inside.startsWith('..')) continue;
          const targetLayer = inside.split(/[\\/]/)[0];
          assert.ok(targetLayer === layer || (rank[targetLayer] !== undefined && rank[targetLayer] < rank[layer]), `${file} imports ${target}`);
        }
      }
    });
    if (rank[layer] <= 3) {
      it(`${layer} is pure: no fs, process, child_process or language-server imports`, () => {
        for (const file of files) {
          const text = readFileSync(file, 'utf8');
          for (const target of imports(file)) {
            assert.ok(!/^(node:)?(fs|process|child_process|path|os)$|vscode/.test(target), `${file} imports ${target}`);
          }
          assert.ok(!/\bprocess\.(env|argv|exit|stdout|stderr|cwd)/.test(text), `${file} uses process`);
        }
      });
    }
  }
});
