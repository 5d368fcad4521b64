/**
 * `train` and `serve` statements (FABRIC-LANGUAGE-2.md §13.3, §13.4): their attributes read with
 * the defaults applied, the one `*` degree resolved from the selector's ranks, and the checks
 * that need no simulation — `parallelism` (degrees that do not multiply to the ranks or do not
 * divide the model, with a degree that would work), `model-attribute` (a figure the statement
 * needs, on the statement or on its devices, that is missing).
 */
import type { Attribute, TransformerStatement, Value } from '../syntax/ast.js';
import type { DiagnosticData, Span } from '../syntax/source.js';
import type { FileReporter } from './attributes.js';
import type { Scope } from './scope.js';
import type { Transformers } from './transformers.js';
import type { Algorithm, Allocation, Device, ResolvedStatement, ResolvedTransformer, ServeConfig, TrainConfig } from './types.js';

type Kind = 'integer' | 'degree' | 'boolean' | 'words';

interface Key {
  kind: Kind;
  describe: string;
  /** For `words`: the values allowed. */
  words?: readonly string[];
}

const DEGREE = (describe: string): Key => ({ kind: 'degree', describe });
const INTEGER = (describe: string): Key => ({ kind: 'integer', describe });

export const TRAIN_KEYS: Record<string, Key> = {
  tp: DEGREE('tensor-parallel degree (default 1)'),
  pp: DEGREE('pipeline-parallel degree (default 1)'),
  dp: DEGREE('data-parallel degree (default `*`: the rest of the ranks)'),
  ep: INTEGER('expert-parallel degree, carved out of dp (MoE only; default 1)'),
  seq: INTEGER('tokens per sequence (required)'),
  micro_batch: INTEGER('sequences per micro-batch (default 1)'),
  global_batch: INTEGER('sequences per step (required)'),
  sequence_parallel: { kind: 'boolean', describe: 'Megatron sequence parallelism (default true when tp > 1)' },
  zero: { kind: 'words', words: ['0', '1', '2', '3'], describe: 'which of optimizer state, gradients and weights are sharded over dp (default 1)' },
  recompute: { kind: 'words', words: ['none', 'selective', 'full'], describe: 'activation recomputation (default `none`)' },
  virtual_stages: INTEGER('interleaved pipeline stages per rank (default 1)'),
  overlap_dp: { kind: 'boolean', describe: 'overlap the data-parallel exchange with compute (default true)' },
  order: { kind: 'words', words: ['tp_dp_pp', 'tp_pp_dp'], describe: 'how ranks are laid out (default `tp_dp_pp`, Megatron\'s)' },
};

export const SERVE_KEYS: Record<string, Key> = {
  tp: DEGREE('tensor-parallel degree (default 1)'),
  pp: DEGREE('pipeline-parallel degree (default 1)'),
  replicas: DEGREE('model replicas (default `*`: the rest of the ranks)'),
  batch: INTEGER('sequences per replica (default 1)'),
  prompt: INTEGER('prompt tokens per sequence (required)'),
  output: INTEGER('generated tokens per sequence (required)'),
  kv_cache: { kind: 'words', describe: '`hbm` (the default) or a memory device the ranks have an `allocate` on' },
  using: { kind: 'words', words: ['ring', 'tree', 'inc', 'auto'], describe: 'the algorithm of every all-reduce (default `auto`)' },
};

export interface StatementContext {
  reporter: FileReporter;
  scope: Scope;
  transformers: Transformers;
  allocations: readonly Allocation[];
}

type Read = number | boolean | string | '*';

/** A found problem, reported at a span with the code of this module. */
function problem(context: StatementContext, code: 'parallelism' | 'model-attribute' | 'memory-capacity', span: Span, message: string, data?: DiagnosticData): undefined {
  context.reporter.sink.report({ file: context.reporter.file, span, code, message, data });
  return undefined;
}

function readValue(value: Value, key: string, spec: Key, context: StatementContext): Read | undefined {
  const wrong = (wants: string) => problem(context, 'parallelism', value.span, `\`${key}\` takes ${wants}`);
  if (value.type === 'rest') return spec.kind === 'degree' ? '*' : wrong(`${spec.kind === 'boolean' ? '`true` or `false`' : 'a whole number'}; \`*\` (the rest of the ranks) is a value only for tp, pp, dp and replicas`);
  switch (spec.kind) {
    case 'boolean':
      return value.type === 'word' && (value.word.text === 'true' || value.word.text === 'false') ? value.word.text === 'true' : wrong('`true` or `false`');
    case 'words':
      if (key === 'zero' && value.type === 'quantity' && !value.quantity.unit && spec.words!.includes(value.quantity.text)) return value.quantity.text;
      if (value.type === 'word' && (!spec.words || spec.words.includes(value.word.text))) return value.word.text;
      return wrong(spec.words ? spec.words.map((w) => `\`${w}\``).join(', ') : spec.describe);
    default: {
      const number =
        value.type === 'quantity' && !value.quantity.unit
          ? value.quantity.value
          : value.type === 'word'
            ? context.scope.evaluate({ type: 'name', name: value.word, span: value.span })
            : undefined;
      if (number === undefined) return value.type === 'word' ? undefined : wrong('a whole number without a unit, or a constant');
      if (!Number.isSafeInteger(number) || number < 1) return wrong(`a whole number of at least 1, not ${number}`);
      return number;
    }
  }
}

function readAttributes(attributes: readonly Attribute[], keys: Record<string, Key>, what: string, context: StatementContext): Map<string, { value: Read; span: Span }> | undefined {
  const values = new Map<string, { value: Read; span: Span }>();
  let valid = true;
  for (const attribute of attributes) {
    const key = attribute.key.text;
    const spec = keys[key];
    if (!spec) {
      context.reporter.unknownName(attribute.key.span, `${what} attribute`, key, Object.keys(keys), `; \`${what}\` takes ${Object.keys(keys).join(', ')}`);
      valid = false;
      continue;
    }
    if (!attribute.value) continue;
    const value = readValue(attribute.value, key, spec, context);
    if (value === undefined) valid = false;
    else values.set(key, { value, span: attribute.span });
  }
  return valid ? values : undefined;
}

/**
 * Degrees whose product must be the ranks: at most one `*`, resolved to what remains. Returns the
 * degrees, or reports `parallelism` (with the degree that would work, for the quick fix).
 */
function resolveDegrees(names: readonly string[], given: Map<string, { value: Read; span: Span }>, defaults: Record<string, number | '*'>, ranks: number, statement: TransformerStatement, context: StatementContext): Record<string, number> | undefined {
  const raw = names.map((name) => given.get(name)?.value ?? defaults[name]);
  const stars = names.filter((_, i) => raw[i] === '*');
  const span = (name: string) => given.get(name)?.span ?? statement.transformer.span;
  if (stars.length > 1) {
    return problem(context, 'parallelism', span(stars[1]), `only one degree may be \`*\`; ${stars.map((s) => `\`${s}\``).join(' and ')} are — give ${stars.slice(1).map((s) => `\`${s}\``).join(', ')} a number`);
  }
  const fixed = names.filter((_, i) => raw[i] !== '*');
  const product = fixed.reduce((n, name) => n * (raw[names.indexOf(name)] as number), 1);
  const degrees: Record<string, number> = {};
  for (const name of fixed) degrees[name] = raw[names.indexOf(name)] as number;
  const formula = names.join('·');
  if (stars.length === 1) {
    const rest = ranks / product;
    if (!Number.isInteger(rest) || rest < 1) {
      return problem(context, 'parallelism', span(fixed.find((name) => degrees[name] > 1) ?? stars[0]), `${fixed.map((name) => `${name} ${degrees[name]}`).join(' × ')} = ${product} does not divide the ${ranks} ranks, so \`${stars[0]}: *\` has no whole value; choose degrees whose product divides ${ranks}`);
    }
    degrees[stars[0]] = rest;
    return degrees;
  }
  if (product !== ranks) {
    const last = names[names.length - 1];
    const others = product / degrees[last];
    const fit = ranks / others;
    const data = Number.isInteger(fit) && fit >= 1 ? { degrees: { [last]: fit } } : undefined;
    return problem(context, 'parallelism', span(last), `${formula} = ${names.map((name) => degrees[name]).join(' × ')} = ${product}, but the statement runs over ${ranks} ranks${data ? `; \`${last}: ${fit}\` (or \`${last}: *\`) would use them all` : `; choose degrees whose product is ${ranks}`}`, data);
  }
  return degrees;
}

/** Each array of ranks that lacks a figure the statement needs: one `model-attribute` per array. */
function requireFigures(ranks: Device[], figures: readonly ('flops' | 'hbm_bandwidth')[], statement: TransformerStatement, context: StatementContext): boolean {
  const arrays = new Set(ranks.map((device) => device.array));
  let complete = true;
  for (const array of arrays) {
    const missing = figures.filter((figure) => array.spec[figure] === undefined);
    if (missing.length === 0) continue;
    complete = false;
    const example = missing.map((figure) => (figure === 'flops' ? '`flops: 989 TFLOP/s`' : '`hbm_bandwidth: 3.35 TB/s`')).join(' and ');
    problem(context, 'model-attribute', statement.ranks[0].span, `\`${statement.type}\` needs ${missing.map((f) => `\`${f}\``).join(' and ')} on the devices it runs on, and ${array.name} (model \`${array.model.name}\`) lacks ${missing.length > 1 ? 'them' : 'it'}; set ${example} on the model or the device, or run it on accelerators that have ${missing.length > 1 ? 'them' : 'it'} (the catalog's \`h100_sxm\`, \`b200\`, \`mi300x\`)`);
  }
  return complete;
}

function lookupTransformer(statement: TransformerStatement, context: StatementContext): ResolvedTransformer | undefined {
  const name = statement.transformer.text;
  const transformer = context.transformers.valid.get(name);
  if (!transformer && !context.transformers.declared.has(name)) context.reporter.unknownName(statement.transformer.span, 'transformer', name, context.transformers.declared);
  return transformer;
}

export function resolveTransformerStatement(statement: TransformerStatement, context: StatementContext): ResolvedStatement | undefined {
  const transformer = lookupTransformer(statement, context);
  const ranks = context.scope.select(statement.ranks);
  const values = readAttributes(statement.attributes, statement.type === 'train' ? TRAIN_KEYS : SERVE_KEYS, statement.type, context);
  if (!transformer || !values || ranks.length === 0) return undefined;
  const missing = (statement.type === 'train' ? ['seq', 'global_batch'] : ['prompt', 'output']).filter((key) => !values.has(key));
  if (missing.length > 0) {
    return problem(context, 'model-attribute', statement.transformer.span, `\`${statement.type}\` needs ${missing.map((key) => `\`${key}\``).join(' and ')}: ${missing.map((key) => (statement.type === 'train' ? TRAIN_KEYS : SERVE_KEYS)[key].describe).join('; ')}`);
  }
  const figures = requireFigures(ranks, statement.type === 'train' ? ['flops'] : ['flops', 'hbm_bandwidth'], statement, context);
  const resolved = statement.type === 'train' ? trainConfig(statement, values, transformer, ranks.length, context) : serveConfig(statement, values, ranks, context);
  if (!resolved || !figures) return undefined;
  return 'dp' in resolved
    ? { type: 'train', transformer, ranks, config: resolved, span: statement.span }
    : { type: 'serve', transformer, ranks, config: resolved, span: statement.span };
}

function trainConfig(statement: TransformerStatement, values: Map<string, { value: Read; span: Span }>, transformer: ResolvedTransformer, ranks: number, context: StatementContext): TrainConfig | undefined {
  const degrees = resolveDegrees(['tp', 'pp', 'dp'], values, { tp: 1, pp: 1, dp: '*' }, ranks, statement, context);
  if (!degrees) return undefined;
  const get = <T extends Read>(key: string, fallback: T): T => (values.get(key)?.value as T | undefined) ?? fallback;
  const at = (key: string) => values.get(key)?.span ?? statement.transformer.span;
  const { tp, pp, dp } = degrees;
  const config: TrainConfig = {
    tp,
    pp,
    dp,
    ep: get('ep', 1),
    seq: get('seq', 0),
    microBatch: get('micro_batch', 1),
    globalBatch: get('global_batch', 0),
    sequenceParallel: get('sequence_parallel', tp > 1),
    zero: Number(get('zero', '1')) as TrainConfig['zero'],
    recompute: get('recompute', 'none') as TrainConfig['recompute'],
    virtualStages: get('virtual_stages', 1),
    overlapDp: get('overlap_dp', true),
    order: get('order', 'tp_dp_pp') as TrainConfig['order'],
  };
  const shape = transformer.shape;
  const fail = (key: string, message: string, data?: DiagnosticData) => problem(context, 'parallelism', at(key), message, data);
  const divisors = (n: number) => Array.from({ length: n }, (_, i) => i + 1).filter((d) => n % d === 0);
  const near = (n: number, ok: (d: number) => boolean) => divisors(Math.max(1, n * 64)).filter(ok).sort((a, b) => Math.abs(a - n) - Math.abs(b - n))[0];
  if (shape.heads % tp !== 0) {
    const fit = near(tp, (d) => shape.heads % d === 0 && ranks % d === 0 && d <= shape.heads);
    return fail('tp', `tp ${tp} does not divide the ${shape.heads} attention heads of ${transformer.name}${fit ? `; tp ${fit} would` : ''}`, fit ? { degrees: { tp: fit } } : undefined);
  }
  const v = config.virtualStages;
  if (v > 1 && shape.layers % (pp * v) !== 0) {
    return fail('virtual_stages', `with virtual_stages ${v}, the ${shape.layers} layers must be a multiple of pp·v = ${pp * v}; ${divisors(shape.layers).filter((d) => d % pp === 0 && d > pp).map((d) => `virtual_stages ${d / pp}`)[0] ?? 'virtual_stages 1'} would divide them`);
  }
  if (pp > shape.layers) return fail('pp', `pp ${pp} is more stages than the ${shape.layers} layers of ${transformer.name}; use pp ${shape.layers} or fewer`);
  const perStep = dp * config.microBatch;
  if (config.globalBatch % perStep !== 0) {
    const fit = Math.max(perStep, Math.round(config.globalBatch / perStep) * perStep);
    return fail('global_batch', `global_batch ${config.globalBatch} is not a multiple of dp·micro_batch = ${dp} × ${config.microBatch} = ${perStep}; global_batch ${fit} would be`, { degrees: { global_batch: fit } });
  }
  if (config.ep > 1) {
    if (shape.experts === 0) return fail('ep', `ep ${config.ep} needs a mixture of experts, and ${transformer.name} is dense; drop \`ep\``);
    if (dp % config.ep !== 0) return fail('ep', `ep ${config.ep} does not divide dp ${dp}: expert parallelism is carved out of the data-parallel ranks`);
    if (shape.experts % config.ep !== 0) return fail('ep', `the ${shape.experts} experts of ${transformer.name} do not split evenly over ep ${config.ep}`);
  }
  return config;
}

function serveConfig(statement: TransformerStatement, values: Map<string, { value: Read; span: Span }>, ranks: Device[], context: StatementContext): ServeConfig | undefined {
  const degrees = resolveDegrees(['tp', 'pp', 'replicas'], values, { tp: 1, pp: 1, replicas: '*' }, ranks.length, statement, context);
  if (!degrees) return undefined;
  const get = <T extends Read>(key: string, fallback: T): T => (values.get(key)?.value as T | undefined) ?? fallback;
  const cache = get('kv_cache', 'hbm');
  let kvCache: ServeConfig['kvCache'] = 'hbm';
  if (cache !== 'hbm') {
    const span = values.get('kv_cache')!.span;
    const memory = context.scope.arrays.get(cache)?.devices[0];
    if (!memory || context.scope.arrays.get(cache)!.count !== undefined) {
      return problem(context, 'model-attribute', span, `\`kv_cache\` takes \`hbm\` or one memory device, and \`${cache}\` is ${memory ? 'an array; name one of its devices with a scalar memory' : 'not a device of this fabric'}`);
    }
    if (memory.array.kind !== 'memory') return problem(context, 'model-attribute', span, `\`kv_cache: ${cache}\` needs a memory device, and ${cache} is a ${memory.array.kind}`);
    const allocated = new Set(context.allocations.filter((a) => a.memory === memory).flatMap((a) => a.targets));
    const without = ranks.filter((rank) => !allocated.has(rank));
    if (without.length > 0) {
      return problem(context, 'memory-capacity', span, `the KV cache in ${cache} needs an allocation for every rank, and ${without[0].name}${without.length > 1 ? ` and ${without.length - 1} more have` : ' has'} none; add \`allocate SIZE of ${cache} to …\` for them`);
    }
    kvCache = memory;
  }
  return {
    tp: degrees.tp,
    pp: degrees.pp,
    replicas: degrees.replicas,
    batch: get('batch', 1),
    prompt: get('prompt', 0),
    output: get('output', 0),
    kvCache,
    algorithm: get('using', 'auto') as Algorithm,
  };
}
