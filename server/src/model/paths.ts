/** Slash-separated path arithmetic, so the core needs no Node module and runs in a browser. */

export function directoryOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '.' : slash === 0 ? '/' : path.slice(0, slash);
}

/** Resolves `relative` against the directory of `from`, folding `.` and `..`. */
export function resolveRelative(from: string, relative: string): string {
  const joined = relative.startsWith('/') || /^[A-Za-z]:\//.test(relative) ? relative : `${directoryOf(from)}/${relative}`;
  const absolute = joined.startsWith('/');
  const parts: string[] = [];
  for (const part of joined.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
    else if (part !== '..' || !absolute) parts.push(part);
  }
  return (absolute ? '/' : '') + parts.join('/');
}
