/**
 * The built-in catalog as a real file, so that the client can open it (go to the definition of
 * `scorpio_x`): written once, read-only, under the system's temporary directory in a folder named
 * after the version and the catalog's text, so that every server of one build shares it and a
 * changed catalog never meets an old copy. Features map the core's `builtin:/catalog.fabric`
 * path to that file's URI through `uriOfPath`.
 */
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CATALOG_PATH, CATALOG_TEXT } from '../model/catalog.js';
import { pathToUri, uriToPath } from './convert.js';

declare const FABRIC_VERSION: string;

const version = typeof FABRIC_VERSION === 'string' ? FABRIC_VERSION : '0.0.0-dev';
const digest = createHash('sha256').update(CATALOG_TEXT).digest('hex').slice(0, 12);

/** Where the catalog file lives (forward slashes, as the core's paths). */
export const CATALOG_FILE = join(tmpdir(), `fabric-catalog-${version}-${digest}`, 'catalog.fabric').replace(/\\/g, '/');

let catalogFileUri: string | undefined;

function current(): boolean {
  try {
    return readFileSync(CATALOG_FILE, 'utf8') === CATALOG_TEXT;
  } catch {
    return false;
  }
}

/**
 * The catalog file's URI, writing the file at first use. When it cannot be written (a read-only
 * temporary directory), the `builtin:` URI is all there is: locations still name the catalog.
 */
export function catalogUri(): string {
  if (catalogFileUri) return catalogFileUri;
  try {
    if (!current()) {
      mkdirSync(join(CATALOG_FILE, '..'), { recursive: true });
      // Written aside and renamed, so a server starting at the same time never reads half a file.
      const aside = `${CATALOG_FILE}.${process.pid}.tmp`;
      writeFileSync(aside, CATALOG_TEXT);
      chmodSync(aside, 0o444);
      renameSync(aside, CATALOG_FILE);
    }
    catalogFileUri = pathToUri(CATALOG_FILE);
  } catch {
    return CATALOG_PATH;
  }
  return catalogFileUri;
}

/** The URI of a core path: the catalog's file for the catalog, a file URI otherwise. */
export function uriOfPath(path: string): string {
  return path === CATALOG_PATH ? catalogUri() : pathToUri(path);
}

/** Whether a document is the catalog file (it is read as the catalog, not as a user's file). */
export function isCatalogUri(uri: string): boolean {
  return uriToPath(uri) === CATALOG_FILE;
}
