/**
 * Hover, in plain data: the Markdown for what is under an offset and the span it describes: a device (ports or lanes, latency to every
 * memory, nearest and farthest peer), a link (bandwidth, latency breakdown, reach, peak use), a
 * workload statement (time, algorithm, bandwidths, bottleneck, alternatives), a quantity (its SI
 * value) and a model (its doc comment and attributes). Figures resting on estimates say so.
 */
import type { CheckResult } from '../model/check.js';
import { lanesUsed, staticOversubscription } from '../model/checks.js';
import { RETIMER_LATENCY, WIRE_DELAY_PER_METRE, widthText } from '../model/protocols.js';
import type { Attr, Device, DeviceArray, DeviceSpec, FabricModel, Link, ResolvedModel } from '../model/types.js';
import { DIMENSION_NAMES, UNITS, formatQuantity, toSI } from '../model/units.js';
import { collectAssumptions } from '../sim/assumptions.js';
import { accessLatency, routePlan, type Plan } from '../sim/collectives.js';
import type { Network } from '../sim/network.js';
import type { ServeReport, SimulationReport, StepReport, TrainReport } from '../sim/report.js';
import { forwardFlopsPerToken, parameterCounts, trainingFlopsPerToken } from '../model/transformer-params.js';
import type { ResolvedTransformer } from '../model/types.js';
import { loneFlow } from '../sim/simulate.js';
import type { Expression } from '../syntax/ast.js';
import { findAt, type Found } from '../syntax/find.js';
import type { Span } from '../syntax/source.js';

/** What a hover may draw on beyond the check: the routing tables (built on first use) and the last simulation. */
export interface HoverInputs {
  network: () => Network;
  /** The last simulation report, and whether it is for an older version of the text. */
  report: SimulationReport | undefined;
  stale: boolean;
}

interface HoverContext extends HoverInputs {
  check: CheckResult;
  /** 1-based line of an offset in the document. */
  lineOf: (offset: number) => number;
}

export interface Hover {
  markdown: string;
  /** The syntax the text describes, in the entry file. */
  span: Span;
}

/** The hover at an offset of the check's entry file, if there is something to say there. */
export function hoverAt(check: CheckResult, offset: number, inputs: HoverInputs): Hover | undefined {
  const source = check.program.entry.source;
  const found = findAt(check.program.entry.tree, offset);
  if (!found) return undefined;
  const markdown = hover(found, { ...inputs, check, lineOf: (at) => source.position(at).line + 1 });
  return markdown ? { markdown, span: found.span } : undefined;
}

const time = (seconds: number) => formatQuantity(seconds, 'time');
const bandwidth = (bytesPerSecond: number) => formatQuantity(bytesPerSecond, 'bandwidth');
const percent = (ratio: number) => `${(ratio * 100).toFixed(ratio < 0.1 ? 1 : 0)} %`;

function estimatesNote(fabric: FabricModel, plans: Plan[]): string[] {
  const assumptions = collectAssumptions(fabric, plans);
  if (assumptions.length === 0) return [];
  return ['', `*Rests on estimates:* ${assumptions.map((a) => a.replace(/\s*\(estimate[:,]?\s*/i, ' (').replace(/: estimate,?/i, ' —')).join('; ')}`];
}

function simulationNote(context: HoverContext): string[] {
  if (!context.report) return ['', '*Simulating…*'];
  return context.stale ? ['', '*From the simulation of an earlier version of this file; updating…*'] : [];
}

function hover(found: Found, context: HoverContext): string | undefined {
  const fabric = context.check.fabric;
  switch (found.kind) {
    case 'quantity':
      return hoverQuantity(found.quantity.value, found.quantity.unit?.text, found.quantity.text);
    case 'model-ref':
    case 'model-decl': {
      const name = found.kind === 'model-ref' ? found.name.text : found.decl.name.text;
      const models = fabric?.models ?? undefined;
      const model = models?.get(name);
      return model ? hoverModel(model) : undefined;
    }
    case 'device-decl':
    case 'device-ref': {
      if (!fabric) return undefined;
      const name = found.kind === 'device-decl' ? found.decl.name.text : found.name.text;
      const array = fabric.arrays.get(name);
      if (array) {
        const device = pickDevice(array, found.kind === 'device-ref' ? found.index : undefined, fabric);
        // An array left out at the device limit has no device to describe.
        return device ? hoverDevice(device, context) : `**${name}** — ${array.kind}, left out: the fabric would have more devices than the device limit allows`;
      }
      const group = fabric.groups.get(name);
      return group ? `**group ${name}** — ${group.devices.length} device${group.devices.length === 1 ? '' : 's'}: ${group.devices.slice(0, 8).map((d) => d.name).join(', ')}${group.devices.length > 8 ? ', …' : ''}` : undefined;
    }
    case 'link':
      return fabric ? hoverLink(fabric.links.filter((l) => l.decl === found.decl), context) : undefined;
    case 'transformer-decl':
    case 'transformer-ref': {
      const name = found.kind === 'transformer-decl' ? found.decl.name.text : found.name.text;
      const transformer = fabric?.transformers.get(name);
      return transformer ? hoverTransformer(transformer) : undefined;
    }
    case 'statement':
      return hoverStatement(context.lineOf(found.statement.span.start), context);
    case 'workload':
    case 'workload-ref': {
      const name = found.kind === 'workload' ? found.decl.name.text : found.name.text;
      const result = context.report?.workloads.find((w) => w.name === name);
      if (!result) return [`**workload ${name}**`, ...simulationNote(context)].join('\n');
      return [`**workload ${name}** — ${time(result.time_s)} in ${result.steps.length} step${result.steps.length === 1 ? '' : 's'}`, ...simulationNote(context)].join('\n');
    }
    case 'expect': {
      const line = context.lineOf(found.decl.span.start);
      const result = context.report?.expectations.find((e) => e.line === line);
      if (!result) return ['**expectation**', ...simulationNote(context)].join('\n');
      const measured = result.actual === null ? 'not measurable' : formatMeasured(result.actual, result.metric);
      return [`**expect ${result.metric}** — ${result.pass ? 'holds' : '**fails**'}: measured ${measured}, bound ${result.comparison} ${formatMeasured(result.bound, result.metric)}`, ...simulationNote(context)].join('\n');
    }
  }
}

function formatMeasured(value: number, metric: string): string {
  switch (metric) {
    case 'latency':
    case 'time':
      return time(value);
    case 'bandwidth':
      return bandwidth(value);
    case 'utilization':
      return percent(value);
    default:
      return value.toFixed(2);
  }
}

function hoverQuantity(value: number, unit: string | undefined, text: string): string | undefined {
  if (!unit) return `**${text}** — a plain number`;
  const definition = UNITS.get(unit);
  if (!definition) return undefined;
  const si = toSI(value, definition);
  if (!Number.isFinite(si)) return `**${text} ${unit}** is too large to represent (${DIMENSION_NAMES[definition.dimension].replace(/^an? /, '')}); its diagnostic gives the range allowed`;
  const siUnit = { size: 'B', bandwidth: 'B/s', time: 's', length: 'm', power: 'W', ratio: '', compute: 'FLOP/s', tokens: 'tok/s' }[definition.dimension];
  const exact = definition.dimension === 'size' || definition.dimension === 'bandwidth' || definition.dimension === 'compute' ? si.toLocaleString('en-US', { maximumFractionDigits: 3 }) : String(si);
  return `**${text} ${unit}** = ${exact}${siUnit ? ` ${siUnit}` : ''} (${DIMENSION_NAMES[definition.dimension].replace(/^an? /, '')}; ${formatQuantity(si, definition.dimension)})`;
}

const ATTRIBUTE_DIMENSIONS: Record<string, 'time' | 'size' | 'bandwidth' | 'power' | undefined> = {
  latency: 'time',
  memory: 'size',
  capacity: 'size',
  bandwidth: 'bandwidth',
  power: 'power',
};

function describeValue(key: string, attr: Attr<unknown>): string {
  const value = attr.value;
  const dimension = ATTRIBUTE_DIMENSIONS[key];
  if (dimension) return formatQuantity(value as number, dimension);
  if (key === 'ports') return (value as { protocol: string; width: number; count: number }[]).map((p) => `${p.protocol} ${widthText(p.width)}${p.count > 1 ? ` × ${p.count}` : ''}`).join(', ');
  if (key === 'protocols') return (value as { protocol: string; estimate?: string }[]).map((p) => (p.estimate ? `${p.protocol} (estimate)` : p.protocol)).join(', ');
  return String(value);
}

function attributeRows(spec: DeviceSpec): string[] {
  return Object.entries(spec)
    .filter((entry): entry is [string, Attr<unknown>] => entry[1] !== undefined)
    .map(([key, attr]) => `| ${key} | ${describeValue(key, attr)} | ${attr.estimate ? `estimate — ${attr.estimate.replace(/^estimate:?\s*/i, '')}` : attr.setBy} |`);
}

function hoverModel(model: ResolvedModel): string {
  const lines = [`**model ${model.name}** — ${model.kind}${model.base ? `, from \`${model.base}\`` : ''}${model.builtin ? ' (built in)' : ''}`];
  if (model.doc) lines.push('', model.doc);
  lines.push('', '| attribute | value | source |', '|---|---|---|', ...attributeRows(model.spec));
  return lines.join('\n');
}

/** The element a reference names when its index is a literal; else the array's first. */
function pickDevice(array: DeviceArray, index: Expression | undefined, fabric: FabricModel): Device | undefined {
  let at = index?.type === 'number' ? index.value : 0;
  if (index?.type === 'name') at = fabric.constants.get(index.name.text) ?? 0;
  return array.devices[at] ?? array.devices[0];
}

function portUse(device: Device): string {
  const spec = device.array.spec;
  if (device.array.kind === 'switch') {
    const used = lanesUsed(device);
    const total = spec.lanes?.value;
    const ratio = staticOversubscription(device);
    return `Lanes: ${used} of ${total ?? '?'}${total ? ` (${percent(used / total)})` : ''}${ratio !== undefined ? ` · static oversubscription ${ratio.toFixed(2)}:1` : ''}`;
  }
  const ports = spec.ports?.value ?? [];
  const byProtocol = new Map<string, number>();
  for (const link of device.links) byProtocol.set(link.protocol.name, (byProtocol.get(link.protocol.name) ?? 0) + link.lanes);
  const parts = [...new Set(ports.map((p) => p.protocol))].map((protocol) => {
    const own = ports.filter((p) => p.protocol === protocol);
    const lanes = own.reduce((n, p) => n + p.width * p.count, 0);
    return `${protocol} ${byProtocol.get(protocol) ?? 0} of ${lanes} lanes (${own.map((p) => `${p.count} × ${widthText(p.width)}`).join(' + ')})`;
  });
  return `Ports used: ${parts.join(' · ') || 'none declared'}`;
}

function hoverDevice(device: Device, context: HoverContext): string {
  const fabric = context.check.fabric!;
  const network = context.network();
  const array = device.array;
  const lines = [`**${device.name}** — ${array.kind}, model \`${array.model.name}\`${array.count !== undefined ? ` (one of ${array.count})` : ''}`, '', portUse(device)];
  if (device.links.length === 0) return [...lines, '', 'No links.'].join('\n');
  const latencies = network.latenciesFrom(device);
  const plans: Plan[] = [];
  const memories = fabric.devices.filter((d) => d.array.kind === 'memory' && d !== device);
  if (memories.length > 0) {
    lines.push('', '| memory | one-way | load-to-use |', '|---|---|---|');
    for (const memory of memories.slice(0, 16)) {
      const ps = latencies[memory.id];
      if (ps === Infinity) {
        lines.push(`| ${memory.name} | unreachable | |`);
        continue;
      }
      const oneWay = ps / 1e12;
      lines.push(`| ${memory.name} | ${time(oneWay)} | ${time(2 * oneWay + accessLatency(memory))} |`);
      const route = network.route(device, memory);
      if (route) plans.push(routePlan(network, route));
    }
    if (memories.length > 16) lines.push(`| … ${memories.length - 16} more | | |`);
    lines.push('', '*load-to-use = 2 × one-way + the memory\'s access latency*');
  }
  let nearest: Device | undefined;
  let farthest: Device | undefined;
  for (const peer of fabric.devices) {
    if (peer === device || peer.array.kind !== 'gpu' || latencies[peer.id] === Infinity) continue;
    if (!nearest || latencies[peer.id] < latencies[nearest.id]) nearest = peer;
    if (!farthest || latencies[peer.id] > latencies[farthest.id]) farthest = peer;
  }
  if (nearest && farthest) {
    const describe = (peer: Device) => {
      const lone = loneFlow(network, fabric, device, peer);
      if (lone) plans.push(lone.plan);
      return `${peer.name}, ${time(latencies[peer.id] / 1e12)}${lone ? `, ${bandwidth(lone.rate)}` : ''}`;
    };
    lines.push('', `Nearest accelerator: ${describe(nearest)} · farthest: ${describe(farthest)} (one-way latency, lone-flow bandwidth)`);
  }
  lines.push(...estimatesNote(fabric, plans));
  return lines.join('\n');
}

function hoverLink(links: Link[], context: HoverContext): string | undefined {
  const [link] = links;
  if (!link) return undefined;
  const fabric = context.check.fabric!;
  const protocol = link.protocol;
  const more = links.length > 1 ? ` (this line makes ${links.length} links; figures for the first)` : '';
  const lines = [`**${link.name}** — ${protocol.name} ${widthText(link.width)}${link.count > 1 ? ` × ${link.count}` : ''}${more}`, ''];
  const override = link.decl.attributes.some((a) => a.key.text === 'bandwidth');
  const efficiency = link.decl.attributes.some((a) => a.key.text === 'efficiency');
  lines.push(
    override
      ? `Bandwidth: ${bandwidth(link.bandwidth)} per direction (set by \`bandwidth\`)`
      : `Bandwidth: ${bandwidth(link.bandwidth)} per direction = ${link.lanes} lanes × ${formatQuantity(protocol.laneRate.value, 'bandwidth')} × ${efficiency ? 'the set efficiency' : `${protocol.efficiency.value}${protocol.efficiency.estimate ? ' (estimate)' : ''}`}`,
  );
  const latencyOverride = link.decl.attributes.some((a) => a.key.text === 'latency');
  if (latencyOverride) lines.push(`Latency: ${time(link.latency)} (set by \`latency\`)`);
  else {
    const wire = WIRE_DELAY_PER_METRE.value * link.length;
    const retimers = RETIMER_LATENCY.value * link.retimers;
    lines.push(
      `Latency: ${time(link.latency)} = PHY ${time(protocol.phyLatency.value)} (estimate) + wire ${formatQuantity(link.length, 'length')} × 5 ns/m = ${time(wire)} + ${link.retimers} retimer${link.retimers === 1 ? '' : 's'} × 10 ns (estimate) = ${time(retimers)}`,
    );
  }
  const reach = protocol.reach.value * (link.retimers + 1);
  lines.push(`Reach: ${formatQuantity(link.length, 'length')} of ${formatQuantity(reach, 'length')} (${formatQuantity(protocol.reach.value, 'length')} passive, an estimate${link.retimers ? `, × ${link.retimers + 1} with retimers` : ''})`);
  if (context.report) {
    const names = new Set(links.map((l) => l.name));
    const peaks = context.report.links.filter((l) => names.has(l.name));
    const top = peaks.reduce<(typeof peaks)[number] | undefined>((best, l) => (!best || Math.max(l.peakUtilization.forward, l.peakUtilization.backward) > Math.max(best.peakUtilization.forward, best.peakUtilization.backward) ? l : best), undefined);
    if (top) {
      const { forward, backward, workload, line } = top.peakUtilization;
      lines.push(
        forward === 0 && backward === 0
          ? 'Peak utilization: idle in every workload'
          : `Peak utilization${links.length > 1 ? ` (busiest, ${top.name})` : ''}: ${percent(forward)} → / ${percent(backward)} ← in workload \`${workload}\`${line ? ` (line ${line})` : ''}`,
      );
    }
  }
  lines.push(...simulationNote(context));
  lines.push(...estimatesNote(fabric, [routePlanOf(link)]));
  return lines.join('\n');
}

function routePlanOf(link: Link): Plan {
  return { algorithm: 'direct', entities: [], latency: 0, switches: new Set(), links: new Set([link]) };
}

function describeStep(step: StepReport): string {
  const alternatives = Object.entries(step.alternatives)
    .map(([name, seconds]) => (name === step.algorithm ? `**${name} ${time(seconds)}**` : `${name} ${time(seconds)}`))
    .join(' · ');
  const lines = [
    `Time: ${time(step.time_s)}${step.op === 'compute' ? '' : ` (latency ${time(step.latency_s)} + transfer ${time(step.transfer_s)})`}`,
  ];
  if (step.algbw_GBps !== null) lines.push(`algbw ${step.algbw_GBps.toFixed(1)} GB/s · busbw ${step.busbw_GBps!.toFixed(1)} GB/s`);
  if (step.op !== 'compute') lines.push(`Bottleneck: ${step.bottleneck ?? 'latency (the latency term is at least the transfer)'}`);
  if (alternatives && Object.keys(step.alternatives).length > 1) lines.push(`Alone on the idle fabric: ${alternatives}`);
  return lines.join('  \n');
}

function hoverStatement(line: number, context: HoverContext): string | undefined {
  const steps = context.report?.workloads.flatMap((w) => w.steps.filter((s) => s.line === line).map((s) => ({ workload: w.name, step: s }))) ?? [];
  if (steps.length === 0) return context.report && !context.stale ? undefined : ['*Simulating…*'].join('\n');
  const [{ workload, step }] = steps;
  const title = `**${step.op}**${step.algorithm && step.algorithm !== 'direct' ? ` — ${step.algorithm}` : ''} in workload \`${workload}\`${steps.length > 1 ? ` (this line runs ${steps.length} times; the first shown)` : ''}`;
  const body = step.train ? describeTrain(step.train, step.time_s) : step.serve ? describeServe(step.serve) : [describeStep(step)];
  return [title, '', ...body, ...simulationNote(context), ...(context.report!.assumptions.length ? ['', `*${context.report!.assumptions.length} estimated figure${context.report!.assumptions.length === 1 ? '' : 's'} behind these numbers; see \`fabric simulate\` or the report.*`] : [])].join('\n');
}

const count = (n: number) => (n >= 1e9 ? `${(n / 1e9).toFixed(n >= 1e11 ? 0 : 1)} B` : `${(n / 1e6).toFixed(1)} M`);

/** N, N_act, training FLOPs per token at 4,096 tokens and the weights in bf16 (§13.1). */
function hoverTransformer(transformer: ResolvedTransformer): string {
  const s = transformer.shape;
  const { total, active } = parameterCounts(s);
  const kind = s.experts > 0 ? `mixture of experts, ${s.experts} experts, ${s.topK} per token` : 'dense';
  const lines = [
    `**transformer ${transformer.name}** — ${kind}${transformer.builtin ? ' (built in)' : ''}`,
    '',
    `- ${s.layers} layers, hidden ${s.hidden}, ${s.heads} heads (${s.kvHeads} key-value), MLP ${s.experts > 0 ? s.expertFfn : s.ffn}${s.gated ? ' gated' : ''}, vocabulary ${s.vocab}`,
    `- N = ${count(total)} parameters; N_act = ${count(active)} per token`,
    `- training: ${trainingFlopsPerToken(s, 4096).toExponential(3)} FLOPs per token at 4,096 tokens (forward ${forwardFlopsPerToken(s, 4096).toExponential(3)})`,
    `- weights in bf16: ${formatQuantity(2 * total, 'size')}`,
  ];
  if (transformer.doc) lines.push('', transformer.doc);
  return lines.join('\n');
}

const tokens = (value: number) => formatQuantity(value, 'tokens');

function describeTrain(train: TrainReport, step: number): string[] {
  const b = train.breakdown_s;
  const part = (name: keyof TrainReport['breakdown_s']) => `${name} ${time(b[name])} (${percent(b[name] / step)})`;
  const stages = train.stages.slice(0, 8).map((s) => `| ${s.stage} | ${s.layers} | ${time(s.time_s)} | ${formatQuantity(s.memory_bytes.total, 'size')}${s.memory_bytes.capacity === null ? '' : ` of ${formatQuantity(s.memory_bytes.capacity, 'size')}`} |`);
  return [
    `**${tokens(train.tokens_per_s)}** · MFU ${percent(train.mfu)} · ${percent(train.waiting_on_fabric)} of the step waiting on the fabric`,
    '',
    `Step ${time(step)}, ${train.micro_batches} micro-batches: ${(['compute', 'tp', 'ep', 'pp', 'bubble', 'dp'] as const).filter((name) => b[name] > 0).map(part).join(' · ')}`,
    '',
    '| stage | layers | t_k | memory per rank |',
    '|---|---|---|---|',
    ...stages,
    ...(train.stages.length > 8 ? [`| … ${train.stages.length - 8} more | | | |`] : []),
  ];
}

function describeServe(serve: ServeReport): string[] {
  const stage = serve.stages[0];
  return [
    `**${tokens(serve.tokens_per_s)}** (${tokens(serve.tokens_per_s_per_accelerator)} per accelerator) · TTFT ${time(serve.ttft_s)} · TPOT ${time(serve.tpot_s)}`,
    '',
    `Memory per rank: ${formatQuantity(stage.memory_bytes.total, 'size')}${stage.memory_bytes.capacity === null ? '' : ` of ${formatQuantity(stage.memory_bytes.capacity, 'size')}`} (weights ${formatQuantity(stage.memory_bytes.weights, 'size')}, KV cache ${formatQuantity(stage.memory_bytes.kv_cache ?? 0, 'size')})`,
  ];
}
