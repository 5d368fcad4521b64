/**
 * Loads a file and everything it imports through the file access the entry point provides,
 * reporting `import-missing`, `import-kind`, `import-cycle` and the file-size and import-depth
 * limits.
 */
import type { FileNode } from '../syntax/ast.js';
import { parse, type ParseResult } from '../syntax/parse.js';
import type { DiagnosticSink } from './diagnostics.js';
import type { Limits } from './limits.js';
import { resolveRelative } from './paths.js';

/** A file left unread: it cannot be opened (`cause` says why, e.g. "no such file"), or it is not a regular file (`kind` says what it is, e.g. "a directory"). */
export type Unreadable = { unreadable: 'missing'; cause: string } | { unreadable: 'not-a-file'; kind: string };

/** A file left unread because its size alone puts it over the file-size limit. */
export interface Oversized {
  oversizedBytes: number;
}

/** What an entry point has of a file: its text, or the size that kept it from reading it. */
export type FileText = string | Oversized;

/**
 * Each UTF-8 byte sequence decodes to at most one UTF-16 unit per byte and at least one per three
 * bytes, so a file of more than this many bytes is over a limit of `maxCharacters` for certain.
 */
export const maxBytesFor = (maxCharacters: number) => 3 * maxCharacters;

export interface FileAccess {
  /**
   * The file's text, or why it was not read (undefined: there is no such file). `maxCharacters` is
   * the file-size limit: a file of more than `maxBytesFor(maxCharacters)` bytes is left unread.
   */
  read(path: string, maxCharacters: number): FileText | Unreadable | undefined;
}

/** The only files an import may name: anything else is `import-kind`, unread. */
const FABRIC_EXTENSION = '.fabric';

export interface Program {
  entry: ParseResult;
  /** Every file read, the entry first, then imports in the order they were first reached. */
  files: ParseResult[];
}

const count = (n: number) => n.toLocaleString('en-US');

/** Parses text, or reports that the file is over the size limit and gives an empty tree. */
export function parseWithinLimits(path: string, text: FileText, limits: Limits, sink: DiagnosticSink): ParseResult {
  if (typeof text !== 'string' || text.length > limits.maxFileSize) {
    const size =
      typeof text === 'string' ? `the file has ${count(text.length)} characters` : `the file's ${count(text.oversizedBytes)} bytes hold more than ${count(limits.maxFileSize)} characters`;
    sink.report({
      file: path,
      span: { start: 0, end: 0 },
      code: 'limit',
      message: `${size}, over the limit of ${count(limits.maxFileSize)}; split it with \`import\` or raise the file-size limit`,
    });
    return parse(path, '', limits);
  }
  const result = parse(path, text, { maxNestingDepth: limits.maxNestingDepth });
  for (const problem of result.problems) sink.report({ file: path, span: problem.span, code: problem.code, message: problem.message });
  return result;
}

export function loadProgram(entryPath: string, entryText: FileText, files: FileAccess, limits: Limits, sink: DiagnosticSink): Program {
  const loaded = new Map<string, ParseResult>();
  const order: ParseResult[] = [];
  const entry = parseWithinLimits(entryPath, entryText, limits, sink);
  loaded.set(entryPath, entry);
  order.push(entry);

  const visit = (result: ParseResult, chain: string[]) => {
    for (const declaration of result.tree.imports) {
      const target = resolveRelative(result.source.path, declaration.path);
      const report = (code: 'import-cycle' | 'import-kind' | 'import-missing' | 'limit', message: string) =>
        sink.report({ file: result.source.path, span: declaration.pathSpan, code, message });
      // Refused by its name alone, the file is never read, so no diagnostic can quote it.
      if (!declaration.path.endsWith(FABRIC_EXTENSION)) {
        report('import-kind', `\`${declaration.path}\` is not a .fabric file, so it was not read; import only .fabric files of models`);
        continue;
      }
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
        const text = files.read(target, limits.maxFileSize);
        if (text === undefined || (typeof text !== 'string' && 'unreadable' in text)) {
          if (text === undefined || text.unreadable === 'missing') report('import-missing', `cannot read \`${declaration.path}\` (looked for ${target}); check the path, which is relative to this file`);
          else report('import-kind', `\`${declaration.path}\`${target === declaration.path ? '' : ` (${target})`} is ${text.kind}, not a regular file, so it was not read; import a .fabric file of models`);
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
