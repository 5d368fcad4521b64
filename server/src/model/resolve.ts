/**
 * Turns a fabric declaration into the resolved model: settings, constants, devices with their
 * models, links with loops expanded, groups, allocations, workloads and expectations.
 */
import type {
  AllocateDecl,
  DeviceDecl,
  ExpectDecl,
  FabricDecl,
  Item,
  LinkDecl,
  LoopHead,
  Name,
  Statement,
  WorkloadDecl,
} from '../syntax/ast.js';
import type { Span } from '../syntax/source.js';
import { FileReporter, LINK_ATTRIBUTES, readDeviceAttributes, readFlatAttributes, readQuantity, readWidth, SETTINGS_ATTRIBUTES } from './attributes.js';
import { DEFAULT_MODEL } from './catalog.js';
import { agree, type DiagnosticSink } from './diagnostics.js';
import type { Limits } from './limits.js';
import { SHARE, ZERO_OR_MORE } from './ranges.js';
import { DEFAULT_LINK_LENGTH, PROTOCOLS, RETIMER_LATENCY, WIRE_DELAY_PER_METRE, type Figure, type Protocol } from './protocols.js';
import { Scope } from './scope.js';
import { resolveTransformerStatement } from './transformer-statements.js';
import type { Transformers } from './transformers.js';
import type {
  Algorithm,
  Allocation,
  Device,
  DeviceArray,
  Expectation,
  FabricModel,
  Link,
  ResolvedModel,
  ResolvedStatement,
  Settings,
  Workload,
} from './types.js';
import type { Dimension } from './units.js';
import { appendAll } from '../base/arrays.js';

export const DEFAULT_SETTINGS: Settings = {
  step_overhead: 1e-6,
  oversubscription_limit: 1.0,
  overload_threshold: 1.1,
  hint_threshold: 1.1,
};

/** The algorithms each statement takes after `using` (§6); `alltoall` has no choice. */
export const ALGORITHMS: Record<string, readonly Algorithm[]> = {
  allreduce: ['ring', 'tree', 'inc', 'auto'],
  reducescatter: ['ring', 'inc', 'auto'],
  allgather: ['ring', 'hypercast', 'auto'],
  broadcast: ['ring', 'tree', 'hypercast', 'auto'],
  alltoall: ['auto'],
};

const METRICS: Record<Expectation['metric'], Dimension> = {
  latency: 'time',
  bandwidth: 'bandwidth',
  time: 'time',
  utilization: 'ratio',
  oversubscription: 'ratio',
  throughput: 'tokens',
  mfu: 'ratio',
  ttft: 'time',
  tpot: 'time',
};

/** Expectations about one workload, and the statement each needs in it (§13.5). */
const WORKLOAD_METRICS: Record<string, 'train' | 'serve' | 'train or serve' | undefined> = {
  time: undefined,
  throughput: 'train or serve',
  mfu: 'train',
  ttft: 'serve',
  tpot: 'serve',
};

interface LinkSettings {
  length: number;
  retimers: number;
  latency?: number;
  bandwidth?: number;
  efficiency?: number;
}

const DEFAULT_LINK_SETTINGS: LinkSettings = { length: DEFAULT_LINK_LENGTH, retimers: 0 };

export class FabricResolver {
  private readonly reporter: FileReporter;
  private readonly scope: Scope;
  private readonly devices: Device[] = [];
  private readonly links: Link[] = [];
  private readonly allocations: Allocation[] = [];
  private readonly linkSettings = new Map<LinkDecl, LinkSettings>();
  private readonly estimateLists = new Map<string, readonly Figure[]>();
  private readonly workloadDecls = new Map<string, WorkloadDecl>();
  private readonly workloads = new Map<string, Workload>();
  private iterations = 0;
  private iterationLimitReported = false;
  private linkLimitReported = false;
  private deviceLimitReported = false;

  private models = new Map<string, ResolvedModel>();
  private transformers: Transformers = { valid: new Map(), declared: new Set() };
  private readonly deviceDecls: DeviceDecl[] = [];

  constructor(
    private readonly fabric: FabricDecl,
    private readonly file: string,
    sink: DiagnosticSink,
    private readonly limits: Limits,
  ) {
    this.reporter = new FileReporter(sink, file);
    this.scope = new Scope(this.reporter);
  }

  /** Evaluates constants in models declared in this file (port counts may name them). */
  evaluate = (expression: Parameters<Scope['evaluate']>[0]) => this.scope.evaluate(expression);

  /**
   * Registers the names first, so that every item may refer to any other in any order.
   * Devices are created later, once the models (whose port counts may use constants) are known.
   */
  declareNames(): void {
    const taken = new Map<string, Span>();
    const declare = (namespace: string, name: Name) => {
      const key = `${namespace}:${name.text}`;
      const first = taken.get(key);
      if (first) {
        this.reporter.sink.report({
          file: this.file,
          span: name.span,
          code: 'duplicate-name',
          message: `\`${name.text}\` is already declared; rename one of them`,
          related: [{ file: this.file, span: first, message: `\`${name.text}\` is first declared here` }],
        });
        return false;
      }
      taken.set(key, name.span);
      return true;
    };
    for (const item of this.fabric.items) {
      if (item.type === 'let' && declare('value', item.name)) this.scope.constants.set(item.name.text, { decl: item, state: 'pending' });
      if (item.type === 'group' && declare('device', item.name)) this.scope.groups.set(item.name.text, { decl: item, resolving: false });
      if (item.type === 'workload' && declare('workload', item.name)) this.workloadDecls.set(item.name.text, item);
      if (item.type === 'device' && declare('device', item.name)) this.deviceDecls.push(item);
    }
  }

  resolve(models: Map<string, ResolvedModel>, transformers: Transformers): FabricModel {
    this.models = models;
    this.transformers = transformers;
    for (const decl of this.deviceDecls) this.declareDevices(decl);
    const settings = this.readSettings();
    for (const item of this.fabric.items) this.resolveItem(item);
    for (const decl of this.workloadDecls.values()) this.resolveWorkload(decl);
    const allocations = this.allocations;
    const expectations = this.fabric.items.flatMap((item) => (item.type === 'expect' ? this.resolveExpectation(item) : []));
    const groups = new Map([...this.scope.groups.keys()].flatMap((name) => {
      const group = this.scope.group(name);
      return group ? [[name, group] as const] : [];
    }));
    const constants = new Map<string, number>();
    for (const name of this.scope.constants.keys()) {
      const value = this.scope.evaluate({ type: 'name', name: { text: name, span: { start: 0, end: 0 } }, span: { start: 0, end: 0 } });
      if (value !== undefined) constants.set(name, value);
    }
    return {
      name: this.fabric.name.text,
      description: this.fabric.description,
      file: this.file,
      ...settings,
      constants,
      arrays: this.scope.arrays,
      devices: this.devices,
      links: this.links,
      groups,
      allocations,
      workloads: this.workloads,
      expectations,
      models: this.models,
      transformers: this.transformers.valid,
    };
  }

  private readSettings(): { settings: Settings; settingsWritten: Set<keyof Settings> } {
    const settings = { ...DEFAULT_SETTINGS };
    const settingsWritten = new Set<keyof Settings>();
    for (const item of this.fabric.items) {
      if (item.type !== 'settings') continue;
      const values = readFlatAttributes(item.attributes, SETTINGS_ATTRIBUTES, 'setting', this.reporter);
      for (const [key, { value }] of values) {
        settings[key as keyof Settings] = value;
        settingsWritten.add(key as keyof Settings);
      }
    }
    return { settings, settingsWritten };
  }

  private declareDevices(decl: DeviceDecl): void {
    const count = decl.count ? this.scope.evaluate(decl.count) : undefined;
    if (decl.count && count === undefined) return;
    if (count !== undefined && count < 1) {
      this.reporter.sink.report({ file: this.file, span: decl.count!.span, code: 'index-range', message: `an array needs at least one device, but \`${decl.name.text}\` has ${count}` });
      return;
    }
    const model = this.modelFor(decl);
    const own = readDeviceAttributes(decl.attributes, decl.kind, decl.name.text, this.reporter, this.evaluate);
    const spec = decl.attributes.length === 0 ? model.spec : { ...model.spec, ...own };
    const array: DeviceArray = { name: decl.name.text, kind: decl.kind, count, model, spec, decl, file: this.file, devices: [], truncated: false };
    this.scope.arrays.set(array.name, array);
    const size = count ?? 1;
    if (this.devices.length + size > this.limits.maxDevices) {
      this.reportLimitOnce('deviceLimitReported', decl.name.span, `the fabric would have more than ${this.limits.maxDevices.toLocaleString('en-US')} devices; \`${decl.name.text}\` is left out (raise the device limit to check it)`);
      array.truncated = true;
      return;
    }
    for (let index = 0; index < size; index++) {
      const device: Device = {
        id: this.devices.length,
        name: count === undefined ? array.name : `${array.name}[${index}]`,
        array,
        index: count === undefined ? undefined : index,
        links: [],
        named: false,
      };
      array.devices.push(device);
      this.devices.push(device);
    }
  }

  private modelFor(decl: DeviceDecl): ResolvedModel {
    const fallback = this.models.get(DEFAULT_MODEL[decl.kind])!;
    if (!decl.model) return fallback;
    const model = this.models.get(decl.model.text);
    if (!model) {
      const candidates = [...this.models.values()].filter((m) => m.kind === decl.kind).map((m) => m.name);
      this.reporter.unknownName(decl.model.span, `${decl.kind} model`, decl.model.text, candidates);
      return fallback;
    }
    if (model.kind !== decl.kind) {
      const examples = [...this.models.values()].filter((m) => m.kind === decl.kind && m.builtin).slice(0, 3).map((m) => `\`${m.name}\``);
      this.reporter.sink.report({
        file: this.file,
        span: decl.model.span,
        code: 'model-kind',
        message: `\`${model.name}\` is a ${model.kind} model, but \`${decl.name.text}\` is a ${decl.kind}; use a ${decl.kind} model such as ${examples.join(' or ')}`,
      });
      return fallback;
    }
    return model;
  }

  private reportLimitOnce(flag: 'deviceLimitReported' | 'linkLimitReported' | 'iterationLimitReported', span: Span, message: string): void {
    if (this[flag]) return;
    this[flag] = true;
    this.reporter.sink.report({ file: this.file, span, code: 'limit', message });
  }

  private resolveItem(item: Item): void {
    switch (item.type) {
      case 'link':
        this.resolveLink(item);
        return;
      case 'for':
        this.forEach(item.head, item.span, () => {
          for (const inner of item.items) this.resolveItem(inner);
        });
        return;
      case 'group':
        this.scope.group(item.name.text);
        return;
      case 'allocate':
        appendAll(this.allocations, this.resolveAllocations(item));
        return;
      default:
        return;
    }
  }

  /** Runs `body` once per loop value (inclusive; downward when A > B) within the iteration budget. */
  private forEach(head: LoopHead, span: Span, body: () => void): void {
    const from = this.scope.evaluate(head.from);
    const to = this.scope.evaluate(head.to);
    if (from === undefined || to === undefined) return;
    const name = head.variable.text;
    if (this.scope.loopVariables.has(name) || this.scope.constants.has(name)) {
      this.reporter.sink.report({
        file: this.file,
        span: head.variable.span,
        code: 'duplicate-name',
        message: `the loop variable \`${name}\` hides a ${this.scope.constants.has(name) ? 'constant' : 'loop variable'} of the same name; rename it`,
      });
      return;
    }
    const step = from <= to ? 1 : -1;
    for (let value = from; value !== to + step; value += step) {
      if (++this.iterations > this.limits.maxLoopIterations) {
        this.reportLimitOnce('iterationLimitReported', { start: span.start, end: head.to.span.end }, `loops run more than ${this.limits.maxLoopIterations.toLocaleString('en-US')} iterations in all; the rest is not expanded (raise the loop-iteration limit)`);
        break;
      }
      this.scope.loopVariables.set(name, value);
      body();
    }
    this.scope.loopVariables.delete(name);
  }

  private settingsOf(decl: LinkDecl): LinkSettings {
    if (decl.attributes.length === 0) return DEFAULT_LINK_SETTINGS;
    let settings = this.linkSettings.get(decl);
    if (!settings) {
      const values = readFlatAttributes(decl.attributes, LINK_ATTRIBUTES, 'link attribute', this.reporter);
      const value = (key: string) => values.get(key)?.value;
      settings = {
        length: value('length') ?? DEFAULT_LINK_LENGTH,
        retimers: value('retimers') ?? 0,
        latency: value('latency'),
        bandwidth: value('bandwidth'),
        efficiency: value('efficiency'),
      };
      this.linkSettings.set(decl, settings);
    }
    return settings;
  }

  private resolveLink(decl: LinkDecl): void {
    if (this.links.length >= this.limits.maxLinks) {
      this.reportLimitOnce('linkLimitReported', decl.span, `the fabric would have more than ${this.limits.maxLinks.toLocaleString('en-US')} links; the rest are left out (raise the link limit)`);
      return;
    }
    const a = this.scope.endpoint(decl.left);
    const b = this.scope.endpoint(decl.right);
    if (a) a.named = true;
    if (b) b.named = true;
    const protocol = PROTOCOLS.get(decl.port.protocol.text);
    if (!protocol) {
      this.reporter.unknownName(decl.port.protocol.span, 'protocol', decl.port.protocol.text, PROTOCOLS.keys(), `; protocols are ${[...PROTOCOLS.keys()].join(', ')}`);
      return;
    }
    const width = readWidth(protocol.name, decl.port.width, this.reporter);
    const count = decl.port.count ? this.scope.evaluate(decl.port.count) : 1;
    if (count !== undefined && count < 1) {
      this.reporter.sink.report({ file: this.file, span: decl.port.count!.span, code: 'index-range', message: `a link needs at least one sub-link, but the count is ${count}` });
      return;
    }
    const settings = this.settingsOf(decl);
    if (!a || !b || width === undefined || count === undefined) return;
    if (a === b) {
      this.reporter.sink.report({
        file: this.file,
        span: { start: decl.left.span.start, end: decl.right.span.end },
        code: 'link-endpoints',
        subject: `${a.name} <-> ${b.name}`,
        message: (subject) => `${subject} ${agree(subject, 'joins a device to itself', 'join devices to themselves')}; a link needs two different devices, so name another one at one end`,
      });
      return;
    }
    const latency = settings.latency ?? protocol.phyLatency.value + WIRE_DELAY_PER_METRE.value * settings.length + RETIMER_LATENCY.value * settings.retimers;
    const bandwidth = settings.bandwidth ?? width * count * protocol.laneRate.value * (settings.efficiency ?? protocol.efficiency.value);
    const estimates = this.estimatesOf(protocol, settings);
    const link: Link = {
      id: this.links.length,
      a,
      b,
      protocol,
      width,
      count,
      lanes: width * count,
      bandwidth,
      latency,
      length: settings.length,
      retimers: settings.retimers,
      estimates,
      decl,
      file: this.file,
      name: `${a.name} <-> ${b.name}`,
    };
    this.links.push(link);
    a.links.push(link);
    b.links.push(link);
  }

  /** The estimated figures a link rests on; one list per protocol and kind of settings, shared by its links. */
  private estimatesOf(protocol: Protocol, settings: LinkSettings): readonly Figure[] {
    const latencyEstimated = settings.latency === undefined;
    const efficiencyEstimated = settings.bandwidth === undefined && settings.efficiency === undefined;
    const retimed = latencyEstimated && settings.retimers > 0;
    const key = `${protocol.name} ${latencyEstimated} ${retimed} ${efficiencyEstimated}`;
    let estimates = this.estimateLists.get(key);
    if (!estimates) {
      const list: Figure[] = [];
      if (latencyEstimated && protocol.phyLatency.estimate) list.push(protocol.phyLatency);
      if (retimed) list.push(RETIMER_LATENCY);
      if (efficiencyEstimated && protocol.efficiency.estimate) list.push(protocol.efficiency);
      estimates = list;
      this.estimateLists.set(key, estimates);
    }
    return estimates;
  }

  private resolveAllocations(decl: AllocateDecl): Allocation[] {
    const bytes = readQuantity(decl.size, 'size', '`allocate`', this.reporter);
    const memory = this.scope.endpoint(decl.memory);
    const targets = this.scope.select(decl.targets);
    if (bytes === undefined || !memory) return [];
    const spec = memory.array.spec;
    if (!spec.capacity && !spec.memory) {
      this.reporter.sink.report({
        file: this.file,
        span: decl.memory.span,
        code: 'capacity',
        message: `${memory.name} is a ${memory.array.kind} with no memory to allocate from; allocate from a memory pool or an accelerator`,
      });
      return [];
    }
    return [{ memory, bytes, targets, decl, file: this.file }];
  }

  private resolveWorkload(decl: WorkloadDecl): void {
    const statements = this.resolveStatements(decl.statements);
    this.workloads.set(decl.name.text, { name: decl.name.text, statements, origin: { file: this.file, span: decl.name.span } });
  }

  private resolveStatements(statements: Statement[]): ResolvedStatement[] {
    const resolved: ResolvedStatement[] = [];
    for (const statement of statements) {
      if (statement.type === 'for') {
        this.forEach(statement.head, statement.span, () => appendAll(resolved, this.resolveStatements(statement.statements)));
        continue;
      }
      const one = this.resolveStatement(statement);
      if (one) resolved.push(one);
    }
    return resolved;
  }

  private algorithm(op: string, name: Name | undefined): Algorithm | undefined {
    const allowed = ALGORITHMS[op];
    if (!name) return 'auto';
    if ((allowed as readonly string[]).includes(name.text)) return name.text as Algorithm;
    if (op === 'alltoall') {
      this.reporter.sink.report({ file: this.file, span: name.span, code: 'unknown-name', message: 'alltoall has no choice of algorithm; drop `using`' });
      return undefined;
    }
    this.reporter.unknownName(name.span, `algorithm for ${op}`, name.text, allowed, `; ${op} takes ${allowed.join(', ')}`);
    return undefined;
  }

  private resolveStatement(statement: Exclude<Statement, { type: 'for' }>): ResolvedStatement | undefined {
    const span = statement.span;
    const what = `\`${statement.type === 'collective' ? statement.op : statement.type}\``;
    switch (statement.type) {
      case 'compute': {
        const seconds = readQuantity(statement.time, 'time', what, this.reporter);
        return seconds === undefined ? undefined : { type: 'compute', seconds, span };
      }
      case 'collective': {
        const bytes = readQuantity(statement.size, 'size', what, this.reporter);
        const ranks = this.scope.select(statement.ranks);
        const algorithm = this.algorithm(statement.op, statement.algorithm);
        if (bytes === undefined || algorithm === undefined) return undefined;
        return { type: statement.op, bytes, ranks, algorithm, span };
      }
      case 'broadcast': {
        const bytes = readQuantity(statement.size, 'size', what, this.reporter);
        const root = this.scope.endpoint(statement.root);
        const ranks = this.scope.select(statement.ranks);
        const algorithm = this.algorithm('broadcast', statement.algorithm);
        if (bytes === undefined || !root || algorithm === undefined) return undefined;
        return { type: 'broadcast', bytes, root, ranks, algorithm, span };
      }
      case 'flow': {
        const bytes = readQuantity(statement.size, 'size', what, this.reporter);
        const source = this.scope.endpoint(statement.source);
        const target = this.scope.endpoint(statement.target);
        if (bytes === undefined || !source || !target) return undefined;
        return { type: 'flow', bytes, source, target, span };
      }
      case 'read':
      case 'write': {
        const bytes = readQuantity(statement.size, 'size', what, this.reporter);
        const device = this.scope.endpoint(statement.device);
        const by = this.scope.select(statement.by);
        if (bytes === undefined || !device) return undefined;
        const kind = device.array.kind;
        if (kind !== 'memory' && kind !== 'gpu') {
          this.reporter.sink.report({
            file: this.file,
            span: statement.device.span,
            code: 'model-kind',
            message: `${device.name} is a ${kind}; \`${statement.type}\` needs a memory or a peer accelerator`,
          });
          return undefined;
        }
        return { type: statement.type, bytes, device, by, span };
      }
      case 'parallel':
        return { type: 'parallel', statements: this.resolveStatements(statement.statements), span };
      case 'train':
      case 'serve':
        return resolveTransformerStatement(statement, { reporter: this.reporter, scope: this.scope, transformers: this.transformers, allocations: this.allocations });
    }
  }

  private resolveExpectation(decl: ExpectDecl): Expectation[] {
    const metric = decl.metric.text;
    if (!(metric in METRICS)) {
      this.reporter.unknownName(decl.metric.span, 'expectation metric', metric, Object.keys(METRICS), `; metrics are ${Object.keys(METRICS).join(', ')}`);
      return [];
    }
    const typed = metric as Expectation['metric'];
    const pair = typed === 'latency' || typed === 'bandwidth';
    if (pair !== (decl.target !== undefined)) {
      this.reporter.sink.report({
        file: this.file,
        span: decl.span,
        code: 'syntax',
        message: pair ? `\`expect ${metric}\` compares a pair: write \`expect ${metric} A -> B ...\`` : `\`expect ${metric}\` takes no \`-> B\``,
      });
      return [];
    }
    const bound = this.readBound(decl, typed);
    const base = { comparison: decl.comparison, bound: bound ?? 0, unit: decl.bound.unit?.text ?? '', decl, file: this.file };
    if (typed in WORKLOAD_METRICS) {
      const [subject] = decl.subject;
      const name = subject.name.text;
      if (decl.subject.length > 1 || subject.index) {
        this.reporter.sink.report({ file: this.file, span: decl.subject[0].span, code: 'syntax', message: `\`expect ${metric}\` names one workload` });
        return [];
      }
      if (!this.workloadDecls.has(name)) {
        this.reporter.unknownName(subject.name.span, 'workload', name, this.workloadDecls.keys());
        return [];
      }
      const workload = this.workloads.get(name);
      if (!workload || !this.hasMetric(workload, typed, decl)) return [];
      return bound === undefined ? [] : [{ ...base, metric: typed as 'time', workload }];
    }
    const subject = this.scope.select(decl.subject);
    if (pair) {
      const to = this.scope.select(decl.target!);
      return bound === undefined ? [] : [{ ...base, metric: typed, from: subject, to }];
    }
    return bound === undefined ? [] : [{ ...base, metric: typed as 'utilization' | 'oversubscription', devices: subject }];
  }

  /** A tokens/s, MFU, TTFT or TPOT expectation needs its workload to hold one statement that has it. */
  private hasMetric(workload: Workload, metric: Expectation['metric'], decl: ExpectDecl): boolean {
    const needs = WORKLOAD_METRICS[metric];
    if (!needs) return true;
    const found: string[] = [];
    const collect = (statements: ResolvedStatement[]) => {
      for (const statement of statements) {
        if (statement.type === 'parallel') collect(statement.statements);
        else if (statement.type === 'train' || statement.type === 'serve') found.push(statement.type);
      }
    };
    collect(workload.statements);
    const kinds = new Set(found);
    const declared = (this.workloadDecls.get(workload.name)?.statements ?? []).some(function has(statement): boolean {
      return statement.type === 'train' || statement.type === 'serve' || ((statement.type === 'parallel' || statement.type === 'for') && statement.statements.some(has));
    });
    // A statement that failed to resolve has its own diagnostic; the expectation adds none.
    if (found.length === 0 && declared) return false;
    if (found.length === 1 && (needs === 'train or serve' || kinds.has(needs))) return true;
    const what = needs === 'train or serve' ? 'one `train` or `serve` statement' : `one \`${needs}\` statement`;
    const has = found.length === 0 ? 'none' : found.length > 1 ? `${found.length} of them` : `a \`${found[0]}\``;
    this.reporter.sink.report({ file: this.file, span: decl.metric.span, code: 'syntax', message: `\`expect ${metric}\` measures a workload with ${what}, and \`${workload.name}\` has ${has}` });
    return false;
  }

  private readBound(decl: ExpectDecl, metric: Expectation['metric']): number | undefined {
    if (metric === 'utilization' && decl.bound.unit?.text !== '%') {
      this.reporter.sink.report({ file: this.file, span: decl.bound.span, code: 'unit', message: '`expect utilization` needs a bound in percent, such as `80%`' });
      return undefined;
    }
    if (metric === 'mfu' && decl.bound.unit?.text !== '%') {
      this.reporter.sink.report({ file: this.file, span: decl.bound.span, code: 'unit', message: '`expect mfu` needs a bound in percent, such as `40%`' });
      return undefined;
    }
    if (metric === 'oversubscription' && decl.bound.unit) {
      this.reporter.sink.report({ file: this.file, span: decl.bound.unit.span, code: 'unit', message: '`expect oversubscription` takes a plain ratio, such as `2.5`' });
      return undefined;
    }
    return readQuantity(decl.bound, METRICS[metric], `\`expect ${metric}\``, this.reporter, metric === 'utilization' || metric === 'mfu' ? SHARE : ZERO_OR_MORE);
  }
}
