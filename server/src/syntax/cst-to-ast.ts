/**
 * Builds the syntax tree from chevrotain's concrete syntax tree. Parts that error recovery
 * invented (tokens without offsets) or skipped make their node absent, never a crash: the
 * syntax error is already reported, and the rest of the tree stays usable.
 */
import type { CstNode, IToken } from 'chevrotain';
import type * as A from './ast.js';
import type { Span } from './source.js';
import { reservedWords } from './tokens.js';

type Children = Record<string, (CstNode | IToken)[] | undefined>;

export interface BuildProblem {
  span: Span;
  message: string;
}

export interface BuildContext {
  problems: BuildProblem[];
  /** The doc comment for a declaration starting at this offset, if any. */
  docAt(offset: number): string | undefined;
  /** The comment on the line of this offset, when it calls the figure an estimate. */
  estimateAt(offset: number): string | undefined;
  /**
   * A fabric's items when they were built one at a time (see item-split.ts), by the offset of the
   * fabric's `{`, with the problems found while building them.
   */
  separateItems?: ReadonlyMap<number, SeparateItems>;
}

export interface SeparateItems {
  items: A.Item[];
  problems: BuildProblem[];
}

const NONE: readonly never[] = Object.freeze([]);
const kids = (node: CstNode): Children => node.children as Children;
const nodes = (node: CstNode, key: string): readonly CstNode[] => (kids(node)[key] as CstNode[] | undefined) ?? NONE;
const tokens = (node: CstNode, key: string): readonly IToken[] => (kids(node)[key] as IToken[] | undefined) ?? NONE;
const firstNode = (node: CstNode, key: string): CstNode | undefined => nodes(node, key)[0];

/** A token that really is in the text (recovery inserts tokens with no offsets). */
function real(token: IToken | undefined): IToken | undefined {
  if (!token || token.isInsertedInRecovery || Number.isNaN(token.startOffset)) return undefined;
  return token;
}

function tokenSpan(token: IToken): Span {
  return { start: token.startOffset, end: (token.endOffset ?? token.startOffset) + 1 };
}

function nodeSpan(node: CstNode): Span | undefined {
  const location = node.location;
  if (!location || Number.isNaN(location.startOffset) || Number.isNaN(location.endOffset ?? NaN)) return undefined;
  // chevrotain starts locations at NaN, so it stores their offsets as boxed doubles; `| 0` makes
  // them small integers again, or every span in the process would hold two boxed numbers.
  return { start: location.startOffset | 0, end: ((location.endOffset as number) | 0) + 1 };
}

function joinSpans(a: Span, b: Span): Span {
  return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}

function nameOf(token: IToken | undefined): A.Name | undefined {
  const t = real(token);
  return t ? { text: t.image, span: tokenSpan(t) } : undefined;
}

function firstToken(node: CstNode, key: string): IToken | undefined {
  return real(tokens(node, key)[0]);
}

export function buildFile(root: CstNode, context: BuildContext): A.FileNode {
  const file: A.FileNode = { imports: [], models: [], transformers: [], fabrics: [], span: nodeSpan(root) ?? { start: 0, end: 0 } };
  for (const decl of nodes(root, 'importDecl')) {
    const built = buildImport(decl);
    if (built) file.imports.push(built);
  }
  for (const decl of nodes(root, 'modelDecl')) {
    const built = buildModel(decl, context);
    if (built) file.models.push(built);
  }
  for (const decl of nodes(root, 'transformerDecl')) {
    const built = buildTransformer(decl, context);
    if (built) file.transformers.push(built);
  }
  for (const decl of nodes(root, 'fabricDecl')) {
    const built = buildFabric(decl, context);
    if (built) file.fabrics.push(built);
  }
  const bySource = (a: { span: Span }, b: { span: Span }) => a.span.start - b.span.start;
  file.imports.sort(bySource);
  file.models.sort(bySource);
  file.transformers.sort(bySource);
  file.fabrics.sort(bySource);
  return file;
}

function unquote(image: string): string {
  const closed = image.length > 1 && image.endsWith('"') && !image.endsWith('\\"');
  const body = image.slice(1, closed ? -1 : undefined);
  return body.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

function buildImport(node: CstNode): A.ImportDecl | undefined {
  const path = firstToken(node, 'StringLiteral');
  const span = nodeSpan(node);
  if (!path || !span) return undefined;
  return { type: 'import', path: unquote(path.image), pathSpan: tokenSpan(path), span };
}

function buildModel(node: CstNode, context: BuildContext): A.ModelDecl | undefined {
  const name = nameOf(tokens(node, 'modelName')[0]);
  const base = nameOf(tokens(node, 'base')[0]);
  const span = nodeSpan(node);
  if (!name || !base || !span) return undefined;
  return {
    type: 'model',
    name,
    base,
    attributes: buildAttributeBlock(firstNode(node, 'attributeBlock'), context),
    doc: context.docAt(span.start),
    span,
  };
}

function buildTransformer(node: CstNode, context: BuildContext): A.TransformerDecl | undefined {
  const name = nameOf(tokens(node, 'transformerName')[0]);
  const span = nodeSpan(node);
  if (!name || !span) return undefined;
  return { type: 'transformer', name, attributes: buildAttributeBlock(firstNode(node, 'attributeBlock'), context), doc: context.docAt(span.start), span };
}

function buildFabric(node: CstNode, context: BuildContext): A.FabricDecl | undefined {
  const name = buildDeclaredName(firstNode(node, 'name'), 'a fabric', context);
  const span = nodeSpan(node);
  if (!name || !span) return undefined;
  const description = firstToken(node, 'StringLiteral');
  const open = firstToken(node, 'LBrace');
  const separate = open && context.separateItems?.get(open.startOffset);
  // One at a time: spreading a large array into a call overflows the stack.
  if (separate) for (const problem of separate.problems) context.problems.push(problem);
  return {
    type: 'fabric',
    name,
    description: description ? unquote(description.image) : undefined,
    items: separate ? separate.items : buildItems(nodes(node, 'item'), context, false),
    doc: context.docAt(span.start),
    span,
  };
}

const NAMED_IN_LOOP = ' (its name cannot take the loop index); declare it before the loop, as an array if you need one per iteration';
const OUT_OF_LOOP = '; move it out of the loop';
const declarationsNotInLoops: Record<string, string> = {
  device: `a device cannot be declared inside a loop${NAMED_IN_LOOP}`,
  group: `a group cannot be declared inside a loop${NAMED_IN_LOOP}`,
  let: `a constant cannot be declared inside a loop${NAMED_IN_LOOP}`,
  model: `a model cannot be declared inside a loop${NAMED_IN_LOOP}`,
  transformer: `a transformer cannot be declared inside a loop${NAMED_IN_LOOP}`,
  settings: `settings cannot be inside a loop${OUT_OF_LOOP}`,
  workload: `a workload cannot be declared inside a loop${OUT_OF_LOOP}; loops inside a workload repeat statements`,
  expect: `an expectation cannot be inside a loop${OUT_OF_LOOP}; a selector such as \`acc[*]\` covers many devices`,
};

/** The items of the `items` rule: a piece of a fabric's body read on its own. */
export function buildPieceItems(node: CstNode, context: BuildContext): A.Item[] {
  return buildItems(nodes(node, 'item'), context, false);
}

function buildItems(itemNodes: readonly CstNode[], context: BuildContext, inLoop: boolean): A.Item[] {
  const items: A.Item[] = [];
  for (const itemNode of itemNodes) {
    const item = buildItem(itemNode, context);
    if (!item) continue;
    if (inLoop && item.type in declarationsNotInLoops) {
      context.problems.push({
        span: item.span,
        message: declarationsNotInLoops[item.type],
      });
      continue;
    }
    items.push(item);
  }
  return items;
}

/** One item's syntax, from the concrete tree of the `item` rule. */
export function buildItem(node: CstNode, context: BuildContext): A.Item | undefined {
  let ruleName: string | undefined;
  // An item's node has one child, the rule it is; `for…in` finds it without listing all keys.
  for (ruleName in kids(node)) break;
  const inner = ruleName === undefined ? undefined : (kids(node)[ruleName]?.[0] as CstNode | undefined);
  if (!inner) return undefined;
  switch (ruleName) {
    case 'settingsDecl': {
      const span = nodeSpan(inner);
      return span && { type: 'settings', attributes: buildAttributeBlock(firstNode(inner, 'attributeBlock'), context), span };
    }
    case 'letDecl': {
      const name = buildDeclaredName(firstNode(inner, 'name'), 'a constant', context);
      const value = buildExpression(firstNode(inner, 'expression'), context);
      const span = nodeSpan(inner);
      return name && value && span ? { type: 'let', name, value, doc: context.docAt(span.start), span } : undefined;
    }
    case 'deviceDecl':
      return buildDevice(inner, context);
    case 'linkDecl':
      return buildLink(inner, context);
    case 'forItems': {
      const head = buildLoopHead(firstNode(inner, 'loopHead'), context);
      const span = nodeSpan(inner);
      return head && span ? { type: 'for', head, items: buildItems(nodes(inner, 'item'), context, true), span } : undefined;
    }
    case 'groupDecl': {
      const name = buildDeclaredName(firstNode(inner, 'name'), 'a group', context);
      const members = buildSelectorList(firstNode(inner, 'selectorList'), context);
      const span = nodeSpan(inner);
      return name && members && span ? { type: 'group', name, members, doc: context.docAt(span.start), span } : undefined;
    }
    case 'allocateDecl': {
      const size = buildQuantity(firstNode(inner, 'quantity'), context);
      const memory = buildEndpoint(firstNode(inner, 'endpoint'), context);
      const targets = buildSelectorList(firstNode(inner, 'selectorList'), context);
      const span = nodeSpan(inner);
      return size && memory && targets && span ? { type: 'allocate', size, memory, targets, span } : undefined;
    }
    case 'workloadDecl': {
      const name = buildDeclaredName(firstNode(inner, 'name'), 'a workload', context);
      const span = nodeSpan(inner);
      if (!name || !span) return undefined;
      const statements = buildStatementBlock(firstNode(inner, 'statementBlock'), context);
      return { type: 'workload', name, statements, doc: context.docAt(span.start), span };
    }
    case 'expectDecl':
      return buildExpect(inner, context);
    case 'modelDecl':
      return buildModel(inner, context);
    case 'transformerDecl':
      return buildTransformer(inner, context);
    default:
      return undefined;
  }
}

function buildDevice(node: CstNode, context: BuildContext): A.DeviceDecl | undefined {
  const kind = firstToken(node, 'kind');
  const name = buildDeclaredName(firstNode(node, 'name'), 'a device', context);
  const span = nodeSpan(node);
  if (!kind || !name || !span) return undefined;
  const countNode = firstNode(node, 'expression');
  const count = countNode ? buildExpression(countNode, context) : undefined;
  if (countNode && !count) return undefined;
  return {
    type: 'device',
    kind: kind.image as A.DeviceKind,
    name,
    count,
    model: nameOf(tokens(node, 'model')[0]),
    attributes: buildAttributeBlock(firstNode(node, 'attributeBlock'), context),
    doc: context.docAt(span.start),
    span,
  };
}

function buildLink(node: CstNode, context: BuildContext): A.LinkDecl | undefined {
  const left = buildEndpoint(firstNode(node, 'left'), context);
  const right = buildEndpoint(firstNode(node, 'right'), context);
  const port = buildPortSpec(firstNode(node, 'portSpec'), context);
  const span = nodeSpan(node);
  if (!left || !right || !port || !span) return undefined;
  return {
    type: 'link',
    left,
    right,
    port,
    attributes: buildAttributeBlock(firstNode(node, 'attributeBlock'), context),
    doc: context.docAt(span.start),
    span,
  };
}

function buildExpect(node: CstNode, context: BuildContext): A.ExpectDecl | undefined {
  const metric = nameOf(tokens(node, 'metric')[0]);
  const subject = buildSelectorList(firstNode(node, 'subject'), context);
  const targetNode = firstNode(node, 'target');
  const target = targetNode ? buildSelectorList(targetNode, context) : undefined;
  const op = firstToken(node, 'op');
  const bound = buildQuantity(firstNode(node, 'quantity'), context);
  const span = nodeSpan(node);
  if (!metric || !subject || (targetNode && !target) || !op || !bound || !span) return undefined;
  return { type: 'expect', metric, subject, target, comparison: op.image as A.Comparison, bound, span };
}

function buildLoopHead(node: CstNode | undefined, context: BuildContext): A.LoopHead | undefined {
  if (!node) return undefined;
  const variable = buildDeclaredName(firstNode(node, 'name'), 'a loop variable', context);
  const from = buildExpression(firstNode(node, 'from'), context);
  const to = buildExpression(firstNode(node, 'to'), context);
  return variable && from && to ? { variable, from, to } : undefined;
}

function buildStatementBlock(node: CstNode | undefined, context: BuildContext): A.Statement[] {
  if (!node) return [];
  const statements: A.Statement[] = [];
  for (const statementNode of nodes(node, 'statement')) {
    const statement = buildStatement(statementNode, context);
    if (statement) statements.push(statement);
  }
  return statements;
}

function buildStatement(node: CstNode, context: BuildContext): A.Statement | undefined {
  const [ruleName, child] = Object.entries(kids(node))[0] ?? [];
  const inner = child?.[0] as CstNode | undefined;
  const span = inner && nodeSpan(inner);
  if (!inner || !span) return undefined;
  const size = () => buildQuantity(firstNode(inner, 'quantity'), context);
  const algorithm = () => nameOf(tokens(firstNode(inner, 'usingClause') ?? inner, 'algorithm')[0]);
  switch (ruleName) {
    case 'computeStatement': {
      const time = size();
      return time && { type: 'compute', time, span };
    }
    case 'collectiveStatement': {
      const op = firstToken(inner, 'op');
      const quantity = size();
      const ranks = buildSelectorList(firstNode(inner, 'selectorList'), context);
      return op && quantity && ranks
        ? { type: 'collective', op: op.image as A.CollectiveOp, size: quantity, ranks, algorithm: algorithm(), span }
        : undefined;
    }
    case 'broadcastStatement': {
      const quantity = size();
      const root = buildEndpoint(firstNode(inner, 'endpoint'), context);
      const ranks = buildSelectorList(firstNode(inner, 'selectorList'), context);
      return quantity && root && ranks ? { type: 'broadcast', size: quantity, root, ranks, algorithm: algorithm(), span } : undefined;
    }
    case 'flowStatement': {
      const quantity = size();
      const source = buildEndpoint(firstNode(inner, 'source'), context);
      const target = buildEndpoint(firstNode(inner, 'target'), context);
      return quantity && source && target ? { type: 'flow', size: quantity, source, target, span } : undefined;
    }
    case 'readStatement':
    case 'writeStatement': {
      const quantity = size();
      const device = buildEndpoint(firstNode(inner, 'endpoint'), context);
      const by = buildSelectorList(firstNode(inner, 'selectorList'), context);
      const type = ruleName === 'readStatement' ? 'read' : 'write';
      return quantity && device && by ? { type, size: quantity, device, by, span } : undefined;
    }
    case 'parallelStatement':
      return { type: 'parallel', statements: buildStatementBlock(firstNode(inner, 'statementBlock'), context), span };
    case 'forStatements': {
      const head = buildLoopHead(firstNode(inner, 'loopHead'), context);
      return head && { type: 'for', head, statements: buildStatementBlock(firstNode(inner, 'statementBlock'), context), span };
    }
    case 'transformerStatement': {
      const op = firstToken(inner, 'op');
      const transformer = nameOf(tokens(inner, 'transformer')[0]);
      const ranks = buildSelectorList(firstNode(inner, 'selectorList'), context);
      return op && transformer && ranks
        ? { type: op.image as 'train' | 'serve', transformer, ranks, attributes: buildAttributeBlock(firstNode(inner, 'attributeBlock'), context), span }
        : undefined;
    }
    default:
      return undefined;
  }
}

/** Shared by every declaration without attributes: most lines of a large fabric have none. */
const NO_ATTRIBUTES: readonly A.Attribute[] = Object.freeze([]);

function buildAttributeBlock(node: CstNode | undefined, context: BuildContext): readonly A.Attribute[] {
  if (!node) return NO_ATTRIBUTES;
  const attributes: A.Attribute[] = [];
  for (const attributeNode of nodes(node, 'attribute')) {
    const key = nameOf(tokens(attributeNode, 'key')[0]);
    const span = nodeSpan(attributeNode);
    if (!key || !span) continue;
    const value = buildValue(firstNode(attributeNode, 'value'), context);
    attributes.push({ key, value, estimate: context.estimateAt(span.end - 1), span });
  }
  return attributes;
}

function buildValue(node: CstNode | undefined, context: BuildContext): A.Value | undefined {
  if (!node) return undefined;
  const span = nodeSpan(node);
  if (!span) return undefined;
  const list = firstNode(node, 'list');
  if (list) {
    const items: A.Value[] = [];
    for (const itemNode of nodes(list, 'value')) {
      const item = buildValue(itemNode, context);
      if (item) items.push({ ...item, estimate: context.estimateAt(item.span.end - 1) });
    }
    return { type: 'list', items, span };
  }
  const quantityNode = firstNode(node, 'quantity');
  if (quantityNode) {
    const quantity = buildQuantity(quantityNode, context);
    return quantity && { type: 'quantity', quantity, span };
  }
  const text = firstToken(node, 'StringLiteral');
  if (text) return { type: 'string', value: unquote(text.image), span };
  const portNode = firstNode(node, 'portSpec');
  if (portNode) {
    const port = buildPortSpec(portNode, context);
    return port && { type: 'port', port, span };
  }
  const word = nameOf(tokens(node, 'word')[0]);
  if (word) return { type: 'word', word, span };
  const width = nameOf(tokens(node, 'Width')[0]);
  if (width) return { type: 'width', width, span };
  return firstToken(node, 'Star') && { type: 'rest', span };
}

function buildPortSpec(node: CstNode | undefined, context: BuildContext): A.PortSpec | undefined {
  if (!node) return undefined;
  const protocol = nameOf(tokens(node, 'protocol')[0]);
  const width = nameOf(tokens(node, 'Width')[0]);
  const span = nodeSpan(node);
  if (!protocol || !width || !span) return undefined;
  const countNode = firstNode(node, 'count');
  const count = countNode ? buildAtom(countNode, context) : undefined;
  if (countNode && !count) return undefined;
  return { protocol, width, count, span };
}

/** Parses `1_000`, `1.5`, `2e3`; a number too large to represent is reported, not infinity. */
function parseNumber(token: IToken, context: BuildContext): number | undefined {
  const image = token.image;
  const value = Number(image.includes('_') ? image.replace(/_/g, '') : image);
  if (!Number.isFinite(value)) {
    context.problems.push({ span: tokenSpan(token), message: `the number ${token.image} is too large to represent` });
    return undefined;
  }
  return value;
}

function buildQuantity(node: CstNode | undefined, context: BuildContext): A.Quantity | undefined {
  if (!node) return undefined;
  const numberToken = firstToken(node, 'NumberLiteral');
  const span = nodeSpan(node);
  if (!numberToken || !span) return undefined;
  const value = parseNumber(numberToken, context);
  if (value === undefined) return undefined;
  const unitNode = firstNode(node, 'unit');
  let unit: A.Name | undefined;
  if (unitNode) {
    const unitSpan = nodeSpan(unitNode);
    if (!unitSpan) return undefined;
    const parts = [...tokens(unitNode, 'Identifier'), ...tokens(unitNode, 'Percent'), ...tokens(unitNode, 'MicroUnit')];
    const per = real(tokens(unitNode, 'per')[0]);
    const text = parts.map((t) => t.image).join('') + (per ? `/${per.image}` : '');
    unit = { text, span: unitSpan };
  }
  return { value, text: numberToken.image, unit, span };
}

function buildEndpoint(node: CstNode | undefined, context: BuildContext): A.Endpoint | undefined {
  if (!node) return undefined;
  const name = buildName(firstNode(node, 'name'));
  const indexNode = firstNode(node, 'expression');
  // Without an index the endpoint is its name, and shares its span (one object fewer per end).
  const span = indexNode ? nodeSpan(node) : name?.span;
  if (!name || !span) return undefined;
  const index = indexNode ? buildExpression(indexNode, context) : undefined;
  if (indexNode && !index) return undefined;
  return { name, index, span };
}

function buildSelectorList(node: CstNode | undefined, context: BuildContext): A.Selector[] | undefined {
  if (!node) return undefined;
  const selectors: A.Selector[] = [];
  for (const selectorNode of nodes(node, 'selector')) {
    const selector = buildSelector(selectorNode, context);
    if (selector) selectors.push(selector);
  }
  return selectors.length > 0 ? selectors : undefined;
}

function buildSelector(node: CstNode, context: BuildContext): A.Selector | undefined {
  const name = buildName(firstNode(node, 'name'));
  const span = nodeSpan(node);
  if (!name || !span) return undefined;
  if (firstToken(node, 'Star')) return { name, index: { type: 'all' }, span };
  const fromNode = firstNode(node, 'from');
  if (!fromNode) return { name, span };
  const from = buildExpression(fromNode, context);
  if (!from) return undefined;
  const toNode = firstNode(node, 'to');
  if (!toNode) return { name, index: { type: 'one', at: from }, span };
  const to = buildExpression(toNode, context);
  return to && { name, index: { type: 'range', from, to }, span };
}

function buildName(node: CstNode | undefined): A.Name | undefined {
  if (!node) return undefined;
  return nameOf(tokens(node, 'AnyWord')[0]);
}

/** A declared name; a reserved word there is reported (it could never be referred to). */
function buildDeclaredName(node: CstNode | undefined, what: string, context: BuildContext): A.Name | undefined {
  const name = buildName(node);
  if (name && reservedWords.includes(name.text)) {
    context.problems.push({ span: name.span, message: `\`${name.text}\` is a reserved word and cannot name ${what}; choose another name` });
    return undefined;
  }
  return name;
}

/** Left-associative chains: `operands[0] op[0] operands[1] ...`. */
function buildChain(node: CstNode, build: (n: CstNode) => A.Expression | undefined): A.Expression | undefined {
  const operands = nodes(node, 'operands');
  const operators = tokens(node, 'operators');
  let left = operands[0] && build(operands[0]);
  for (let i = 0; left && i < operators.length; i++) {
    const operator = real(operators[i]);
    const right = operands[i + 1] && build(operands[i + 1]);
    if (!operator || !right) return undefined;
    left = {
      type: 'binary',
      operator: operator.image as '+' | '-' | '*' | '/' | '%',
      left,
      right,
      span: joinSpans(left.span, right.span),
    };
  }
  return left;
}

function buildExpression(node: CstNode | undefined, context: BuildContext): A.Expression | undefined {
  return node && buildChain(node, (term) => buildChain(term, (atom) => buildAtom(atom, context)));
}

function buildAtom(node: CstNode, context: BuildContext): A.Expression | undefined {
  const numberToken = firstToken(node, 'NumberLiteral');
  if (numberToken) {
    const value = parseNumber(numberToken, context);
    return value === undefined ? undefined : { type: 'number', value, text: numberToken.image, span: tokenSpan(numberToken) };
  }
  const name = buildName(firstNode(node, 'name'));
  if (name) return { type: 'name', name, span: name.span };
  const inner = buildExpression(firstNode(node, 'expression'), context);
  const span = nodeSpan(node);
  return inner && span ? { ...inner, span } : undefined;
}
