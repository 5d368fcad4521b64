/**
 * The report's sections as HTML markup: headline, topology, lane budgets, latency matrix,
 * workloads, expectations, bill of materials, assumptions. No script, no inline style, no event
 * handler; bars are SVG rects stretched to their cell; every text from the file is escaped.
 */
import type { LaneBudget, LatencyCell, LatencySet, ReportData, ReportStep, ReportWorkload, SourceLocation } from './data.js';
import { escapeHtml as escape } from './escape.js';
import { formatCount, formatGBps, formatInUnit, formatPower, formatTime } from './format.js';
import type { TopologyLayout } from './layout.js';
import { HEAT_STEPS } from './style.js';
import { renderTopologySvg, sourceAttribute } from './svg.js';
import { BANDS } from './view.js';

const BAR_UNITS = 1000;
/** A gain smaller than this (1 %) is not worth a line: it would read `1.00×`. */
const MIN_GAIN = 1.01;
/** Most parallel steps a timeline phase stacks. */
const MAX_TIMELINE_ROWS = 6;

const source = (location: SourceLocation) => ` data-source="${escape(sourceAttribute(location))}"`;

function card(section: string, title: string, body: string, note = ''): string {
  return `<section class="card" data-section="${section}"><header><h2>${escape(title)}</h2>${note ? `<span class="note">${note}</span>` : ''}</header>${body}</section>`;
}

/** A horizontal bar of segments (value in the same unit as `total`), drawn to the cell's width. */
function bar(segments: { value: number; cls: string; title: string }[], total: number, className = 'bar'): string {
  let x = 0;
  const rects = segments.map((s) => {
    const width = total > 0 ? (s.value / total) * BAR_UNITS : 0;
    const rect = `<rect class="${s.cls}" x="${x.toFixed(2)}" width="${width.toFixed(2)}" height="12"><title>${escape(s.title)}</title></rect>`;
    x += width;
    return rect;
  });
  return `<svg class="${className}" viewBox="0 0 ${BAR_UNITS} 12" preserveAspectRatio="none" aria-hidden="true"><rect class="track" width="${BAR_UNITS}" height="12"/>${rects.join('')}</svg>`;
}

function headline(data: ReportData): string {
  const fabric = data.fabric;
  const { errors, warnings, hints } = data.diagnostics;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const chips = [
    errors > 0 ? `<span class="chip errors">${plural(errors, 'error')}</span>` : '',
    warnings > 0 ? `<span class="chip warnings">${plural(warnings, 'warning')}</span>` : '',
    hints > 0 ? `<span class="chip">${plural(hints, 'hint')}</span>` : '',
    errors + warnings === 0 ? '<span class="chip clean">no errors or warnings</span>' : '',
    data.simulated ? '' : '<span class="chip">not simulated</span>',
  ].join('');
  const t = data.bom.totals;
  const passed = data.expectations.filter((e) => e.pass).length;
  const slowest = data.workloads.reduce<ReportWorkload | undefined>((worst, w) => (!worst || w.time_s > worst.time_s ? w : worst), undefined);
  const kpis = [
    [formatCount(t.accelerators), 'accelerators'],
    [formatCount(t.switches), 'switches'],
    [formatCount(t.hosts + t.memories), 'hosts and memories'],
    [formatCount(t.links), 'links'],
    [t.switchLanesTotal > 0 ? `${formatCount(t.switchLanesUsed)} / ${formatCount(t.switchLanesTotal)}` : '–', 'switch lanes used'],
    ...(t.power_W > 0 ? [[formatPower(t.power_W), t.powerUnknown > 0 ? `power (${formatCount(t.powerUnknown)} without a figure)` : 'power']] : []),
    ...(data.expectations.length > 0 ? [[`${passed} / ${data.expectations.length}`, 'expectations pass']] : []),
    ...(slowest ? [[formatTime(slowest.time_s), `slowest workload (${escape(slowest.name)})`]] : []),
  ];
  return (
    `<section class="card headline" data-section="summary"><h1>${escape(fabric?.name ?? data.file)}</h1>` +
    (fabric?.description ? `<p class="description">${escape(fabric.description)}</p>` : '') +
    (fabric?.doc ? `<p class="doc">${escape(fabric.doc)}</p>` : '') +
    `<p class="muted mono">${escape(data.file)}</p><div class="chips">${chips}</div>` +
    `<div class="kpis">${kpis.map(([value, label]) => `<div class="kpi"><div class="value">${value}</div><div class="label">${label}</div></div>`).join('')}</div></section>`
  );
}

function topology(data: ReportData, layout: TopologyLayout): string {
  if (layout.nodes.length === 0) return card('topology', 'Topology', '<p class="empty">No devices to draw.</p>');
  const groups = layout.nodes.filter((n) => n.group !== null);
  const note = groups.length > 0 ? `${groups.length} group${groups.length === 1 ? '' : 's'} of like-wired devices shown as one node each` : '';
  const bands = data.simulated ? BANDS.map((b) => `<span><span class="swatch util-${b.band}"></span>${b.label}</span>`).join('') : '<span><span class="swatch util-unsimulated"></span>not simulated</span>';
  const legend =
    `<div class="legend"><span>Peak link utilization:</span>${bands}<span>· width grows with bandwidth</span></div>` +
    `<div class="legend"><span><span class="box kind-switch"></span>switch</span><span><span class="box kind-gpu"></span>accelerator</span><span><span class="box kind-cpu"></span>host</span><span><span class="box kind-memory"></span>memory</span>` +
    `<span><span class="box ratio"></span>oversubscribed (endpoint ÷ switch-link bandwidth)</span><span><span class="box flag"></span>over a limit or budget</span></div>`;
  return card('topology', 'Topology', `<div class="topology-frame">${renderTopologySvg(data, layout)}</div>${legend}`, note);
}

/** Consecutive switches of one array with the same figures share one row. */
function budgetRows(budgets: LaneBudget[]): { budgets: LaneBudget[] }[] {
  const rows: { budgets: LaneBudget[] }[] = [];
  const key = (b: LaneBudget) => `${b.switch.replace(/\[\d+\]$/, '')}\u0000${b.model}\u0000${b.total}\u0000${b.byProtocol.map((p) => `${p.protocol}:${p.lanes}`).join(',')}`;
  for (const budget of budgets) {
    const last = rows[rows.length - 1];
    if (last && key(last.budgets[0]) === key(budget)) last.budgets.push(budget);
    else rows.push({ budgets: [budget] });
  }
  return rows;
}

function rangeName(names: string[]): string {
  if (names.length === 1) return names[0];
  const first = /^(.*)\[(\d+)\]$/.exec(names[0]);
  const last = /^(.*)\[(\d+)\]$/.exec(names[names.length - 1]);
  return first && last ? `${first[1]}[${first[2]}..${last[2]}]` : `${names[0]} … ${names[names.length - 1]}`;
}

function laneBudgets(data: ReportData): string {
  if (data.laneBudgets.length === 0) return card('lanes', 'Lane budget', '<p class="empty">No switches.</p>');
  const protocols = [...new Set(data.laneBudgets.flatMap((b) => b.byProtocol.map((p) => p.protocol)))];
  const rows = budgetRows(data.laneBudgets).map(({ budgets }) => {
    const b = budgets[0];
    const total = b.total ?? b.used;
    const scale = Math.max(total, b.used);
    const segments = b.byProtocol.map((p) => ({ value: p.lanes, cls: `proto-${p.protocol}`, title: `${p.protocol}: ${p.lanes} lanes` }));
    const each = budgets.length > 1 ? ` <span class="muted">×${budgets.length}, each</span>` : '';
    return (
      `<tr class="budget-row${b.overBudget ? ' over-budget' : ''}"${source(b.source)}><td><span class="mono">${escape(rangeName(budgets.map((x) => x.switch)))}</span>${each}<div class="muted">${escape(b.model)}</div></td>` +
      `<td class="bar-cell">${bar(segments, scale)}</td>` +
      `<td class="num used-text">${b.used} / ${b.total ?? '?'}${b.overBudget ? ' over budget' : ''}</td>` +
      `<td class="num">${b.byProtocol.map((p) => `${escape(p.protocol)} ${p.lanes}`).join(' · ')}</td></tr>`
    );
  });
  const legend = `<div class="legend">${protocols.map((p) => `<span><span class="box proto-${escape(p)}"></span>${escape(p)}</span>`).join('')}</div>`;
  return card('lanes', 'Lane budget', `<div class="scroll"><table><thead><tr><th>switch</th><th>lanes by protocol</th><th class="num">used / total</th><th class="num">by protocol</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>${legend}`);
}

function latencyText(cell: LatencyCell): string {
  const range = Math.abs(cell.max_s - cell.min_s) < 5e-13 ? formatTime(cell.max_s) : `${formatTime(cell.min_s)} – ${formatTime(cell.max_s)}`;
  return cell.unreachable > 0 ? `${range} · ${cell.unreachable} unreachable` : range;
}

function latencyMatrix(data: ReportData): string {
  const { rows, columns, cells } = data.latency;
  if (rows.length === 0 || columns.length === 0) return card('latency', 'Latency', '<p class="empty">No accelerators to measure from.</p>');
  const values = cells.flat().flatMap((c) => (c ? [c.max_s] : []));
  const low = Math.min(...values);
  const high = Math.max(...values);
  const step = (value: number) => (high > low ? Math.round(((value - low) / (high - low)) * (HEAT_STEPS - 1)) : 0);
  const memories = columns.filter((c) => c.kind === 'memory').length;
  const label = (set: LatencySet) => `<span class="mono">${escape(set.label)}</span>`;
  const groupHead =
    `<tr><th></th>${memories > 0 ? `<th class="group-head" colspan="${memories}">memory</th>` : ''}` + `<th class="group-head" colspan="${columns.length - memories}">peers</th></tr>`;
  const head = `<tr><th>from</th>${columns.map((c) => `<th class="column">${label(c)}${c.count > 1 ? ` <span class="muted">×${c.count}</span>` : ''}</th>`).join('')}</tr>`;
  const body = rows.map((row, r) => {
    const tds = columns.map((column, c) => {
      const cell = cells[r][c];
      if (!cell) {
        const self = column.count === 1 && column.representative === row.representative;
        return `<td class="cell none" title="${self ? 'the same device' : 'no route'}">${self ? '–' : 'no route'}</td>`;
      }
      return `<td class="cell heat-${step(cell.max_s)}" title="${escape(`${row.representative} → ${column.label}: one way, nearest – farthest member`)}">${escape(latencyText(cell))}</td>`;
    });
    return `<tr><th class="row">${label(row)} <span class="muted">from ${escape(row.representative)}</span></th>${tds.join('')}</tr>`;
  });
  const note = 'one-way path latency from each row’s first device; memory access latency not included';
  return card('latency', 'Latency', `<div class="scroll"><table class="heatmap"><thead>${groupHead}${head}</thead><tbody>${body.join('')}</tbody></table></div>`, note);
}

function opClass(op: string): string {
  if (op === 'compute') return 'op-compute';
  if (op === 'flow') return 'op-transfer';
  if (op === 'read' || op === 'write') return 'op-memory';
  return 'op-collective';
}

function timeline(workload: ReportWorkload): string {
  const height = 30;
  const perPhase = new Map<number, number>();
  const rowOf = workload.steps.map((step) => {
    const row = perPhase.get(step.phase) ?? 0;
    perPhase.set(step.phase, row + 1);
    return row;
  });
  const total = workload.time_s;
  const rects = workload.steps.map((step, i) => {
    const siblings = perPhase.get(step.phase)!;
    // Past a few parallel steps the rows would be slivers: the phase is drawn once, as its longest step.
    if (siblings > MAX_TIMELINE_ROWS) {
      const longest = workload.steps.filter((s) => s.phase === step.phase).reduce((a, b) => (b.time_s > a.time_s ? b : a));
      if (longest !== step) return '';
      const x = total > 0 ? (step.start_s / total) * BAR_UNITS : 0;
      const w = total > 0 ? Math.max(1, (step.time_s / total) * BAR_UNITS) : 0;
      return `<rect class="segment ${opClass(step.op)}"${source(step.source)} x="${x.toFixed(2)}" y="0" width="${w.toFixed(2)}" height="${height}"><title>${escape(`${siblings} steps in parallel, the longest ${step.text}: ${formatTime(step.time_s)} (phase ${step.phase + 1}, from ${formatTime(step.start_s)})`)}</title></rect>`;
    }
    const row = rowOf[i];
    const h = height / siblings;
    const x = total > 0 ? (step.start_s / total) * BAR_UNITS : 0;
    const w = total > 0 ? Math.max(1, (step.time_s / total) * BAR_UNITS) : 0;
    return `<rect class="segment ${opClass(step.op)}"${source(step.source)} x="${x.toFixed(2)}" y="${(row * h).toFixed(2)}" width="${w.toFixed(2)}" height="${h.toFixed(2)}"><title>${escape(`${step.text}: ${formatTime(step.time_s)} (phase ${step.phase + 1}, from ${formatTime(step.start_s)})`)}</title></rect>`;
  });
  return `<svg class="timeline" viewBox="0 0 ${BAR_UNITS} ${height}" preserveAspectRatio="none" role="img" aria-label="${escape(`timeline of ${workload.name}`)}">${rects.join('')}</svg>`;
}

/** The alternatives side by side, the simulated one highlighted, and what the fastest gains over ring. */
function alternatives(step: ReportStep): string {
  if (step.alternatives.length < 2) return '';
  const slowest = Math.max(...step.alternatives.map((a) => a.time_s));
  const rows = step.alternatives.map((a) => {
    const chosen = a.algorithm === step.algorithm ? ' chosen' : '';
    return `<span class="name${chosen}">${escape(a.algorithm)}</span>${bar([{ value: a.time_s, cls: `alt${chosen}`, title: `${a.algorithm}: ${formatTime(a.time_s)}` }], slowest)}<span class="time num${chosen}">${formatTime(a.time_s)}</span>`;
  });
  const fastest = step.alternatives[0];
  const ring = step.alternatives.find((a) => a.algorithm === 'ring');
  const chosenTime = step.alternatives.find((a) => a.algorithm === step.algorithm)?.time_s;
  let gain = '';
  if (ring && fastest.algorithm !== 'ring' && fastest.time_s > 0 && ring.time_s / fastest.time_s >= MIN_GAIN) gain = `<span class="gain">${escape(fastest.algorithm)} ${(ring.time_s / fastest.time_s).toFixed(2)}× faster than ring</span>`;
  if (chosenTime !== undefined && fastest.algorithm !== step.algorithm && fastest.time_s > 0 && chosenTime / fastest.time_s >= MIN_GAIN) {
    gain += `<span class="gain muted">${escape(fastest.algorithm)} would be ${(chosenTime / fastest.time_s).toFixed(2)}× faster than ${escape(step.algorithm ?? '')}</span>`;
  }
  return `<div class="alternatives">${rows.join('')}</div>${gain}`;
}

/** Steps from one statement line (a loop's iterations) share a row. */
function stepRows(workload: ReportWorkload): { steps: ReportStep[] }[] {
  const rows = new Map<string, { steps: ReportStep[] }>();
  for (const step of workload.steps) {
    const key = `${sourceAttribute(step.source)}\u0000${step.algorithm}`;
    const row = rows.get(key);
    if (row) row.steps.push(step);
    else rows.set(key, { steps: [step] });
  }
  return [...rows.values()];
}

function timeRange(values: number[]): string {
  const low = Math.min(...values);
  const high = Math.max(...values);
  return high - low <= high * 1e-3 ? formatTime(high) : `${formatTime(low)} – ${formatTime(high)}`;
}

function workloadBlock(workload: ReportWorkload): string {
  const rows = stepRows(workload).map(({ steps }) => {
    const s = steps[0];
    const times = (pick: (x: ReportStep) => number | null) => steps.map(pick).filter((v): v is number => v !== null);
    const repeat = steps.length > 1 ? ` <span class="muted">×${steps.length}${steps.length > 1 ? ', each' : ''}</span>` : '';
    const algbw = times((x) => x.algbw_GBps);
    const busbw = times((x) => x.busbw_GBps);
    return (
      `<tr${source(s.source)}><td class="num muted col-line">${s.source.line}</td>` +
      `<td class="step"><span class="dot ${opClass(s.op)}"></span><span class="mono">${escape(s.text)}</span>${repeat}</td>` +
      `<td>${s.algorithm ? `<span class="algorithm ${escape(s.algorithm)}">${escape(s.algorithm)}</span>` : ''}</td>` +
      `<td class="num">${timeRange(steps.map((x) => x.time_s))}</td>` +
      `<td class="num">${algbw.length ? formatGBps(Math.min(...algbw)) : '–'}</td>` +
      `<td class="num">${busbw.length ? formatGBps(Math.min(...busbw)) : '–'}</td>` +
      `<td class="mono col-bottleneck">${s.op === 'compute' ? '' : escape(s.bottleneck ?? 'latency')}</td>` +
      `<td>${alternatives(s)}</td></tr>`
    );
  });
  return (
    `<div class="workload"${source(workload.source)}><header><h3>${escape(workload.name)}</h3><span class="total">${formatTime(workload.time_s)}</span></header>` +
    (workload.doc ? `<p class="muted">${escape(workload.doc)}</p>` : '') +
    timeline(workload) +
    `<div class="scroll"><table class="steps"><thead><tr><th class="num col-line">line</th><th>step</th><th>algorithm</th><th class="num">time</th><th class="num">algbw</th><th class="num">busbw</th><th class="col-bottleneck">bottleneck</th><th>alternatives, each alone</th></tr></thead><tbody>${rows.join('')}</tbody></table></div></div>`
  );
}

function workloads(data: ReportData): string {
  if (data.workloads.length === 0) return card('workloads', 'Workloads', `<p class="empty">${data.simulated ? 'No workloads.' : 'Not simulated.'}</p>`);
  const legend =
    '<div class="legend"><span><span class="dot op-compute"></span>compute</span><span><span class="dot op-collective"></span>collective</span><span><span class="dot op-transfer"></span>flow</span><span><span class="dot op-memory"></span>memory read or write</span><span>· parallel steps share a phase, stacked</span></div>';
  return card('workloads', 'Workloads', data.workloads.map(workloadBlock).join('') + legend, 'algbw = bytes ÷ time; busbw as nccl-tests reports it');
}

function expectations(data: ReportData): string {
  if (data.expectations.length === 0) return card('expectations', 'Expectations', '<p class="empty">No expectations.</p>');
  const rows = data.expectations.map(
    (e) =>
      `<tr class="${e.pass ? 'pass' : 'fail'}"${source(e.source)}><td><span class="badge ${e.pass ? 'pass' : 'fail'}">${e.pass ? 'PASS' : 'FAIL'}</span></td>` +
      `<td class="mono">${escape(e.text)}</td><td class="num">${e.actual === null ? 'not measured' : escape(formatInUnit(e.actual, e.unit))}</td>` +
      `<td class="num">${escape(`${e.comparison} ${formatInUnit(e.bound, e.unit)}`)}</td><td class="num muted">${e.source.line}</td></tr>`,
  );
  const passed = data.expectations.filter((e) => e.pass).length;
  return card('expectations', 'Expectations', `<div class="scroll"><table><thead><tr><th>result</th><th>expectation</th><th class="num">measured</th><th class="num">bound</th><th class="num">line</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`, `${passed} of ${data.expectations.length} pass`);
}

const KIND_LABEL: Record<string, string> = { switch: 'switch', gpu: 'accelerator', cpu: 'host', memory: 'memory' };

function billOfMaterials(data: ReportData): string {
  const { devices, links, totals } = data.bom;
  const deviceRows = devices.map(
    (d) =>
      `<tr><td>${KIND_LABEL[d.kind]}</td><td class="mono">${escape(d.model)}</td><td class="num">${formatCount(d.count)}</td><td class="num">${d.lanesEach ?? '–'}</td>` +
      `<td class="num">${d.powerEach_W === null ? '–' : formatPower(d.powerEach_W)}</td><td class="num">${d.powerEach_W === null ? '–' : formatPower(d.powerEach_W * d.count)}</td></tr>`,
  );
  const power = totals.power_W > 0 ? formatPower(totals.power_W) : '–';
  const deviceTable =
    `<table><thead><tr><th>kind</th><th>model</th><th class="num">count</th><th class="num">lanes each</th><th class="num">power each</th><th class="num">power</th></tr></thead>` +
    `<tbody>${deviceRows.join('')}<tr><td><strong>total</strong></td><td></td><td class="num"><strong>${formatCount(totals.devices)}</strong></td><td class="num">${formatCount(totals.switchLanesTotal)}</td><td></td><td class="num"><strong>${power}</strong></td></tr></tbody></table>`;
  const linkRows = links.map(
    (l) => `<tr><td class="mono">${escape(`${l.protocol} x${l.width}`)}</td><td class="num">${formatCount(l.links)}</td><td class="num">${formatCount(l.subLinks)}</td><td class="num">${formatCount(l.lanes)}</td><td class="num">${formatCount(l.retimers)}</td></tr>`,
  );
  const linkTable =
    `<table><thead><tr><th>port</th><th class="num">links</th><th class="num">sub-links</th><th class="num">lanes per end</th><th class="num">retimers</th></tr></thead>` +
    `<tbody>${linkRows.join('')}<tr><td><strong>total</strong></td><td class="num"><strong>${formatCount(totals.links)}</strong></td><td class="num">${formatCount(totals.subLinks)}</td><td class="num"><strong>${formatCount(totals.lanes)}</strong></td><td class="num">${formatCount(totals.retimers)}</td></tr></tbody></table>`;
  const notes = [
    `switch lanes used: ${formatCount(totals.switchLanesUsed)} of ${formatCount(totals.switchLanesTotal)}`,
    totals.powerUnknown > 0 ? `${formatCount(totals.powerUnknown)} of ${formatCount(totals.devices)} devices have no power figure in their model; the total counts the rest` : 'every device has a power figure',
    'retimers: one per sub-link at each position a link declares',
  ];
  return card('bom', 'Bill of materials', `<div class="scroll">${deviceTable}</div><div class="scroll">${linkTable}</div><p class="muted">${notes.map(escape).join(' · ')}</p>`);
}

function assumptions(data: ReportData): string {
  const body = data.assumptions.length > 0 ? `<ul class="assumptions">${data.assumptions.map((a) => `<li>${escape(a)}</li>`).join('')}</ul>` : `<p class="empty">${data.simulated ? 'The results rest on no estimated figure.' : 'Not simulated.'}</p>`;
  return card('assumptions', 'Assumptions', body, 'estimated figures the results above rest on');
}

export function sectionsOf(data: ReportData, layout: TopologyLayout): string[] {
  return [headline(data), topology(data, layout), workloads(data), expectations(data), latencyMatrix(data), laneBudgets(data), billOfMaterials(data), assumptions(data)];
}
