// One run of the built `fabric` in a fresh process for the benchmark scripts: its wall time and
// its peak resident memory (a probe preloaded into the process writes it as it exits).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const bin = resolve('bin/fabric.js');
mkdirSync('.bench', { recursive: true });
const probe = resolve('.bench/rss-probe.cjs');
writeFileSync(probe, "process.on('exit', () => require('fs').writeFileSync(process.env.FABRIC_RSS_FILE, String(process.resourceUsage().maxRSS)));\n");
const rssFile = resolve('.bench/rss.txt');

/** Runs `fabric ARGS`; throws unless it exits with `expected`. */
export function measuredRun(args, expected) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['--require', probe, bin, ...args], { encoding: 'utf8', env: { ...process.env, FABRIC_RSS_FILE: rssFile }, maxBuffer: 1 << 30, timeout: 120_000 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== expected) throw new Error(`fabric ${args.join(' ')}: exit ${result.status} (${result.signal ?? 'no signal'}), expected ${expected}\n${result.stderr}`);
  return { ms, rssMb: Number(readFileSync(rssFile, 'utf8')) / 1024, stdout: result.stdout };
}
