/**
 * The name index: every name resolves to its declaration under the language's scopes. Fixtures
 * mark the cursor `<|>`, the declaration «name» and every use ⟦name⟧ of the symbol under the cursor.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CATALOG_PATH } from '../../server/src/model/catalog.js';
import { buildReferenceIndex, type ReferenceIndex } from '../../server/src/ide/references.js';
import type { Span } from '../../server/src/syntax/source.js';
import { check, MAIN } from '../support/check.js';

interface Marked {
  text: string;
  cursor?: number;
  declaration?: Span;
  uses: Span[];
}

/** Strips the markers and returns where they were, as offsets into the stripped text. */
function strip(marked: string): Marked {
  const result: Marked = { text: '', uses: [] };
  let open = 0;
  for (let i = 0; i < marked.length; i++) {
    if (marked.startsWith('<|>', i)) {
      result.cursor = result.text.length;
      i += 2;
    } else if (marked[i] === '«' || marked[i] === '⟦') {
      open = result.text.length;
    } else if (marked[i] === '»') {
      result.declaration = { start: open, end: result.text.length };
    } else if (marked[i] === '⟧') {
      result.uses.push({ start: open, end: result.text.length });
    } else {
      result.text += marked[i];
    }
  }
  return result;
}

/** Indexes MAIN and the other files (by absolute path), each given with markers. */
function indexOf(files: Record<string, string>): { index: ReferenceIndex; marks: Map<string, Marked> } {
  const marks = new Map(Object.entries(files).map(([path, text]) => [path, strip(text)]));
  const others = Object.fromEntries([...marks].filter(([path]) => path !== MAIN).map(([path, m]) => [path, m.text]));
  return { index: buildReferenceIndex(check(marks.get(MAIN)!.text, others)), marks };
}

const spans = (list: { file: string; span: Span }[]) => list.map((o) => `${o.file}@${o.span.start}-${o.span.end}`).sort();

/** Asserts the symbol under the cursor is declared at « » and used exactly at every ⟦ ⟧, in any file. */
function assertResolves(files: Record<string, string>) {
  const { index, marks } = indexOf(files);
  const [cursorFile, withCursor] = [...marks].find(([, m]) => m.cursor !== undefined)!;
  const found = index.at(cursorFile, withCursor.cursor!);
  assert.ok(found, 'a name at the cursor');
  const [declFile, declared] = [...marks].find(([, m]) => m.declaration)!;
  assert.deepEqual({ file: found.symbol.file, span: found.symbol.span }, { file: declFile, span: declared.declaration });
  const references = index.references(found.symbol);
  assert.equal(references[0].declaration, true, 'the declaration comes first');
  assert.ok(references.slice(1).every((o) => !o.declaration));
  const expected = [...marks].flatMap(([file, m]) => [...(m.declaration ? [{ file, span: m.declaration }] : []), ...m.uses.map((span) => ({ file, span }))]);
  assert.deepEqual(spans(references), spans(expected));
}

const POD = (body: string) => `fabric f {\n${body}\n}\n`;

describe('name index: every kind of name resolves to its declaration', () => {
  const cases: [string, Record<string, string>][] = [
    [
      'a device array from endpoints, selectors, allocations, statements and expectations',
      {
        [MAIN]: POD(`  gpu «acc»[4] : gpu_ualink
  switch sx[2]
  memory pool
  for i in 0..3 { link ⟦acc⟧[i] <-> sx[i % 2] : ualink x4 }
  link sx[0] <-> pool : cxl x16
  group tp = ⟦acc⟧[0..1], ⟦acc⟧[3]
  allocate 1 GiB of pool to ⟦acc⟧[*]
  workload w {
    allreduce 1 MiB over ⟦a<|>cc⟧
    broadcast 1 MiB from ⟦acc⟧[0] to tp
    flow 1 MiB ⟦acc⟧[1] -> pool
    read 4 KiB from pool by ⟦acc⟧[2..3]
  }
  expect latency ⟦acc⟧[0] -> pool < 1 us`),
      },
    ],
    [
      'a device from its own declaration',
      { [MAIN]: POD('  gpu «g<|>»\n  switch s\n  link ⟦g⟧ <-> s : pcie6 x16\n  expect bandwidth ⟦g⟧ -> s > 1 GB/s') },
    ],
    [
      'a group, used before its declaration and by another group',
      {
        [MAIN]: POD(`  gpu acc[4]
  group all = ⟦tp⟧, acc[2..3]
  group «tp» = acc[0..1]
  workload w { allgather 1 MiB over ⟦t<|>p⟧[0] }
  expect utilization ⟦tp⟧ < 80%`),
      },
    ],
    [
      'a constant in counts, bounds, indices, port counts and models of the same file',
      {
        [MAIN]: `model wide : gpu { ports: [pcie6 x16 * ⟦N⟧] }\n${POD(`  let «N» = 4
  let M = ⟦N⟧ * 2
  gpu acc[⟦N<|>⟧] : wide
  switch s
  for i in 0..⟦N⟧ - 1 { link acc[i] <-> s : pcie6 x16 * (⟦N⟧ / 4) }
  model inner : gpu { ports: [pcie6 x16 * ⟦N⟧] }`)}`,
      },
    ],
    [
      'a loop variable only inside its own loop',
      {
        [MAIN]: POD(`  gpu acc[4]
  switch sx[2]
  for «i» in 0..1 { link acc[⟦i⟧] <-> sx[⟦<|>i⟧ % 2] : pcie6 x16 }
  for i in 2..3 { link acc[i] <-> sx[i % 2] : pcie6 x16 }`),
      },
    ],
    [
      'the second of two loops with the same variable',
      {
        [MAIN]: POD(`  gpu acc[4]
  switch sx[2]
  for i in 0..1 { link acc[i] <-> sx[i % 2] : pcie6 x16 }
  for «i» in 2..3 { link acc[⟦i⟧] <-> sx[⟦i⟧<|> % 2] : pcie6 x16 }`),
      },
    ],
    [
      'an outer loop variable from a nested loop, and in the nested loop\'s bounds',
      {
        [MAIN]: POD(`  gpu acc[16]
  switch sx[4]
  for «s» in 0..3 {
    for j in ⟦s⟧ * 4..⟦s⟧ * 4 + 3 { link acc[j] <-> sx[⟦s<|>⟧] : pcie6 x16 }
  }`),
      },
    ],
    [
      'a loop variable of a loop inside a workload',
      {
        [MAIN]: POD(`  gpu acc[4]
  memory pool
  workload w {
    for «k» in 0..3 { flow 1 MiB acc[⟦k⟧] -> pool  read 1 KiB from pool by acc[⟦k<|>⟧] }
  }`),
      },
    ],
    [
      'a workload from `expect time`',
      { [MAIN]: POD('  gpu g\n  workload «step» { compute 1 ms }\n  expect time ⟦st<|>ep⟧ < 2 ms') },
    ],
    [
      'a model of the same file, from devices, bases and the fabric body',
      {
        [MAIN]: `model «fast» : gpu_ualink { memory: 1 TiB }\nmodel faster : ⟦fast⟧\n${POD('  model inner : ⟦fast⟧\n  gpu a : ⟦fa<|>st⟧\n  gpu b : faster')}`,
      },
    ],
    [
      'a model of an imported file, from the importer and from a file both import',
      {
        [MAIN]: `import "lib.fabric"\nimport "more.fabric"\n${POD('  gpu a : ⟦fa<|>st⟧')}`,
        '/work/lib.fabric': 'model «fast» : gpu_ualink\n',
        '/work/more.fabric': 'import "lib.fabric"\nmodel faster : ⟦fast⟧\n',
      },
    ],
  ];
  for (const [title, files] of cases) it(title, () => assertResolves(files));

  it('a built-in model resolves into the catalog, also through a kind used as a base', () => {
    const { text, cursor } = strip(`model m : switch { lanes: 64 }\n${POD('  switch s : scorpio<|>_x\n  switch t : m')}`);
    const index = buildReferenceIndex(check(text));
    const found = index.at(MAIN, cursor!)!;
    assert.equal(found.symbol.file, CATALOG_PATH);
    assert.equal(found.symbol.name, 'scorpio_x');
    const uses = index.references(found.symbol).filter((o) => o.file === MAIN).map((o) => text.slice(o.span.start, o.span.end));
    assert.deepEqual(uses, ['switch', 'scorpio_x'], '`: switch` in a user model starts from scorpio_x');
    const kindInCatalog = index.references(found.symbol).filter((o) => o.file === CATALOG_PATH);
    assert.deepEqual(kindInCatalog.map((o) => o.declaration), [true], 'in the catalog `: switch` is the bare kind');
  });

  it('leaves out names that resolve to nothing, and the first of a duplicate wins', () => {
    const marked = POD('  gpu «acc»[2]\n  gpu acc[3]\n  switch s\n  for i in 0..1 { link ⟦acc⟧[i] <-> s : pcie6 x16 }\n  link ⟦ac<|>c⟧[N] <-> nowhere : pcie6 x16');
    assertResolves({ [MAIN]: marked });
    const { text } = strip(marked);
    const index = buildReferenceIndex(check(text));
    assert.equal(index.at(MAIN, text.indexOf('[N]') + 1), undefined, 'an undeclared constant');
    assert.equal(index.at(MAIN, text.indexOf('nowhere') + 1), undefined, 'an undeclared device');
  });

  it('does not see constants from a model in an imported file, where port counts are plain numbers', () => {
    const index = buildReferenceIndex(check(`import "lib.fabric"\n${POD('  let N = 2\n  gpu g : wide')}`, { '/work/lib.fabric': 'model wide : gpu { ports: [pcie6 x16 * N] }\n' }));
    assert.equal(index.at('/work/lib.fabric', 'model wide : gpu { ports: [pcie6 x16 * N'.length), undefined);
  });
});

describe('name index: rename problems', () => {
  const text = `model fast : gpu_ualink\n${POD(`  let N = 4
  gpu acc[N] : fast
  switch sx[2]
  group tp = acc[0..1]
  for i in 0..1 {
    for j in 0..1 { link acc[i * 2 + j] <-> sx[i] : ualink x4 }
  }
  for k in 0..1 { link sx[k] <-> sx[1 - k] : ualink x4 }
  workload step { allreduce 1 MiB over tp }`)}`;
  const index = buildReferenceIndex(check(text));
  /** The symbol of the first whole word `word` in the text. */
  const symbolAt = (word: string) => index.at(MAIN, new RegExp(`\\b${word}\\b`).exec(text)!.index)!.symbol;
  const cases: [string, () => ReturnType<typeof symbolAt>, string, RegExp | undefined][] = [
    ['a device to another device', () => symbolAt('acc'), 'sx', /^`sx` is already the name of a device; choose another name\.$/],
    ['a device to a group', () => symbolAt('acc'), 'tp', /^`tp` is already the name of a group/],
    ['a group to a device', () => symbolAt('tp'), 'acc', /^`acc` is already the name of a device/],
    ['a device to a constant (another namespace)', () => symbolAt('acc'), 'N', undefined],
    ['a device to a connecting word', () => symbolAt('acc'), 'to', undefined],
    ['a device to a reserved word', () => symbolAt('acc'), 'link', /^`link` is a reserved word and cannot name a device; choose another name\.$/],
    ['a device to a width', () => symbolAt('acc'), 'x16', /^`x16` reads as a lane width, not a name; choose another name\.$/],
    ['a device to a non-name', () => symbolAt('acc'), '2acc', /^`2acc` is not a name: a name starts with a letter or `_`/],
    ['a device to `x16a` (a word)', () => symbolAt('acc'), 'x16a', undefined],
    ['a constant to a loop variable', () => symbolAt('N'), 'k', /^`k` is already the name of a loop variable/],
    ['a loop variable to a constant', () => symbolAt('k'), 'N', /^`N` is already the name of a constant/],
    ['a loop variable to the variable of a sibling loop', () => symbolAt('k'), 'i', undefined],
    ['a loop variable to the loop around it', () => symbolAt('j'), 'i', /^`i` is already the name of a loop variable/],
    ['a loop variable to a loop inside it', () => symbolAt('i'), 'j', /^`j` is already the name of a loop variable/],
    ['a workload to a device name', () => symbolAt('step'), 'acc', undefined],
    ['a model to a built-in model', () => symbolAt('fast'), 'gpu_ualink', /^`gpu_ualink` is already the name of a model in the built-in catalog; choose another name\.$/],
    ['a model to a device kind', () => symbolAt('fast'), 'switch', /^`switch` is a device kind/],
    ['a model to a reserved word (model names may be any word)', () => symbolAt('fast'), 'link', undefined],
    ['a built-in model', () => symbolAt('gpu_ualink'), 'my_gpu', /^`gpu_ualink` is a built-in model of the catalog and cannot be renamed/],
    ['a name to itself', () => symbolAt('acc'), 'acc', undefined],
  ];
  for (const [title, symbol, name, expected] of cases) {
    it(`${title}: ${expected ? 'refused' : 'allowed'}`, () => {
      const problem = index.renameProblem(symbol(), name);
      if (expected) assert.match(problem ?? '', expected);
      else assert.equal(problem, undefined);
    });
  }
});
