/**
 * Quantities that are finite and physical, through the real `fabric` binary: every value out of
 * its attribute's range is an error at the literal, found by the static check (before any
 * simulation), and no output of `simulate` shows `Infinity` or `NaN`. A link whose two ends are
 * the same device is a `link-endpoints` error. The ranges are in docs/language.md §4.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const bin = join(process.cwd(), 'bin/fabric.js');
const dir = mkdtempSync(join(tmpdir(), 'fabric-quantities-'));

function fabric(...args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface JsonDiagnostic {
  code: string;
  severity: string;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** Four PCIe 6 accelerators and a CXL memory on one Scorpio X; it checks and simulates clean. */
const POD = `fabric pod {
  gpu acc[4]
  switch sx : scorpio_x
  memory pool
  for i in 0..3 { link acc[i] <-> sx : pcie6 x16 }
  link pool <-> sx : cxl x16
  workload w {
    allreduce 64 MiB over acc
    flow 1 GiB acc[0] -> acc[1]
  }
}
`;

/** The text with `«` and `»` taken out, and the 1-based range they marked. */
function marked(text: string): { text: string; line: number; column: number; endLine: number; endColumn: number } {
  const start = text.indexOf('«');
  const end = text.indexOf('»') - 1;
  assert.ok(start >= 0 && end >= start, 'a case marks its literal with « »');
  const clean = text.replace('«', '').replace('»', '');
  const at = (offset: number) => {
    const lines = clean.slice(0, offset).split('\n');
    return { line: lines.length, column: lines[lines.length - 1].length + 1 };
  };
  const from = at(start);
  const to = at(end);
  return { text: clean, line: from.line, column: from.column, endLine: to.line, endColumn: to.column };
}

let written = 0;
function write(text: string): string {
  const path = join(dir, `case-${written++}.fabric`);
  writeFileSync(path, text);
  return path;
}

/** The static check's diagnostics (`--no-simulate`: found before any simulation). */
function staticDiagnostics(path: string): { code: number | null; diagnostics: JsonDiagnostic[] } {
  const result = fabric('check', '--no-simulate', '--format', 'json', path);
  return { code: result.code, diagnostics: JSON.parse(result.stdout).files[0].diagnostics };
}

/** `fabric simulate` as text and JSON: exit code 1 for the error, nothing on stderr, no non-finite figure. */
function assertSimulatesFinitely(path: string): { steps: { op: string; line: number }[]; links: { name: string; bandwidth: number }[]; switches: { name: string; lanesUsed: number }[] } {
  const text = fabric('simulate', path);
  assert.equal(text.code, 1, text.stdout + text.stderr);
  assert.equal(text.stderr, '');
  assert.doesNotMatch(text.stdout, /Infinity|NaN/);
  const json = fabric('simulate', '--format', 'json', path);
  assert.equal(json.code, 1);
  assert.equal(json.stderr, '');
  assert.doesNotMatch(json.stdout, /Infinity|NaN|null,\s*"(?:time_s|latency_s|bandwidth)"/);
  const report = JSON.parse(json.stdout);
  return { steps: report.workloads.flatMap((w: { steps: unknown[] }) => w.steps), links: report.links, switches: report.switches };
}

/** [what, [from, to] replacements of POD marking the literal, code, message]. */
const CASES: [string, [string, string][], string, string][] = [
  ['a size that overflows to infinity', [['allreduce 64 MiB', 'allreduce «1e308 GiB»']], 'value-range', '1e308 GiB is out of range for `allreduce`; allowed: 0 B to 1e30 B'],
  ['a number past the doubles', [['flow 1 GiB', 'flow «1e400» GiB']], 'syntax', 'the number 1e400 is too large to represent'],
  ['a local memory that overflows', [['gpu acc[4]', 'gpu acc[4] { memory: «1e308 GiB» }']], 'value-range', '1e308 GiB is out of range for `memory`; allowed: 0 B to 1e30 B'],
  ['a link bandwidth of zero', [['link pool <-> sx : cxl x16', 'link pool <-> sx : cxl x16 { bandwidth: «0 GB/s» }']], 'value-range', '0 GB/s is out of range for `bandwidth`; allowed: more than 0 B/s, up to 1e30 B/s'],
  ['a media bandwidth of zero', [['memory pool', 'memory pool { bandwidth: «0 GB/s» }']], 'value-range', '0 GB/s is out of range for `bandwidth`; allowed: more than 0 B/s, up to 1e30 B/s'],
  ['a link efficiency of 0 %', [['link pool <-> sx : cxl x16', 'link pool <-> sx : cxl x16 { efficiency: «0%» }']], 'value-range', '0% is out of range for `efficiency`; allowed: more than 0% up to 100% (as a plain ratio, more than 0 up to 1)'],
  ['an efficiency of 92 meant as 92 %', [['link pool <-> sx : cxl x16', 'link pool <-> sx : cxl x16 { efficiency: «92» }']], 'value-range', '92 is out of range for `efficiency`; allowed: more than 0% up to 100% (as a plain ratio, more than 0 up to 1)'],
  ['an in-network efficiency of zero', [['switch sx : scorpio_x', 'switch sx : scorpio_x { inc_efficiency: «0» }']], 'value-range', '0 is out of range for `inc_efficiency`; allowed: more than 0% up to 100% (as a plain ratio, more than 0 up to 1)'],
  ['a capacity of zero', [['memory pool', 'memory pool { capacity: «0 GiB» }']], 'value-range', '0 GiB is out of range for `capacity`; allowed: more than 0 B, up to 1e30 B'],
  ['a cable past the largest length', [['link pool <-> sx : cxl x16', 'link pool <-> sx : cxl x16 { length: «2e30 m» }']], 'value-range', '2e30 m is out of range for `length`; allowed: 0 m to 1e30 m'],
  ['a compute time past the largest time', [['allreduce 64 MiB over acc', 'compute «1e31 s»']], 'value-range', '1e31 s is out of range for `compute`; allowed: 0 s to 1e30 s'],
  ['a time too small to compute with', [['fabric pod {', 'fabric pod {\n  settings { step_overhead: «1e-40 s» }']], 'value-range', '1e-40 s is out of range for `step_overhead`; other than 0, a quantity must be at least 1e-30 s to be computed with'],
  ['a speed-up threshold below 1', [['fabric pod {', 'fabric pod {\n  settings { hint_threshold: «0.5» }']], 'value-range', '0.5 is out of range for `hint_threshold`; allowed: 1 to 1e30'],
  ['an oversubscription limit of zero', [['fabric pod {', 'fabric pod {\n  settings { oversubscription_limit: «0» }']], 'value-range', '0 is out of range for `oversubscription_limit`; allowed: more than 0, up to 1e30'],
  ['a utilization bound over 100 %', [['  }\n}', '  }\n  expect utilization acc < «150%»\n}']], 'value-range', '150% is out of range for `expect utilization`; allowed: 0% to 100% (as a plain ratio, 0 to 1)'],
  ['a lane budget of zero', [['switch sx : scorpio_x', 'switch sx : scorpio_x { lanes: «0» }']], 'value-range', '0 is out of range for `lanes`; allowed: a whole number from 1'],
  ['a retimer count past 2^53', [['link pool <-> sx : cxl x16', 'link pool <-> sx : cxl x16 { retimers: «1e20» }']], 'limit', 'this integer is too large to compute exactly (over 2^53)'],
  ['a link width of zero', [['link pool <-> sx : cxl x16', 'link pool <-> sx : cxl «x0»']], 'lane-width', 'cxl does not allow x0; its widths are x4, x8, x16'],
  ['a port width of zero', [['gpu acc[4]', 'gpu acc[4] { ports: [pcie6 «x0»] }']], 'lane-width', 'pcie6 does not allow x0; its widths are x1, x2, x4, x8, x16'],
  ['a link of zero sub-links', [['link pool <-> sx : cxl x16', 'link pool <-> sx : cxl x16 * «0»']], 'index-range', 'a link needs at least one sub-link, but the count is 0'],
  ['a link from a switch to itself', [['link pool <-> sx : cxl x16', 'link pool <-> sx : cxl x16\n  link «sx <-> sx» : pcie6 x16']], 'link-endpoints', 'sx <-> sx joins a device to itself; a link needs two different devices, so name another one at one end'],
  [
    'a loop of links from each accelerator to itself, folded into one',
    [['for i in 0..3 { link acc[i] <-> sx : pcie6 x16 }', 'for i in 0..3 { link acc[i] <-> sx : pcie6 x16 }\n  for i in 0..3 { link «acc[i] <-> acc[i]» : pcie6 x16 }']],
    'link-endpoints',
    'acc[0] <-> acc[0] and 3 more join devices to themselves; a link needs two different devices, so name another one at one end',
  ],
];

describe('fabric check: quantities out of range are errors at the literal', () => {
  it('the pod they start from checks and simulates clean', () => {
    const result = fabric('check', write(POD));
    assert.equal(result.code, 0, result.stdout);
    assert.match(result.stdout, /0 errors, 0 warnings, 0 hints/);
  });

  for (const [what, replacements, code, message] of CASES) {
    it(`${what}: ${code}`, () => {
      let text = POD;
      for (const [from, to] of replacements) {
        assert.ok(text.includes(from), `the pod has ${from}`);
        text = text.replace(from, to);
      }
      const { text: clean, ...range } = marked(text);
      const path = write(clean);
      const found = staticDiagnostics(path);
      assert.equal(found.code, 1);
      assert.deepEqual(
        found.diagnostics.filter((d) => d.code === code).map(({ code, severity, message, line, column, endLine, endColumn }) => ({ code, severity, message, line, column, endLine, endColumn })),
        [{ code, severity: 'error', message, ...range }],
      );
      assertSimulatesFinitely(path);
    });
  }

  it('a minus sign before a latency is an error at the sign, and nothing is simulated from it', () => {
    const { text, line, column } = marked(POD.replace('switch sx : scorpio_x', 'switch sx : scorpio_x { latency: «-»5 ns }'));
    const path = write(text);
    const found = staticDiagnostics(path);
    assert.equal(found.code, 1);
    const atSign = found.diagnostics.filter((d) => d.line === line && d.column === column);
    assert.equal(atSign.length, 1, JSON.stringify(found.diagnostics));
    assert.equal(atSign[0].severity, 'error');
    assert.match(atSign[0].message, /`-`/);
    assertSimulatesFinitely(path);
  });

  it('a value out of range is not used: the link keeps the protocol bandwidth, the statement is not simulated', () => {
    const bandwidth = write(POD.replace('link pool <-> sx : cxl x16', 'link pool <-> sx : cxl x16 { bandwidth: 0 GB/s }'));
    const { links } = assertSimulatesFinitely(bandwidth);
    // cxl x16: 16 lanes × 8 GB/s × 0.922 = 118.016 GB/s per direction.
    assert.equal(links.find((l) => l.name === 'pool <-> sx')!.bandwidth, 16 * 8e9 * 0.922);
    const size = write(POD.replace('allreduce 64 MiB', 'allreduce 1e308 GiB'));
    const { steps } = assertSimulatesFinitely(size);
    assert.deepEqual(steps.map((s) => s.op), ['flow']);
  });

  it('a link from a device to itself is left out: it takes no lanes', () => {
    const path = write(POD.replace('link pool <-> sx : cxl x16', 'link pool <-> sx : cxl x16\n  link sx <-> sx : pcie6 x16'));
    const { switches, links } = assertSimulatesFinitely(path);
    // Four pcie6 x16 and one cxl x16: 80 lanes.
    assert.equal(switches.find((s) => s.name === 'sx')!.lanesUsed, 80);
    assert.deepEqual(links.map((l) => l.name).filter((name) => name === 'sx <-> sx'), []);
  });

  it('every quantity at the edges of its range checks clean and simulates to finite figures', () => {
    const extreme = `fabric extremes {
  settings { step_overhead: 1e30 s  oversubscription_limit: 1e-30  overload_threshold: 1e30  hint_threshold: 1 }
  gpu acc[4] { memory: 1e30 B  latency: 1e30 s  power: 1e30 W }
  switch sx : scorpio_x { latency: 1e30 s  inc_efficiency: 1e-30  power: 0 W }
  memory pool { capacity: 1e30 B  bandwidth: 1e-30 B/s  latency: 0 s }
  for i in 0..3 { link acc[i] <-> sx : pcie6 x16 { bandwidth: 1e-30 B/s  length: 1e30 m  retimers: 9007199254740991 } }
  link pool <-> sx : cxl x1 * 4 { efficiency: 1e-30  length: 0 m }
  allocate 1e30 B of pool to acc[*]
  workload w {
    allreduce 1e30 B over acc
    alltoall 1e30 B over acc
    read 1e30 B from pool by acc[*]
    compute 1e30 s
  }
  expect time w < 1e30 s
}
`;
    const path = write(extreme);
    const found = staticDiagnostics(path);
    assert.deepEqual(found.diagnostics.filter((d) => d.code === 'value-range' || d.code === 'limit'), []);
    const json = fabric('simulate', '--format', 'json', path);
    assert.equal(json.stderr, '');
    assert.doesNotMatch(json.stdout, /Infinity|NaN/);
    const report = JSON.parse(json.stdout);
    const [workload] = report.workloads;
    assert.ok(Number.isFinite(workload.time_s) && workload.time_s > 1e30, `a workload time of ${workload.time_s}`);
    assert.deepEqual(report.diagnostics.filter((d: JsonDiagnostic) => d.code === 'value-range'), []);
    const text = fabric('simulate', path);
    assert.equal(text.stderr, '');
    assert.doesNotMatch(text.stdout, /Infinity|NaN/);
  });
});
