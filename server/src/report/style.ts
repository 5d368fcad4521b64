/**
 * The report's CSS. Everything is themed through `--fabric-*` custom properties: the page sets
 * them for light and dark (the system's choice, or `data-theme` on <html>), a host such as the
 * VS Code webview overrides them on `.fabric-report` with its own theme colours.
 */

type Tokens = Record<string, string>;

const LIGHT: Tokens = {
  bg: '#f4f6f9',
  surface: '#ffffff',
  'surface-2': '#f0f2f6',
  border: '#dde2ea',
  text: '#18202b',
  muted: '#5d6878',
  accent: '#3563d6',
  pass: '#1d8a55',
  fail: '#cf3030',
  warn: '#c77800',
  'util-unsimulated': '#9aa4b4',
  'util-idle': '#b9c1ce',
  'util-low': '#2f9e6e',
  'util-medium': '#c9a20f',
  'util-high': '#e57a1f',
  'util-full': '#d7372f',
  'kind-switch': '#5a55d6',
  'kind-gpu': '#11889c',
  'kind-cpu': '#7c8798',
  'kind-memory': '#b0489f',
  'proto-pcie5': '#8796ad',
  'proto-pcie6': '#3563d6',
  'proto-cxl': '#b0489f',
  'proto-ualink': '#11889c',
  'proto-nvlink': '#5f9e1f',
  heat: '#3563d6',
  shadow: '0 1px 2px rgba(16, 24, 40, 0.06), 0 1px 3px rgba(16, 24, 40, 0.08)',
};

const DARK: Tokens = {
  ...LIGHT,
  bg: '#0e1116',
  surface: '#161b22',
  'surface-2': '#1d232c',
  border: '#2b323d',
  text: '#e6e9ef',
  muted: '#98a2b3',
  accent: '#6d97ff',
  pass: '#3fc282',
  fail: '#ff6a61',
  warn: '#f0a73a',
  'util-unsimulated': '#5d6675',
  'util-idle': '#4a5261',
  'util-low': '#3fc282',
  'util-medium': '#e6c229',
  'util-high': '#ff9a3d',
  'util-full': '#ff5b52',
  'kind-switch': '#8c87ff',
  'kind-gpu': '#2cc2d6',
  'kind-cpu': '#a3adbd',
  'kind-memory': '#e27ad2',
  'proto-pcie5': '#8f9bb0',
  'proto-pcie6': '#6d97ff',
  'proto-cxl': '#e27ad2',
  'proto-ualink': '#2cc2d6',
  'proto-nvlink': '#8fd14f',
  heat: '#6d97ff',
  shadow: 'none',
};

const declarations = (tokens: Tokens) =>
  Object.entries(tokens)
    .map(([name, value]) => `--fabric-${name}: ${value};`)
    .join(' ');

/** Heatmap steps: the accent colour mixed in at rising strength. */
export const HEAT_STEPS = 6;

const heat = Array.from({ length: HEAT_STEPS }, (_, i) => `.fabric-report .heat-${i} { background: color-mix(in srgb, var(--fabric-heat) ${Math.round(8 + (i * 62) / (HEAT_STEPS - 1))}%, var(--fabric-surface)); }`).join('\n');

const perName = (prefix: string, names: string[], rule: (name: string) => string) => names.map((n) => `.fabric-report .${prefix}-${n} { ${rule(n)} }`).join('\n');

const THEMES = `
:root { color-scheme: light; ${declarations(LIGHT)} }
@media (prefers-color-scheme: dark) { :root:not([data-theme="light"]) { color-scheme: dark; ${declarations(DARK)} } }
:root[data-theme="dark"] { color-scheme: dark; ${declarations(DARK)} }
@media print { :root, :root[data-theme="dark"], :root:not([data-theme="light"]) { color-scheme: light; ${declarations({ ...LIGHT, bg: '#ffffff', shadow: 'none' })} } }
`;

const UTIL = ['unsimulated', 'idle', 'low', 'medium', 'high', 'full'];
const KINDS = ['switch', 'gpu', 'cpu', 'memory'];
const PROTOCOLS = ['pcie5', 'pcie6', 'cxl', 'ualink', 'nvlink'];

const RULES = `
body { margin: 0; background: var(--fabric-bg); }
.fabric-report { font: 14px/1.45 var(--fabric-font, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif); color: var(--fabric-text); background: var(--fabric-bg); padding: 24px; box-sizing: border-box; }
.fabric-report *, .fabric-report *::before, .fabric-report *::after { box-sizing: inherit; }
.fabric-report .mono, .fabric-report code { font-family: var(--fabric-mono, ui-monospace, "SF Mono", "Cascadia Mono", Menlo, Consolas, monospace); font-size: 0.92em; }
.fabric-report h1 { font-size: 24px; line-height: 1.2; margin: 0; font-weight: 650; letter-spacing: -0.01em; }
.fabric-report h2 { font-size: 15px; margin: 0; font-weight: 650; letter-spacing: 0.01em; }
.fabric-report h3 { font-size: 14px; margin: 0; font-weight: 600; }
.fabric-report p { margin: 0; }
.fabric-report .muted { color: var(--fabric-muted); }
.fabric-report .report { display: flex; flex-direction: column; gap: 16px; min-width: 0; }
.fabric-report .card { background: var(--fabric-surface); border: 1px solid var(--fabric-border); border-radius: 12px; box-shadow: var(--fabric-shadow); padding: 16px 18px; min-width: 0; }
.fabric-report .card > header { display: flex; align-items: baseline; justify-content: space-between; gap: 12px; flex-wrap: wrap; margin-bottom: 12px; }
.fabric-report .card > header .note { font-size: 12px; color: var(--fabric-muted); }
.fabric-report .headline { display: flex; flex-direction: column; gap: 6px; }
.fabric-report .headline .description { font-size: 15px; color: var(--fabric-muted); }
.fabric-report .headline .doc { font-size: 13px; color: var(--fabric-muted); }
.fabric-report .chips { display: flex; gap: 8px; flex-wrap: wrap; margin-top: 4px; }
.fabric-report .chip { display: inline-flex; align-items: center; gap: 6px; border-radius: 999px; padding: 2px 10px; font-size: 12px; font-weight: 600; border: 1px solid var(--fabric-border); background: var(--fabric-surface-2); }
.fabric-report .chip.errors { color: var(--fabric-fail); border-color: color-mix(in srgb, var(--fabric-fail) 40%, transparent); }
.fabric-report .chip.warnings { color: var(--fabric-warn); border-color: color-mix(in srgb, var(--fabric-warn) 40%, transparent); }
.fabric-report .chip.clean { color: var(--fabric-pass); border-color: color-mix(in srgb, var(--fabric-pass) 40%, transparent); }
.fabric-report .kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 10px; margin-top: 14px; }
.fabric-report .kpi { background: var(--fabric-surface-2); border-radius: 10px; padding: 10px 12px; }
.fabric-report .kpi .value { font-size: 20px; font-weight: 650; font-variant-numeric: tabular-nums; white-space: nowrap; }
.fabric-report .kpi .label { font-size: 12px; color: var(--fabric-muted); }
.fabric-report table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
.fabric-report th { text-align: left; font-weight: 600; font-size: 12px; color: var(--fabric-muted); padding: 6px 8px; border-bottom: 1px solid var(--fabric-border); white-space: nowrap; }
.fabric-report td { padding: 6px 8px; border-bottom: 1px solid var(--fabric-border); vertical-align: middle; }
.fabric-report tr:last-child td { border-bottom: 0; }
.fabric-report td.num, .fabric-report th.num { text-align: right; white-space: nowrap; }
.fabric-report .scroll { overflow-x: auto; }
.fabric-report .topology-frame { overflow: auto; max-height: 900px; border-radius: 8px; background: var(--fabric-surface-2); padding: 8px; }
.fabric-report svg.topology { display: block; margin: 0 auto; max-width: 100%; height: auto; font: 12px var(--fabric-font, system-ui, sans-serif); }
.fabric-report .legend { display: flex; flex-wrap: wrap; gap: 6px 16px; margin-top: 10px; font-size: 12px; color: var(--fabric-muted); align-items: center; }
.fabric-report .legend .swatch { display: inline-block; width: 18px; height: 4px; border-radius: 2px; vertical-align: middle; margin-right: 5px; }
.fabric-report .legend .box { display: inline-block; width: 11px; height: 11px; border-radius: 3px; vertical-align: -1px; margin-right: 5px; }
${perName('swatch.util', UTIL, (n) => `background: var(--fabric-util-${n});`)}
${perName('box.kind', KINDS, (n) => `background: var(--fabric-kind-${n});`)}
${perName('box.proto', PROTOCOLS, (n) => `background: var(--fabric-proto-${n});`)}
.fabric-report .legend .box.flag { background: transparent; border: 2px solid var(--fabric-fail); }
.fabric-report .legend .box.ratio { background: var(--fabric-warn); border-radius: 6px; }
/* Topology drawing. */
svg.topology.standalone { font: 12px var(--fabric-font, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif); }
.topology .backdrop { fill: var(--fabric-bg); }
.topology .edge path { fill: none; stroke-linejoin: round; stroke-linecap: round; }
${UTIL.map((n) => `.topology .edge.util-${n} .wire { stroke: var(--fabric-util-${n}); }`).join('\n')}
.topology .edge.util-unsimulated .wire, .topology .edge.util-idle .wire { stroke-dasharray: 5 4; }
.topology .edge .halo { stroke: var(--fabric-util-full); opacity: 0.25; }
.topology .edge:hover .wire { stroke: var(--fabric-accent); }
.topology .node .body { fill: var(--fabric-surface); stroke: var(--fabric-border); stroke-width: 1; }
.topology .node .stack { fill: var(--fabric-surface); stroke: var(--fabric-border); }
${KINDS.map((n) => `.topology .node.kind-${n} .accent { fill: var(--fabric-kind-${n}); }`).join('\n')}
.topology .node .name { fill: var(--fabric-text); font-weight: 650; font-size: 13px; }
.topology .node .model, .topology .node .figure { fill: var(--fabric-muted); font-size: 11px; }
.topology .node .figure { font-variant-numeric: tabular-nums; }
.topology .node .count rect { fill: color-mix(in srgb, var(--fabric-kind-gpu) 16%, var(--fabric-surface)); }
.topology .node.kind-switch .count rect { fill: color-mix(in srgb, var(--fabric-kind-switch) 16%, var(--fabric-surface)); }
.topology .node .count text { fill: var(--fabric-text); font-weight: 650; font-size: 12px; }
.topology .node .lanes .track { fill: var(--fabric-surface-2); stroke: var(--fabric-border); stroke-width: 0.5; }
.topology .node .lanes .used { fill: var(--fabric-kind-switch); }
.topology .node.oversubscribed .body { stroke: var(--fabric-warn); stroke-width: 2; }
.topology .node .ratio rect { fill: var(--fabric-warn); }
.topology .node .ratio text { fill: #fff; font-weight: 700; font-size: 11px; }
.topology .node.over-limit .body, .topology .node.over-budget .body { stroke: var(--fabric-fail); stroke-width: 2.5; }
.topology .node.over-limit .ratio rect { fill: var(--fabric-fail); }
.topology .node.over-budget .lanes .used { fill: var(--fabric-fail); }
.topology .node:hover .body { stroke: var(--fabric-accent); }
/* Bars (lane budgets, timelines, alternatives): SVG rects stretched to the cell's width. */
.fabric-report svg.bar { display: block; width: 100%; height: 12px; }
.fabric-report svg.bar .track { fill: var(--fabric-surface-2); }
${PROTOCOLS.map((n) => `.fabric-report svg.bar .proto-${n} { fill: var(--fabric-proto-${n}); }`).join('\n')}
.fabric-report .budget-row.over-budget svg.bar rect:not(.track) { fill: var(--fabric-fail); }
.fabric-report .budget-row.over-budget .used-text { color: var(--fabric-fail); font-weight: 650; }
.fabric-report .budget-row td:first-child { white-space: nowrap; }
.fabric-report td.bar-cell { width: 55%; min-width: 140px; }
/* Latency heatmap. */
.fabric-report table.heatmap td.cell { text-align: center; white-space: nowrap; font-size: 12.5px; border: 2px solid var(--fabric-surface); border-radius: 6px; padding: 7px 8px; }
.fabric-report table.heatmap td.cell.none { color: var(--fabric-muted); background: var(--fabric-surface-2); }
.fabric-report table.heatmap th.column { text-align: center; }
.fabric-report table.heatmap th.row { text-align: left; color: var(--fabric-text); }
.fabric-report table.heatmap .group-head { color: var(--fabric-muted); font-weight: 600; font-size: 11px; text-transform: uppercase; letter-spacing: 0.05em; text-align: center; border-bottom: 0; }
${heat}
/* Workloads. */
.fabric-report .workload + .workload { margin-top: 22px; padding-top: 18px; border-top: 1px solid var(--fabric-border); }
.fabric-report .workload > header { display: flex; justify-content: space-between; align-items: baseline; gap: 12px; flex-wrap: wrap; margin-bottom: 8px; }
.fabric-report .workload .total { font-size: 18px; font-weight: 650; font-variant-numeric: tabular-nums; }
.fabric-report svg.timeline { display: block; width: 100%; height: 34px; margin: 6px 0 10px; }
.fabric-report svg.timeline .segment { stroke: var(--fabric-surface); stroke-width: 1; vector-effect: non-scaling-stroke; }
.fabric-report .op-compute { fill: var(--fabric-util-idle); }
.fabric-report .op-collective { fill: var(--fabric-kind-switch); }
.fabric-report .op-transfer { fill: var(--fabric-kind-gpu); }
.fabric-report .op-memory { fill: var(--fabric-kind-memory); }
.fabric-report .dot { display: inline-block; width: 9px; height: 9px; border-radius: 50%; margin-right: 6px; vertical-align: 0; }
.fabric-report .dot.op-compute { background: var(--fabric-util-idle); }
.fabric-report .dot.op-collective { background: var(--fabric-kind-switch); }
.fabric-report .dot.op-transfer { background: var(--fabric-kind-gpu); }
.fabric-report .dot.op-memory { background: var(--fabric-kind-memory); }
.fabric-report .steps td.step { max-width: 340px; }
.fabric-report .alternatives { display: grid; grid-template-columns: auto 1fr auto; gap: 2px 8px; align-items: center; min-width: 220px; font-size: 12px; }
.fabric-report .alternatives svg.bar { height: 8px; }
.fabric-report .alternatives .alt { fill: color-mix(in srgb, var(--fabric-muted) 45%, var(--fabric-surface)); }
.fabric-report .alternatives .alt.chosen { fill: var(--fabric-accent); }
.fabric-report .alternatives .name.chosen, .fabric-report .alternatives .time.chosen { font-weight: 650; color: var(--fabric-accent); }
.fabric-report .gain { display: inline-block; margin-top: 3px; font-size: 12px; font-weight: 600; color: var(--fabric-pass); }
.fabric-report .algorithm { display: inline-block; border-radius: 6px; padding: 0 6px; font-size: 12px; font-weight: 600; background: var(--fabric-surface-2); border: 1px solid var(--fabric-border); }
.fabric-report .algorithm.inc, .fabric-report .algorithm.hypercast { color: var(--fabric-accent); border-color: color-mix(in srgb, var(--fabric-accent) 45%, transparent); }
/* Expectations. */
.fabric-report .badge { display: inline-block; min-width: 44px; text-align: center; border-radius: 6px; padding: 1px 8px; font-size: 12px; font-weight: 700; letter-spacing: 0.03em; }
.fabric-report .badge.pass { color: var(--fabric-pass); background: color-mix(in srgb, var(--fabric-pass) 14%, transparent); }
.fabric-report .badge.fail { color: var(--fabric-fail); background: color-mix(in srgb, var(--fabric-fail) 14%, transparent); }
.fabric-report tr.fail td { background: color-mix(in srgb, var(--fabric-fail) 6%, transparent); }
.fabric-report .assumptions { margin: 0; padding-left: 20px; display: grid; gap: 4px; font-size: 13px; }
.fabric-report .empty { color: var(--fabric-muted); font-style: italic; }
/* Two fabrics side by side. */
.fabric-report .compare-columns { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 16px; align-items: start; margin-top: 16px; }
.fabric-report .delta.better { color: var(--fabric-pass); font-weight: 600; }
.fabric-report .delta.worse { color: var(--fabric-fail); font-weight: 600; }
/* Half a page wide, the step tables drop the line and bottleneck columns (each report alone has them). */
.fabric-report .compare-columns .col-line, .fabric-report .compare-columns .col-bottleneck { display: none; }
.fabric-report .compare-columns .alternatives { min-width: 170px; }
.fabric-report .compare-columns .kpis { grid-template-columns: repeat(auto-fit, minmax(130px, 1fr)); }
.fabric-report .compare-columns .kpi .value { font-size: 17px; }
@media (max-width: 1100px) { .fabric-report .compare-columns { grid-template-columns: minmax(0, 1fr); } }
@media print {
  .fabric-report { padding: 0; font-size: 11pt; }
  .fabric-report .card { box-shadow: none; border-color: #c9ced6; }
  .fabric-report tr, .fabric-report .kpi, .fabric-report .topology-frame, .fabric-report .card > header { break-inside: avoid; }
  .fabric-report .topology-frame { max-height: none; overflow: visible; }
  .fabric-report .compare-columns { grid-template-columns: minmax(0, 1fr); }
  .fabric-report .scroll { overflow: visible; }
}
`;

export const reportStylesheet = `${THEMES}${RULES}`;
