/**
 * textDocument/semanticTokens/full and /range: syntax/semantic-tokens.ts encoded relative to the
 * previous token, as LSP wants; a block comment over several lines becomes one token per line.
 */
import type { SemanticTokens } from 'vscode-languageserver';
import { catalog } from '../../model/check.js';
import { semanticTokens, TOKEN_MODIFIERS, TOKEN_TYPES, type SemanticToken } from '../../syntax/semantic-tokens.js';
import type { SourceFile, Span } from '../../syntax/source.js';
import type { Feature } from './feature.js';

const TYPE_INDEX = new Map<string, number>(TOKEN_TYPES.map((type, i) => [type, i]));
const MODIFIER_BIT = new Map<string, number>(TOKEN_MODIFIERS.map((modifier, i) => [modifier, 1 << i]));

let builtins: Set<string> | undefined;
const isBuiltinModel = (name: string) => (builtins ??= new Set(catalog().tree.models.map((model) => model.name.text))).has(name);

/** Tokens overlapping `range` (all when none), as the five-number groups of the LSP encoding. */
function encode(tokens: SemanticToken[], source: SourceFile, range?: Span): number[] {
  const data: number[] = [];
  let lastLine = 0;
  let lastCharacter = 0;
  const push = (line: number, character: number, length: number, token: SemanticToken) => {
    if (length <= 0) return;
    data.push(line - lastLine, line === lastLine ? character - lastCharacter : character, length, TYPE_INDEX.get(token.type)!);
    data.push(token.modifiers.reduce((bits, modifier) => bits | MODIFIER_BIT.get(modifier)!, 0));
    lastLine = line;
    lastCharacter = character;
  };
  for (const token of tokens) {
    if (range && (token.end <= range.start || token.start >= range.end)) continue;
    const start = source.position(token.start);
    const end = source.position(token.end);
    for (let line = start.line; line <= end.line; line++) {
      const from = line === start.line ? start.character : 0;
      const to = line === end.line ? end.character : source.lineText(line).length;
      push(line, from, to - from, token);
    }
  }
  return data;
}

export const semanticTokensFeature: Feature = {
  capabilities: {
    semanticTokensProvider: { legend: { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] }, full: true, range: true },
  },
  register(connection, workspace) {
    const tokensOf = (uri: string) => {
      const state = workspace.documents.get(uri);
      if (!state) return undefined;
      const entry = workspace.current(state).program.entry;
      return { source: entry.source, tokens: semanticTokens(entry, isBuiltinModel) };
    };
    connection.languages.semanticTokens.on(({ textDocument }): SemanticTokens => {
      const found = tokensOf(textDocument.uri);
      return { data: found ? encode(found.tokens, found.source) : [] };
    });
    connection.languages.semanticTokens.onRange(({ textDocument, range }): SemanticTokens => {
      const found = tokensOf(textDocument.uri);
      if (!found) return { data: [] };
      return { data: encode(found.tokens, found.source, { start: found.source.offset(range.start), end: found.source.offset(range.end) }) };
    });
  },
};
