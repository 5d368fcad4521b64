/**
 * What each word of a file is, for semantic highlighting. The syntax tree says what a word is
 * by where it stands (a model after `:`, a key before `:`, a protocol in a port spec) and the
 * declarations say what a name refers to (a constant, a loop variable, a group, a device); the
 * tokens fill in keywords, numbers, strings, operators and comments. Works on a file with errors:
 * what the tree could not read is highlighted from its tokens alone.
 */
import type { IToken } from 'chevrotain';
import type * as A from './ast.js';
import { tokenEnd, tokensOf } from './lexed.js';
import type { ParseResult } from './parse.js';
import type { Span } from './source.js';
import * as T from './tokens.js';

/** Standard LSP token types only, so that every editor colours them without configuration. */
export const TOKEN_TYPES = ['namespace', 'type', 'enum', 'enumMember', 'parameter', 'variable', 'property', 'function', 'keyword', 'number', 'string', 'comment', 'operator'] as const;
/** Standard modifiers, then `width` (on numbers) and `unit` (on keywords) that themes may style. */
export const TOKEN_MODIFIERS = ['declaration', 'readonly', 'defaultLibrary', 'documentation', 'width', 'unit'] as const;

export type TokenTypeName = (typeof TOKEN_TYPES)[number];
export type TokenModifierName = (typeof TOKEN_MODIFIERS)[number];

export interface SemanticToken {
  start: number;
  end: number;
  type: TokenTypeName;
  modifiers: TokenModifierName[];
}

const KINDS = new Set(['gpu', 'cpu', 'switch', 'memory']);

const OPERATORS = new Set([
  T.BiArrow, T.Arrow, T.Range, T.Less, T.LessEqual, T.Greater, T.GreaterEqual, T.EqualEqual, T.Equals, T.Plus, T.Minus, T.Star, T.Slash, T.Percent,
]);

/**
 * The tokens in source order. `builtinModel` tells the catalog's models apart (they carry
 * `defaultLibrary`).
 */
export function semanticTokens(parsed: ParseResult, builtinModel: (name: string) => boolean): SemanticToken[] {
  const named = new NamedTokens(builtinModel);
  named.file(parsed.tree);
  return merge(named.sorted(), tokensOf(parsed.source), parsed.comments);
}

/** The tokens the tree classifies: names, keys, models, protocols, units, algorithms. */
class NamedTokens {
  private readonly tokens: SemanticToken[] = [];
  private constants = new Set<string>();
  private groups = new Set<string>();
  private readonly loopVariables: string[] = [];

  constructor(private readonly builtinModel: (name: string) => boolean) {}

  sorted(): SemanticToken[] {
    return this.tokens.sort((a, b) => a.start - b.start);
  }

  file(tree: A.FileNode): void {
    for (const model of tree.models) this.model(model);
    for (const fabric of tree.fabrics) {
      this.constants = new Set(fabric.items.flatMap((item) => (item.type === 'let' ? [item.name.text] : [])));
      this.groups = new Set(fabric.items.flatMap((item) => (item.type === 'group' ? [item.name.text] : [])));
      this.add(fabric.name.span, 'namespace', 'declaration');
      for (const item of fabric.items) this.item(item);
    }
  }

  private add(span: Span, type: TokenTypeName, ...modifiers: TokenModifierName[]): void {
    if (span.end > span.start) this.tokens.push({ start: span.start, end: span.end, type, modifiers });
  }

  private item(item: A.Item): void {
    switch (item.type) {
      case 'settings':
        return this.attributes(item.attributes);
      case 'let':
        this.add(item.name.span, 'variable', 'declaration', 'readonly');
        return this.expression(item.value);
      case 'device':
        this.add(item.name.span, 'variable', 'declaration');
        if (item.count) this.expression(item.count);
        if (item.model) this.modelName(item.model);
        return this.attributes(item.attributes);
      case 'link':
        this.endpoint(item.left);
        this.endpoint(item.right);
        this.port(item.port);
        return this.attributes(item.attributes);
      case 'for':
        this.loop(item.head, () => item.items.forEach((inner) => this.item(inner)));
        return;
      case 'group':
        this.add(item.name.span, 'enum', 'declaration');
        return this.selectors(item.members);
      case 'allocate':
        this.quantity(item.size);
        this.endpoint(item.memory);
        return this.selectors(item.targets);
      case 'workload':
        this.add(item.name.span, 'function', 'declaration');
        return item.statements.forEach((statement) => this.statement(statement));
      case 'expect':
        this.add(item.metric.span, 'keyword');
        // `expect time WORKLOAD`: the subject names a workload, not devices.
        if (item.metric.text === 'time' && item.subject.length === 1 && !item.subject[0].index) this.add(item.subject[0].name.span, 'function');
        else this.selectors(item.subject);
        if (item.target) this.selectors(item.target);
        return this.quantity(item.bound);
      case 'model':
        return this.model(item);
    }
  }

  private model(decl: A.ModelDecl): void {
    this.add(decl.name.span, 'type', 'declaration');
    // `model m : switch` starts from a kind, a keyword here; any other base is a model.
    if (KINDS.has(decl.base.text)) this.add(decl.base.span, 'keyword');
    else this.modelName(decl.base);
    this.attributes(decl.attributes);
  }

  private modelName(name: A.Name): void {
    if (this.builtinModel(name.text)) this.add(name.span, 'type', 'defaultLibrary');
    else this.add(name.span, 'type');
  }

  private statement(statement: A.Statement): void {
    switch (statement.type) {
      case 'compute':
        return this.quantity(statement.time);
      case 'collective':
      case 'broadcast':
        this.quantity(statement.size);
        if (statement.type === 'broadcast') this.endpoint(statement.root);
        this.selectors(statement.ranks);
        if (statement.algorithm) this.add(statement.algorithm.span, 'enumMember');
        return;
      case 'flow':
        this.quantity(statement.size);
        this.endpoint(statement.source);
        return this.endpoint(statement.target);
      case 'read':
      case 'write':
        this.quantity(statement.size);
        this.endpoint(statement.device);
        return this.selectors(statement.by);
      case 'parallel':
        return statement.statements.forEach((inner) => this.statement(inner));
      case 'for':
        return this.loop(statement.head, () => statement.statements.forEach((inner) => this.statement(inner)));
    }
  }

  private loop(head: A.LoopHead, body: () => void): void {
    this.expression(head.from);
    this.expression(head.to);
    this.add(head.variable.span, 'parameter', 'declaration');
    this.loopVariables.push(head.variable.text);
    body();
    this.loopVariables.pop();
  }

  private attributes(attributes: readonly A.Attribute[]): void {
    for (const attribute of attributes) {
      this.add(attribute.key.span, 'property');
      if (attribute.value) this.value(attribute.value);
    }
  }

  private value(value: A.Value): void {
    switch (value.type) {
      case 'quantity':
        return this.quantity(value.quantity);
      case 'word':
        // `push`, `pull`, protocols in a list: members of a fixed set; booleans are keywords.
        return this.add(value.word.span, value.word.text === 'true' || value.word.text === 'false' ? 'keyword' : 'enumMember');
      case 'port':
        return this.port(value.port);
      case 'list':
        return value.items.forEach((item) => this.value(item));
      case 'string':
      case 'width':
        return;
    }
  }

  private port(port: A.PortSpec): void {
    this.add(port.protocol.span, 'enumMember');
    if (port.count) this.expression(port.count);
  }

  private quantity(quantity: A.Quantity): void {
    if (quantity.unit) this.add(quantity.unit.span, 'keyword', 'unit');
  }

  private endpoint(endpoint: A.Endpoint): void {
    this.reference(endpoint.name);
    if (endpoint.index) this.expression(endpoint.index);
  }

  private selectors(selectors: A.Selector[]): void {
    for (const selector of selectors) {
      this.reference(selector.name);
      const index = selector.index;
      if (index?.type === 'one') this.expression(index.at);
      else if (index?.type === 'range') {
        this.expression(index.from);
        this.expression(index.to);
      }
    }
  }

  /** A device or a group (they share one namespace). */
  private reference(name: A.Name): void {
    this.add(name.span, this.groups.has(name.text) ? 'enum' : 'variable');
  }

  private expression(expression: A.Expression): void {
    if (expression.type === 'binary') {
      this.expression(expression.left);
      this.expression(expression.right);
    } else if (expression.type === 'name') {
      const name = expression.name.text;
      if (this.loopVariables.includes(name)) this.add(expression.name.span, 'parameter');
      else if (this.constants.has(name)) this.add(expression.name.span, 'variable', 'readonly');
      else this.add(expression.name.span, 'variable');
    }
  }
}

/** The tree's tokens, then every other token and comment by its lexical kind. */
function merge(named: SemanticToken[], tokens: IToken[], comments: IToken[]): SemanticToken[] {
  const out: SemanticToken[] = [];
  let n = 0;
  let c = 0;
  const pushComments = (before: number) => {
    for (; c < comments.length && comments[c].startOffset < before; c++) {
      const comment = comments[c];
      const modifiers: TokenModifierName[] = comment.tokenType === T.DocComment ? ['documentation'] : [];
      out.push({ start: comment.startOffset, end: tokenEnd(comment), type: 'comment', modifiers });
    }
  };
  for (const token of tokens) {
    pushComments(token.startOffset);
    while (n < named.length && named[n].end <= token.startOffset) n++;
    if (n < named.length && named[n].start <= token.startOffset) {
      // Classified by the tree; a unit such as `GB/s` spans three lexer tokens.
      if (named[n].start === token.startOffset) out.push(named[n]);
      continue;
    }
    const lexical = lexicalToken(token);
    if (lexical) out.push(lexical);
  }
  pushComments(Infinity);
  return out;
}

function lexicalToken(token: IToken): SemanticToken | undefined {
  const type = token.tokenType;
  const span = { start: token.startOffset, end: tokenEnd(token) };
  if (type === T.NumberLiteral) return { ...span, type: 'number', modifiers: [] };
  if (type === T.Width) return { ...span, type: 'number', modifiers: ['width'] };
  if (type === T.String || type === T.UnterminatedString) return { ...span, type: 'string', modifiers: [] };
  if (type === T.MicroUnit) return { ...span, type: 'keyword', modifiers: ['unit'] };
  if (OPERATORS.has(type)) return { ...span, type: 'operator', modifiers: [] };
  const categories = type.CATEGORIES ?? [];
  if (categories.includes(T.ReservedWord) || categories.includes(T.ConnectingWord)) return { ...span, type: 'keyword', modifiers: [] };
  return undefined;
}
