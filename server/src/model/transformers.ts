/**
 * Transformers (FABRIC-LANGUAGE-2.md §13.1): every `transformer` of the catalog, the program's
 * files and the fabric, read into a shape with the defaults applied. Problems of the shape itself
 * (a missing dimension, heads that do not divide the hidden size) are `transformer` errors.
 */
import type { Attribute, FabricDecl, TransformerDecl } from '../syntax/ast.js';
import type { ParseResult } from '../syntax/parse.js';
import type { Span } from '../syntax/source.js';
import { FileReporter } from './attributes.js';
import { CATALOG_PATH } from './catalog.js';
import { declarationSources, type DeclarationSource } from './models.js';
import type { DiagnosticSink } from './diagnostics.js';
import type { ResolvedTransformer, TransformerShape } from './types.js';

export type TransformerSource = DeclarationSource<TransformerDecl>;

/** Resolution order as for models: the catalog, the imports from the last back to the entry, the fabric. */
export function transformerSources(catalog: ParseResult, files: ParseResult[], fabric: FabricDecl | undefined): TransformerSource[] {
  return declarationSources('transformer', catalog, files, fabric);
}

type ShapeKey = 'layers' | 'hidden' | 'heads' | 'kv_heads' | 'ffn' | 'gated' | 'vocab' | 'experts' | 'top_k' | 'expert_ffn' | 'moe_every' | 'shared_experts';

/** Each key, what it is, and whether it may be zero (counts of experts may, sizes may not). */
const SHAPE_KEYS: Record<ShapeKey, { describe: string; zero?: boolean; boolean?: boolean }> = {
  layers: { describe: 'the number of transformer layers' },
  hidden: { describe: 'the hidden size h' },
  heads: { describe: 'the attention heads a (head size h / a)' },
  kv_heads: { describe: 'the key-value heads (grouped-query attention); default: heads' },
  ffn: { describe: 'the MLP inner size; default 4 × hidden' },
  gated: { describe: 'a SwiGLU-style MLP with three matrices; default true', boolean: true },
  vocab: { describe: 'the vocabulary size' },
  experts: { describe: 'routed experts per MoE layer; default 0 (dense)', zero: true },
  top_k: { describe: 'experts per token; default 2' },
  expert_ffn: { describe: 'an expert MLP\'s inner size; default ffn' },
  moe_every: { describe: 'every n-th layer is an MoE layer; default 1' },
  shared_experts: { describe: 'experts every token uses besides its top_k; default 0', zero: true },
};

export const TRANSFORMER_KEYS: readonly string[] = Object.keys(SHAPE_KEYS);

export function describeTransformerKey(key: string): string | undefined {
  return (SHAPE_KEYS as Record<string, { describe: string }>)[key]?.describe;
}

const REQUIRED: readonly ShapeKey[] = ['layers', 'hidden', 'heads', 'vocab'];

function readShape(decl: TransformerDecl, reporter: FileReporter): TransformerShape | undefined {
  const values = new Map<ShapeKey, number | boolean>();
  const report = (span: Span, message: string) => reporter.sink.report({ file: reporter.file, span, code: 'transformer', message });
  for (const attribute of decl.attributes) {
    const key = attribute.key.text as ShapeKey;
    const entry = SHAPE_KEYS[key];
    if (!entry) {
      reporter.unknownName(attribute.key.span, 'transformer attribute', attribute.key.text, TRANSFORMER_KEYS, `; a transformer takes ${TRANSFORMER_KEYS.join(', ')}`);
      continue;
    }
    if (values.has(key)) reporter.sink.report({ file: reporter.file, span: attribute.key.span, code: 'duplicate-name', message: `\`${key}\` is set twice; the last value counts` });
    const value = readShapeValue(attribute, entry, reporter);
    if (value !== undefined) values.set(key, value);
  }
  const missing = REQUIRED.filter((key) => !values.has(key));
  if (missing.length > 0) {
    report(decl.name.span, `the transformer \`${decl.name.text}\` needs ${missing.map((key) => `\`${key}\``).join(', ')}: ${missing.map((key) => SHAPE_KEYS[key].describe).join('; ')}`);
    return undefined;
  }
  const number = (key: ShapeKey, fallback: number) => (values.get(key) as number | undefined) ?? fallback;
  const hidden = number('hidden', 0);
  const heads = number('heads', 0);
  const ffn = number('ffn', 4 * hidden);
  const shape: TransformerShape = {
    layers: number('layers', 0),
    hidden,
    heads,
    kvHeads: number('kv_heads', heads),
    ffn,
    gated: (values.get('gated') as boolean | undefined) ?? true,
    vocab: number('vocab', 0),
    experts: number('experts', 0),
    topK: number('top_k', 2),
    expertFfn: number('expert_ffn', ffn),
    moeEvery: number('moe_every', 1),
    sharedExperts: number('shared_experts', 0),
  };
  const at = (key: ShapeKey) => decl.attributes.find((a) => a.key.text === key)?.span ?? decl.name.span;
  let valid = true;
  if (shape.hidden % shape.heads !== 0) {
    report(at('heads'), `hidden ${shape.hidden} is not a multiple of heads ${shape.heads}: the head size h / a must be whole`);
    valid = false;
  }
  if (shape.heads % shape.kvHeads !== 0) {
    report(at('kv_heads'), `heads ${shape.heads} is not a multiple of kv_heads ${shape.kvHeads}: each key-value head serves a whole number of query heads`);
    valid = false;
  }
  if (shape.experts > 0 && shape.topK > shape.experts) {
    report(at('top_k'), `top_k ${shape.topK} is larger than experts ${shape.experts}: a token cannot use more experts than a layer has`);
    valid = false;
  }
  if (shape.experts === 0 && (values.has('top_k') || values.has('expert_ffn') || values.has('shared_experts'))) {
    report(at(values.has('top_k') ? 'top_k' : values.has('expert_ffn') ? 'expert_ffn' : 'shared_experts'), 'expert attributes need `experts` (the routed experts per MoE layer); without it the transformer is dense');
    valid = false;
  }
  return valid ? shape : undefined;
}

function readShapeValue(attribute: Attribute, entry: { zero?: boolean; boolean?: boolean }, reporter: FileReporter): number | boolean | undefined {
  const value = attribute.value;
  if (!value) return undefined;
  const key = attribute.key.text;
  if (entry.boolean) {
    if (value.type === 'word' && (value.word.text === 'true' || value.word.text === 'false')) return value.word.text === 'true';
    reporter.sink.report({ file: reporter.file, span: value.span, code: 'transformer', message: `\`${key}\` takes \`true\` or \`false\`` });
    return undefined;
  }
  const least = entry.zero ? 0 : 1;
  if (value.type !== 'quantity' || value.quantity.unit || !Number.isSafeInteger(value.quantity.value) || value.quantity.value < least) {
    reporter.sink.report({ file: reporter.file, span: value.span, code: 'transformer', message: `\`${key}\` takes a whole number of at least ${least} without a unit, such as \`${key === 'layers' ? 80 : 8192}\`` });
    return undefined;
  }
  return value.quantity.value;
}

export interface Transformers {
  /** The transformers whose shape is valid, by name. */
  valid: Map<string, ResolvedTransformer>;
  /** Every declared name, valid or not: a statement naming an invalid one adds no error of its own. */
  declared: Set<string>;
}

/** Every transformer by name; a later one of a taken name is a `duplicate-name`. */
export function resolveTransformers(sources: TransformerSource[], sink: DiagnosticSink): Transformers {
  const resolved = new Map<string, ResolvedTransformer>();
  const first = new Map<string, TransformerSource>();
  for (const source of sources) {
    const name = source.decl.name.text;
    const previous = first.get(name);
    if (previous) {
      const builtin = previous.file === CATALOG_PATH;
      sink.report({
        file: source.file,
        span: source.decl.name.span,
        code: 'duplicate-name',
        message: builtin ? `\`${name}\` is a built-in transformer; give yours another name` : `the transformer \`${name}\` is already declared; rename one of them`,
        related: builtin ? [] : [{ file: previous.file, span: previous.decl.name.span, message: `\`${name}\` is first declared here` }],
      });
      continue;
    }
    first.set(name, source);
    const shape = readShape(source.decl, new FileReporter(sink, source.file));
    if (shape) resolved.set(name, { name, shape, doc: source.decl.doc, builtin: source.file === CATALOG_PATH, decl: source.decl, file: source.file });
  }
  return { valid: resolved, declared: new Set(first.keys()) };
}
