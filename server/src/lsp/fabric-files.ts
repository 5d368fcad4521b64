/** The `.fabric` files under the workspace folders, for features that look beyond open documents. */
import { readdirSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';

/**
 * How much of the disk one search may read: directory entries looked at, and `.fabric` files
 * found. Beyond it a search would stall the editor on a huge tree.
 */
export const SCAN_BUDGET = { entries: 20_000, files: 2_000 };

/**
 * Paths (forward slashes) under the roots, depth first, within the budget, skipping dot-folders
 * and node_modules; symbolic links are not followed.
 */
export function fabricFilesUnder(roots: string[], budget = SCAN_BUDGET): string[] {
  const found: string[] = [];
  let entries = 0;
  const visit = (dir: string) => {
    let list;
    try {
      list = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of list) {
      if (++entries > budget.entries || found.length >= budget.files) return;
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const path = join(dir, entry.name).replace(/\\/g, '/');
      if (entry.isDirectory()) visit(path);
      else if (entry.isFile() && entry.name.endsWith('.fabric')) found.push(path);
    }
  };
  // Paths of documents that are not files (`untitled:`) are not folders to search.
  for (const root of roots) if (isAbsolute(root)) visit(root);
  return found;
}
