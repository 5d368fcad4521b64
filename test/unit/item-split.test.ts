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
import { ItemSplitter } from '../../server/src/syntax/item-split.js';
import type { IToken } from 'chevrotain';
import { parse } from '../../server/src/syntax/parse.js';
import { fabricParser } from '../../server/src/syntax/parser.js';
import { fabricLexer } from '../../server/src/syntax/tokens.js';
import { generateFabric } from '../../scripts/generate-fabric.mjs';

/** Splits a file's tokens; the items of each fabric, by the offset of its `{`. */
function split(text: string, read: (tokens: IToken[]) => boolean = () => true) {
  const { tokens } = fabricLexer.tokenize(text);
  const bodies = new Map<number, IToken[][]>();
  const splitter = new ItemSplitter(fabricParser().itemStarts, 64, (item, open) => {
    bodies.set(open.startOffset, [...(bodies.get(open.startOffset) ?? []), item]);
    return read(item);
  });
  const complete = tokens.every((token) => splitter.push(token)) && splitter.finish();
  return complete ? { outline: splitter.outline, bodies: [...bodies.values()] } : undefined;
}

/** The split, with each piece written as its tokens' images joined by spaces. */
function pieces(text: string): { outline: string; items: string[][] } | undefined {
  const result = split(text);
  const images = (tokens: IToken[]) => tokens.map((t) => t.image).join(' ');
  return result && { outline: images(result.outline), items: result.bodies.map((body) => body.map(images)) };
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
  ['an empty fabric', 'fabric f { }', { outline: 'fabric f { }', items: [] }],
  ['two fabrics', 'fabric a { gpu x } fabric b { gpu y }', { outline: 'fabric a { } fabric b { }', items: [['gpu x'], ['gpu y']] }],
  ['a workload’s statements stay in their item', 'fabric f { workload w { for i in 0..1 { compute 1 ms } } let n = 2 }', {
    outline: 'fabric f { }',
    items: [['workload w { for i in 0 .. 1 { compute 1 ms } }', 'let n = 2']],
  }],
  ['a word before the first item', 'fabric f { oops gpu g }', undefined],
  ['a stray closing brace', 'fabric f { gpu g } }', undefined],
  ['an unclosed attribute block', 'fabric f {\n  gpu g { memory: 1 GiB\n  switch s\n}', undefined],
  ['a keyword after `:` naming a model', 'fabric f { gpu g : gpu switch s : switch }', { outline: 'fabric f { }', items: [['gpu g : gpu', 'switch s : switch']] }],
  ['nesting deeper than the limit', `fabric f { let n = ${'('.repeat(70)}1${')'.repeat(70)} }`, undefined],
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
      const parser = fabricParser();
      const result = split(text, (item) => {
        parser.input = item;
        parser.item();
        assert.deepEqual(parser.errors, [], `${path}: the item at offset ${item[0].startOffset} does not parse alone`);
        return true;
      });
      assert.ok(result, `${path} did not split into items`);
    }
    assert.ok(clean > 20, `only ${clean} files parse cleanly`);
  });

  /** A large fabric with doc comments, estimates, loops and workloads, and optional block comments. */
  const large = (blockComments: boolean): string => {
    const lines = generateFabric(4096).split('\n');
    const body = lines.slice(2, -2).flatMap((line, index) => {
      const extra: string[] = [];
      if (index % 7 === 0) extra.push(`  /// item ${index}, documented`);
      if (blockComments && index % 45 === 0) extra.push('  /* a block comment', `     over three lines, ${index}`, '  */');
      // Longer than a lexing slice, so one cut at least falls inside it.
      if (blockComments && index === 2000) extra.push('  /*', ...Array.from({ length: 800 }, (_, k) => `   note ${k}: a long comment in the middle of the fabric`), '  */');
      const estimated = index % 11 === 0 && line.includes('link') ? `${line} { length: 2 m }   // estimate: cable run ${index}` : line;
      return [...extra, estimated];
    });
    const workload = ['  workload train {', '    for r in 0..3 {', '      allreduce 1 GiB over a0, a1, a2 using ring', '      compute 2 ms', '    }', '  }'];
    return [lines[0], lines[1], ...body, ...workload, '}', ''].join('\n');
  };

  for (const blockComments of [false, true]) {
    it(`lexes a large fabric slice by slice as it lexes it whole${blockComments ? ', with block comments' : ''}`, () => {
      const text = large(blockComments);
      assert.ok(text.length > 4 * 65_536, 'the file spans several lexing slices');
      let slices = 0;
      let wholeReadings = 0;
      const { tokenize, tokenizeSlice } = fabricLexer;
      fabricLexer.tokenizeSlice = function (...args) {
        slices++;
        return tokenizeSlice.apply(this, args);
      };
      fabricLexer.tokenize = function (...args) {
        if (args[0] === text) wholeReadings++;
        return tokenize.apply(this, args);
      };
      try {
        const inPieces = parse('/large.fabric', text, { maxNestingDepth: 64 });
        assert.ok(slices > 4, `lexed in ${slices} slices`);
        assert.equal(wholeReadings, 0, 'read in pieces, not whole');
        const whole = parse('/large.fabric', text, { maxNestingDepth: 64, inPieces: false });
        assert.deepEqual(inPieces.problems, []);
        assert.deepEqual(inPieces.comments, whole.comments);
        assert.deepEqual(inPieces.tree, whole.tree);
        const items = inPieces.tree.fabrics[0].items;
        assert.ok(items.some((item) => item.type === 'device' && item.doc?.startsWith('item ')), 'doc comments reach their items');
      } finally {
        fabricLexer.tokenizeSlice = tokenizeSlice;
        fabricLexer.tokenize = tokenize;
      }
    });
  }

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
