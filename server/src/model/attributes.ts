/**
 * Attribute schemas and typed reading of attribute values: models and devices (§4), links (§5),
 * settings (§11). Wrong dimensions, unknown units, values out of range, unknown keys and bad
 * widths are reported here.
 */
import type { Attribute, DeviceKind, Quantity, Value } from '../syntax/ast.js';
import type { Span } from '../syntax/source.js';
import type { DiagnosticSink } from './diagnostics.js';
import { PROTOCOLS, widthText } from './protocols.js';
import { EFFICIENCY, MORE_THAN_ZERO, ONE_OR_MORE, rangeProblem, ZERO_OR_MORE, type QuantityRange } from './ranges.js';
import { didYouMean } from './suggest.js';
import type { Attr, DeviceSpec, IncStyle, PortGroup, ProtocolSupport } from './types.js';
import { DIMENSION_NAMES, UNITS, exampleOf, toSI, unitsOf, type Dimension } from './units.js';

/** Reports diagnostics against one file. */
export class FileReporter {
  constructor(
    readonly sink: DiagnosticSink,
    readonly file: string,
  ) {}

  unknownName(span: Span, what: string, name: string, candidates: Iterable<string>, extra = ''): void {
    const { hint, suggestion } = didYouMean(name, candidates);
    this.sink.report({ file: this.file, span, code: 'unknown-name', message: `unknown ${what} \`${name}\`${hint || extra}`, data: suggested(suggestion) });
  }
}

/** The quick-fix payload of a did-you-mean, when there is one. */
function suggested(suggestion: string | undefined): { suggestion: string } | undefined {
  return suggestion === undefined ? undefined : { suggestion };
}

/** The unit most figures of a dimension are written in, in this domain. */
const USUAL_UNIT: Record<Dimension, string> = { size: 'GiB', bandwidth: 'GB/s', time: 'ns', length: 'm', power: 'W', ratio: '%', compute: 'TFLOP/s', tokens: 'tok/s' };

/**
 * The unit of `dimension` a unit of another dimension most likely meant: the nearest spelling
 * (`m` for a time is `ms`), else the longest shared prefix (`GB` for a bandwidth is `GB/s`), else
 * the dimension's usual unit.
 */
function nearestUnit(unit: string, dimension: Dimension): string {
  const candidates = unitsOf(dimension);
  const near = didYouMean(unit, candidates).suggestion;
  if (near) return near;
  const shared = (candidate: string) => {
    let n = 0;
    while (n < unit.length && unit[n] === candidate[n]) n++;
    return n;
  };
  return candidates.reduce((best, candidate) => (shared(candidate) > shared(best) ? candidate : best), USUAL_UNIT[dimension]);
}

/**
 * Reads a quantity of a dimension in SI units, or reports why it cannot: a wrong or unknown unit
 * (`unit`), a value outside `range` (`value-range`).
 */
export function readQuantity(quantity: Quantity, dimension: Dimension, what: string, reporter: FileReporter, range: QuantityRange = ZERO_OR_MORE): number | undefined {
  const value = siValue(quantity, dimension, what, reporter);
  if (value === undefined) return undefined;
  const problem = rangeProblem(value, range, dimension);
  if (problem === undefined) return value;
  const unit = quantity.unit?.text;
  const written = unit === undefined ? quantity.text : unit === '%' ? `${quantity.text}%` : `${quantity.text} ${unit}`;
  reporter.sink.report({ file: reporter.file, span: quantity.span, code: 'value-range', message: `${written} is out of range for ${what}; ${problem}` });
  return undefined;
}

function siValue(quantity: Quantity, dimension: Dimension, what: string, reporter: FileReporter): number | undefined {
  const unit = quantity.unit?.text;
  if (unit === undefined) {
    if (dimension === 'ratio') return quantity.value;
    reporter.sink.report({
      file: reporter.file,
      span: quantity.span,
      code: 'unit',
      message: `${what} needs ${DIMENSION_NAMES[dimension]} with a unit, such as ${exampleOf(dimension)}`,
    });
    return undefined;
  }
  const definition = UNITS.get(unit);
  if (!definition) {
    const { hint, suggestion } = didYouMean(unit, unitsOf(dimension));
    reporter.sink.report({
      file: reporter.file,
      span: quantity.unit!.span,
      code: 'unit',
      message: `unknown unit \`${unit}\`${hint || `; ${what} takes ${unitsOf(dimension).join(', ')}`}`,
      data: suggested(suggestion),
    });
    return undefined;
  }
  if (definition.dimension !== dimension) {
    reporter.sink.report({
      file: reporter.file,
      span: quantity.unit!.span,
      code: 'unit',
      message: `${what} needs ${DIMENSION_NAMES[dimension]}, but \`${unit}\` is ${DIMENSION_NAMES[definition.dimension]}; use ${unitsOf(dimension).join(', ')}`,
      data: { suggestion: nearestUnit(unit, dimension) },
    });
    return undefined;
  }
  return toSI(quantity.value, definition);
}

type ValueReader<T> = (value: Value, key: string, reporter: FileReporter) => T | undefined;

function expected(value: Value, key: string, description: string, reporter: FileReporter, code: 'unit' | 'syntax' = 'syntax'): undefined {
  reporter.sink.report({ file: reporter.file, span: value.span, code, message: `\`${key}\` takes ${description}` });
  return undefined;
}

const quantityOf =
  (dimension: Dimension, range: QuantityRange): ValueReader<number> =>
  (value, key, reporter) => {
    if (value.type !== 'quantity') return expected(value, key, `${DIMENSION_NAMES[dimension]}, such as ${exampleOf(dimension)}`, reporter, 'unit');
    return readQuantity(value.quantity, dimension, `\`${key}\``, reporter, range);
  };

/** A count of things (lanes, retimers): a whole number from `least`, exact in a double. */
const wholeNumber =
  (least: number): ValueReader<number> =>
  (value, key, reporter) => {
    if (value.type !== 'quantity' || value.quantity.unit || !Number.isInteger(value.quantity.value)) {
      return expected(value, key, 'a whole number without a unit, such as `320`', reporter, 'unit');
    }
    const count = value.quantity.value;
    if (!Number.isSafeInteger(count)) {
      reporter.sink.report({ file: reporter.file, span: value.span, code: 'limit', message: 'this integer is too large to compute exactly (over 2^53)' });
      return undefined;
    }
    if (count < least) {
      reporter.sink.report({ file: reporter.file, span: value.span, code: 'value-range', message: `${count} is out of range for \`${key}\`; allowed: a whole number from ${least}` });
      return undefined;
    }
    return count;
  };

const boolean: ValueReader<boolean> = (value, key, reporter) => {
  if (value.type === 'word' && (value.word.text === 'true' || value.word.text === 'false')) return value.word.text === 'true';
  return expected(value, key, '`true` or `false`', reporter);
};

const incStyle: ValueReader<IncStyle> = (value, key, reporter) => {
  if (value.type === 'word' && (value.word.text === 'push' || value.word.text === 'pull')) return value.word.text;
  return expected(value, key, '`push` (SHARP-like) or `pull` (NVLS-like)', reporter);
};

function listItems(value: Value): Value[] {
  return value.type === 'list' ? value.items : [value];
}

function knownProtocol(name: { text: string; span: Span }, reporter: FileReporter): boolean {
  if (PROTOCOLS.has(name.text)) return true;
  reporter.unknownName(name.span, 'protocol', name.text, PROTOCOLS.keys(), `; protocols are ${[...PROTOCOLS.keys()].join(', ')}`);
  return false;
}

/** A list with a bad item is rejected whole, so the inherited value stays and nothing cascades. */
const protocolList: ValueReader<ProtocolSupport[]> = (value, key, reporter) => {
  const protocols: ProtocolSupport[] = [];
  let valid = true;
  for (const item of listItems(value)) {
    if (item.type !== 'word') {
      valid = expected(item, key, 'a list of protocols, such as `[pcie6, cxl]`', reporter) ?? false;
    } else if (knownProtocol(item.word, reporter)) {
      protocols.push({ protocol: item.word.text, estimate: item.estimate });
    } else {
      valid = false;
    }
  }
  return valid ? protocols : undefined;
};

/** Integer evaluation of a port count is supplied by the caller (it may name constants). */
export type CountEvaluator = (expression: NonNullable<import('../syntax/ast.js').PortSpec['count']>) => number | undefined;

/** Checks a width against a protocol: `lane-width` when the protocol does not allow it. */
export function readWidth(
  protocol: string,
  width: { text: string; span: Span },
  reporter: FileReporter,
): number | undefined {
  const lanes = Number(width.text.slice(1));
  const allowed = PROTOCOLS.get(protocol)?.widths ?? [];
  if (!allowed.includes(lanes)) {
    reporter.sink.report({
      file: reporter.file,
      span: width.span,
      code: 'lane-width',
      message: `${protocol} does not allow ${width.text}; its widths are ${allowed.map(widthText).join(', ')}`,
      data: { suggestion: widthText(nearestWidth(lanes, allowed)) },
    });
    return undefined;
  }
  return lanes;
}

export function nearestWidth(lanes: number, allowed: readonly number[]): number {
  return allowed.reduce((best, w) => (Math.abs(w - lanes) < Math.abs(best - lanes) || (Math.abs(w - lanes) === Math.abs(best - lanes) && w < best) ? w : best), allowed[0]);
}

function portList(evaluateCount: CountEvaluator): ValueReader<PortGroup[]> {
  return (value, key, reporter) => {
    const ports: PortGroup[] = [];
    let valid = true;
    for (const item of listItems(value)) {
      if (item.type !== 'port') {
        valid = expected(item, key, 'a list of ports, such as `[ualink x4 * 4, pcie6 x16]`', reporter) ?? false;
        continue;
      }
      const { protocol, width, count } = item.port;
      const lanes = knownProtocol(protocol, reporter) ? readWidth(protocol.text, width, reporter) : undefined;
      const times = count ? evaluateCount(count) : 1;
      if (times !== undefined && times < 1) expected(item, key, 'a port count of at least 1', reporter);
      if (lanes === undefined || times === undefined || times < 1) valid = false;
      else ports.push({ protocol: protocol.text, width: lanes, count: times });
    }
    return valid ? ports : undefined;
  };
}

interface AttributeSchema {
  kinds: readonly DeviceKind[];
  read: ValueReader<unknown>;
  describe: string;
}

const ENDPOINTS: DeviceKind[] = ['gpu', 'cpu', 'memory'];
const ALL: DeviceKind[] = ['gpu', 'cpu', 'switch', 'memory'];

function deviceSchema(evaluateCount: CountEvaluator): Record<keyof DeviceSpec, AttributeSchema> {
  return {
    lanes: { kinds: ['switch'], read: wholeNumber(1), describe: 'the lane budget over all ports' },
    protocols: { kinds: ['switch'], read: protocolList, describe: 'the protocols the switch carries' },
    latency: { kinds: ['switch', 'memory', 'gpu'], read: quantityOf('time', ZERO_OR_MORE), describe: 'port-to-port traversal (switch), or the access latency of its memory (memory, accelerator)' },
    hypercast: { kinds: ['switch'], read: boolean, describe: 'multicast replication in the switch' },
    inc: { kinds: ['switch'], read: boolean, describe: 'in-network reduction' },
    inc_style: { kinds: ['switch'], read: incStyle, describe: '`push` (SHARP-like) or `pull` (NVLS-like)' },
    inc_efficiency: { kinds: ['switch'], read: quantityOf('ratio', EFFICIENCY), describe: 'η of pull-style reduction' },
    power: { kinds: ALL, read: quantityOf('power', ZERO_OR_MORE), describe: 'power draw' },
    ports: { kinds: ENDPOINTS, read: portList(evaluateCount), describe: 'ports by protocol and width' },
    memory: { kinds: ['gpu', 'cpu'], read: quantityOf('size', ZERO_OR_MORE), describe: 'local memory' },
    capacity: { kinds: ['memory'], read: quantityOf('size', MORE_THAN_ZERO), describe: 'memory capacity' },
    bandwidth: { kinds: ['memory'], read: quantityOf('bandwidth', MORE_THAN_ZERO), describe: 'media bandwidth' },
    flops: { kinds: ['gpu', 'cpu'], read: quantityOf('compute', MORE_THAN_ZERO), describe: 'dense bf16 peak, such as `989 TFLOP/s`' },
    compute_efficiency: { kinds: ['gpu', 'cpu'], read: quantityOf('ratio', EFFICIENCY), describe: 'fraction of `flops` the large matrix products reach (default 0.75, an estimate)' },
    hbm_bandwidth: { kinds: ['gpu', 'cpu'], read: quantityOf('bandwidth', MORE_THAN_ZERO), describe: 'bandwidth of the accelerator\'s own memory, such as `3.35 TB/s`' },
    hbm_efficiency: { kinds: ['gpu', 'cpu'], read: quantityOf('ratio', EFFICIENCY), describe: 'fraction of `hbm_bandwidth` a streaming read reaches (default 0.85, an estimate)' },
  };
}

export function attributeKeysFor(kind: DeviceKind): string[] {
  const schema = deviceSchema(() => undefined);
  return Object.entries(schema)
    .filter(([, s]) => s.kinds.includes(kind))
    .map(([key]) => key);
}

/** Reads attributes of a model or device declaration into a spec (the overrides only). */
export function readDeviceAttributes(
  attributes: readonly Attribute[],
  kind: DeviceKind,
  setBy: string,
  reporter: FileReporter,
  evaluateCount: CountEvaluator,
): DeviceSpec {
  if (attributes.length === 0) return {};
  const schema = deviceSchema(evaluateCount);
  const spec: DeviceSpec = {};
  const seen = new Set<string>();
  for (const attribute of attributes) {
    const key = attribute.key.text;
    const entry = (schema as Record<string, AttributeSchema>)[key];
    if (!entry || !entry.kinds.includes(kind)) {
      const valid = attributeKeysFor(kind);
      if (entry) {
        reporter.sink.report({
          file: reporter.file,
          span: attribute.key.span,
          code: 'unknown-name',
          message: `\`${key}\` is not an attribute of a ${kind} (it belongs to ${entry.kinds.join(', ')}); a ${kind} takes ${valid.join(', ')}`,
        });
      } else {
        reporter.unknownName(attribute.key.span, `${kind} attribute`, key, valid, `; a ${kind} takes ${valid.join(', ')}`);
      }
      continue;
    }
    if (seen.has(key)) {
      reporter.sink.report({ file: reporter.file, span: attribute.key.span, code: 'duplicate-name', message: `\`${key}\` is set twice; the last value counts` });
    }
    seen.add(key);
    if (!attribute.value) continue;
    const value = entry.read(attribute.value, key, reporter);
    if (value === undefined) continue;
    (spec as Record<string, Attr<unknown>>)[key] = {
      value,
      estimate: attribute.estimate,
      setBy,
      origin: { file: reporter.file, span: attribute.span },
    };
  }
  return spec;
}

/** A table-driven reader for flat attribute sets (links, settings). */
export interface FlatSchema {
  [key: string]: { read: ValueReader<number>; describe: string };
}

export const LINK_ATTRIBUTES: FlatSchema = {
  length: { read: quantityOf('length', ZERO_OR_MORE), describe: 'cable or trace length (default 0.5 m)' },
  retimers: { read: wholeNumber(0), describe: 'retimers on the link (default 0)' },
  latency: { read: quantityOf('time', ZERO_OR_MORE), describe: 'one-way latency, overriding PHY + wire + retimers' },
  bandwidth: { read: quantityOf('bandwidth', MORE_THAN_ZERO), describe: 'effective bandwidth per direction, overriding the protocol figure' },
  efficiency: { read: quantityOf('ratio', EFFICIENCY), describe: 'protocol efficiency, overriding the protocol figure' },
};

export const SETTINGS_ATTRIBUTES: FlatSchema = {
  step_overhead: { read: quantityOf('time', ZERO_OR_MORE), describe: 'per-step endpoint cost of a collective (alpha), default 1 us' },
  oversubscription_limit: { read: quantityOf('ratio', MORE_THAN_ZERO), describe: 'static oversubscription above which a switch is flagged, default 1.0' },
  // A slowdown and a speed-up are at least 1 by definition: a threshold below would flag everything.
  overload_threshold: { read: quantityOf('ratio', ONE_OR_MORE), describe: 'slowdown at which a link is reported overloaded, default 1.1' },
  hint_threshold: { read: quantityOf('ratio', ONE_OR_MORE), describe: 'speed-up at which a faster algorithm is suggested, default 1.1' },
};

export function readFlatAttributes(attributes: readonly Attribute[], schema: FlatSchema, what: string, reporter: FileReporter): Map<string, { value: number; estimate?: string }> {
  const values = new Map<string, { value: number; estimate?: string }>();
  for (const attribute of attributes) {
    const key = attribute.key.text;
    const entry = schema[key];
    if (!entry) {
      reporter.unknownName(attribute.key.span, what, key, Object.keys(schema), `; valid keys are ${Object.keys(schema).join(', ')}`);
      continue;
    }
    if (values.has(key)) {
      reporter.sink.report({ file: reporter.file, span: attribute.key.span, code: 'duplicate-name', message: `\`${key}\` is set twice; the last value counts` });
    }
    const value = attribute.value && entry.read(attribute.value, key, reporter);
    if (value !== undefined) values.set(key, { value, estimate: attribute.estimate });
  }
  return values;
}
