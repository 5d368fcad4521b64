/**
 * The language core's entry: a file's text and the file access the caller provides in,
 * the resolved fabric and every static diagnostic out. Pure: no I/O of its own.
 */
import { FileReporter, type CountEvaluator } from './attributes.js';
import { Scope } from './scope.js';
import { parse, type ParseResult } from '../syntax/parse.js';
import type { Diagnostic } from '../syntax/source.js';
import { CATALOG_PATH, CATALOG_TEXT } from './catalog.js';
import { runStaticChecks } from './checks.js';
import { DiagnosticSink, sortDiagnostics } from './diagnostics.js';
import { clampLimits, DEFAULT_LIMITS, type Limits } from './limits.js';
import { modelSources, resolveModels } from './models.js';
import { loadProgram, type FileAccess, type FileText, type Program } from './program.js';
import { FabricResolver } from './resolve.js';
import { resolveTransformers, transformerSources } from './transformers.js';
import type { FabricModel } from './types.js';

export interface CheckOptions {
  limits?: Partial<Limits>;
}

export interface CheckResult {
  program: Program;
  /** The catalog's parse, for hover and go-to-definition into built-in models. */
  catalog: ParseResult;
  fabric?: FabricModel;
  diagnostics: Diagnostic[];
}

let catalogParse: ParseResult | undefined;

/** The catalog is parsed once per process, at first use. */
export function catalog(): ParseResult {
  catalogParse ??= parse(CATALOG_PATH, CATALOG_TEXT, { maxNestingDepth: DEFAULT_LIMITS.maxNestingDepth });
  return catalogParse;
}

/** Port counts in models outside the fabric's file see no constants. */
const constantFreeCount = (sink: DiagnosticSink, file: string): CountEvaluator => {
  const scope = new Scope(new FileReporter(sink, file));
  return (expression) => scope.evaluate(expression);
};

export function checkText(path: string, text: FileText, files: FileAccess, options: CheckOptions = {}): CheckResult {
  const limits = { ...DEFAULT_LIMITS, ...clampLimits(options.limits ?? {}).limits };
  const sink = new DiagnosticSink();
  const builtins = catalog();
  for (const problem of builtins.problems) sink.report({ file: CATALOG_PATH, span: problem.span, code: problem.code, message: problem.message });
  const program = loadProgram(path, text, files, limits, sink);
  const [fabricDecl, ...extra] = program.entry.tree.fabrics;
  for (const decl of extra) {
    sink.report({ file: path, span: decl.name.span, code: 'syntax', message: 'a file holds at most one fabric; move this one into a file of its own' });
  }
  const resolver = fabricDecl && new FabricResolver(fabricDecl, path, sink, limits);
  resolver?.declareNames();

  const sources = modelSources(builtins, program.files, fabricDecl);
  const models = resolveModels(sources, sink, (file) => (file === path && resolver ? resolver.evaluate : constantFreeCount(sink, file)));

  const transformers = resolveTransformers(transformerSources(builtins, program.files, fabricDecl), sink);
  const fabric = resolver?.resolve(models, transformers);
  if (fabric) runStaticChecks(fabric, sink);
  return { program, catalog: builtins, fabric, diagnostics: sortDiagnostics(sink.diagnostics()) };
}
