/**
 * The name index behind go-to-definition, references, highlights and rename: every name the
 * program's files write, with the declaration it resolves to under the language's scoping rules
 * (docs/language.md §3): devices and groups share one namespace in the fabric; constants and loop
 * variables share another, a loop variable being visible only inside its loop; workloads have a
 * third; models form one global namespace over the file, its imports and the built-in catalog.
 * Names that resolve to nothing are left out: the checker reports them. Pure: no I/O.
 */
import type * as A from '../syntax/ast.js';
import type { ParseResult } from '../syntax/parse.js';
import type { Span } from '../syntax/source.js';
import { reservedWords } from '../syntax/tokens.js';
import { CATALOG_PATH, DEFAULT_MODEL } from '../model/catalog.js';
import { isKind, modelSources } from '../model/models.js';
import { transformerSources } from '../model/transformers.js';
import type { Program } from '../model/program.js';

export type SymbolKind = 'device' | 'group' | 'constant' | 'loop-variable' | 'workload' | 'model' | 'transformer';

/** A declared name: what it is, and the file and span of the name where it is declared. */
export interface NameSymbol {
  kind: SymbolKind;
  name: string;
  file: string;
  span: Span;
}

export interface Occurrence {
  symbol: NameSymbol;
  file: string;
  span: Span;
  /** The declaring occurrence rather than a use. */
  declaration: boolean;
}

/** What the index reads: a program and the catalog (a CheckResult has both). */
export interface IndexInput {
  program: Program;
  catalog: ParseResult;
}

const KIND_NAMES: Record<SymbolKind, string> = {
  device: 'a device',
  group: 'a group',
  constant: 'a constant',
  'loop-variable': 'a loop variable',
  workload: 'a workload',
  model: 'a model',
  transformer: 'a transformer',
};

/** Kinds sharing a namespace: a new name must be free across the whole namespace. */
const NAMESPACE: Record<SymbolKind, string> = {
  device: 'device',
  group: 'device',
  constant: 'value',
  'loop-variable': 'value',
  workload: 'workload',
  model: 'model',
  transformer: 'transformer',
};

/** A loop variable and the loops around it: names resolve innermost first. */
interface LoopScope {
  symbol: NameSymbol;
  outer?: LoopScope;
}

export class ReferenceIndex {
  readonly occurrences: Occurrence[] = [];
  readonly symbols: NameSymbol[] = [];
  private readonly uses = new Map<NameSymbol, Occurrence[]>();
  /** For each loop variable, the loop variables around it and inside it: it may not take their names. */
  readonly loopNeighbours = new Map<NameSymbol, NameSymbol[]>();

  add(symbol: NameSymbol, file: string, span: Span, declaration: boolean): void {
    const occurrence = { symbol, file, span, declaration };
    this.occurrences.push(occurrence);
    let list = this.uses.get(symbol);
    if (!list) this.uses.set(symbol, (list = []));
    list.push(occurrence);
  }

  /** The name at an offset; a name ending right at the offset counts (the cursor after a word). */
  at(file: string, offset: number): Occurrence | undefined {
    let touching: Occurrence | undefined;
    for (const occurrence of this.occurrences) {
      if (occurrence.file !== file || occurrence.span.start > offset || occurrence.span.end < offset) continue;
      if (occurrence.span.end > offset) return occurrence;
      touching = occurrence;
    }
    return touching;
  }

  /** Every occurrence of a symbol, its declaration first. */
  references(symbol: NameSymbol): Occurrence[] {
    return this.uses.get(symbol) ?? [];
  }

  /** The symbol declared at this name, if this index knows it (indexes of other programs share declarations). */
  declaredAt(kind: SymbolKind, file: string, start: number): NameSymbol | undefined {
    return this.symbols.find((s) => s.kind === kind && s.file === file && s.span.start === start);
  }

  /**
   * Why `symbol` cannot be renamed to `name`, as a sentence, or undefined when it can: a name
   * that is not a word, a lane width, a reserved word where one cannot stand, a device kind for
   * a model (`: gpu` as a base means the kind), a built-in model, or a name taken in the
   * namespace (for a loop variable: a constant, or a loop variable around it or inside it).
   */
  renameProblem(symbol: NameSymbol, name: string): string | undefined {
    if (symbol.file === CATALOG_PATH) {
      return symbol.kind === 'transformer'
        ? `\`${symbol.name}\` is a built-in transformer of the catalog and cannot be renamed; declare your own transformer with its shape under another name.`
        : `\`${symbol.name}\` is a built-in model of the catalog and cannot be renamed; declare your own model starting from it (\`model my_${symbol.name} : ${symbol.name}\`).`;
    }
    if (/^x\d+$/.test(name)) return `\`${name}\` reads as a lane width, not a name; choose another name.`;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      return `\`${name}\` is not a name: a name starts with a letter or \`_\` and holds only letters, digits and \`_\`.`;
    }
    if (name === symbol.name) return undefined;
    if (symbol.kind === 'model') {
      if (isKind(name)) return `\`${name}\` is a device kind: \`model m : ${name}\` would start from the kind, not from this model; choose another name.`;
    } else if (reservedWords.includes(name)) {
      return `\`${name}\` is a reserved word and cannot name ${KIND_NAMES[symbol.kind]}; choose another name.`;
    }
    const taken = this.clashing(symbol).find((other) => other.name === name);
    if (!taken) return undefined;
    const where = taken.file === CATALOG_PATH ? ' in the built-in catalog' : taken.file !== symbol.file ? ` in ${taken.file.slice(taken.file.lastIndexOf('/') + 1)}` : '';
    return `\`${name}\` is already the name of ${KIND_NAMES[taken.kind]}${where}; choose another name.`;
  }

  private clashing(symbol: NameSymbol): NameSymbol[] {
    const others = this.symbols.filter((s) => s !== symbol);
    switch (symbol.kind) {
      case 'loop-variable':
        return [...others.filter((s) => s.kind === 'constant'), ...(this.loopNeighbours.get(symbol) ?? [])];
      default:
        // A constant may not take any loop variable's name: that loop would hide it.
        return others.filter((s) => NAMESPACE[s.kind] === NAMESPACE[symbol.kind]);
    }
  }
}

/** Indexes a program: its files (the entry first), their imports and the catalog. */
export function buildReferenceIndex({ program, catalog }: IndexInput): ReferenceIndex {
  const index = new ReferenceIndex();
  // The catalog is always indexed as the catalog, even when it is the document being read.
  const files = program.files.filter((file) => file.source.path !== CATALOG_PATH);
  const entryPath = program.entry.source.path;
  const fabric = entryPath === CATALOG_PATH ? undefined : program.entry.tree.fabrics[0];

  const declare = (kind: SymbolKind, name: A.Name, file: string): NameSymbol => {
    const symbol: NameSymbol = { kind, name: name.text, file, span: name.span };
    index.symbols.push(symbol);
    index.add(symbol, file, name.span, true);
    return symbol;
  };
  const use = (symbol: NameSymbol | undefined, name: A.Name, file: string) => {
    if (symbol) index.add(symbol, file, name.span, false);
  };

  // Models: the first declaration of a name wins, as in the checker; a later one is a symbol of
  // its own (a `duplicate-name`) that nothing refers to.
  const models = new Map<string, NameSymbol>();
  for (const source of modelSources(catalog, files, fabric)) {
    const symbol = declare('model', source.decl.name, source.file);
    if (!models.has(symbol.name)) models.set(symbol.name, symbol);
  }

  const transformers = new Map<string, NameSymbol>();
  for (const source of transformerSources(catalog, files, fabric)) {
    const symbol = declare('transformer', source.decl.name, source.file);
    if (!transformers.has(symbol.name)) transformers.set(symbol.name, symbol);
  }

  // The fabric's names, declared before any use (items may refer to later ones).
  const fabricNames = new Map<string, NameSymbol>();
  const declareInFabric = (kind: SymbolKind, name: A.Name) => {
    const symbol = declare(kind, name, entryPath);
    const key = `${NAMESPACE[kind]}:${name.text}`;
    if (!fabricNames.has(key)) fabricNames.set(key, symbol);
  };
  for (const item of fabric?.items ?? []) {
    if (item.type === 'let') declareInFabric('constant', item.name);
    if (item.type === 'group') declareInFabric('group', item.name);
    if (item.type === 'workload') declareInFabric('workload', item.name);
    if (item.type === 'device') declareInFabric('device', item.name);
  }
  const lookup = (namespace: string, name: A.Name) => fabricNames.get(`${namespace}:${name.text}`);

  /** Walks integer expressions; constants are visible only in the fabric's own file (§5.3). */
  const expression = (node: A.Expression | undefined, file: string, loops: LoopScope | undefined) => {
    if (!node) return;
    if (node.type === 'binary') {
      expression(node.left, file, loops);
      expression(node.right, file, loops);
    } else if (node.type === 'name') {
      let scope = loops;
      while (scope && scope.symbol.name !== node.name.text) scope = scope.outer;
      use(scope?.symbol ?? (file === entryPath ? lookup('value', node.name) : undefined), node.name, file);
    }
  };
  const value = (node: A.Value | undefined, file: string) => {
    if (node?.type === 'port') expression(node.port.count, file, undefined);
    if (node?.type === 'list') for (const item of node.items) value(item, file);
  };
  const attributes = (list: readonly A.Attribute[], file: string) => {
    for (const attribute of list) value(attribute.value, file);
  };
  const device = (target: A.Endpoint | A.Selector, loops: LoopScope | undefined) => {
    use(lookup('device', target.name), target.name, entryPath);
    const at = target.index;
    // An endpoint's index is an expression; a selector's is `*`, one index or a range.
    switch (at?.type) {
      case undefined:
      case 'all':
        return;
      case 'one':
        return expression(at.at, entryPath, loops);
      case 'range':
        expression(at.from, entryPath, loops);
        return expression(at.to, entryPath, loops);
      default:
        return expression(at, entryPath, loops);
    }
  };
  const devices = (targets: (A.Endpoint | A.Selector)[], loops: LoopScope | undefined) => {
    for (const target of targets) device(target, loops);
  };
  /** A loop's bounds see the loops around it; its body sees its variable too. */
  const loop = (head: A.LoopHead, loops: LoopScope | undefined, body: (inner: LoopScope) => void) => {
    expression(head.from, entryPath, loops);
    expression(head.to, entryPath, loops);
    const symbol = declare('loop-variable', head.variable, entryPath);
    const around: NameSymbol[] = [];
    for (let scope = loops; scope; scope = scope.outer) {
      around.push(scope.symbol);
      index.loopNeighbours.get(scope.symbol)!.push(symbol);
    }
    index.loopNeighbours.set(symbol, around);
    body({ symbol, outer: loops });
  };
  const model = (decl: A.ModelDecl, file: string) => {
    // In the catalog `: KIND` is the bare kind; elsewhere it is the kind's default model (§5.2).
    const base = decl.base.text;
    if (!(isKind(base) && file === CATALOG_PATH)) use(models.get(isKind(base) ? DEFAULT_MODEL[base] : base), decl.base, file);
    attributes(decl.attributes, file);
  };

  const statement = (node: A.Statement, loops: LoopScope | undefined) => {
    switch (node.type) {
      case 'compute':
        return;
      case 'collective':
        return devices(node.ranks, loops);
      case 'broadcast':
        return devices([node.root, ...node.ranks], loops);
      case 'flow':
        return devices([node.source, node.target], loops);
      case 'read':
      case 'write':
        return devices([node.device, ...node.by], loops);
      case 'parallel':
        for (const inner of node.statements) statement(inner, loops);
        return;
      case 'for':
        return loop(node.head, loops, (scope) => {
          for (const inner of node.statements) statement(inner, scope);
        });
      case 'train':
      case 'serve':
        use(transformers.get(node.transformer.text), node.transformer, entryPath);
        devices(node.ranks, loops);
        // A word is a constant (`tp: TP`), or for `kv_cache` the memory device.
        for (const attribute of node.attributes) {
          if (attribute.value?.type !== 'word') continue;
          const word = attribute.value.word;
          use(attribute.key.text === 'kv_cache' ? lookup('device', word) : lookup('value', word), word, entryPath);
        }
        return;
    }
  };

  const item = (node: A.Item, loops: LoopScope | undefined) => {
    switch (node.type) {
      case 'settings':
        return;
      case 'let':
        return expression(node.value, entryPath, undefined);
      case 'device':
        expression(node.count, entryPath, loops);
        if (node.model) use(models.get(node.model.text), node.model, entryPath);
        return attributes(node.attributes, entryPath);
      case 'model':
        return model(node, entryPath);
      case 'transformer':
        return;
      case 'link':
        devices([node.left, node.right], loops);
        expression(node.port.count, entryPath, loops);
        return attributes(node.attributes, entryPath);
      case 'for':
        return loop(node.head, loops, (scope) => {
          for (const inner of node.items) item(inner, scope);
        });
      case 'group':
        return devices(node.members, loops);
      case 'allocate':
        return devices([node.memory, ...node.targets], loops);
      case 'workload':
        for (const inner of node.statements) statement(inner, loops);
        return;
      case 'expect':
        if (['time', 'throughput', 'mfu', 'ttft', 'tpot'].includes(node.metric.text)) {
          for (const subject of node.subject) use(lookup('workload', subject.name), subject.name, entryPath);
          return;
        }
        return devices([...node.subject, ...(node.target ?? [])], loops);
    }
  };

  for (const decl of catalog.tree.models) model(decl, CATALOG_PATH);
  for (const file of files) for (const decl of file.tree.models) model(decl, file.source.path);
  for (const node of fabric?.items ?? []) item(node, undefined);
  return index;
}
