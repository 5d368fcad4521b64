/**
 * Lays the topology view out with elkjs (layered, top to bottom: spines above leaves above
 * endpoints), one port per edge end so parallel edges fan out instead of overlapping. The
 * bundled build of elkjs runs in the calling thread: no worker file to ship.
 */
import type ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';
import type { ReportData } from './data.js';
import { buildTopologyView, type ViewEdge, type ViewNode } from './view.js';

export interface Point {
  x: number;
  y: number;
}

export interface PlacedNode extends ViewNode {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PlacedEdge extends ViewEdge {
  /** The route from the upper node to the lower one, bends included. */
  points: Point[];
}

export interface TopologyLayout {
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

/** Node sizes in px: switches and groups carry a second line of figures. */
function nodeSize(node: ViewNode): { width: number; height: number } {
  if (node.kind === 'switch') return { width: 150, height: 58 };
  if (node.group !== null) return { width: 164, height: 50 };
  return { width: 116, height: 44 };
}

const MARGIN = 16;

const ROOT_OPTIONS = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.edgeRouting': 'SPLINES',
  'elk.layered.spacing.nodeNodeBetweenLayers': '90',
  'elk.spacing.nodeNode': '18',
  'elk.spacing.edgeEdge': '6',
  'elk.layered.spacing.edgeNodeBetweenLayers': '24',
  'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
  'elk.layered.crossingMinimization.strategy': 'LAYER_SWEEP',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.layered.crossingMinimization.forceNodeModelOrder': 'true',
  'elk.separateConnectedComponents': 'true',
  'elk.spacing.componentComponent': '48',
};

let elk: InstanceType<typeof ELK> | undefined;

export async function layoutTopology(data: ReportData, options: { expandedGroups?: string[] } = {}): Promise<TopologyLayout> {
  const view = buildTopologyView(data, options.expandedGroups);
  if (view.nodes.length === 0) return { width: 0, height: 0, nodes: [], edges: [] };
  const ports = new Map<string, { id: string; width: number; height: number; layoutOptions: Record<string, string> }[]>(view.nodes.map((n) => [n.id, []]));
  for (const edge of view.edges) {
    ports.get(edge.source)!.push({ id: `${edge.id}:out`, width: 1, height: 1, layoutOptions: { 'elk.port.side': 'SOUTH' } });
    ports.get(edge.target)!.push({ id: `${edge.id}:in`, width: 1, height: 1, layoutOptions: { 'elk.port.side': 'NORTH' } });
  }
  const graph: ElkNode = {
    id: 'root',
    layoutOptions: ROOT_OPTIONS,
    children: view.nodes.map((node) => ({
      id: node.id,
      ...nodeSize(node),
      layoutOptions: { 'elk.portConstraints': 'FIXED_SIDE' },
      ports: ports.get(node.id),
    })),
    edges: view.edges.map((edge): ElkExtendedEdge => ({ id: edge.id, sources: [`${edge.id}:out`], targets: [`${edge.id}:in`] })),
  };
  // Loaded on first use: elkjs is 3.3 MB and only drawing needs it (the build keeps it out of the bundles).
  elk ??= new (await import('elkjs/lib/elk.bundled.js')).default();
  const laidOut = await elk.layout(graph);
  const placed = new Map((laidOut.children ?? []).map((child) => [child.id, child]));
  const routes = new Map((laidOut.edges ?? []).map((edge) => [edge.id, edge.sections?.[0]]));
  return {
    width: Math.ceil((laidOut.width ?? 0) + 2 * MARGIN),
    height: Math.ceil((laidOut.height ?? 0) + 2 * MARGIN),
    nodes: view.nodes.map((node) => {
      const at = placed.get(node.id)!;
      return { ...node, x: (at.x ?? 0) + MARGIN, y: (at.y ?? 0) + MARGIN, width: at.width ?? 0, height: at.height ?? 0 };
    }),
    edges: view.edges.map((edge) => {
      const section = routes.get(edge.id);
      const points = section ? [section.startPoint, ...(section.bendPoints ?? []), section.endPoint] : [];
      return { ...edge, points: points.map((p) => ({ x: p.x + MARGIN, y: p.y + MARGIN })) };
    }),
  };
}
