/**
 * Quick fixes, the pure half: text edits that remove a diagnostic. Names, widths and units come
 * from the diagnostic's data; fixes to a device's totals (lanes, ports, an unused device) are
 * worked out on the resolved fabric of the same text, and fixes to a workload statement on its
 * syntax tree with the simulator's data (the faster algorithm, the grouped ring).
 */
import type * as A from '../syntax/ast.js';
import type { DiagnosticData, Span } from '../syntax/source.js';
import type { CheckResult } from '../model/check.js';
import { declarationHead, lanesUsed, packSubLinks } from '../model/checks.js';
import { widthText } from '../model/protocols.js';
import type { Device, DeviceArray, DeviceSpec, Link, PortGroup, ResolvedModel } from '../model/types.js';
import { maxOf } from '../base/arrays.js';

/** Replaces `span` of the checked file with `newText`. */
export interface Edit {
  span: Span;
  newText: string;
}

export interface Fix {
  title: string;
  edits: Edit[];
  /** The fix an editor may apply without asking (one per diagnostic at most). */
  preferred: boolean;
}

/** A diagnostic of the checked file, as the editor sends it back. */
export interface FixRequest {
  code: string;
  span: Span;
  data?: DiagnosticData;
}

/** Most alternative models offered for one diagnostic. */
const MAX_MODELS = 3;

const sameSpan = (a: Span, b: Span) => a.start === b.start && a.end === b.end;
const quoted = (text: string) => `\`${text}\``;

export function fixesFor(diagnostic: FixRequest, check: CheckResult): Fix[] {
  const text = check.program.entry.source.text;
  const { span, data } = diagnostic;
  switch (diagnostic.code) {
    case 'unknown-name':
      return replacement(text, span, data?.suggestion, (s) => `Change to ${quoted(s)}`);
    case 'unit':
      return replacement(text, span, data?.suggestion, (s) => `Change the unit to ${quoted(s)}`);
    case 'lane-width':
      return widthFixes(check, span, data?.suggestion);
    case 'lane-budget': {
      const array = arrayAt(check, span);
      return array ? laneBudgetFixes(array, check) : [];
    }
    case 'port-budget': {
      const array = arrayAt(check, span);
      return array ? portBudgetFixes(array, check) : [];
    }
    case 'unused-device': {
      const array = arrayAt(check, span);
      return array ? removeDeclaration(array, check) : [];
    }
    case 'inc-opportunity':
      return algorithmFixes(check, span, data?.algorithm);
    case 'ring-order':
      return ringOrderFixes(check, span, data?.order);
    case 'parallelism':
      return degreeFixes(check, span, data?.degrees);
    default:
      return [];
  }
}

/** The did-you-mean: replaces the range, when it still holds one word that is not the suggestion. */
function replacement(text: string, span: Span, suggestion: string | undefined, title: (s: string) => string): Fix[] {
  const current = text.slice(span.start, span.end);
  if (!suggestion || current === suggestion || !/^\S+$/.test(current)) return [];
  return [{ title: title(suggestion), edits: [{ span, newText: suggestion }], preferred: true }];
}

// ---------------------------------------------------------------------------------------------
// Widths

function* portSpecsOfValue(value: A.Value | undefined): Generator<A.PortSpec> {
  if (value?.type === 'port') yield value.port;
  if (value?.type === 'list') for (const item of value.items) yield* portSpecsOfValue(item);
}

function* portSpecsOfItems(items: A.Item[]): Generator<A.PortSpec> {
  for (const item of items) {
    if (item.type === 'link') yield item.port;
    if (item.type === 'for') yield* portSpecsOfItems(item.items);
    if (item.type === 'device' || item.type === 'model') for (const attribute of item.attributes) yield* portSpecsOfValue(attribute.value);
  }
}

function* portSpecs(tree: A.FileNode): Generator<A.PortSpec> {
  yield* portSpecsOfItems(tree.models);
  for (const fabric of tree.fabrics) yield* portSpecsOfItems(fabric.items);
}

/**
 * The nearest valid width, and, when the width was too wide, the same lanes as several narrower
 * sub-links (`ualink x8` is `ualink x4 * 2`), when the count is a plain number.
 */
function widthFixes(check: CheckResult, span: Span, suggestion: string | undefined): Fix[] {
  const fixes = replacement(check.program.entry.source.text, span, suggestion, (s) => `Use ${s}`);
  const spec = [...portSpecs(check.program.entry.tree)].find((p) => sameSpan(p.width.span, span));
  if (!suggestion || !spec || fixes.length === 0) return fixes;
  const wanted = Number(spec.width.text.slice(1));
  const width = Number(suggestion.slice(1));
  const count = spec.count === undefined ? 1 : spec.count.type === 'number' ? spec.count.value : undefined;
  if (count !== undefined && wanted > width && wanted % width === 0) {
    const times = (count * wanted) / width;
    fixes.push({
      title: `Use ${suggestion} * ${times} (the same ${count * wanted} lanes)`,
      edits: [{ span: { start: spec.width.span.start, end: spec.count?.span.end ?? spec.width.span.end }, newText: `${suggestion} * ${times}` }],
      preferred: false,
    });
  }
  return fixes;
}

// ---------------------------------------------------------------------------------------------
// Device totals

function arrayAt(check: CheckResult, span: Span): DeviceArray | undefined {
  const path = check.program.entry.source.path;
  for (const array of check.fabric?.arrays.values() ?? []) {
    if (array.file === path && sameSpan(declarationHead(array.decl), span)) return array;
  }
  return undefined;
}

/** The declaration sets `key` itself, so a model's value of it would not count. */
const overrides = (array: DeviceArray, key: keyof DeviceSpec) => array.decl.attributes.some((a) => a.key.text === key);

/** Gives a device declaration another model: replaces `: MODEL`, or adds it after the name. */
function modelEdit(decl: A.DeviceDecl, model: string, text: string): Edit {
  if (decl.model) return { span: decl.model.span, newText: model };
  const end = decl.count ? text.indexOf(']', decl.count.span.end) + 1 : decl.name.span.end;
  return { span: { start: end, end }, newText: ` : ${model}` };
}

const linkText = (decl: A.LinkDecl, text: string) => text.slice(decl.left.span.start, decl.right.span.end);

/**
 * Narrows link lines one width step at a time, on a device that does not fit taking first the
 * line that carries most of its lanes, until every device fits. Undefined when no narrowing does.
 */
function narrowLinks(devices: Device[], linksOf: (device: Device) => Link[], fits: (device: Device, width: (link: Link) => number) => boolean): Map<A.LinkDecl, number> | undefined {
  const widths = new Map<A.LinkDecl, number>();
  const width = (link: Link) => widths.get(link.decl) ?? link.width;
  for (;;) {
    const failing = devices.find((device) => !fits(device, width));
    if (!failing) return widths;
    const load = new Map<A.LinkDecl, { lanes: number; link: Link }>();
    for (const link of linksOf(failing)) {
      const entry = load.get(link.decl) ?? { lanes: 0, link };
      entry.lanes += width(link) * link.count;
      load.set(link.decl, entry);
    }
    let best: { lanes: number; link: Link } | undefined;
    for (const entry of load.values()) {
      const narrower = entry.link.protocol.widths.some((w) => w < width(entry.link));
      if (narrower && (!best || entry.lanes > best.lanes)) best = entry;
    }
    if (!best) return undefined;
    const current = width(best.link);
    widths.set(best.link.decl, Math.max(...best.link.protocol.widths.filter((w) => w < current)));
  }
}

function narrowingFix(widths: Map<A.LinkDecl, number> | undefined, text: string): Fix[] {
  if (!widths || widths.size === 0) return [];
  const changes = [...widths];
  const title =
    changes.length === 1
      ? `Narrow ${quoted(linkText(changes[0][0], text))} to ${widthText(changes[0][1])}`
      : `Narrow the links ${changes.map(([decl, w]) => `${quoted(linkText(decl, text))} to ${widthText(w)}`).join(', ')}`;
  return [{ title, edits: changes.map(([decl, w]) => ({ span: decl.port.width.span, newText: widthText(w) })), preferred: false }];
}

function modelFixes(array: DeviceArray, candidates: ResolvedModel[], describe: (model: ResolvedModel) => string, text: string): Fix[] {
  return candidates.slice(0, MAX_MODELS).map((model, index) => ({
    title: `Use the model ${quoted(model.name)} (${describe(model)})`,
    edits: [modelEdit(array.decl, model.name, text)],
    preferred: index === 0,
  }));
}

/** A switch model with enough lanes that carries every protocol of the links, or narrower links. */
function laneBudgetFixes(array: DeviceArray, check: CheckResult): Fix[] {
  const budget = array.spec.lanes?.value;
  if (budget === undefined || !check.fabric) return [];
  const text = check.program.entry.source.text;
  const used = maxOf(array.devices.map(lanesUsed));
  const protocols = new Set(array.devices.flatMap((device) => device.links.map((link) => link.protocol.name)));
  const lanesOf = (model: ResolvedModel) => model.spec.lanes?.value ?? 0;
  const carries = (model: ResolvedModel) => {
    const carried = ((overrides(array, 'protocols') ? array.spec : model.spec).protocols?.value ?? []).map((p) => p.protocol);
    return [...protocols].every((protocol) => carried.includes(protocol));
  };
  const candidates = overrides(array, 'lanes')
    ? []
    : [...check.fabric.models.values()].filter((m) => m.kind === 'switch' && m.name !== array.model.name && lanesOf(m) >= used && carries(m)).sort((a, b) => lanesOf(a) - lanesOf(b));
  const narrowed = narrowLinks(array.devices, (device) => device.links, (device, width) => device.links.reduce((n, link) => n + width(link) * link.count, 0) <= budget);
  return [...modelFixes(array, candidates, (m) => `${lanesOf(m)} lanes`, text), ...narrowingFix(narrowed, text)];
}

/** Sub-links of one protocol on a device, at the widths given. */
function demands(device: Device, protocol: string, width: (link: Link) => number, count: (link: Link) => number = (link) => link.count) {
  return device.links.filter((link) => link.protocol.name === protocol).map((link) => ({ width: width(link), count: count(link), link }));
}

function portsFit(device: Device, ports: PortGroup[], protocol: string, width: (link: Link) => number, count?: (link: Link) => number): boolean {
  const own = ports.filter((p) => p.protocol === protocol);
  const needed = demands(device, protocol, width, count);
  if (needed.length === 0) return true;
  if (own.length === 0 || needed.some((d) => d.width > Math.max(...own.map((p) => p.width)))) return false;
  return packSubLinks(needed, own) === 0;
}

/** A model whose ports hold every link, narrower links, or fewer sub-links on a single link line. */
function portBudgetFixes(array: DeviceArray, check: CheckResult): Fix[] {
  if (!check.fabric) return [];
  const text = check.program.entry.source.text;
  const ports = array.spec.ports?.value ?? [];
  const protocols = [...new Set(array.devices.flatMap((device) => device.links.map((link) => link.protocol.name)))];
  const fitsAll = (candidate: PortGroup[]) => array.devices.every((device) => protocols.every((p) => portsFit(device, candidate, p, (link) => link.width)));
  const portLanes = (model: ResolvedModel) => (model.spec.ports?.value ?? []).reduce((n, p) => n + p.width * p.count, 0);
  const candidates = overrides(array, 'ports')
    ? []
    : [...check.fabric.models.values()].filter((m) => m.kind === array.kind && m.name !== array.model.name && fitsAll(m.spec.ports?.value ?? [])).sort((a, b) => portLanes(a) - portLanes(b));
  const fixes = modelFixes(array, candidates, (m) => describePorts(m.spec.ports?.value ?? []), text);
  for (const protocol of protocols) {
    if (array.devices.every((device) => portsFit(device, ports, protocol, (link) => link.width))) continue;
    const linksOf = (device: Device) => device.links.filter((link) => link.protocol.name === protocol);
    fixes.push(...narrowingFix(narrowLinks(array.devices, linksOf, (device, width) => portsFit(device, ports, protocol, width)), text));
    fixes.push(...fewerSubLinks(array, ports, protocol, text));
  }
  return fixes;
}

function describePorts(ports: PortGroup[]): string {
  return ports.map((p) => `${p.protocol} ${widthText(p.width)}${p.count > 1 ? ` * ${p.count}` : ''}`).join(', ');
}

/** When one link line with a plain count makes all the sub-links of a protocol: the most that fit. */
function fewerSubLinks(array: DeviceArray, ports: PortGroup[], protocol: string, text: string): Fix[] {
  const decls = new Set(array.devices.flatMap((device) => device.links.filter((link) => link.protocol.name === protocol).map((link) => link.decl)));
  if (decls.size !== 1) return [];
  const [decl] = decls;
  const count = decl.port.count;
  if (!count || count.type !== 'number') return [];
  const fits = (fewer: number) => array.devices.every((device) => portsFit(device, ports, protocol, (link) => link.width, () => fewer));
  // The sub-links all have the declaration's width, so fewer never fit worse: bisect for the
  // most that fit (a count of 100000000 is 27 tries, not a hundred million).
  let most = 0;
  let high = count.value - 1;
  while (most < high) {
    const middle = Math.ceil((most + high) / 2);
    if (fits(middle)) most = middle;
    else high = middle - 1;
  }
  if (most < 1) return [];
  const edit = most === 1 ? { span: { start: decl.port.width.span.end, end: count.span.end }, newText: '' } : { span: count.span, newText: String(most) };
  return [{ title: `Use ${most} sub-link${most > 1 ? 's' : ''} in ${quoted(linkText(decl, text))}`, edits: [edit], preferred: false }];
}

// ---------------------------------------------------------------------------------------------
// Removing a declaration

function namesIn(targets: (A.Endpoint | A.Selector)[]): string[] {
  return targets.map((target) => target.name.text);
}

function statementNames(statement: A.Statement): string[] {
  switch (statement.type) {
    case 'compute':
      return [];
    case 'collective':
      return namesIn(statement.ranks);
    case 'broadcast':
      return namesIn([statement.root, ...statement.ranks]);
    case 'flow':
      return namesIn([statement.source, statement.target]);
    case 'read':
    case 'write':
      return namesIn([statement.device, ...statement.by]);
    case 'parallel':
    case 'for':
      return statement.statements.flatMap(statementNames);
    case 'train':
    case 'serve':
      return namesIn(statement.ranks);
  }
}

/** Device and group names the items use (not the ones they declare). */
function usedNames(items: A.Item[]): string[] {
  return items.flatMap((item): string[] => {
    switch (item.type) {
      case 'link':
        return namesIn([item.left, item.right]);
      case 'for':
        return usedNames(item.items);
      case 'group':
        return namesIn(item.members);
      case 'allocate':
        return namesIn([item.memory, ...item.targets]);
      case 'workload':
        return item.statements.flatMap(statementNames);
      case 'expect':
        // `expect time` names a workload, not a device.
        return item.metric.text === 'time' ? [] : namesIn([...item.subject, ...(item.target ?? [])]);
      default:
        return [];
    }
  });
}

/** Where a line starts; `///` lines right above count as part of what follows them. */
function lineStartWithDocs(text: string, offset: number): number {
  let start = text.lastIndexOf('\n', offset - 1) + 1;
  while (start > 0) {
    const previous = text.lastIndexOf('\n', start - 2) + 1;
    if (!/^\s*\/\/\/(?!\/)/.test(text.slice(previous, start - 1))) break;
    start = previous;
  }
  return start;
}

/**
 * Removes an unused declaration: its whole lines (doc comment and end-of-line comment included)
 * when it stands alone on them, else just its text. Not offered while anything names the device,
 * which would then be unknown.
 */
function removeDeclaration(array: DeviceArray, check: CheckResult): Fix[] {
  const fabric = check.program.entry.tree.fabrics[0];
  if (!fabric || array.devices.some((d) => d.links.length > 0 || d.named) || usedNames(fabric.items).includes(array.name)) return [];
  const text = check.program.entry.source.text;
  const { start, end } = array.decl.span;
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const newline = text.indexOf('\n', end);
  const lineEnd = newline < 0 ? text.length : newline;
  const alone = /^\s*$/.test(text.slice(lineStart, start)) && /^\s*(\/\/.*)?$/.test(text.slice(end, lineEnd));
  const span = alone ? { start: lineStartWithDocs(text, start), end: newline < 0 ? text.length : newline + 1 } : { start, end: end + (/^\s*/.exec(text.slice(end))?.[0].length ?? 0) };
  return [{ title: `Remove the declaration of ${quoted(array.name)}`, edits: [{ span, newText: '' }], preferred: true }];
}

// ---------------------------------------------------------------------------------------------
// Workload statements

interface FoundStatement {
  statement: A.Statement;
  workload: A.WorkloadDecl;
  /** Inside a `for`: its selectors may take the loop variable, and one rewrite cannot fit every round. */
  inLoop: boolean;
}

function findStatement(statements: A.Statement[], span: Span, workload: A.WorkloadDecl, inLoop: boolean): FoundStatement | undefined {
  for (const statement of statements) {
    if (sameSpan(statement.span, span)) return { statement, workload, inLoop };
    if (statement.type === 'parallel' || statement.type === 'for') {
      const found = findStatement(statement.statements, span, workload, inLoop || statement.type === 'for');
      if (found) return found;
    }
  }
  return undefined;
}

function statementAt(check: CheckResult, span: Span): FoundStatement | undefined {
  for (const item of check.program.entry.tree.fabrics[0]?.items ?? []) {
    const found = item.type === 'workload' ? findStatement(item.statements, span, item, false) : undefined;
    if (found) return found;
  }
  return undefined;
}

/** Names the faster algorithm, or drops `using` so that auto chooses it. */
function algorithmFixes(check: CheckResult, span: Span, algorithm: string | undefined): Fix[] {
  const found = statementAt(check, span)?.statement;
  if (!algorithm || !found || (found.type !== 'collective' && found.type !== 'broadcast') || !found.algorithm) return [];
  const named = found.algorithm;
  const last = found.ranks[found.ranks.length - 1];
  return [
    { title: `Use ${quoted(`using ${algorithm}`)}`, edits: [{ span: named.span, newText: algorithm }], preferred: true },
    { title: `Drop ${quoted(`using ${named.text}`)} and let auto choose`, edits: [{ span: { start: last.span.end, end: named.span.end }, newText: '' }], preferred: false },
  ];
}

/** Writes the grouped ring order into the statement, or into a new group the statement names. */
function ringOrderFixes(check: CheckResult, span: Span, order: string[] | undefined): Fix[] {
  const found = statementAt(check, span);
  const statement = found?.statement;
  if (!order || !found || found.inLoop || !statement || (statement.type !== 'collective' && statement.type !== 'broadcast')) return [];
  const text = check.program.entry.source.text;
  const ranks = statement.ranks;
  const list = { start: ranks[0].span.start, end: ranks[ranks.length - 1].span.end };
  const selectors = order.join(', ');
  const preview = order.length > 3 ? `${order.slice(0, 3).join(', ')}, …` : selectors;

  const taken = new Set([...(check.fabric?.arrays.keys() ?? []), ...(check.fabric?.groups.keys() ?? [])]);
  for (const item of check.program.entry.tree.fabrics[0]?.items ?? []) if (item.type === 'group') taken.add(item.name.text);
  const base = `${ranks[0].name.text}_by_switch`;
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}_${n}`;
  const workload = found.workload.span.start;
  const lineStart = text.lastIndexOf('\n', workload - 1) + 1;
  const indent = text.slice(lineStart, workload);
  const declaration = /^\s*$/.test(indent)
    ? { span: { start: lineStartWithDocs(text, workload), end: lineStartWithDocs(text, workload) }, newText: `${indent}group ${name} = ${selectors}\n` }
    : { span: { start: workload, end: workload }, newText: `group ${name} = ${selectors} ` };
  return [
    { title: `Order the ring by switch: ${preview}`, edits: [{ span: list, newText: selectors }], preferred: true },
    { title: `Add the group ${quoted(name)} ordered by switch, and use it`, edits: [declaration, { span: list, newText: name }], preferred: false },
  ];
}

/** The transformer statement whose text holds a span (a `parallelism` diagnostic sits on one of its attributes or its transformer's name). */
function transformerStatementAt(check: CheckResult, span: Span): A.TransformerStatement | undefined {
  const within = (statements: A.Statement[]): A.TransformerStatement | undefined => {
    for (const statement of statements) {
      if (statement.span.start > span.start || statement.span.end < span.end) continue;
      if (statement.type === 'train' || statement.type === 'serve') return statement;
      if (statement.type === 'parallel' || statement.type === 'for') return within(statement.statements);
    }
    return undefined;
  };
  for (const item of check.program.entry.tree.fabrics[0]?.items ?? []) {
    const found = item.type === 'workload' ? within(item.statements) : undefined;
    if (found) return found;
  }
  return undefined;
}

/** Writes the degrees that work (`dp: 2`, `global_batch: 512`): over the attribute, or after the last one. */
function degreeFixes(check: CheckResult, span: Span, degrees: Record<string, number> | undefined): Fix[] {
  const statement = transformerStatementAt(check, span);
  if (!degrees || !statement) return [];
  const last = statement.attributes[statement.attributes.length - 1];
  const edits: Fix['edits'] = [];
  for (const [key, value] of Object.entries(degrees)) {
    const attribute = statement.attributes.find((a) => a.key.text === key);
    if (attribute?.value) edits.push({ span: attribute.value.span, newText: String(value) });
    else if (last) edits.push({ span: { start: last.span.end, end: last.span.end }, newText: `  ${key}: ${value}` });
    else return [];
  }
  const title = Object.entries(degrees).map(([key, value]) => `${key}: ${value}`).join(', ');
  return [{ title: `Use ${quoted(title)}`, edits, preferred: true }];
}
