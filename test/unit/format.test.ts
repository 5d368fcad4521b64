/**
 * The formatter: golden fixtures (test/fixtures/format/<case>/input.fabric → expected.fabric),
 * idempotence and unchanged diagnostics on every example, and the edits it hands the editor.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { checkText } from '../../server/src/model/check.js';
import { formatLines, formatSource, type FormatOptions, type LineEdit } from '../../server/src/syntax/format.js';
import { parse } from '../../server/src/syntax/parse.js';
import { fabricLexer } from '../../server/src/syntax/tokens.js';
import { expectFile } from '../support/golden.js';

const OPTIONS: FormatOptions = { tabSize: 2, insertSpaces: true };

function format(text: string, options = OPTIONS): string {
  const result = formatSource(text, options);
  assert.ok(result, 'the text is formatted');
  return result.text;
}

/** Applies edits given in source offsets, last first. */
function apply(text: string, edits: LineEdit[]): string {
  let out = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, edit.start) + edit.newText + out.slice(edit.end);
  return out;
}

function fabricFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? fabricFiles(path) : path.endsWith('.fabric') ? [path] : [];
  });
}

/** Static diagnostic codes of a file (its imports read from beside it). */
function codes(path: string, text: string): string[] {
  const read = (file: string) => {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  };
  return checkText(path, text, { read }).diagnostics.map((d) => `${d.code}@${d.file === path ? 'self' : d.file}`).sort();
}

describe('formatter fixtures', () => {
  const root = 'test/fixtures/format';
  for (const name of readdirSync(root).sort()) {
    it(name, () => {
      const input = readFileSync(join(root, name, 'input.fabric'), 'utf8');
      const result = formatSource(input, OPTIONS);
      assert.ok(result, 'the input is formatted');
      expectFile(result.text, join(root, name, 'expected.fabric'));
      assert.equal(apply(input, result.edits), result.text, 'the edits turn the input into the output');
      assert.equal(format(result.text), result.text, 'formatting is idempotent');
      assert.deepEqual(formatSource(result.text, OPTIONS)!.edits, [], 'formatted text needs no edit');
    });
  }
});

describe('formatter on every example', () => {
  const files = [...fabricFiles('examples'), 'server/src/model/catalog.fabric'];
  for (const file of files) {
    it(file, () => {
      const text = readFileSync(file, 'utf8');
      const result = formatSource(text, OPTIONS);
      const syntaxErrors = parse(file, text, { maxNestingDepth: 64 }).problems.length > 0;
      if (syntaxErrors) {
        assert.equal(result, undefined, 'a file with syntax errors is not formatted');
        return;
      }
      assert.ok(result, 'formatted');
      assert.equal(apply(text, result.edits), result.text);
      assert.equal(format(result.text), result.text, 'idempotent');
      const path = resolve(file);
      assert.deepEqual(codes(path, result.text), codes(path, text), 'the same diagnostics before and after');
    });
  }

  it('includes broken files with and without syntax errors', () => {
    const broken = fabricFiles('examples/broken');
    assert.ok(broken.some((file) => formatSource(readFileSync(file, 'utf8'), OPTIONS) === undefined));
    assert.ok(broken.some((file) => formatSource(readFileSync(file, 'utf8'), OPTIONS) !== undefined));
  });
});

/** A seeded linear congruential generator, so that a failing case reproduces. */
function random(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
}

describe('formatter properties over the examples', () => {
  const examples = fabricFiles('examples')
    .map((file) => ({ file, text: readFileSync(file, 'utf8') }))
    .filter(({ file, text }) => parse(file, text, { maxNestingDepth: 64 }).problems.length === 0);
  const tokens = (text: string) => fabricLexer.tokenize(text).tokens.map((token) => token.image);

  it('lays out the same tokens the same way whatever the spacing between them', () => {
    const next = random(1);
    for (const { file, text } of examples) {
      const words = tokens(text);
      const expected = format(words.join(' '));
      for (let variant = 0; variant < 3; variant++) {
        const spaced = words.map((word) => word + [' ', '\n', '   ', '\t', ' \n  '][Math.floor(next() * 5)]).join('');
        assert.equal(format(spaced), expected, `${file}, variant ${variant}`);
      }
    }
  });

  it('keeps comments put anywhere between tokens, idempotently', () => {
    const next = random(2);
    const comments = [' // note\n', ' /* inline */ ', '\n/* on\n   two lines */\n', '\n// own line\n', '\n\n\n'];
    for (const { file, text } of examples) {
      for (let variant = 0; variant < 3; variant++) {
        const commented = tokens(text)
          .map((word) => word + (next() < 0.12 ? comments[Math.floor(next() * comments.length)] : ' '))
          .join('');
        // formatSource refuses any output that loses a comment or changes the tree.
        const once = format(commented);
        assert.equal(format(once), once, `${file}, variant ${variant}`);
      }
    }
  });
});

describe('formatter', () => {
  it('leaves a file with a syntax error alone', () => {
    assert.equal(formatSource('fabric f {\n  gpu   a\n  link a -> b : pcie6 x16\n}\n', OPTIONS), undefined);
    assert.equal(formatSource('fabric f {\n  gpu a\n', OPTIONS), undefined, 'an unclosed block');
    assert.equal(formatLines('fabric f {\ngpu a\n  gpu b :\n}\n', OPTIONS, 1, 1), undefined, 'range formatting too');
  });

  it('indents with the client’s tab size or with tabs', () => {
    const text = 'fabric f {\ngpu g { // x\nports: [pcie6 x16] memory: 1 GiB }\nworkload w { compute 1 ms }\n}\n';
    assert.equal(format(text, { tabSize: 4, insertSpaces: true }), 'fabric f {\n    gpu g {  // x\n        ports: [pcie6 x16]\n        memory: 1 GiB\n    }\n    workload w {\n        compute 1 ms\n    }\n}\n');
    assert.equal(format(text, { tabSize: 4, insertSpaces: false }), 'fabric f {\n\tgpu g {  // x\n\t\tports: [pcie6 x16]\n\t\tmemory: 1 GiB\n\t}\n\tworkload w {\n\t\tcompute 1 ms\n\t}\n}\n');
  });

  it('keeps a block on one line only while it fits the print width', () => {
    const text = 'fabric f {\n  gpu g { memory: 1 GiB  power: 700 W }\n}\n';
    assert.equal(format(text), text);
    assert.equal(format(text, { ...OPTIONS, printWidth: 30 }), 'fabric f {\n  gpu g {\n    memory: 1 GiB\n    power: 700 W\n  }\n}\n');
  });

  it('keeps the line endings of the file', () => {
    assert.equal(format('fabric f {\r\ngpu a  // note\r\n\r\n\r\n}\r\n'), 'fabric f {\r\n  gpu a  // note\r\n}\r\n');
  });

  it('turns an empty or blank file into an empty one and ends every other file with one newline', () => {
    assert.equal(format(''), '');
    assert.equal(format('\n\n  \n'), '');
    assert.equal(format('model m : gpu'), 'model m : gpu\n');
  });

  it('never lets a line comment swallow another: the second goes on its own line', () => {
    const text = 'model m : switch {\n  protocols: [pcie6 // a\n  , // b\n  cxl]\n}\n';
    assert.equal(format(text), 'model m : switch {\n  protocols: [\n    pcie6,  // a\n    // b\n    cxl,\n  ]\n}\n');
  });

  it('puts comments in awkward places where a second pass leaves them', () => {
    const cases: [string, string][] = [
      // The list breaks over lines for its comment, so `protocols` cannot stay on the line of `lanes`.
      ['model m : switch { lanes: 64 /* a */ protocols: [ /* b */ pcie6 ] }\n', 'model m : switch {\n  lanes: 64     /* a */\n  protocols: [  /* b */\n    pcie6,\n  ]\n}\n'],
      // A comment on a line of its own before a comma goes between the items, indented with them.
      ['model m : switch {\n  protocols: [pcie6\n  // own\n  , cxl]\n}\n', 'model m : switch {\n  protocols: [\n    pcie6,\n    // own\n    cxl,\n  ]\n}\n'],
    ];
    for (const [input, expected] of cases) {
      assert.equal(format(input), expected);
      assert.equal(format(expected), expected);
    }
  });

  it('refuses a layout that would move an estimate comment onto another figure', () => {
    // Flattening the list would put `pcie6` on the comment's line and make it an estimate too.
    const text = 'model m : switch {\n  protocols: [pcie6,\n    cxl] // estimate\n}\n';
    assert.equal(formatSource(text, OPTIONS), undefined);
  });

  it('formats only the lines a range touches', () => {
    const text = 'fabric f {\ngpu   a\n  gpu b{memory:1GiB}\n    switch s\n}\n';
    const edits = formatLines(text, OPTIONS, 2, 2)!;
    assert.deepEqual(edits.map((edit) => [edit.startLine, edit.endLine, edit.newText]), [[2, 3, '  gpu b { memory: 1 GiB }\n']]);
    assert.equal(apply(text, formatLines(text, OPTIONS, 0, 4)!), format(text), 'a range over the whole file formats it all');
  });

  it('gives edits over the changed lines only', () => {
    const text = 'fabric f {\n  gpu a\n  gpu   b\n  switch s\n}\n';
    const result = formatSource(text, OPTIONS)!;
    assert.deepEqual(result.edits, [{ startLine: 2, endLine: 3, start: 19, end: 29, newText: '  gpu b\n' }]);
  });
});
