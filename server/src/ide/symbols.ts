/**
 * The symbols of a file: the outline of one document (hierarchical, with the counts a reader
 * wants: devices per kind, links per loop) and the flat list of declarations that workspace-wide
 * symbol search offers. The outline reads the resolved fabric for counts when there is one and
 * falls back to the source text where resolution failed.
 */
import type * as A from '../syntax/ast.js';
import type { ParseResult } from '../syntax/parse.js';
import type { Span } from '../syntax/source.js';
import { FileReporter } from '../model/attributes.js';
import { DiagnosticSink } from '../model/diagnostics.js';
import { Scope } from '../model/scope.js';
import type { FabricModel, ResolvedStatement } from '../model/types.js';

export type OutlineKind =
  | 'fabric'
  | 'settings'
  | 'setting'
  | 'constant'
  | 'device-kind'
  | 'device'
  | 'loop'
  | 'link'
  | 'allocation'
  | 'group'
  | 'workload'
  | 'parallel'
  | 'statement'
  | 'expectation'
  | 'model'
  | 'transformer';

export interface OutlineSymbol {
  name: string;
  detail?: string;
  kind: OutlineKind;
  /** The whole declaration. */
  span: Span;
  /** What to highlight when the symbol is picked: its name, or its head. */
  selection: Span;
  children: OutlineSymbol[];
}

const plural = (count: number, word: string) => `${count.toLocaleString('en-US')} ${word}${count === 1 ? '' : 's'}`;

export function outline(parsed: ParseResult, fabric: FabricModel | undefined): OutlineSymbol[] {
  const builder = new OutlineBuilder(parsed, fabric);
  const declarations = [...parsed.tree.models, ...parsed.tree.transformers, ...parsed.tree.fabrics].sort((a, b) => a.span.start - b.span.start);
  return declarations.map((decl) => (decl.type === 'model' ? builder.model(decl) : decl.type === 'transformer' ? builder.transformer(decl) : builder.fabric(decl)));
}

class OutlineBuilder {
  private readonly linkCounts = new Map<A.LinkDecl, number>();
  private readonly allocationCounts = new Map<A.AllocateDecl, number>();
  private readonly statements = new Map<number, ResolvedStatement>();
  private scope: Scope | undefined;

  constructor(
    private readonly parsed: ParseResult,
    private readonly resolved: FabricModel | undefined,
  ) {
    for (const link of resolved?.links ?? []) this.linkCounts.set(link.decl, (this.linkCounts.get(link.decl) ?? 0) + 1);
    for (const allocation of resolved?.allocations ?? []) {
      this.allocationCounts.set(allocation.decl, (this.allocationCounts.get(allocation.decl) ?? 0) + 1);
    }
    const index = (list: ResolvedStatement[]) => {
      for (const statement of list) {
        if (!this.statements.has(statement.span.start)) this.statements.set(statement.span.start, statement);
        if (statement.type === 'parallel') index(statement.statements);
      }
    };
    for (const workload of resolved?.workloads.values() ?? []) index(workload.statements);
  }

  fabric(decl: A.FabricDecl): OutlineSymbol {
    const children: OutlineSymbol[] = [];
    const kinds = new Map<A.DeviceKind, { symbol: OutlineSymbol; devices: number | undefined }>();
    for (const item of decl.items) {
      if (item.type !== 'device') {
        children.push(this.item(item));
        continue;
      }
      const device = this.device(item);
      let kind = kinds.get(item.kind);
      if (!kind) {
        kind = { symbol: { name: item.kind, kind: 'device-kind', span: item.span, selection: item.span, children: [] }, devices: 0 };
        kinds.set(item.kind, kind);
        children.push(kind.symbol);
      }
      kind.symbol.children.push(device.symbol);
      kind.symbol.span = { start: kind.symbol.span.start, end: item.span.end };
      kind.devices = kind.devices === undefined || device.count === undefined ? undefined : kind.devices + device.count;
    }
    for (const [name, { symbol, devices }] of kinds) if (devices !== undefined) symbol.name = `${name} (${devices.toLocaleString('en-US')})`;
    return { name: decl.name.text, detail: decl.description, kind: 'fabric', span: decl.span, selection: decl.name.span, children };
  }

  model(decl: A.ModelDecl): OutlineSymbol {
    return { name: decl.name.text, detail: decl.base.text, kind: 'model', span: decl.span, selection: decl.name.span, children: [] };
  }

  transformer(decl: A.TransformerDecl): OutlineSymbol {
    return { name: decl.name.text, detail: 'transformer', kind: 'transformer', span: decl.span, selection: decl.name.span, children: [] };
  }

  private item(item: A.Item): OutlineSymbol {
    switch (item.type) {
      case 'device':
        return this.device(item).symbol;
      case 'settings':
        return {
          name: 'settings',
          kind: 'settings',
          span: item.span,
          selection: { start: item.span.start, end: item.span.start + 'settings'.length },
          children: item.attributes.map((attribute) => ({
            name: attribute.key.text,
            detail: attribute.value && this.label(attribute.value.span),
            kind: 'setting',
            span: attribute.span,
            selection: attribute.key.span,
            children: [],
          })),
        };
      case 'let': {
        const value = this.resolved?.constants.get(item.name.text);
        return { name: item.name.text, detail: `= ${value ?? this.label(item.value.span)}`, kind: 'constant', span: item.span, selection: item.name.span, children: [] };
      }
      case 'link': {
        const count = this.linkCounts.get(item) ?? 0;
        return {
          name: `${this.label(item.left.span)} <-> ${this.label(item.right.span)}`,
          detail: this.label(item.port.span) + (count > 1 ? `, ${plural(count, 'link')}` : ''),
          kind: 'link',
          span: item.span,
          selection: item.span,
          children: [],
        };
      }
      case 'allocate':
        return { name: this.label(item.span), kind: 'allocation', span: item.span, selection: item.span, children: [] };
      case 'for':
        return this.loop(item);
      case 'group': {
        const group = this.resolved?.groups.get(item.name.text);
        const devices = group && group.origin.span.start === item.name.span.start ? plural(group.devices.length, 'device') : undefined;
        return { name: item.name.text, detail: devices, kind: 'group', span: item.span, selection: item.name.span, children: [] };
      }
      case 'workload':
        return {
          name: item.name.text,
          detail: plural(item.statements.length, 'step'),
          kind: 'workload',
          span: item.span,
          selection: item.name.span,
          children: item.statements.map((statement) => this.statement(statement)),
        };
      case 'expect':
        return { name: this.label(item.span), kind: 'expectation', span: item.span, selection: item.span, children: [] };
      case 'model':
        return this.model(item);
      case 'transformer':
        return this.transformer(item);
    }
  }

  /** `for i in 0..N-1 — 64 links`: the links (and allocations) the loop produces, nested loops included. */
  private loop(item: A.ForItems): OutlineSymbol {
    const children = item.items.map((inner) => this.item(inner));
    const head = this.head(item.span);
    let summary = '';
    if (this.resolved) {
      let links = 0;
      let allocations = 0;
      const count = (items: A.Item[]) => {
        for (const inner of items) {
          if (inner.type === 'link') links += this.linkCounts.get(inner) ?? 0;
          else if (inner.type === 'allocate') allocations += this.allocationCounts.get(inner) ?? 0;
          else if (inner.type === 'for') count(inner.items);
        }
      };
      count(item.items);
      const parts = [...(links > 0 ? [plural(links, 'link')] : []), ...(allocations > 0 ? [plural(allocations, 'allocation')] : [])];
      if (parts.length > 0) summary = ` — ${parts.join(', ')}`;
    }
    return { name: head.text + summary, kind: 'loop', span: item.span, selection: head.span, children };
  }

  private device(decl: A.DeviceDecl): { symbol: OutlineSymbol; count: number | undefined } {
    const array = this.resolved?.arrays.get(decl.name.text);
    const mine = array?.decl === decl ? array : undefined;
    const count = mine ? (mine.count ?? 1) : decl.count ? undefined : 1;
    const size = mine?.count !== undefined ? `[${mine.count}]` : decl.count ? `[${this.label(decl.count.span)}]` : '';
    const symbol: OutlineSymbol = {
      name: decl.name.text + size,
      detail: mine?.model.name ?? decl.model?.text,
      kind: 'device',
      span: decl.span,
      selection: decl.name.span,
      children: [],
    };
    return { symbol, count };
  }

  private statement(statement: A.Statement): OutlineSymbol {
    if (statement.type === 'parallel') {
      return {
        name: 'parallel',
        detail: plural(statement.statements.length, 'statement'),
        kind: 'parallel',
        span: statement.span,
        selection: { start: statement.span.start, end: statement.span.start + 'parallel'.length },
        children: statement.statements.map((inner) => this.statement(inner)),
      };
    }
    if (statement.type === 'for') {
      const head = this.head(statement.span);
      const iterations = this.iterations(statement.head);
      return {
        name: head.text + (iterations === undefined ? '' : ` — ${plural(iterations, 'iteration')}`),
        kind: 'loop',
        span: statement.span,
        selection: head.span,
        children: statement.statements.map((inner) => this.statement(inner)),
      };
    }
    const resolved = this.statements.get(statement.span.start);
    let detail: string | undefined;
    if (resolved && 'ranks' in resolved) detail = plural(resolved.ranks.length, 'rank');
    else if (resolved && 'by' in resolved) detail = plural(resolved.by.length, 'device');
    return { name: this.label(statement.span), detail, kind: 'statement', span: statement.span, selection: statement.span, children: [] };
  }

  /** A loop's trip count from constants alone; undefined when a bound uses an enclosing loop's variable. */
  private iterations(head: A.LoopHead): number | undefined {
    if (!this.resolved) return undefined;
    if (!this.scope) {
      // A private scope whose reports go nowhere: the check already reported every problem.
      this.scope = new Scope(new FileReporter(new DiagnosticSink(), this.resolved.file));
      for (const [name, value] of this.resolved.constants) this.scope.loopVariables.set(name, value);
    }
    const from = this.scope.evaluate(head.from);
    const to = this.scope.evaluate(head.to);
    return from === undefined || to === undefined ? undefined : Math.abs(to - from) + 1;
  }

  /** A loop's head, `for i in 0..N-1`, up to its block. */
  private head(span: Span): { text: string; span: Span } {
    const brace = this.parsed.source.text.indexOf('{', span.start);
    const end = brace < 0 || brace > span.end ? span.end : brace;
    const text = this.label({ start: span.start, end });
    return { text, span: { start: span.start, end: span.start + this.parsed.source.text.slice(span.start, end).trimEnd().length } };
  }

  /** Source text on one line: comments out, whitespace collapsed. */
  private label(span: Span): string {
    return this.parsed.source.text
      .slice(span.start, span.end)
      .replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
  }
}

/** A declaration that workspace symbol search offers. */
export interface DeclaredSymbol {
  name: string;
  kind: 'fabric' | 'device' | 'model' | 'transformer' | 'group' | 'workload';
  /** The declared name. */
  span: Span;
  /** The fabric it is declared in. */
  container?: string;
}

/** Fabrics, devices, models, transformers, groups and workloads, from the syntax tree alone (no resolution). */
export function declaredSymbols(tree: A.FileNode): DeclaredSymbol[] {
  const symbols: DeclaredSymbol[] = [...tree.models, ...tree.transformers].map((decl) => ({ name: decl.name.text, kind: decl.type, span: decl.name.span }));
  for (const fabric of tree.fabrics) {
    const container = fabric.name.text;
    symbols.push({ name: container, kind: 'fabric', span: fabric.name.span });
    for (const item of fabric.items) {
      if (item.type === 'device' || item.type === 'model' || item.type === 'transformer' || item.type === 'group' || item.type === 'workload') {
        symbols.push({ name: item.name.text, kind: item.type, span: item.name.span, container });
      }
    }
  }
  return symbols.sort((a, b) => a.span.start - b.span.start);
}

/** Workspace symbol search stops here: a client filters further as the user types. */
const MAX_SEARCH_RESULTS = 1_000;

/** The query's characters in order, any case: `scx` matches `scorpio_x`. */
function matchesQuery(query: string, name: string): boolean {
  let at = 0;
  const lower = name.toLowerCase();
  for (const character of query.toLowerCase()) {
    at = lower.indexOf(character, at) + 1;
    if (at === 0) return false;
  }
  return true;
}

/** The declarations of the files that match a workspace symbol query, file by file, at most MAX_SEARCH_RESULTS. */
export function searchSymbols<F extends { symbols: DeclaredSymbol[] }>(files: Iterable<F>, query: string): { file: F; symbol: DeclaredSymbol }[] {
  const results: { file: F; symbol: DeclaredSymbol }[] = [];
  for (const file of files) {
    for (const symbol of file.symbols) {
      if (results.length >= MAX_SEARCH_RESULTS) return results;
      if (matchesQuery(query, symbol.name)) results.push({ file, symbol });
    }
  }
  return results;
}
