/**
 * The topology as SVG markup. Every node, group and edge carries `data-id` and `data-source`
 * (file:line:column) for click-to-source, group nodes `data-group` for expanding. Colours come
 * from classes (`util-full`, `kind-switch`, `over-limit`) that the stylesheet themes; the markup
 * has no style attributes and no script, and every text from the file is escaped.
 */
import type { ReportData, SourceLocation } from './data.js';
import { escapeHtml as escape } from './escape.js';
import type { PlacedEdge, PlacedNode, TopologyLayout } from './layout.js';
import { formatBandwidth, formatPercent, formatRatio } from './format.js';
import { reportStylesheet } from './style.js';

export const sourceAttribute = (source: SourceLocation) => `${source.file}:${source.line}:${source.column}`;

const KIND_NAMES: Record<string, string> = { gpu: 'accelerator', cpu: 'host', switch: 'switch', memory: 'memory' };

/** Cuts a label to fit `pixels` at an average glyph width; the full text stays in the tooltip. */
function fit(text: string, pixels: number, glyph: number): string {
  const characters = Math.max(3, Math.floor(pixels / glyph));
  return text.length <= characters ? text : `${text.slice(0, characters - 1)}…`;
}

const xy = (p: { x: number; y: number }) => `${p.x.toFixed(1)} ${p.y.toFixed(1)}`;

/** elkjs routes splines as piecewise cubic Béziers: the start, then (control, control, end) triples. */
function path(points: { x: number; y: number }[]): string {
  if ((points.length - 1) % 3 !== 0) return points.map((p, i) => `${i === 0 ? 'M' : 'L'}${xy(p)}`).join(' ');
  const curves: string[] = [];
  for (let i = 1; i < points.length; i += 3) curves.push(`C${xy(points[i])} ${xy(points[i + 1])} ${xy(points[i + 2])}`);
  return `M${xy(points[0])} ${curves.join(' ')}`;
}

function edgeTitle(edge: PlacedEdge, names: Map<string, string>): string {
  const lines = [
    `${names.get(edge.source)} ↔ ${names.get(edge.target)}`,
    `${edge.links === 1 ? '1 link' : `${edge.links} links`} (${edge.ports}${edge.subLinks > edge.links ? `, ${edge.subLinks} sub-links` : ''}), ${formatBandwidth(edge.bandwidth)} per direction`,
    edge.peak === null ? 'not simulated' : `peak utilization ${formatPercent(edge.peak)}`,
  ];
  if (edge.overloaded) lines.push('overloaded: saturated and slowing a workload (link-overload)');
  return lines.join('\n');
}

function renderEdge(edge: PlacedEdge, names: Map<string, string>): string {
  if (edge.points.length < 2) return '';
  const d = path(edge.points);
  const classes = ['edge', `util-${edge.band}`, ...(edge.overloaded ? ['overloaded'] : [])].join(' ');
  const halo = edge.overloaded ? `<path class="halo" d="${d}" stroke-width="${(edge.width + 8).toFixed(1)}"/>` : '';
  return (
    `<g class="${classes}" data-id="${escape(edge.id)}" data-links="${edge.links}" data-source="${escape(sourceAttribute(edge.sourceLocation))}" data-utilization="${edge.peak === null ? '' : edge.peak.toFixed(4)}">` +
    `<title>${escape(edgeTitle(edge, names))}</title>${halo}<path class="wire" d="${d}" stroke-width="${edge.width.toFixed(1)}"/></g>`
  );
}

function nodeTitle(node: PlacedNode): string {
  const lines = [`${node.label}: ${node.count > 1 ? `${node.count} × ` : ''}${node.model} (${KIND_NAMES[node.kind]})`];
  if (node.lanes) lines.push(`lanes ${node.lanes.used} of ${node.lanes.total ?? '?'}${node.count > 1 ? ' (busiest)' : ''}`);
  if (node.oversubscription !== null) lines.push(`oversubscription ${formatRatio(node.oversubscription)}${node.overLimit ? ', above the limit' : ''}`);
  if (node.overBudget) lines.push('over its lane budget (lane-budget)');
  if (node.features.length > 0) lines.push(`in-network: ${node.features.join(', ')}`);
  if (node.doc) lines.push(node.doc);
  return lines.join('\n');
}

function renderNode(node: PlacedNode): string {
  const classes = [
    'node',
    `kind-${node.kind}`,
    ...(node.group !== null ? ['group'] : []),
    ...(node.oversubscribed ? ['oversubscribed'] : []),
    ...(node.overLimit ? ['over-limit'] : []),
    ...(node.overBudget ? ['over-budget'] : []),
  ].join(' ');
  const { width: w, height: h } = node;
  const parts: string[] = [];
  if (node.group !== null) {
    // Two offset cards behind the face read as "a stack of devices".
    parts.push(`<rect class="stack" x="6" y="-6" width="${w}" height="${h}" rx="8"/>`, `<rect class="stack" x="3" y="-3" width="${w}" height="${h}" rx="8"/>`);
  }
  parts.push(`<rect class="body" width="${w}" height="${h}" rx="8"/>`, `<rect class="accent" width="5" height="${h}" rx="2"/>`);
  const badge = node.group !== null ? 52 : 0;
  const figure = node.lanes ? 48 : 0;
  parts.push(`<text class="name" x="14" y="20">${escape(fit(node.label, w - 18 - badge, 7.1))}</text>`);
  parts.push(`<text class="model" x="14" y="36">${escape(fit(node.model, w - 20 - figure, 6.1))}</text>`);
  if (node.group !== null) {
    parts.push(`<g class="count"><rect x="${w - 52}" y="8" width="44" height="20" rx="10"/><text x="${w - 30}" y="22" text-anchor="middle">×${node.count}</text></g>`);
  }
  if (node.lanes) {
    const total = node.lanes.total ?? node.lanes.used;
    const share = total > 0 ? Math.min(1, node.lanes.used / total) : 0;
    const barWidth = w - 28;
    parts.push(
      `<g class="lanes"><rect class="track" x="14" y="${h - 16}" width="${barWidth}" height="6" rx="3"/>` +
        `<rect class="used" x="14" y="${h - 16}" width="${(barWidth * share).toFixed(1)}" height="6" rx="3"/></g>`,
    );
    parts.push(`<text class="figure" x="${w - 10}" y="36" text-anchor="end">${node.lanes.used}/${node.lanes.total ?? '?'}</text>`);
  }
  if (node.oversubscribed && node.oversubscription !== null) {
    parts.push(`<g class="ratio"><rect x="${w - 50}" y="-10" width="48" height="20" rx="10"/><text x="${w - 26}" y="4" text-anchor="middle">${escape(formatRatio(node.oversubscription))}</text></g>`);
  }
  const group = node.group !== null ? ` data-group="${escape(node.group)}"` : '';
  return (
    `<g class="${classes}" data-id="${escape(node.id)}" data-source="${escape(sourceAttribute(node.source))}"${group} transform="translate(${node.x.toFixed(1)} ${node.y.toFixed(1)})">` +
    `<title>${escape(nodeTitle(node))}</title>${parts.join('')}</g>`
  );
}

export function renderTopologySvg(data: ReportData, layout: TopologyLayout): string {
  const names = new Map(layout.nodes.map((n) => [n.id, n.label]));
  const label = `Topology of ${data.fabric?.name ?? 'the fabric'}: ${layout.nodes.length} nodes, ${layout.edges.length} connections`;
  return (
    `<svg class="topology" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${layout.width} ${layout.height}" width="${layout.width}" height="${layout.height}" role="img" aria-label="${escape(label)}">` +
    `<g class="edges">${layout.edges.map((e) => renderEdge(e, names)).join('')}</g>` +
    `<g class="nodes">${layout.nodes.map(renderNode).join('')}</g></svg>`
  );
}

/** The topology alone as a standalone SVG file, styled by the report's stylesheet. */
export function renderTopologyDocument(data: ReportData, layout: TopologyLayout, theme: 'auto' | 'light' | 'dark' = 'auto'): string {
  const drawing = renderTopologySvg(data, layout);
  const attributes = theme === 'auto' ? '' : ` data-theme="${theme}"`;
  const backdrop = `<rect class="backdrop" width="${layout.width}" height="${layout.height}"/>`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${drawing.replace('<svg class="topology"', `<svg class="topology standalone"${attributes}`).replace('<g class="edges">', `<style><![CDATA[${reportStylesheet}]]></style>${backdrop}<g class="edges">`)}\n`;
}
