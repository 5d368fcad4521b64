/**
 * The layering rules of docs/architecture.md: imports point downward only, siblings do not import
 * each other, the core touches no I/O or LSP, no two files import each other's values in a cycle,
 * and no file grows past 800 lines.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = 'server/src';
/** A layer may import its own files and those of lower ranks; layers of one rank are siblings. */
const RANK: Record<string, number> = { base: -1, syntax: 0, model: 1, sim: 2, ide: 3, report: 3, disk: 4, cli: 5, lsp: 5 };
const MAX_LINES = 800;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

interface Import {
  target: string;
  /** Only types: erased at build time, so it cannot take part in a cycle of values. */
  typeOnly: boolean;
}

/** `import … from '…'`, `export … from '…'` and `import '…'`, over several lines too. */
function importsOf(path: string): Import[] {
  const text = readFileSync(path, 'utf8');
  return [...text.matchAll(/^\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm)].map((m) => {
    if (m[5] !== undefined) return { target: m[5], typeOnly: false };
    const clause = m[3];
    const named = /^\{([^}]*)\}$/.exec(clause.trim());
    // `{ type A, type B }` imports only types; a default, a namespace or a plain name is a value.
    const onlyTypes = named !== null && named[1].split(',').map((s) => s.trim()).filter(Boolean).every((s) => s.startsWith('type '));
    return { target: m[4], typeOnly: m[2] !== undefined || onlyTypes };
  });
}

/** The repository file an import names: `./x.js` is `./x.ts` in the sources. */
function resolveImport(from: string, target: string): string | undefined {
  if (!target.startsWith('.')) return undefined;
  const path = resolve(dirname(from), target).replace(/\.js$/, '.ts');
  return existsSync(path) ? relative(process.cwd(), path) : undefined;
}

const layerOf = (file: string) => relative(ROOT, file).split(/[\\/]/)[0];

/** Strongly connected components of more than one file (Tarjan), each as a list of files. */
function cycles(edges: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (file: string) => {
    index.set(file, counter);
    low.set(file, counter++);
    stack.push(file);
    onStack.add(file);
    for (const next of edges.get(file) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(file, Math.min(low.get(file)!, index.get(next)!));
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1) found.push(component.sort());
  };
  for (const file of edges.keys()) if (!index.has(file)) visit(file);
  return found;
}

describe('architecture', () => {
  const files = sources(ROOT);

  for (const layer of Object.keys(RANK)) {
    const own = files.filter((file) => layerOf(file) === layer);
    it(`${layer} imports only from its own layer or a lower one`, () => {
      for (const file of own) {
        for (const { target } of importsOf(file)) {
          const path = resolveImport(file, target);
          if (!path || !path.startsWith(ROOT)) continue;
          const targetLayer = layerOf(path);
          assert.ok(targetLayer === layer || RANK[targetLayer] < RANK[layer], `${file} imports ${target} (${targetLayer} is not below ${layer})`);
        }
      }
    });
    if (RANK[layer] <= 3) {
      it(`${layer} is pure: no fs, process, child_process, vscode or language-server imports`, () => {
        for (const file of own) {
          const text = readFileSync(file, 'utf8');
          for (const { target } of importsOf(file)) {
            assert.ok(!/^(node:)?(fs|process|child_process|path|os|worker_threads)$|vscode/.test(target), `${file} imports ${target}`);
          }
          assert.ok(!/\bprocess\.(env|argv|exit|stdout|stderr|cwd)/.test(text), `${file} uses process`);
        }
      });
    }
  }

  it('no two files of server/src import values from each other in a cycle', () => {
    const edges = new Map<string, string[]>();
    for (const file of files) {
      edges.set(
        file,
        importsOf(file).flatMap(({ target, typeOnly }) => {
          const path = typeOnly ? undefined : resolveImport(file, target);
          return path ? [path] : [];
        }),
      );
    }
    assert.deepEqual(cycles(edges), []);
  });

  it(`no source file has more than ${MAX_LINES} lines`, () => {
    const all = [...files, ...sources('client'), ...sources('shared')];
    const long = all.map((file) => ({ file, lines: readFileSync(file, 'utf8').split('\n').length })).filter(({ lines }) => lines > MAX_LINES);
    assert.deepEqual(long, []);
  });

  it('the rules above see every layer and would catch a violation', () => {
    assert.deepEqual([...new Set(files.map(layerOf))].filter((layer) => !layer.endsWith('.ts')).sort(), Object.keys(RANK).sort());
    const edges = new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]);
    assert.deepEqual(cycles(edges), [['a', 'b', 'c']]);
    assert.deepEqual(importsOf('server/src/lsp/features/hover.ts').map((i) => i.target).sort(), ['../../ide/hover.js', '../convert.js', './feature.js']);
  });
});
