/**
 * The `fabric` command line (§10). The only layer besides the language server that touches the
 * file system and the process: it reads files and hands their text to the pure core.
 */
import { readFileSync, statSync } from 'node:fs';
import { checkText, catalog } from '../model/check.js';
import { DEFAULT_LIMITS, type Limits } from '../model/limits.js';
import type { FileAccess } from '../model/program.js';
import type { SourceFile } from '../syntax/source.js';
import { formatJson, formatSarif, formatText, summarize, type CheckedFile } from './format.js';

declare const FABRIC_VERSION: string;
const VERSION = typeof FABRIC_VERSION === 'string' ? FABRIC_VERSION : '0.0.0-dev';

const USAGE = `usage:
  fabric check FILE... [--format text|json|sarif] [--no-simulate] [--max-warnings N] [LIMITS]
  fabric --version
  fabric --help
limits (a fabric over one gets a \`limit\` error):
  --max-devices N (${DEFAULT_LIMITS.maxDevices})  --max-links N (${DEFAULT_LIMITS.maxLinks})
  --max-loop-iterations N (${DEFAULT_LIMITS.maxLoopIterations})  --max-nesting-depth N (${DEFAULT_LIMITS.maxNestingDepth})
  --max-import-depth N (${DEFAULT_LIMITS.maxImportDepth})  --max-file-size CHARACTERS (${DEFAULT_LIMITS.maxFileSize})`;

/** Each limit's command-line flag. */
const LIMIT_FLAGS: Record<string, keyof Limits> = {
  '--max-devices': 'maxDevices',
  '--max-links': 'maxLinks',
  '--max-loop-iterations': 'maxLoopIterations',
  '--max-nesting-depth': 'maxNestingDepth',
  '--max-import-depth': 'maxImportDepth',
  '--max-file-size': 'maxFileSize',
};

/** A user mistake: one line on stderr and exit code 2, never a stack trace. */
class UsageError extends Error {}

interface CheckArguments {
  files: string[];
  format: 'text' | 'json' | 'sarif';
  maxWarnings?: number;
  limits: Partial<Limits>;
}

function wholeNumber(flag: string, text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n)) throw new UsageError(`${flag} needs a whole number, not \`${text}\``);
  return n;
}

function parseCheckArguments(args: string[]): CheckArguments {
  const parsed: CheckArguments = { files: [], format: 'text', limits: {} };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const next = inline ?? args[++i];
      if (next === undefined) throw new UsageError(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case '--format': {
        const format = value();
        if (format !== 'text' && format !== 'json' && format !== 'sarif') throw new UsageError(`unknown format \`${format}\`; use text, json or sarif`);
        parsed.format = format;
        break;
      }
      case '--no-simulate':
        break;
      case '--max-warnings':
        parsed.maxWarnings = wholeNumber(flag, value());
        break;
      default:
        if (flag in LIMIT_FLAGS) {
          parsed.limits[LIMIT_FLAGS[flag]] = wholeNumber(flag, value());
          break;
        }
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option \`${arg}\`; run \`fabric --help\``);
        parsed.files.push(arg);
    }
  }
  if (parsed.files.length === 0) throw new UsageError('fabric check needs at least one FILE');
  return parsed;
}

/** Paths use `/` inside the core, whatever the platform. */
const toCorePath = (path: string) => path.replace(/\\/g, '/');

function readUserFile(path: string): string {
  let isDirectory = false;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${describeFsError(error)}`);
  }
  if (isDirectory) throw new UsageError(`${path} is a directory; pass .fabric files, e.g. ${path.replace(/\/$/, '')}/*.fabric`);
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${describeFsError(error)}`);
  }
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  return (error as Error).message;
}

const diskAccess: FileAccess = {
  read(path) {
    try {
      return statSync(path).isFile() ? readFileSync(path, 'utf8') : undefined;
    } catch {
      return undefined;
    }
  },
};

function runCheck(args: string[]): number {
  const options = parseCheckArguments(args);
  const texts = options.files.map((file) => ({ path: toCorePath(file), text: readUserFile(file) }));
  const sources = new Map<string, SourceFile>();
  const builtins = catalog();
  sources.set(builtins.source.path, builtins.source);
  const checked: CheckedFile[] = texts.map(({ path, text }) => {
    const result = checkText(path, text, diskAccess, { limits: options.limits });
    for (const file of result.program.files) sources.set(file.source.path, file.source);
    return { path, diagnostics: result.diagnostics };
  });
  const lookup = (path: string) => sources.get(path);
  if (options.format === 'json') process.stdout.write(formatJson(checked, lookup) + '\n');
  else if (options.format === 'sarif') process.stdout.write(formatSarif(checked, lookup, VERSION) + '\n');
  else {
    const text = formatText(checked, lookup);
    process.stdout.write((text ? text + '\n' : '') + summarize(checked) + '\n');
  }
  const all = checked.flatMap((file) => file.diagnostics);
  const errors = all.filter((d) => d.severity === 'error').length;
  const warnings = all.filter((d) => d.severity === 'warning').length;
  return errors > 0 || (options.maxWarnings !== undefined && warnings > options.maxWarnings) ? 1 : 0;
}

export function main(argv: string[]): number {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case '--version':
      case '-V':
        process.stdout.write(`${VERSION}\n`);
        return 0;
      case '--help':
      case '-h':
      case 'help':
        process.stdout.write(`${USAGE}\n`);
        return 0;
      case 'check':
        return runCheck(rest);
      case undefined:
        throw new UsageError(`missing command\n${USAGE}`);
      default:
        throw new UsageError(`unknown command \`${command}\`\n${USAGE}`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`fabric: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

process.exitCode = main(process.argv.slice(2));
