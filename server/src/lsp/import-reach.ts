/**
 * `import-outside-workspace`: a warning on an import that leaves the workspace folders. Only the
 * editor has folders, so only it warns; the core reads any `.fabric` file an import names.
 */
import { realpathSync } from 'node:fs';
import { DiagnosticSeverity, type Diagnostic as LspDiagnostic } from 'vscode-languageserver';
import { resolveRelative } from '../model/paths.js';
import type { Program } from '../model/program.js';
import { toRange } from './convert.js';

export const IMPORT_OUTSIDE_WORKSPACE = 'import-outside-workspace';

/** Folders compare without case where the file system ignores it. */
const comparable = (path: string) => (process.platform === 'win32' || process.platform === 'darwin' ? path.toLowerCase() : path);

const slashed = (path: string) => path.replace(/\\/g, '/');

/** The path with symbolic links resolved, or undefined when it does not exist. */
function realPath(path: string): string | undefined {
  try {
    return slashed(realpathSync.native(path));
  } catch {
    return undefined;
  }
}

function under(path: string, folder: string): boolean {
  const [inner, outer] = [comparable(path), comparable(folder).replace(/\/$/, '')];
  return inner === outer || inner.startsWith(`${outer}/`);
}

class Folders {
  private readonly real: string[];

  constructor(private readonly roots: string[]) {
    this.real = roots.map((root) => realPath(root) ?? root);
  }

  /** Inside by its path, and, through a symbolic link, by where that leads. */
  contain(path: string): boolean {
    if (!this.roots.some((root) => under(path, root))) return false;
    const real = realPath(path);
    return real === undefined || this.real.some((root) => under(real, root));
  }
}

/**
 * The warnings, by the path of the importing file, on imports read from inside the roots to
 * outside them. An import that was not read has its own error and no warning.
 */
export function importsLeavingWorkspace(program: Program, roots: string[]): Map<string, LspDiagnostic[]> {
  const warnings = new Map<string, LspDiagnostic[]>();
  // A file opened on its own, without a folder, has no workspace to leave.
  if (roots.length === 0) return warnings;
  const folders = new Folders(roots);
  const read = new Set(program.files.map((file) => file.source.path));
  for (const file of program.files) {
    const path = file.source.path;
    if (!folders.contain(path)) continue;
    for (const declaration of file.tree.imports) {
      const target = resolveRelative(path, declaration.path);
      if (!read.has(target) || folders.contain(target)) continue;
      const real = realPath(target);
      const list = warnings.get(path) ?? [];
      list.push({
        range: toRange(file.source, declaration.pathSpan),
        severity: DiagnosticSeverity.Warning,
        code: IMPORT_OUTSIDE_WORKSPACE,
        source: 'fabric',
        message: `this import reads ${real !== undefined && real !== target ? `${target}, which leads to ${real}` : target}, outside the workspace folders; move the file into the workspace, or add its folder to the workspace`,
      });
      warnings.set(path, list);
    }
  }
  return warnings;
}
