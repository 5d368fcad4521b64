/**
 * Models (§4): the catalog and every model of the program, with inheritance resolved.
 * `model NAME : X` starts from X, a kind (its default model) or another model.
 */
import type { DeviceKind, FabricDecl, Item, ModelDecl } from '../syntax/ast.js';
import type { ParseResult } from '../syntax/parse.js';
import { FileReporter, readDeviceAttributes, type CountEvaluator } from './attributes.js';
import { CATALOG_PATH, DEFAULT_MODEL } from './catalog.js';
import type { DiagnosticSink } from './diagnostics.js';
import type { DeviceSpec, ResolvedModel } from './types.js';

const KINDS: readonly string[] = ['gpu', 'cpu', 'switch', 'memory'];

export function isKind(word: string): word is DeviceKind {
  return KINDS.includes(word);
}

/** A declaration of a file-level kind (a model, a transformer) and the file it stands in. */
export interface DeclarationSource<D> {
  file: string;
  decl: D;
}

export type ModelSource = DeclarationSource<ModelDecl>;

/**
 * Every declaration of a kind in resolution order: the catalog, then the program's files from the
 * last import reached back to the entry, then the fabric's body. The first of a name wins, so the
 * checker and the name index (references.ts) must agree on this order.
 */
export function declarationSources<K extends 'model' | 'transformer'>(kind: K, catalog: ParseResult, files: ParseResult[], fabric: FabricDecl | undefined): DeclarationSource<Extract<Item, { type: K }>>[] {
  type D = Extract<Item, { type: K }>;
  const ofTree = (parse: ParseResult) => (kind === 'model' ? parse.tree.models : parse.tree.transformers) as D[];
  const sources: DeclarationSource<D>[] = ofTree(catalog).map((decl) => ({ file: CATALOG_PATH, decl }));
  for (const file of [...files].reverse()) {
    for (const decl of ofTree(file)) sources.push({ file: file.source.path, decl });
  }
  const entry = files[0]?.source.path;
  for (const item of fabric?.items ?? []) {
    if (item.type === kind && entry !== undefined) sources.push({ file: entry, decl: item as D });
  }
  return sources;
}

export function modelSources(catalog: ParseResult, files: ParseResult[], fabric: FabricDecl | undefined): ModelSource[] {
  return declarationSources('model', catalog, files, fabric);
}

/**
 * Resolves every model. Built-ins come first; a later model with a taken name is a
 * `duplicate-name` on the later declaration. Port counts in models are plain numbers or use
 * the constants the caller can evaluate.
 */
export function resolveModels(sources: ModelSource[], sink: DiagnosticSink, evaluateCount: (file: string) => CountEvaluator): Map<string, ResolvedModel> {
  const declared = new Map<string, ModelSource>();
  for (const source of sources) {
    const name = source.decl.name.text;
    const previous = declared.get(name);
    if (previous) {
      const builtin = previous.file === CATALOG_PATH;
      sink.report({
        file: source.file,
        span: source.decl.name.span,
        code: 'duplicate-name',
        message: builtin
          ? `\`${name}\` is a built-in model; give your model another name (it may start from \`${name}\`)`
          : `the model \`${name}\` is already declared; rename one of them`,
        related: builtin ? [] : [{ file: previous.file, span: previous.decl.name.span, message: `\`${name}\` is first declared here` }],
      });
      continue;
    }
    declared.set(name, source);
  }

  const resolved = new Map<string, ResolvedModel>();
  const resolving = new Set<string>();

  const resolveOne = (name: string): ResolvedModel | undefined => {
    const done = resolved.get(name);
    if (done) return done;
    const source = declared.get(name);
    if (!source) return undefined;
    const { decl, file } = source;
    const reporter = new FileReporter(sink, file);
    if (resolving.has(name)) {
      sink.report({ file, span: decl.base.span, code: 'model-kind', message: `the model \`${name}\` inherits from itself; start it from a kind or another model` });
      return undefined;
    }
    resolving.add(name);
    const builtin = file === CATALOG_PATH;
    const baseWord = decl.base.text;
    let kind: DeviceKind | undefined;
    let inherited: DeviceSpec = {};
    let base: string | undefined;
    if (isKind(baseWord) && builtin) {
      kind = baseWord;
    } else {
      base = isKind(baseWord) ? DEFAULT_MODEL[baseWord] : baseWord;
      const parent = resolveOne(base);
      if (parent) {
        kind = parent.kind;
        inherited = parent.spec;
      } else if (!declared.has(base)) {
        reporter.unknownName(decl.base.span, 'model or kind', baseWord, [...KINDS, ...declared.keys()]);
      }
    }
    resolving.delete(name);
    if (!kind) return undefined;
    const own = readDeviceAttributes(decl.attributes, kind, name, reporter, evaluateCount(file));
    const model: ResolvedModel = { name, kind, base, spec: { ...inherited, ...own }, doc: decl.doc, builtin, decl, file };
    resolved.set(name, model);
    return model;
  };

  for (const name of declared.keys()) resolveOne(name);
  return resolved;
}
