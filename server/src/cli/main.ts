/**
 * The `fabric` command line (§10). The only layer besides the language server that touches the
 * file system and the process: it reads files and hands their text to the pure core.
 */
import { catalog, checkText } from '../model/check.js';
import { capDiagnostics, DEFAULT_MAX_DIAGNOSTICS_PER_FILE } from '../model/diagnostic-cap.js';
import { clampLimits, DEFAULT_LIMITS, SAFE_MAXIMUM_LIMITS, type Limits } from '../model/limits.js';
import { sourceLookup, toLatencyReport, toReport } from '../sim/json.js';
import { Network } from '../sim/network.js';
import { simulateSource } from '../sim/simulate.js';
import type { Diagnostic, SourceFile } from '../syntax/source.js';
import { diskAccess, readInput, refuseFabricOutput, writeOutput } from './files.js';
import { formatJson, formatSarif, formatText, summarize, totals, type CheckedFile } from './format.js';
import { formatLatency, formatSimulation } from '../report/text.js';
import { buildReportData } from '../report/data.js';
import { renderReportPage, type ReportTheme } from '../report/html.js';
import { layoutTopology } from '../report/layout.js';
import { renderTopologyDocument } from '../report/svg.js';
import { UsageError } from './usage-error.js';

declare const FABRIC_VERSION: string;
const VERSION = typeof FABRIC_VERSION === 'string' ? FABRIC_VERSION : '0.0.0-dev';

const USAGE = `usage:
  fabric check FILE...          [--format text|json|sarif] [--no-simulate] [--max-warnings N] [--max-diagnostics N] [LIMITS]
  fabric simulate FILE          [--format text|json] [--max-diagnostics N] [LIMITS]
  fabric latency FILE FROM TO   [--format text|json] [LIMITS]
  fabric report FILE [FILE2]    [--out PATH] [--format html|svg|json] [--theme auto|light|dark] [LIMITS]
                                (two files: side by side; the format follows --out's extension)
  fabric --version
  fabric --help
limits (a fabric over one gets a \`limit\` error):
  --max-devices N (${DEFAULT_LIMITS.maxDevices})  --max-links N (${DEFAULT_LIMITS.maxLinks})
  --max-loop-iterations N (${DEFAULT_LIMITS.maxLoopIterations})  --max-nesting-depth N (${DEFAULT_LIMITS.maxNestingDepth})
  --max-import-depth N (${DEFAULT_LIMITS.maxImportDepth})  --max-file-size CHARACTERS (${DEFAULT_LIMITS.maxFileSize})
--max-diagnostics N: diagnostics shown per file, the rest counted (${DEFAULT_MAX_DIAGNOSTICS_PER_FILE}; 0 shows all)`;

/** Each limit's command-line flag. */
const LIMIT_FLAGS: Record<string, keyof Limits> = {
  '--max-devices': 'maxDevices',
  '--max-links': 'maxLinks',
  '--max-loop-iterations': 'maxLoopIterations',
  '--max-nesting-depth': 'maxNestingDepth',
  '--max-import-depth': 'maxImportDepth',
  '--max-file-size': 'maxFileSize',
};

interface Arguments {
  positional: string[];
  format: string;
  simulate: boolean;
  maxWarnings?: number;
  maxDiagnostics: number;
  limits: Partial<Limits>;
  /** Whether --format was given (the report otherwise takes it from --out's extension). */
  formatGiven: boolean;
  out?: string;
  theme: ReportTheme;
}

interface CommandShape {
  name: string;
  formats: string[];
  /** Flags beyond --format and the limits. */
  flags: string[];
  positional: string;
  minimum: number;
  maximum: number;
}

function wholeNumber(flag: string, text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n)) throw new UsageError(`${flag} needs a whole number, not \`${text}\``);
  return n;
}

function parseArguments(args: string[], shape: CommandShape): Arguments {
  const parsed: Arguments = { positional: [], format: shape.formats[0], simulate: true, maxDiagnostics: DEFAULT_MAX_DIAGNOSTICS_PER_FILE, limits: {}, formatGiven: false, theme: 'auto' };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const next = inline ?? args[++i];
      if (next === undefined) throw new UsageError(`${flag} needs a value`);
      return next;
    };
    if (flag === '--format') {
      const format = value();
      if (!shape.formats.includes(format)) throw new UsageError(`unknown format \`${format}\`; use ${shape.formats.join(', ').replace(/, ([^,]*)$/, ' or $1')}`);
      parsed.format = format;
      parsed.formatGiven = true;
    } else if (flag in LIMIT_FLAGS) {
      parsed.limits[LIMIT_FLAGS[flag]] = wholeNumber(flag, value());
    } else if (flag === '--no-simulate' && shape.flags.includes(flag)) {
      parsed.simulate = false;
    } else if (flag === '--max-warnings' && shape.flags.includes(flag)) {
      parsed.maxWarnings = wholeNumber(flag, value());
    } else if (flag === '--max-diagnostics' && shape.flags.includes(flag)) {
      parsed.maxDiagnostics = wholeNumber(flag, value());
    } else if (flag === '--out' && shape.flags.includes(flag)) {
      parsed.out = value();
    } else if (flag === '--theme' && shape.flags.includes(flag)) {
      const theme = value();
      if (theme !== 'auto' && theme !== 'light' && theme !== 'dark') throw new UsageError(`unknown theme \`${theme}\`; use auto, light or dark`);
      parsed.theme = theme;
    } else if (arg.startsWith('-') && arg !== '-') {
      throw new UsageError(`unknown option \`${arg}\` for fabric ${shape.name}; run \`fabric --help\``);
    } else {
      parsed.positional.push(arg);
    }
  }
  const { limits, lowered } = clampLimits(parsed.limits);
  parsed.limits = limits;
  for (const key of lowered) {
    const flag = Object.keys(LIMIT_FLAGS).find((name) => LIMIT_FLAGS[name] === key)!;
    process.stderr.write(`fabric: ${flag} is above its safe maximum; using ${SAFE_MAXIMUM_LIMITS[key]} (docs/robustness.md says why)\n`);
  }
  const count = parsed.positional.length;
  if (count < shape.minimum || count > shape.maximum) {
    throw new UsageError(`fabric ${shape.name} needs ${shape.positional}${count > shape.maximum ? `, not ${count} arguments` : ''}`);
  }
  return parsed;
}

/** Paths use `/` inside the core, whatever the platform. */
const toCorePath = (path: string) => path.replace(/\\/g, '/');

function exitCode(files: CheckedFile[], maxWarnings?: number): number {
  const { errors, warnings } = totals(files);
  return errors > 0 || (maxWarnings !== undefined && warnings > maxWarnings) ? 1 : 0;
}

/** A file's diagnostics as shown: capped at `--max-diagnostics`, the rest counted. */
function checkedFile(path: string, diagnostics: Diagnostic[], maxDiagnostics: number): CheckedFile {
  return { path, ...capDiagnostics(diagnostics, maxDiagnostics) };
}

function runCheck(args: string[]): number {
  const options = parseArguments(args, { name: 'check', formats: ['text', 'json', 'sarif'], flags: ['--no-simulate', '--max-warnings', '--max-diagnostics'], positional: 'at least one FILE', minimum: 1, maximum: Infinity });
  const texts = options.positional.map((file) => ({ path: toCorePath(file), text: readInput(file, options.limits) }));
  const sources = new Map<string, SourceFile>();
  const builtins = catalog();
  sources.set(builtins.source.path, builtins.source);
  const checked: CheckedFile[] = texts.map(({ path, text }) => {
    const check = options.simulate ? simulateSource(path, text, diskAccess, { limits: options.limits }).check : checkText(path, text, diskAccess, { limits: options.limits });
    for (const file of check.program.files) sources.set(file.source.path, file.source);
    return checkedFile(path, check.diagnostics, options.maxDiagnostics);
  });
  const lookup = (path: string) => sources.get(path);
  if (options.format === 'json') process.stdout.write(formatJson(checked, lookup) + '\n');
  else if (options.format === 'sarif') process.stdout.write(formatSarif(checked, lookup, VERSION) + '\n');
  else {
    const text = formatText(checked, lookup);
    process.stdout.write((text ? text + '\n' : '') + summarize(checked) + '\n');
  }
  return exitCode(checked, options.maxWarnings);
}

function runSimulate(args: string[]): number {
  const options = parseArguments(args, { name: 'simulate', formats: ['text', 'json'], flags: ['--max-diagnostics'], positional: 'one FILE', minimum: 1, maximum: 1 });
  const path = toCorePath(options.positional[0]);
  const { check, simulation } = simulateSource(path, readInput(options.positional[0], options.limits), diskAccess, { limits: options.limits });
  const checked = checkedFile(path, check.diagnostics, options.maxDiagnostics);
  const report = toReport({ ...check, diagnostics: checked.diagnostics }, simulation);
  if (options.format === 'json') process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  else {
    const diagnostics = formatText([checked], sourceLookup(check));
    process.stdout.write((diagnostics ? diagnostics + '\n\n' : '') + formatSimulation(report) + '\n');
  }
  return exitCode([checked]);
}

function runLatency(args: string[]): number {
  const options = parseArguments(args, { name: 'latency', formats: ['text', 'json'], flags: [], positional: 'FILE FROM TO', minimum: 3, maximum: 3 });
  const [file, from, to] = options.positional;
  const path = toCorePath(file);
  const check = checkText(path, readInput(file, options.limits), diskAccess, { limits: options.limits });
  const checked = checkedFile(path, check.diagnostics.filter((d) => d.severity === 'error'), DEFAULT_MAX_DIAGNOSTICS_PER_FILE);
  if (!check.fabric) throw new UsageError(`${file} declares no fabric`);
  const result = toLatencyReport(check.fabric, new Network(check.fabric), from, to);
  if ('error' in result) {
    // A name that is not in the fabric is a usage mistake; a missing route is the fabric's.
    if (!result.error.startsWith('no route')) throw new UsageError(result.error);
    process.stderr.write(`fabric: ${result.error}\n`);
    return 1;
  }
  if (options.format === 'json') process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  else {
    const diagnostics = formatText([checked], sourceLookup(check));
    process.stdout.write((diagnostics ? diagnostics + '\n\n' : '') + formatLatency(result) + '\n');
  }
  return exitCode([checked]);
}

/** The report's format: --format, else --out's extension, else HTML. */
function reportFormat(options: Arguments): string {
  if (options.formatGiven || options.out === undefined) return options.format;
  const extension = /\.([^./\\]+)$/.exec(options.out)?.[1].toLowerCase();
  if (extension === 'svg' || extension === 'json') return extension;
  if (extension === 'html' || extension === 'htm') return 'html';
  throw new UsageError(`cannot tell the format from ${options.out}; end it in .html, .svg or .json, or pass --format`);
}

async function runReport(args: string[]): Promise<number> {
  const options = parseArguments(args, { name: 'report', formats: ['html', 'svg', 'json'], flags: ['--out', '--theme'], positional: 'one FILE, or two to compare', minimum: 1, maximum: 2 });
  if (options.out !== undefined) refuseFabricOutput(options.out);
  const format = reportFormat(options);
  if (format === 'svg' && options.positional.length > 1) throw new UsageError('an SVG holds one topology; pass one FILE, or use --format html to compare two');
  const texts = options.positional.map((file) => ({ path: toCorePath(file), text: readInput(file, options.limits) }));
  const checked: CheckedFile[] = [];
  const reports = [];
  const reads: string[] = [];
  for (const { path, text } of texts) {
    const { check, simulation } = simulateSource(path, text, diskAccess, { limits: options.limits });
    checked.push(checkedFile(path, check.diagnostics, 0));
    reads.push(...check.program.files.map((file) => file.source.path));
    const data = buildReportData(check, simulation);
    reports.push({ data, layout: format === 'json' ? undefined : await layoutTopology(data) });
  }
  let output: string;
  if (format === 'json') output = JSON.stringify(reports.length === 1 ? reports[0].data : reports.map((r) => r.data), null, 2) + '\n';
  else if (format === 'svg') output = renderTopologyDocument(reports[0].data, reports[0].layout!, options.theme);
  else output = renderReportPage(reports.map((r) => ({ data: r.data, layout: r.layout! })), { theme: options.theme });
  if (options.out === undefined) process.stdout.write(output);
  else {
    writeOutput(options.out, output, reads);
    const { errors } = totals(checked);
    process.stderr.write(`fabric: wrote ${options.out}${errors > 0 ? ` (the input has ${errors} error${errors === 1 ? '' : 's'}; run \`fabric check\` to see them)` : ''}\n`);
  }
  return exitCode(checked);
}

/** A usage mistake ends with one line on stderr and exit code 2; anything else is a bug and propagates. */
function usageFailure(error: unknown): number {
  if (!(error instanceof UsageError)) throw error;
  process.stderr.write(`fabric: ${error.message}\n`);
  return 2;
}

export function main(argv: string[]): number | Promise<number> {
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
      case 'simulate':
        return runSimulate(rest);
      case 'latency':
        return runLatency(rest);
      case 'report':
        return runReport(rest).catch(usageFailure);
      case undefined:
        throw new UsageError(`missing command\n${USAGE}`);
      default:
        throw new UsageError(`unknown command \`${command}\`\n${USAGE}`);
    }
  } catch (error) {
    return usageFailure(error);
  }
}

// A reader that stops early (`fabric check … | head`) closes the pipe: stop quietly, as Unix tools do.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
});

void Promise.resolve(main(process.argv.slice(2))).then((code) => {
  process.exitCode = code;
});
