/**
 * Loads a file and everything it imports through the file access the entry point provides,
 * reporting `import-missing`, `import-cycle` and the file-size and import-depth limits.
 */
import type { FileNode } from '../syntax/ast.js';
import { parse, type ParseResult } from '../syntax/parse.js';
import type { DiagnosticSink } from './diagnostics.js';
import type { Limits } from './limits.js';
import { resolveRelative } from './paths.js';

export interface FileAccess {
  /** The file's text, or undefined when it cannot be read. */
  read(path: string): string | undefined;
}

export interface Program {
  entry: ParseResult;
  /** Every file read, the entry first, then imports in the order they were first reached. */
  files: ParseResult[];
}

/** Parses text, or reports that the file is over the size limit and gives an empty tree. */
export function parseWithinLimits(path: string, text: string, limits: Limits, sink: DiagnosticSink): ParseResult {
  if (text.length > limits.maxFileSize) {
    sink.report({
      file: path,
      span: { start: 0, end: 0 },
      code: 'limit',
      message: `the file has ${text.length.toLocaleString('en-US')} characters, over the limit of ${limits.maxFileSize.toLocaleString('en-US')}; split it with \`import\` or raise the file-size limit`,
    });
    return parse(path, '', limits);
  }
  const result = parse(path, text, { maxNestingDepth: limits.maxNestingDepth });
  for (const problem of result.problems) sink.report({ file: path, span: problem.span, code: problem.code, message: problem.message });
  return result;
}

export function loadProgram(entryPath: string, entryText: string, files: FileAccess, limits: Limits, sink: DiagnosticSink): Program {
  const loaded = new Map<string, ParseResult>();
  const order: ParseResult[] = [];
  const entry = parseWithinLimits(entryPath, entryText, limits, sink);
  loaded.set(entryPath, entry);
  order.push(entry);

  const visit = (result: ParseResult, chain: string[]) => {
    for (const declaration of result.tree.imports) {
      const target = resolveRelative(result.source.path, declaration.path);
      const report = (code: 'import-cycle' | 'import-missing' | 'limit', message: string) =>
        sink.report({ file: result.source.path, span: declaration.pathSpan, code, message });
      if (chain.includes(target)) {
        const cycle = [...chain.slice(chain.indexOf(target)), target].map(displayName).join(' → ');
        report('import-cycle', `import cycle: ${cycle}; move the shared models into a file that imports neither`);
        continue;
      }
      if (chain.length >= limits.maxImportDepth) {
        report('limit', `imports nest deeper than ${limits.maxImportDepth} files; flatten the chain or raise the import-depth limit`);
        continue;
      }
      let imported = loaded.get(target);
      if (!imported) {
        const text = files.read(target);
        if (text === undefined) {
          report('import-missing', `cannot read \`${declaration.path}\` (looked for ${target}); check the path, which is relative to this file`);
          continue;
        }
        imported = parseWithinLimits(target, text, limits, sink);
        loaded.set(target, imported);
        order.push(imported);
        rejectFabrics(imported.tree, target, sink);
        visit(imported, [...chain, target]);
      }
    }
  };
  visit(entry, [entryPath]);
  return { entry, files: order };
}

function rejectFabrics(tree: FileNode, path: string, sink: DiagnosticSink): void {
  for (const fabric of tree.fabrics) {
    sink.report({
      file: path,
      span: fabric.name.span,
      code: 'syntax',
      message: `an imported file may hold only \`model\` declarations and imports, but this one declares the fabric \`${fabric.name.text}\``,
    });
  }
}

function displayName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
