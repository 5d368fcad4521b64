/**
 * What the topology drawing shows, decided before any layout: which nodes (devices, or groups
 * while collapsed), which edges (the links between two drawn nodes, aggregated), their colour
 * class from peak utilization, their width from bandwidth, and what stands out.
 */
import type { ReportData, ReportLink, ReportNode, SourceLocation } from './data.js';
import { MAX_DRAWN_NODES } from './groups.js';
import { maxOf } from '../base/arrays.js';

export type UtilizationBand = 'unsimulated' | 'idle' | 'low' | 'medium' | 'high' | 'full';

/** Lower bounds of the utilization bands (peak over all phases, 0–1). */
export const BANDS: { band: UtilizationBand; from: number; label: string }[] = [
  { band: 'idle', from: 0, label: 'idle (< 1 %)' },
  { band: 'low', from: 0.01, label: '1–50 %' },
  { band: 'medium', from: 0.5, label: '50–80 %' },
  { band: 'high', from: 0.8, label: '80–95 %' },
  { band: 'full', from: 0.95, label: '≥ 95 %' },
];

export function utilizationBand(peak: number | null): UtilizationBand {
  if (peak === null) return 'unsimulated';
  let band: UtilizationBand = 'idle';
  for (const b of BANDS) if (peak >= b.from) band = b.band;
  return band;
}

/** Stroke width in px: grows with the square root of bandwidth, so 8× the bandwidth looks about 3× as wide. */
export function edgeWidth(bandwidth: number): number {
  return Math.min(9, Math.max(1.5, 1.2 * Math.sqrt(bandwidth / 25e9)));
}

export interface ViewNode {
  id: string;
  label: string;
  kind: ReportNode['kind'];
  model: string;
  /** Devices drawn in this node: 1 for a device, the member count for a group. */
  count: number;
  /** Set on group nodes (collapsed, or expandable). */
  group: string | null;
  doc: string | null;
  lanes: ReportNode['lanes'];
  oversubscription: number | null;
  /** Endpoint bandwidth above switch-link bandwidth (ratio > 1). */
  oversubscribed: boolean;
  overLimit: boolean;
  overBudget: boolean;
  features: string[];
  /** Switch level: 0 for endpoints, 1 for switches with endpoint links, one more per tier above. */
  tier: number;
  source: SourceLocation;
}

export interface ViewEdge {
  /** The id of its first link (`link7`): each link is drawn in exactly one edge. */
  id: string;
  /** The upper node (layered layout puts sources above targets). */
  source: string;
  target: string;
  /** Links drawn as this edge, and their sub-links. */
  links: number;
  subLinks: number;
  /** `ualink x4`, or several joined with `, `. */
  ports: string;
  /** Summed bandwidth per direction, B/s. */
  bandwidth: number;
  /** Highest peak utilization of its links; null before a simulation. */
  peak: number | null;
  band: UtilizationBand;
  overloaded: boolean;
  width: number;
  /** Where the first of its links was written. */
  sourceLocation: SourceLocation;
}

export interface TopologyView {
  nodes: ViewNode[];
  edges: ViewEdge[];
}

/** Between two endpoints the accelerator sits above: hosts and memories hang below it, off the switch layer. */
const ENDPOINT_ORDER: Record<string, number> = { gpu: 0, cpu: 1, memory: 2 };

/**
 * Which of the groups asked for are drawn member by member: those of at most MAX_DRAWN_NODES
 * members (elkjs needs seconds per thousand nodes, and groups.ts folds past the same count).
 * A group the data no longer has is dropped without a word; a larger one is `tooLarge`.
 */
export function expandableGroups(data: ReportData, requested: readonly string[]): { expanded: string[]; tooLarge: string[] } {
  const members = new Map(data.topology.groups.map((group) => [group.id, group.count]));
  return {
    expanded: requested.filter((group) => (members.get(group) ?? Infinity) <= MAX_DRAWN_NODES),
    tooLarge: requested.filter((group) => (members.get(group) ?? 0) > MAX_DRAWN_NODES),
  };
}

export function buildTopologyView(data: ReportData, expandedGroups: readonly string[] = []): TopologyView {
  const expanded = new Set(expandableGroups(data, expandedGroups).expanded);
  const groups = new Map(data.topology.groups.map((g) => [g.id, g]));
  const drawnAs = new Map<string, string>();
  const nodes = new Map<string, ViewNode>();
  for (const node of data.topology.nodes) {
    const group = node.group !== null && !expanded.has(node.group) ? groups.get(node.group) : undefined;
    const id = group ? group.id : node.id;
    drawnAs.set(node.id, id);
    const existing = nodes.get(id);
    if (existing) {
      existing.count++;
      mergeSwitchFigures(existing, node);
      continue;
    }
    nodes.set(id, {
      id,
      label: group ? group.label : node.id,
      kind: node.kind,
      model: node.model,
      count: 1,
      group: group ? group.id : null,
      doc: node.doc,
      lanes: node.lanes && { ...node.lanes },
      oversubscription: node.oversubscription,
      oversubscribed: (node.oversubscription ?? 0) > 1 + 1e-9,
      overLimit: node.overLimit,
      overBudget: node.overBudget,
      features: node.features,
      tier: 0,
      source: group ? group.source : node.source,
    });
  }
  const edges = new Map<string, { a: string; b: string; links: ReportLink[] }>();
  for (const link of data.topology.links) {
    const a = drawnAs.get(link.a)!;
    const b = drawnAs.get(link.b)!;
    if (a === b) continue;
    const key = a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
    const entry = edges.get(key);
    if (entry) entry.links.push(link);
    else edges.set(key, { a, b, links: [link] });
  }
  assignTiers(nodes, [...edges.values()]);
  const viewEdges = [...edges.values()].map(({ a, b, links }) => {
    const [upper, lower] = isAbove(nodes.get(a)!, nodes.get(b)!) ? [a, b] : [b, a];
    const bandwidth = links.reduce((sum, l) => sum + l.bandwidth, 0);
    const peak = data.simulated ? maxOf(links.map((l) => l.utilization?.peak ?? 0)) : null;
    return {
      id: links[0].id,
      source: upper,
      target: lower,
      links: links.length,
      subLinks: links.reduce((sum, l) => sum + l.count, 0),
      ports: [...new Set(links.map((l) => `${l.protocol} x${l.width}`))].join(', '),
      bandwidth,
      peak,
      band: utilizationBand(peak),
      overloaded: links.some((l) => l.overloaded),
      width: edgeWidth(bandwidth),
      sourceLocation: links[0].source,
    };
  });
  return { nodes: [...nodes.values()], edges: viewEdges };
}

/** A group shows its worst member: the most lanes used, the highest ratio, any flag. */
function mergeSwitchFigures(into: ViewNode, node: ReportNode): void {
  if (node.lanes && into.lanes) into.lanes.used = Math.max(into.lanes.used, node.lanes.used);
  if (node.oversubscription !== null && node.oversubscription > (into.oversubscription ?? 0)) {
    into.oversubscription = node.oversubscription;
    into.oversubscribed = node.oversubscription > 1 + 1e-9;
  }
  into.overLimit ||= node.overLimit;
  into.overBudget ||= node.overBudget;
}

/** Switch tiers by breadth-first search from the switches that touch endpoints. */
function assignTiers(nodes: Map<string, ViewNode>, edges: { a: string; b: string }[]): void {
  const neighbours = new Map<string, string[]>();
  const add = (from: string, to: string) => {
    const list = neighbours.get(from);
    if (list) list.push(to);
    else neighbours.set(from, [to]);
  };
  for (const { a, b } of edges) {
    add(a, b);
    add(b, a);
  }
  const isSwitch = (id: string) => nodes.get(id)!.kind === 'switch';
  let frontier = [...nodes.values()].filter((n) => n.kind === 'switch' && (neighbours.get(n.id) ?? []).some((m) => !isSwitch(m)));
  for (const node of frontier) node.tier = 1;
  while (frontier.length > 0) {
    const next: ViewNode[] = [];
    for (const node of frontier) {
      for (const id of neighbours.get(node.id) ?? []) {
        const other = nodes.get(id)!;
        if (other.kind === 'switch' && other.tier === 0) {
          other.tier = node.tier + 1;
          next.push(other);
        }
      }
    }
    frontier = next;
  }
  // Switches joined only to switches that no endpoint reaches sit on one tier of their own.
  for (const node of nodes.values()) if (node.kind === 'switch' && node.tier === 0) node.tier = 1;
}

function isAbove(a: ViewNode, b: ViewNode): boolean {
  if (a.tier !== b.tier) return a.tier > b.tier;
  if (a.kind !== 'switch' && b.kind !== 'switch') return ENDPOINT_ORDER[a.kind] <= ENDPOINT_ORDER[b.kind];
  return true;
}
