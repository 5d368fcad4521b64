/**
 * Files of many mistakes through the real `fabric` binary (issue 20, part 4): the first N
 * diagnostics of a file are shown, errors first, the rest counted in one `diagnostic-limit`
 * warning and in the JSON and SARIF; exit codes and totals count every one; nesting past a
 * limit raised beyond its safe maximum is a `limit` error, never a stack trace.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const bin = join(process.cwd(), 'bin/fabric.js');
const dir = mkdtempSync(join(tmpdir(), 'fabric-diagnostic-limit-'));

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function fabric(...args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
}

interface JsonDiagnostic {
  code: string;
  severity: string;
  line: number;
  message: string;
}

const lines = (count: number, line: (i: number) => string) => Array.from({ length: count }, (_, i) => line(i)).join('');

/** 20 spare accelerators (unused-device warnings) first, then `errors` links to devices that do not exist. */
const mixed = (errors: number) => `fabric f {\n  gpu a : gpu\n${lines(20, (i) => `  gpu spare${i} : gpu\n`)}${lines(errors, (i) => `  link a <-> b${i} : pcie6 x4\n`)}}\n`;

describe('fabric check: the diagnostic limit', () => {
  it('shows errors first, up to --max-diagnostics, and counts the rest in one warning', () => {
    const file = write('mixed.fabric', mixed(30));
    const result = fabric('check', '--no-simulate', '--format', 'json', '--max-diagnostics', '25', file);
    assert.equal(result.status, 1);
    const report = JSON.parse(result.stdout) as { files: { diagnostics: JsonDiagnostic[]; omitted?: Record<string, unknown> }[] };
    const [checked] = report.files;
    const shown = checked.diagnostics.filter((d) => d.code !== 'diagnostic-limit');
    assert.equal(shown.length, 25);
    assert.ok(shown.every((d) => d.code === 'unknown-name'), 'the warnings give way to the errors');
    // The 30 errors are on lines 23-52: the first 25 are shown, in file order.
    assert.deepEqual(shown.map((d) => d.line), Array.from({ length: 25 }, (_, i) => 23 + i));
    const summaries = checked.diagnostics.filter((d) => d.code === 'diagnostic-limit');
    assert.equal(summaries.length, 1);
    assert.equal(summaries[0].severity, 'warning');
    // It sits at the first diagnostic left out: the first spare accelerator, on line 3.
    assert.equal(summaries[0].line, 3);
    assert.match(summaries[0].message, /^25 more diagnostics in this file \(5 errors, 20 warnings\) are not shown/);
    assert.deepEqual(checked.omitted, { [file]: { errors: 5, warnings: 20, hints: 0 } });
  });

  it('counts what it leaves out in the totals and the exit code, and --max-diagnostics 0 shows all', () => {
    const file = write('warnings.fabric', `fabric f {\n${lines(40, (i) => `  gpu spare${i} : gpu\n`)}}\n`);
    const capped = fabric('check', '--no-simulate', '--max-diagnostics', '10', '--max-warnings', '39', file);
    assert.equal(capped.status, 1, 'the 40 warnings are over --max-warnings 39, shown or not');
    const out = capped.stdout.trim().split('\n');
    assert.equal(out.filter((line) => line.includes('warning[unused-device]')).length, 10);
    assert.equal(out.at(-1), 'checked 1 file: 0 errors, 40 warnings, 0 hints (not all shown: see `diagnostic-limit`)');
    assert.equal(fabric('check', '--no-simulate', '--max-diagnostics', '10', '--max-warnings', '40', file).status, 0, 'the summary is not a warning of its own');
    const all = fabric('check', '--no-simulate', '--max-diagnostics', '0', file);
    assert.equal(all.stdout.split('\n').filter((line) => line.includes('warning[unused-device]')).length, 40);
    assert.doesNotMatch(all.stdout, /\[diagnostic-limit\]/);
  });

  it('keeps the JSON and SARIF of 100,000 mistakes small and valid, with the count of the omitted', () => {
    const file = write('many.fabric', mixed(100_000));
    const json = fabric('check', '--no-simulate', '--format', 'json', file);
    assert.equal(json.status, 1);
    assert.ok(json.stdout.length < 1_000_000, `${json.stdout.length} characters of JSON`);
    const report = JSON.parse(json.stdout) as { files: { diagnostics: JsonDiagnostic[]; omitted: Record<string, { errors: number; warnings: number }> }[] };
    assert.equal(report.files[0].diagnostics.length, 1_001);
    assert.deepEqual(report.files[0].omitted[file], { errors: 99_000, warnings: 20, hints: 0 });
    const sarif = fabric('check', '--no-simulate', '--format', 'sarif', file);
    const log = JSON.parse(sarif.stdout) as { runs: { results: unknown[]; properties: { omittedDiagnostics: Record<string, { errors: number }> } }[] };
    assert.equal(log.runs[0].results.length, 1_001);
    assert.equal(log.runs[0].properties.omittedDiagnostics[file].errors, 99_000);
  });

  it('reads 100,000 syntax errors in one block and among items without overflowing the stack', () => {
    const block = write('block.fabric', `fabric f {\n  gpu a : gpu\n  workload w {\n${lines(100_000, () => '    allreduce 1 MiB over a using\n')}  }\n}\n`);
    const items = write('items.fabric', `fabric f {\n  gpu a : gpu\n${lines(100_000, () => '  link a <-> : pcie6 x4\n')}}\n`);
    for (const file of [block, items]) {
      const result = fabric('check', '--no-simulate', file);
      assert.equal(result.status, 1, result.stderr);
      assert.equal(result.stderr, '');
      assert.match(result.stdout.trim().split('\n').at(-1)!, /^checked 1 file: \d{6} errors/);
    }
  });

  it('lowers a nesting limit raised past its safe maximum, so 60,000 levels end in a `limit` error', () => {
    const depth = 60_000;
    const file = write('deep.fabric', `fabric f {\n  let x = ${'('.repeat(depth)}1${')'.repeat(depth)}\n  gpu a : gpu\n}\n`);
    const result = fabric('check', '--max-nesting-depth', '60000', file);
    assert.equal(result.status, 1);
    assert.equal(result.stderr, 'fabric: --max-nesting-depth is above its safe maximum; using 256 (docs/robustness.md says why)\n');
    assert.match(result.stdout, /error\[limit\]: nesting deeper than 256 levels/);
  });
});
