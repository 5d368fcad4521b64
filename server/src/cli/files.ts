/**
 * The files the command reads and writes. Inputs go through the disk guard (a regular file, within
 * the size limit, a read that ends); the report is written to a temporary file renamed into
 * place, and never over a file the command reads or over any `.fabric` file.
 */
import { closeSync, openSync, realpathSync, renameSync, rmSync, statSync, writeSync, type Stats } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { describeFsError, kindOf, readRegularFile } from '../disk/read.js';
import { DEFAULT_LIMITS, type Limits } from '../model/limits.js';
import type { FileAccess, FileText } from '../model/program.js';
import { UsageError } from './usage-error.js';

/** Imports, read as the core asks for them. */
export const diskAccess: FileAccess = { read: readRegularFile };

/** A file named on the command line: its text, or its size when that alone is over the limit (the core reports it). */
export function readInput(path: string, limits: Partial<Limits>): FileText {
  const read = readRegularFile(path, limits.maxFileSize ?? DEFAULT_LIMITS.maxFileSize);
  if (typeof read === 'string' || !('unreadable' in read)) return read;
  if (read.unreadable === 'missing') throw new UsageError(`cannot read ${path}: ${read.cause}`);
  if (read.kind === 'a directory') throw new UsageError(`${path} is a directory; pass .fabric files, e.g. ${path.replace(/\/$/, '')}/*.fabric`);
  throw new UsageError(`${path} is ${read.kind}, not a regular file; pass a .fabric file`);
}

const isFabricPath = (path: string) => /\.fabric$/i.test(path);

/** An output named like a source file is refused before any work, whatever it would hold. */
export function refuseFabricOutput(out: string): void {
  if (isFabricPath(out)) throw new UsageError(`--out ${out} names a .fabric file, which a report never overwrites; end --out in .html, .svg or .json`);
}

/** The path with symbolic links resolved; the path itself if that fails (the write then says why). */
function realPathOf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function statOf(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/**
 * Writes `text` to `out` all at once: an interrupted run leaves the old file or the new one.
 * `reads` are the files the command read (its inputs and their imports): `out` may be none of them.
 */
export function writeOutput(out: string, text: string, reads: string[]): void {
  refuseFabricOutput(out);
  const existing = statOf(out);
  // Through a symbolic link, the file replaced is the one it points to, as a plain write would.
  const target = existing ? realPathOf(out) : out;
  if (isFabricPath(target)) throw new UsageError(`--out ${out} leads to ${target}, a .fabric file, which a report never overwrites; choose another path`);
  if (existing?.isDirectory()) throw new UsageError(`cannot write ${out}: it is a directory`);
  if (existing && !existing.isFile()) throw new UsageError(`cannot write ${out}: it is ${kindOf(existing)}, not a regular file; leave out --out to write the report to standard output`);
  if (existing) {
    const same = reads.find((path) => {
      const read = statOf(path);
      return read !== undefined && read.dev === existing.dev && read.ino === existing.ino;
    });
    if (same === out) throw new UsageError(`--out ${out} is a file this report reads; write the report to another path`);
    if (same !== undefined) throw new UsageError(`--out ${out} is the same file as ${same}, which this report reads; write the report to another path`);
  }
  try {
    replaceAtomically(target, text, existing);
  } catch (error) {
    throw new UsageError(`cannot write ${out}: ${describeFsError(error)}`);
  }
}

/** Writes a temporary file beside the target and renames it over the target; on failure, removes it. */
function replaceAtomically(target: string, text: string, existing: Stats | undefined): void {
  const temporary = join(dirname(target), `.${basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  let created = false;
  try {
    // `wx` never follows or reuses what is already at the temporary name.
    const fd = openSync(temporary, 'wx', existing ? existing.mode & 0o777 : 0o666);
    created = true;
    try {
      const bytes = Buffer.from(text, 'utf8');
      for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written, bytes.length - written);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, target);
  } catch (error) {
    if (created) rmSync(temporary, { force: true });
    throw error;
  }
}
