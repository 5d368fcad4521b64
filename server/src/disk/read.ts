/**
 * Reading a user's file from disk, guarded, for the command line and the language server alike:
 * only a regular file is read, never one whose size alone puts it over the file-size limit, and
 * nothing here waits on a pipe or a device, so a read ends and its memory is bounded.
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { maxBytesFor, type FileText, type Oversized, type Unreadable } from '../model/program.js';

/** Non-blocking, so that a FIFO put in the file's place after it was checked cannot stall the open; Windows has neither. */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** The file's text; or, unread, why: it cannot be opened, is not a regular file, or is too large by its size. */
export function readRegularFile(path: string, maxCharacters: number): FileText | Unreadable {
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch (error) {
    return { unreadable: 'missing', cause: describeFsError(error) };
  }
  // Looked at before opening: opening a device or a FIFO can block or have effects of its own.
  const refusal = refuse(stats, maxCharacters);
  if (refusal) return refusal;
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (error) {
    return { unreadable: 'missing', cause: describeFsError(error) };
  }
  try {
    // The path may have changed hands since it was looked at: what counts is the file opened.
    const opened = fstatSync(fd);
    return refuse(opened, maxCharacters) ?? readOpened(fd, opened.size);
  } catch (error) {
    return { unreadable: 'missing', cause: describeFsError(error) };
  } finally {
    closeSync(fd);
  }
}

function refuse(stats: Stats, maxCharacters: number): Unreadable | Oversized | undefined {
  if (!stats.isFile()) return { unreadable: 'not-a-file', kind: kindOf(stats) };
  if (stats.size > maxBytesFor(maxCharacters)) return { oversizedBytes: stats.size };
  return undefined;
}

/** The bytes the file had when it was opened, however it grows meanwhile. */
function readOpened(fd: number, size: number): string {
  const buffer = Buffer.allocUnsafe(size);
  let length = 0;
  while (length < size) {
    const read = readSync(fd, buffer, length, size - length, length);
    if (read === 0) break;
    length += read;
  }
  return buffer.toString('utf8', 0, length);
}

/** What a file that is not a regular one is, as the object of "is". */
export function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  return 'a special file';
}

/** A file-system error as the end of a sentence: "cannot read x: no such file". */
export function describeFsError(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    case 'ENOTDIR':
      return 'a part of the path is a file, not a directory';
    case 'ENOSPC':
      return 'no space is left on the device';
    case 'EFBIG':
      return 'the file would be larger than the system allows';
    case 'EROFS':
      return 'the file system is read-only';
    default:
      return (error as Error).message;
  }
}
