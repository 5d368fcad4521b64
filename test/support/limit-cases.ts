/**
 * The inputs that would exhaust memory or the stack without the size limits (docs/robustness.md):
 * shared by the limit tests and scripts/bench-limits.mjs, which times each through the core.
 */
import { DEFAULT_LIMITS } from '../../server/src/model/limits.js';

export interface LimitCase {
  name: string;
  /** The diagnostic the case must end in. */
  code: 'limit' | 'import-cycle';
  message: RegExp;
  /** The entry file's text (checked as /work/main.fabric) and the files it imports. */
  build(): { text: string; files: Record<string, string> };
}

const inFabric = (items: string) => ({ text: `fabric f {\n${items}\n}\n`, files: {} });

/** `depth` openers, then the closers: `open` and `close` may be any text. */
const nested = (open: string, inner: string, close: string, depth: number) => open.repeat(depth) + inner + close.repeat(depth);

/** A chain of imports main → m0 → m1 → … → m(length-1). */
function importChain(length: number): { text: string; files: Record<string, string> } {
  const files: Record<string, string> = {};
  for (let i = 0; i < length; i++) files[`/work/m${i}.fabric`] = `${i + 1 < length ? `import "m${i + 1}.fabric"\n` : ''}model m${i} : gpu\n`;
  return { text: 'import "m0.fabric"\nfabric f { gpu g : m0 }\n', files };
}

export const LIMIT_CASES: LimitCase[] = [
  { name: 'gpu g[100000000]', code: 'limit', message: /more than 100,000 devices/, build: () => inFabric('  gpu g[100000000]') },
  {
    name: 'a loop past the iteration limit',
    code: 'limit',
    message: /loops run more than 2,000,000 iterations/,
    build: () => inFabric('  for i in 0..100000000 { }'),
  },
  {
    name: 'a loop past the iteration limit, every iteration an error',
    code: 'limit',
    message: /loops run more than 2,000,000 iterations/,
    build: () => inFabric('  gpu g[4]\n  switch s\n  for i in 0..100000000 { link g[i] <-> s : pcie6 x16 }'),
  },
  {
    name: 'nested loops past the iteration limit',
    code: 'limit',
    message: /loops run more than 2,000,000 iterations/,
    build: () => inFabric('  for i in 0..9999 { for j in 0..9999 { } }'),
  },
  {
    name: 'a loop of links past the link limit',
    code: 'limit',
    message: /more than 1,000,000 links/,
    build: () => inFabric(`  gpu g\n  switch s\n  for i in 0..${DEFAULT_LIMITS.maxLinks} { link g <-> s : pcie6 x1 }`),
  },
  {
    name: 'a 10 MB file',
    code: 'limit',
    message: /the file has 10,485,7\d\d characters, over the limit of 8,388,608/,
    build: () => inFabric(`  // ${'x'.repeat(10 * 1024 * 1024)}`),
  },
  {
    name: '1,000-deep loops',
    code: 'limit',
    message: /nesting deeper than 64 levels/,
    build: () => inFabric(nested('for i in 0..1 { ', '', '}', 1000)),
  },
  {
    name: '1,000-deep parallel blocks',
    code: 'limit',
    message: /nesting deeper than 64 levels/,
    build: () => inFabric(`  workload w { ${nested('parallel { ', 'compute 1 us', ' }', 1000)} }`),
  },
  { name: '1,000-deep parentheses', code: 'limit', message: /nesting deeper than 64 levels/, build: () => inFabric(`  let X = ${nested('(', '1', ')', 1000)}`) },
  {
    name: '100,000-deep brackets, unclosed',
    code: 'limit',
    message: /nesting deeper than 64 levels/,
    build: () => inFabric(`  gpu g : gpu { ports: ${'['.repeat(100_000)} }`),
  },
  { name: 'a chain of 40 imports', code: 'limit', message: /imports nest deeper than 32 files/, build: () => importChain(40) },
  {
    name: 'an import cycle of three files',
    code: 'import-cycle',
    message: /^import cycle: a\.fabric → b\.fabric → c\.fabric → a\.fabric;/,
    build: () => ({
      text: 'import "a.fabric"\nfabric f { }\n',
      files: { '/work/a.fabric': 'import "b.fabric"\n', '/work/b.fabric': 'import "c.fabric"\n', '/work/c.fabric': 'import "a.fabric"\n' },
    }),
  },
  {
    name: 'a file that imports itself',
    code: 'import-cycle',
    message: /^import cycle: main\.fabric → main\.fabric;/,
    build: () => ({ text: 'import "main.fabric"\nfabric f { }\n', files: {} }),
  },
];
