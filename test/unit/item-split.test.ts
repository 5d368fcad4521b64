/**
 * Reading a fabric item by item (item-split.ts, parse.ts): the split as data, every clean file in
 * the repository takes that path, and a split that a mistake confuses falls back to the whole
 * file. test/fuzz/pieces.test.ts checks that both readings agree on mutated and random text.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CATALOG_TEXT } from '../../server/src/model/catalog.js';
import { splitItems } from '../../server/src/syntax/item-split.js';
import { parse } from '../../server/src/syntax/parse.js';
import { fabricParser } from '../../server/src/syntax/parser.js';
import { fabricLexer } from '../../server/src/syntax/tokens.js';

/** The split, with each piece written as its tokens' images joined by spaces. */
function pieces(text: string): { outline: string; items: string[][] } | undefined {
  const { tokens } = fabricLexer.tokenize(text);
  const split = splitItems(tokens, fabricParser().itemStarts);
  if (!split) return undefined;
  const images = (start: number, end: number) => tokens.slice(start, end).map((t) => t.image).join(' ');
  return {
    outline: split.outline.map((t) => t.image).join(' '),
    items: split.bodies.map((body) => body.items.map(([start, end]) => images(start, end))),
  };
}

const splits: [string, string, ReturnType<typeof pieces>][] = [
  [
    'items directly inside a fabric, nested blocks kept whole',
    'fabric f "d" {\n  gpu g[2] : m { memory: 1 GiB }\n  for i in 0..1 { link g[i] <-> s : pcie6 x16 }\n  switch s\n}',
    {
      outline: 'fabric f "d" { }',
      items: [['gpu g [ 2 ] : m { memory : 1 GiB }', 'for i in 0 .. 1 { link g [ i ] <-> s : pcie6 x16 }', 'switch s']],
    },
  ],
  [
    'imports and models stay in the outline, with their attribute blocks',
    'import "a.fabric"\nmodel m : gpu_ualink { lanes: 8 }\nfabric f { gpu g : m }\nmodel n : m',
    { outline: 'import "a.fabric" model m : gpu_ualink { lanes : 8 } fabric f { } model n : m', items: [['gpu g : m']] },
  ],
  ['an empty fabric', 'fabric f { }', { outline: 'fabric f { }', items: [[]] }],
  ['two fabrics', 'fabric a { gpu x } fabric b { gpu y }', { outline: 'fabric a { } fabric b { }', items: [['gpu x'], ['gpu y']] }],
  ['a workload’s statements stay in their item', 'fabric f { workload w { for i in 0..1 { compute 1 ms } } let n = 2 }', {
    outline: 'fabric f { }',
    items: [['workload w { for i in 0 .. 1 { compute 1 ms } }', 'let n = 2']],
  }],
  ['a word before the first item', 'fabric f { oops gpu g }', undefined],
  ['a stray closing brace', 'fabric f { gpu g } }', undefined],
  ['an unclosed attribute block', 'fabric f {\n  gpu g { memory: 1 GiB\n  switch s\n}', undefined],
];

function fabricFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? fabricFiles(path) : name.endsWith('.fabric') ? [path] : [];
  });
}

describe('reading a fabric item by item', () => {
  for (const [title, text, expected] of splits) {
    it(`splits ${title}`, () => assert.deepEqual(pieces(text), expected));
  }

  it('reads every example, fixture and the catalog in pieces that each parse cleanly', () => {
    const files = [...fabricFiles('examples'), ...fabricFiles('test/fixtures')].map((path) => [path, readFileSync(path, 'utf8')]);
    files.push(['catalog', CATALOG_TEXT]);
    let clean = 0;
    for (const [path, text] of files) {
      if (parse(path, text, { maxNestingDepth: 64 }).problems.length > 0) continue;
      clean++;
      const { tokens } = fabricLexer.tokenize(text);
      const parser = fabricParser();
      const split = splitItems(tokens, parser.itemStarts);
      assert.ok(split, `${path} did not split into items`);
      for (const [start, end] of split.bodies.flatMap((body) => body.items)) {
        parser.input = tokens.slice(start, end);
        parser.item();
        assert.deepEqual(parser.errors, [], `${path}: the item at offset ${tokens[start].startOffset} does not parse alone`);
      }
    }
    assert.ok(clean > 20, `only ${clean} files parse cleanly`);
  });

  it('falls back to the whole file when a piece has a mistake, and reports it as the whole file does', () => {
    const read = (text: string) => {
      const inPieces = parse('/a.fabric', text, { maxNestingDepth: 64 });
      const whole = parse('/a.fabric', text, { maxNestingDepth: 64, inPieces: false });
      assert.deepEqual(inPieces.tree, whole.tree);
      assert.deepEqual(inPieces.problems, whole.problems);
      return inPieces;
    };
    const stray = read('fabric f {\n  gpu g\n  switch s oops\n  link g <-> s : pcie6 x16\n}\n');
    assert.deepEqual(stray.problems.map((problem) => problem.message), ['expected `}` but found `oops`']);
    assert.deepEqual(stray.tree.fabrics[0].items.map((item) => item.type), ['device', 'device', 'link']);
    const unclosed = read('fabric f {\n  gpu g { memory: 1 GiB\n  switch s\n  link g <-> s : pcie6 x16\n}\n');
    assert.ok(unclosed.problems.length > 0);
  });
});
