/** The `fabric` command as users run it: a real process, its output and its exit code (§10). */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, chmodSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const bin = join(process.cwd(), 'bin/fabric.js');

function fabric(...args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const examples = readdirSync('examples').filter((name) => name.endsWith('.fabric')).map((name) => `examples/${name}`);
const broken = readdirSync('examples/broken').filter((name) => name.endsWith('.fabric'));
const SEVERITY: Record<string, string> = { oversubscription: 'warning', reach: 'warning', 'unused-device': 'warning', 'duplicate-member': 'warning', 'link-overload': 'warning', 'inc-opportunity': 'hint', 'ring-order': 'hint' };
const ALL_CODES = [
  'syntax', 'unknown-name', 'duplicate-name', 'unit', 'index-range', 'model-kind', 'protocol-unsupported', 'lane-width', 'lane-budget',
  'port-budget', 'capacity', 'unreachable', 'feature-unsupported', 'expectation-failed', 'import-cycle', 'import-missing', 'import-kind', 'limit',
  'oversubscription', 'link-overload', 'reach', 'unused-device', 'duplicate-member', 'inc-opportunity', 'ring-order',
];

describe('fabric check', () => {
  it('passes every example, simulation included, with no errors, warnings or hints', () => {
    assert.ok(examples.length >= 5, `only ${examples.length} examples`);
    const result = fabric('check', ...examples);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, new RegExp(`checked ${examples.length} files: 0 errors, 0 warnings, 0 hints`));
  });

  it('has a broken example for each of the 25 diagnostic codes', () => {
    assert.deepEqual(ALL_CODES.filter((code) => !broken.includes(`${code}.fabric`)), []);
  });

  for (const name of broken) {
    const code = name.replace(/\.fabric$/, '');
    it(`examples/broken/${name} reports ${code}`, () => {
      const result = fabric('check', '--format', 'json', `examples/broken/${name}`);
      const report = JSON.parse(result.stdout) as { files: { diagnostics: { code: string; severity: string }[] }[] };
      const found = report.files[0].diagnostics;
      assert.ok(found.some((d) => d.code === code), `${name}: ${JSON.stringify(found)}`);
      const severity = SEVERITY[code] ?? 'error';
      assert.equal(result.code, severity === 'error' ? 1 : 0, `${name} exit code`);
      assert.equal(found.filter((d) => d.code === code)[0].severity, severity);
    });
  }

  it('prints compiler-style lines: file:line:col: severity[code]: message', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fabric-cli-'));
    const file = join(dir, 'lanes.fabric');
    writeFileSync(file, 'fabric f {\n  gpu acc[22] : gpu\n  switch sx : scorpio_x\n  for i in 0..21 { link acc[i] <-> sx : pcie6 x16 }\n}\n');
    const result = fabric('check', file);
    assert.equal(result.code, 1);
    const lines = result.stdout.trim().split('\n');
    assert.equal(lines[0], `${file}:3:3: error[lane-budget]: sx uses 352 of 320 lanes; use a switch model with more lanes, narrower links or another switch`);
    assert.equal(lines[1], `  ${file}:4:20: note: acc[0] <-> sx and 21 more: 352 lanes`);
    assert.equal(lines[lines.length - 1], 'checked 1 file: 1 error, 0 warnings, 0 hints');
  });

  it('writes the JSON shape of §10 with 1-based UTF-16 columns', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fabric-cli-'));
    const file = join(dir, 'unicode.fabric');
    // `😀` is two UTF-16 code units: `gpux` starts at column 31.
    writeFileSync(file, 'fabric f { /* µ→😀 */ gpu g : gpux }\n');
    const result = fabric('check', '--format', 'json', file);
    assert.equal(result.code, 1);
    const report = JSON.parse(result.stdout);
    assert.equal(report.files[0].path, file);
    const diagnostic = report.files[0].diagnostics.find((d: { code: string }) => d.code === 'unknown-name');
    assert.deepEqual(
      { ...diagnostic, related: undefined },
      { code: 'unknown-name', severity: 'error', message: 'unknown gpu model `gpux`; did you mean `gpu`?', file, line: 1, column: 31, endLine: 1, endColumn: 35, related: undefined },
    );
  });

  it('writes SARIF 2.1.0 for code scanning', () => {
    const result = fabric('check', '--format', 'sarif', 'examples/broken/lane-budget.fabric');
    const sarif = JSON.parse(result.stdout);
    assert.equal(sarif.version, '2.1.0');
    const run = sarif.runs[0];
    assert.equal(run.tool.driver.name, 'fabric');
    assert.ok(run.tool.driver.rules.some((rule: { id: string }) => rule.id === 'lane-budget'));
    const result0 = run.results.find((r: { ruleId: string }) => r.ruleId === 'lane-budget');
    assert.equal(result0.level, 'error');
    assert.equal(result0.locations[0].physicalLocation.artifactLocation.uri, 'examples/broken/lane-budget.fabric');
    assert.ok(result0.locations[0].physicalLocation.region.startLine >= 1);
  });

  it('exits 1 when warnings exceed --max-warnings, 0 otherwise', () => {
    assert.equal(fabric('check', 'examples/broken/unused-device.fabric').code, 0);
    assert.equal(fabric('check', '--max-warnings', '0', 'examples/broken/unused-device.fabric').code, 1);
    assert.equal(fabric('check', '--max-warnings=5', 'examples/broken/unused-device.fabric').code, 0);
  });

  it('takes the size limits as options', () => {
    const result = fabric('check', '--max-devices', '10', '--format', 'json', 'examples/nvl72.fabric');
    assert.equal(result.code, 1);
    assert.equal(JSON.parse(result.stdout).files[0].diagnostics[0].code, 'limit');
    assert.equal(fabric('check', '--max-nesting-depth=2', 'examples/nvl72.fabric').code, 1);
    assert.equal(fabric('check', '--max-file-size', 'lots', 'examples/nvl72.fabric').code, 2);
  });

  it('reads imports relative to the importing file', () => {
    const result = fabric('check', 'examples/broken/import-missing.fabric');
    assert.equal(result.code, 1);
    assert.match(result.stdout, /error\[import-missing\]/);
  });
});

describe('fabric simulate and fabric latency', () => {
  it('prints a table per workload, the expectations and the assumptions', () => {
    const result = fabric('simulate', 'examples/ualink_pod.fabric');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^fabric ualink_pod$/m);
    assert.match(result.stdout, /^workload train_step: [\d.]+ ms$/m);
    assert.match(result.stdout, /^\s+line\s+phase\s+step\s+algorithm\s+time\s+algbw\s+busbw\s+bottleneck\s+alternatives \(alone\)$/m);
    assert.match(result.stdout, /allreduce 1 GiB × 64\s+inc\s+[\d.]+ ms\s+[\d.]+ GB\/s/);
    assert.match(result.stdout, /^assumptions \(estimated figures these results rest on\)$/m);
    assert.match(result.stdout, /scorpio_x latency 120 ns \(estimate/);
  });

  it('writes the JSON fields of §10', () => {
    const result = fabric('simulate', '--format', 'json', 'examples/nvl72.fabric');
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout);
    for (const key of ['fabric', 'diagnostics', 'assumptions', 'switches', 'workloads', 'expectations']) assert.ok(key in report, key);
    const [sw] = report.switches;
    assert.deepEqual(Object.keys(sw).sort(), ['lanesTotal', 'lanesUsed', 'model', 'name', 'oversubscription']);
    assert.equal(sw.lanesUsed, 144);
    const step = report.workloads[0].steps.find((s: { op: string }) => s.op === 'allreduce');
    for (const key of ['op', 'line', 'algorithm', 'bytes', 'ranks', 'time_s', 'algbw_GBps', 'busbw_GBps', 'bottleneck', 'alternatives']) assert.ok(key in step, key);
    for (const expectation of report.expectations) {
      for (const key of ['line', 'metric', 'actual', 'unit', 'pass']) assert.ok(key in expectation, key);
    }
  });

  it('answers a latency query with hops and path', () => {
    const result = fabric('latency', '--format', 'json', 'examples/scorpio_consolidated.fabric', 'acc[0]', 'acc[1]');
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout);
    assert.equal(report.from, 'acc[0]');
    assert.equal(report.hops, 2);
    assert.equal(report.path.length, 3);
    assert.ok(report.latency_s > 100e-9 && report.latency_s < 200e-9);
    const text = fabric('latency', 'examples/scorpio_consolidated.fabric', 'acc[0]', 'acc[1]');
    assert.match(text.stdout, /^acc\[0\] -> acc\[1\]: [\d.]+ ns one way, 2 hops$/m);
  });

  it('treats an unknown device as a usage error and a missing route as an error in the fabric', () => {
    const unknown = fabric('latency', 'examples/nvl72.fabric', 'b200[0]', 'nope');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^fabric: no device named `nope`/);
    const unreachable = fabric('latency', 'examples/broken/unreachable.fabric', 'acc[0]', 'acc[2]');
    assert.equal(unreachable.code, 1);
    assert.match(unreachable.stderr, /no route from acc\[0\] to acc\[2\]/);
  });
});

describe('usage errors: one line, exit code 2, no stack trace', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fabric-cli-'));
  mkdirSync(join(dir, 'folder'));
  const unreadable = join(dir, 'secret.fabric');
  writeFileSync(unreadable, 'fabric f { }');
  chmodSync(unreadable, 0o000);
  const cases: [string, string[], RegExp][] = [
    ['a missing file', ['check', join(dir, 'nope.fabric')], /^fabric: cannot read .*nope\.fabric: no such file$/],
    ['a directory', ['check', join(dir, 'folder')], /^fabric: .*folder is a directory; pass \.fabric files/],
    ['an unknown format', ['check', '--format', 'xml', 'examples/nvl72.fabric'], /^fabric: unknown format `xml`; use text, json or sarif$/],
    ['an unknown flag', ['check', '--fast', 'examples/nvl72.fabric'], /^fabric: unknown option `--fast`/],
    ['a bad --max-warnings', ['check', '--max-warnings', 'many', 'examples/nvl72.fabric'], /^fabric: --max-warnings needs a whole number/],
    ['no file', ['check'], /^fabric: fabric check needs at least one FILE$/],
    ['an unknown command', ['frobnicate'], /^fabric: unknown command `frobnicate`/],
    ['simulate with two files', ['simulate', 'examples/nvl72.fabric', 'examples/nvl72.fabric'], /^fabric: fabric simulate needs one FILE, not 2 arguments$/],
    ['latency with a missing argument', ['latency', 'examples/nvl72.fabric', 'b200[0]'], /^fabric: fabric latency needs FILE FROM TO$/],
    ['simulate --format sarif', ['simulate', '--format', 'sarif', 'examples/nvl72.fabric'], /^fabric: unknown format `sarif`; use text or json$/],
  ];
  // Root reads files whatever their mode; the unreadable case only means something for other users.
  if (process.getuid?.() !== 0) cases.push(['an unreadable file', ['check', unreadable], /^fabric: cannot read .*secret\.fabric: permission denied$/]);
  for (const [what, args, message] of cases) {
    it(what, () => {
      const result = fabric(...args);
      assert.equal(result.code, 2);
      assert.match(result.stderr.split('\n')[0], message);
      assert.doesNotMatch(result.stderr, /\n\s+at /);
    });
  }

  it('prints the version from package.json', () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
    const result = fabric('--version');
    assert.equal(result.code, 0);
    assert.equal(result.stdout.trim(), version);
  });
});
