// Measures files of many mistakes (issue 20, part 4) through the built CLI, each in a fresh
// process, median of 3 runs and the process's peak RSS, and the output's size: mistakes of
// several shapes, so that no one shape of recovery hides a slow one. Figures go to
// docs/robustness.md. Usage: node scripts/build.mjs && npm run bench:mistakes
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measuredRun } from './measured-run.mjs';
const dir = mkdtempSync(join(tmpdir(), 'fabric-bench-mistakes-'));

const N = 100_000;
const repeat = (line) => Array.from({ length: N }, (_, i) => line(i)).join('');
const SHAPES = [
  ['100,000 links to devices that do not exist (`unknown-name`)', `fabric f {\n  gpu a : gpu\n${repeat((i) => `  link a <-> b${i} : pcie6 x4\n`)}}\n`],
  ['100,000 links without their second end (`syntax`, one per item)', `fabric f {\n  gpu a : gpu\n${repeat(() => '  link a <-> : pcie6 x4\n')}}\n`],
  ['100,000 statements without their algorithm, in one workload (`syntax`)', `fabric f {\n  gpu a : gpu\n  workload w {\n${repeat(() => '    allreduce 1 MiB over a using\n')}  }\n}\n`],
  ['100,000 devices without a name, read as one item (`syntax`)', `fabric f {\n  gpu a : gpu\n${repeat(() => '  gpu :\n')}}\n`],
  ['100,000 characters that are not Fabric (`syntax`, lexing)', `fabric f {\n  gpu a : gpu\n${repeat(() => '  @\n')}}\n`],
];

const run = (args) => {
  const measured = measuredRun(args, 1);
  return { ...measured, bytes: measured.stdout.length, last: measured.stdout.trim().split('\n').at(-1) };
};

console.log('| file | errors found | `check` (median of 3) | peak RSS | `check --format json` | JSON size |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const [index, [name, text]] of SHAPES.entries()) {
  const file = join(dir, `shape${index}.fabric`);
  writeFileSync(file, text);
  const median = (args) => Array.from({ length: 3 }, () => run(args)).sort((a, b) => a.ms - b.ms)[1];
  const textRun = median(['check', '--no-simulate', file]);
  const jsonRun = median(['check', '--no-simulate', '--format', 'json', file]);
  const errors = /(\d+) errors?/.exec(textRun.last)?.[1] ?? '?';
  console.log(`| ${name} | ${Number(errors).toLocaleString('en-US')} | ${textRun.ms.toFixed(0)} ms | ${textRun.rssMb.toFixed(0)} MB | ${jsonRun.ms.toFixed(0)} ms | ${(jsonRun.bytes / 1024).toFixed(0)} KB |`);
}
rmSync(dir, { recursive: true, force: true });
