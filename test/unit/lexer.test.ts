/** The lexing traps of §2 and §12, as data: input → token kinds and images. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createFabricLexer, fabricLexer } from '../../server/src/syntax/tokens.js';
import { FabricParser } from '../../server/src/syntax/parser.js';
import { parse } from '../../server/src/syntax/parse.js';

function lex(text: string): string[] {
  const result = fabricLexer.tokenize(text);
  assert.deepEqual(result.errors, [], `lexing ${text}`);
  return result.tokens.map((t) => `${t.tokenType.name}:${t.image}`);
}

const cases: [string, string[]][] = [
  ['acc[i-1]', ['Identifier:acc', 'LBracket:[', 'Identifier:i', 'Minus:-', 'NumberLiteral:1', 'RBracket:]']],
  ['0..63', ['NumberLiteral:0', 'Range:..', 'NumberLiteral:63']],
  ['0..N-1', ['NumberLiteral:0', 'Range:..', 'Identifier:N', 'Minus:-', 'NumberLiteral:1']],
  ['1.5m', ['NumberLiteral:1.5', 'Identifier:m']],
  ['100GB/s', ['NumberLiteral:100', 'Identifier:GB', 'Slash:/', 'Identifier:s']],
  ['2e3 1_000 1.25e-3', ['NumberLiteral:2e3', 'NumberLiteral:1_000', 'NumberLiteral:1.25e-3']],
  ['x16 x16a x x4*2', ['Width:x16', 'Identifier:x16a', 'Identifier:x', 'Width:x4', 'Star:*', 'NumberLiteral:2']],
  ['a <-> b <= c < d -> e >= f > g == h = i', [
    'Identifier:a', 'BiArrow:<->', 'Identifier:b', 'LessEqual:<=', 'Identifier:c', 'Less:<', 'Identifier:d', 'Arrow:->',
    'Identifier:e', 'GreaterEqual:>=', 'Identifier:f', 'Greater:>', 'Identifier:g', 'EqualEqual:==', 'Identifier:h', 'Equals:=', 'Identifier:i',
  ]],
  ['2\u00B5s 3\u03BCs', ['NumberLiteral:2', 'MicroUnit:\u00B5s', 'NumberLiteral:3', 'MicroUnit:\u03BCs']],
  ['gpu gpu_ualink linker in inc to tool', ['Gpu:gpu', 'Identifier:gpu_ualink', 'Identifier:linker', 'In:in', 'Identifier:inc', 'To:to', 'Identifier:tool']],
  ['80% i % 4', ['NumberLiteral:80', 'Percent:%', 'Identifier:i', 'Percent:%', 'NumberLiteral:4']],
  ['"a \\"quoted\\" \\\\ name"', ['String:"a \\"quoted\\" \\\\ name"']],
];

describe('lexer', () => {
  it('has token definitions and a grammar that pass chevrotain\'s own checks (skipped at start-up)', () => {
    assert.doesNotThrow(() => createFabricLexer(true));
    assert.doesNotThrow(() => new FabricParser({ validate: true }));
  });

  for (const [input, expected] of cases) {
    it(`lexes ${input}`, () => assert.deepEqual(lex(input), expected));
  }

  it('keeps /// doc comments apart from //// and // comments', () => {
    const result = fabricLexer.tokenize('/// doc\n//// plain\n// plain\n/* block */');
    assert.deepEqual(
      (result.groups.comments ?? []).map((t) => t.tokenType.name),
      ['DocComment', 'LineComment', 'LineComment', 'BlockComment'],
    );
  });

  it('gives every token and comment its end offset as it is made', () => {
    const text = 'gpu a[16] : m // note\n/* two\nlines */ "µs"';
    const result = fabricLexer.tokenize(text);
    for (const token of [...result.tokens, ...(result.groups.comments ?? [])]) {
      assert.equal(text.slice(token.startOffset, (token.endOffset as number) + 1), token.image);
    }
    assert.equal(result.tokens.length + (result.groups.comments ?? []).length, 10);
  });

  it('attaches a run of /// lines to the declaration below, but not across a blank line', () => {
    const { tree } = parse('t.fabric', '/// lost\n\n/// first\n/// second\nmodel m : gpu\n//// not doc\nmodel n : gpu', { maxNestingDepth: 64 });
    assert.equal(tree.models[0].doc, 'first\nsecond');
    assert.equal(tree.models[1].doc, undefined);
  });

  it('reports an unterminated string once and an unterminated block comment once', () => {
    const { problems } = parse('t.fabric', 'model m : gpu { note: "open\n}\n/* never closed\n more', { maxNestingDepth: 64 });
    assert.deepEqual(
      problems.map((p) => p.message),
      ['unterminated block comment: close it with `*/`', 'unterminated string: close it with `"` on the same line'],
    );
  });

  it('gives every node an exact source range', () => {
    const text = 'fabric f {\n  link a[i + 1] <-> sx : ualink x4 * 2 { length: 1.5 m }\n}';
    const { tree } = parse('t.fabric', text, { maxNestingDepth: 64 });
    const link = tree.fabrics[0].items[0];
    assert.equal(link.type, 'link');
    if (link.type !== 'link') return;
    const slice = (span: { start: number; end: number }) => text.slice(span.start, span.end);
    assert.equal(slice(link.span), 'link a[i + 1] <-> sx : ualink x4 * 2 { length: 1.5 m }');
    assert.equal(slice(link.left.span), 'a[i + 1]');
    assert.equal(slice(link.left.index!.span), 'i + 1');
    assert.equal(slice(link.port.span), 'ualink x4 * 2');
    assert.equal(slice(link.attributes[0].span), 'length: 1.5 m');
    assert.equal(slice(link.attributes[0].value!.span), '1.5 m');
  });
});
