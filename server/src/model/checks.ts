/**
 * Static checks on the resolved fabric (§4, §5, §8, §9): protocols and widths at each end,
 * port packing, lane budgets, capacity, reach, unused devices and static oversubscription.
 */
import type { AllocateDecl, DeviceDecl, LinkDecl } from '../syntax/ast.js';
import type { RelatedInformation, Span } from '../syntax/source.js';
import { agree, type DiagnosticSink } from './diagnostics.js';
import { widthText } from './protocols.js';
import type { Allocation, Device, FabricModel, Link, PortGroup } from './types.js';
import { formatQuantity } from './units.js';

/** Most contributing links listed as related information on one diagnostic. */
const MAX_RELATED = 32;

/** The header of a declaration (`switch sx[4] : scorpio_x`), where device diagnostics sit. */
export function declarationHead(decl: DeviceDecl): Span {
  const end = decl.model?.span.end ?? (decl.count ? decl.count.span.end + 1 : decl.name.span.end);
  return { start: decl.span.start, end };
}

/** The line of a link (`link a <-> b : ualink x4 * 2`), where link diagnostics sit. */
export function linkHead(decl: LinkDecl): Span {
  return { start: decl.span.start, end: decl.port.span.end };
}

export function lanesUsed(device: Device): number {
  let lanes = 0;
  for (const link of device.links) lanes += link.lanes;
  return lanes;
}

export function isSwitch(device: Device): boolean {
  return device.array.kind === 'switch';
}

function otherEnd(link: Link, device: Device): Device {
  return link.a === device ? link.b : link.a;
}

/** Bandwidth to non-switch devices ÷ bandwidth to switches; undefined unless the switch has both (§9). */
export function staticOversubscription(device: Device): number | undefined {
  let down = 0;
  let up = 0;
  for (const link of device.links) {
    if (isSwitch(otherEnd(link, device))) up += link.bandwidth;
    else down += link.bandwidth;
  }
  return down > 0 && up > 0 ? down / up : undefined;
}

/** Contributing links as related information, one entry per link line (a loop's links folded). */
function related(links: Link[], describe: (links: Link[]) => string): RelatedInformation[] {
  const byDecl = new Map<LinkDecl, Link[]>();
  for (const link of links) {
    const group = byDecl.get(link.decl);
    if (group) group.push(link);
    else if (byDecl.size < MAX_RELATED) byDecl.set(link.decl, [link]);
  }
  return [...byDecl.values()].map((group) => ({
    file: group[0].file,
    span: linkHead(group[0].decl),
    message: `${group[0].name}${group.length > 1 ? ` and ${group.length - 1} more` : ''}: ${describe(group)}`,
  }));
}

const totalLanes = (links: Link[]) => `${links.reduce((n, link) => n + link.lanes, 0)} lanes`;
const totalBandwidth = (links: Link[]) => `${formatQuantity(sum(links), 'bandwidth')} per direction`;

export function runStaticChecks(fabric: FabricModel, sink: DiagnosticSink): void {
  for (const device of fabric.devices) {
    if (device.links.length === 0) {
      if (device.named) continue;
      sink.report({
        file: device.array.file,
        span: declarationHead(device.array.decl),
        code: 'unused-device',
        subject: device.name,
        message: (subject) => `${subject} ${agree(subject, 'has', 'have')} no links; connect ${agree(subject, 'it', 'them')} or remove the declaration`,
      });
      continue;
    }
    if (isSwitch(device)) checkSwitch(device, fabric, sink);
    else checkEndpoint(device, sink);
  }
  for (const link of fabric.links) {
    checkProtocol(link, sink);
    checkReach(link, sink);
  }
  checkCapacity(fabric, sink);
}

function checkSwitch(device: Device, fabric: FabricModel, sink: DiagnosticSink): void {
  const spec = device.array.spec;
  const lanes = lanesUsed(device);
  const budget = spec.lanes?.value;
  if (budget !== undefined && lanes > budget) {
    sink.report({
      file: device.array.file,
      span: declarationHead(device.array.decl),
      code: 'lane-budget',
      subject: device.name,
      magnitude: lanes,
      message: (subject) => `${subject} ${agree(subject, 'uses', 'use up to')} ${lanes} of ${budget} lanes; use a switch model with more lanes, narrower links or another switch`,
      related: related(device.links, totalLanes),
    });
  }
  const ratio = staticOversubscription(device);
  const limit = fabric.settings.oversubscription_limit;
  if (ratio !== undefined && ratio > limit * (1 + 1e-9)) {
    const down = device.links.filter((link) => !isSwitch(otherEnd(link, device)));
    sink.report({
      file: device.array.file,
      span: declarationHead(device.array.decl),
      code: 'oversubscription',
      subject: device.name,
      magnitude: ratio,
      message: (subject) =>
        `${subject} ${agree(subject, 'is oversubscribed', 'are oversubscribed up to')} ${ratio.toFixed(2)}:1 (endpoint links ${formatQuantity(sum(down), 'bandwidth')} over switch links ${formatQuantity(sum(device.links) - sum(down), 'bandwidth')}), above the limit ${limit}; add uplinks or raise \`oversubscription_limit\``,
      related: related(device.links, totalBandwidth),
    });
  }
}

function sum(links: Link[]): number {
  return links.reduce((total, link) => total + link.bandwidth, 0);
}

/** `count` sub-links of one width, from one link. */
export interface Demand {
  width: number;
  count: number;
  link: Link;
}

/**
 * Packs sub-links into ports, widest first, best fit (§4); returns how many do not fit. Best fit
 * fills the port it picks until the width no longer fits, so ports are counted by their free
 * lanes and filled in bulk: the work grows with the number of links, not with their counts.
 */
export function packSubLinks(demands: Demand[], ports: PortGroup[]): number {
  const unopened = ports.map((group) => ({ width: group.width, left: group.count })).sort((a, b) => b.width - a.width);
  /** Opened ports by their free lanes. */
  const open = new Map<number, number>();
  const addOpen = (free: number, count: number) => {
    if (count > 0) open.set(free, (open.get(free) ?? 0) + count);
  };
  let unplaced = 0;
  for (const demand of [...demands].sort((a, b) => b.width - a.width)) {
    let left = demand.count;
    while (left > 0) {
      let best: number | undefined;
      for (const free of open.keys()) if (free >= demand.width && (best === undefined || free < best)) best = free;
      const group = best === undefined ? unopened.find((g) => g.left > 0 && g.width >= demand.width) : undefined;
      if (best === undefined && !group) {
        unplaced += left;
        break;
      }
      const free = best ?? group!.width;
      const perPort = Math.floor(free / demand.width);
      const used = Math.min(best === undefined ? group!.left : open.get(best)!, Math.ceil(left / perPort));
      const full = Math.min(used, Math.floor(left / perPort));
      if (best === undefined) group!.left -= used;
      else if (open.get(best)! === used) open.delete(best);
      else open.set(best, open.get(best)! - used);
      addOpen(free - perPort * demand.width, full);
      if (used > full) addOpen(free - (left - full * perPort) * demand.width, 1);
      left -= Math.min(left, used * perPort);
    }
  }
  return unplaced;
}

function describePorts(ports: PortGroup[]): string {
  return ports.map((p) => `${p.count} × ${widthText(p.width)}`).join(' + ');
}

function checkEndpoint(device: Device, sink: DiagnosticSink): void {
  const ports = device.array.spec.ports?.value ?? [];
  const demandsByProtocol = new Map<string, Demand[]>();
  for (const link of device.links) {
    const protocol = link.protocol.name;
    let widest = -1;
    for (const port of ports) if (port.protocol === protocol && port.width > widest) widest = port.width;
    if (widest < 0) continue;
    if (link.width > widest) {
      sink.report({
        file: link.file,
        span: link.decl.port.width.span,
        code: 'lane-width',
        subject: link.name,
        message: (subject) => `${subject}: ${device.name} has no ${protocol} port as wide as ${widthText(link.width)}; its widest is ${widthText(widest)}`,
        data: { suggestion: widthText(widest) },
      });
      continue;
    }
    let demands = demandsByProtocol.get(protocol);
    if (!demands) demandsByProtocol.set(protocol, (demands = []));
    demands.push({ width: link.width, count: link.count, link });
  }
  for (const [protocol, demands] of demandsByProtocol) {
    const own = ports.filter((p) => p.protocol === protocol);
    const unplaced = packSubLinks(demands, own);
    if (unplaced === 0) continue;
    const needed = new Map<number, number>();
    for (const demand of demands) needed.set(demand.width, (needed.get(demand.width) ?? 0) + demand.count);
    const total = demands.reduce((n, demand) => n + demand.count, 0);
    const neededText = [...needed].map(([width, count]) => `${count} × ${widthText(width)}`).join(' + ');
    sink.report({
      file: device.array.file,
      span: declarationHead(device.array.decl),
      code: 'port-budget',
      subject: device.name,
      magnitude: unplaced,
      message: (subject) =>
        `${subject}: links need ${neededText} ${protocol} sub-links but the ${protocol} ports (${describePorts(own)}) hold ${total - unplaced}; use a model with more ${protocol} ports or fewer, narrower links`,
      related: related([...new Set(demands.map((d) => d.link))], (links) => `${links.reduce((n, link) => n + link.count, 0)} × ${widthText(links[0].width)} ${protocol}`),
    });
  }
}

/** Why an end cannot carry the link's protocol, or undefined when it can. */
function protocolProblem(device: Device, protocol: string): string | undefined {
  const spec = device.array.spec;
  const model = device.array.model.name;
  // The usual case, that the end speaks it, is answered without building the message's lists.
  if (isSwitch(device)) {
    const carried = spec.protocols?.value ?? [];
    if (carried.some((p) => p.protocol === protocol)) return undefined;
    return `${device.name} (${model}) does not carry ${protocol}; it carries ${carried.map((p) => p.protocol).join(', ') || 'no protocol'}`;
  }
  const ports = spec.ports?.value ?? [];
  if (ports.some((p) => p.protocol === protocol)) return undefined;
  return `${device.name} (${model}) has no ${protocol} port; its ports speak ${[...new Set(ports.map((p) => p.protocol))].join(', ') || 'nothing'}`;
}

function checkProtocol(link: Link, sink: DiagnosticSink): void {
  const protocol = link.protocol.name;
  const atA = protocolProblem(link.a, protocol);
  const atB = protocolProblem(link.b, protocol);
  if (atA === undefined && atB === undefined) return;
  const problems = [atA, atB].filter((problem) => problem !== undefined);
  sink.report({
    file: link.file,
    span: linkHead(link.decl),
    code: 'protocol-unsupported',
    subject: link.name,
    message: (subject) => `${subject}: ${problems.join('; ')}`,
  });
}

function checkReach(link: Link, sink: DiagnosticSink): void {
  const reach = link.protocol.reach.value * (link.retimers + 1);
  if (link.length <= reach) return;
  const needed = Math.ceil(link.length / link.protocol.reach.value) - 1;
  sink.report({
    file: link.file,
    span: linkHead(link.decl),
    code: 'reach',
    subject: link.name,
    message: (subject) =>
      `${subject}: ${formatQuantity(link.length, 'length')} exceeds the ${link.protocol.name} reach of ${formatQuantity(reach, 'length')} (${formatQuantity(link.protocol.reach.value, 'length')} passive, an estimate${link.retimers ? `, × ${link.retimers + 1} with ${link.retimers} retimer${link.retimers > 1 ? 's' : ''}` : ''}); add \`retimers: ${needed}\` or shorten the link`,
  });
}

function checkCapacity(fabric: FabricModel, sink: DiagnosticSink): void {
  // Per memory, the bytes each allocation line asks for (a loop's line once, with its total).
  const used = new Map<Device, Map<AllocateDecl, { first: Allocation; bytes: number; lines: number }>>();
  for (const allocation of fabric.allocations) {
    let byDecl = used.get(allocation.memory);
    if (!byDecl) used.set(allocation.memory, (byDecl = new Map()));
    const entry = byDecl.get(allocation.decl) ?? { first: allocation, bytes: 0, lines: 0 };
    entry.bytes += allocation.bytes * allocation.targets.length;
    entry.lines++;
    byDecl.set(allocation.decl, entry);
  }
  for (const [memory, byDecl] of used) {
    const spec = memory.array.spec;
    const capacity = (spec.capacity ?? spec.memory)?.value ?? 0;
    const bytes = [...byDecl.values()].reduce((total, entry) => total + entry.bytes, 0);
    if (bytes <= capacity) continue;
    const relatedInfo: RelatedInformation[] = [...byDecl].slice(0, MAX_RELATED).map(([decl, entry]) => ({
      file: entry.first.file,
      span: decl.span,
      message:
        entry.lines > 1
          ? `${formatQuantity(entry.bytes, 'size')} over ${entry.lines} iterations`
          : `${formatQuantity(entry.first.bytes, 'size')} × ${entry.first.targets.length} = ${formatQuantity(entry.bytes, 'size')}`,
    }));
    sink.report({
      file: memory.array.file,
      span: declarationHead(memory.array.decl),
      code: 'capacity',
      subject: memory.name,
      magnitude: bytes,
      message: (subject) =>
        `${subject}: allocations total ${formatQuantity(bytes, 'size')}, over the capacity of ${formatQuantity(capacity, 'size')}; allocate less or raise \`capacity\``,
      related: relatedInfo,
    });
  }
}
