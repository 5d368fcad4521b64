/**
 * Every figure the simulator derives is finite. The ranges of the quantities keep it so from any
 * source text (test/cli/quantities.test.ts); these tests reach past the resolver, giving a link
 * a bandwidth no literal may have, to show the guard behind them: a statement whose time cannot
 * be computed gets a `value-range` diagnostic and is not counted, and the formatters and the
 * JSON writer refuse a non-finite figure rather than print it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DiagnosticSink, sortDiagnostics } from '../../server/src/model/diagnostics.js';
import { formatIn, formatQuantity } from '../../server/src/model/units.js';
import { formatGBps, formatInUnit, formatPercent, formatRatio } from '../../server/src/report/format.js';
import { toReport } from '../../server/src/sim/json.js';
import { Simulator } from '../../server/src/sim/simulate.js';
import { check } from '../support/check.js';

const POD = `fabric pod {
  gpu acc[4]
  switch sx : scorpio_x
  for i in 0..3 { link acc[i] <-> sx : pcie6 x16 }
  workload w {
    flow 1 GiB acc[0] -> acc[1]
    allreduce 1 GiB over acc[2..3]
    compute 1 ms
  }
}
`;

/** Checks POD, slows the links of `starved` to the smallest double, and simulates. */
function simulateStarved(starved: string[]) {
  const result = check(POD);
  const fabric = result.fabric!;
  for (const link of fabric.links) if (starved.includes(link.a.name)) link.bandwidth = Number.MIN_VALUE;
  const sink = new DiagnosticSink();
  const simulation = new Simulator(fabric, sink).run();
  result.diagnostics = sortDiagnostics([...result.diagnostics, ...sink.diagnostics()]);
  return { result, simulation, report: toReport(result, simulation) };
}

const lineOf = (needle: string) => POD.split('\n').findIndex((line) => line.includes(needle)) + 1;

describe('a figure the simulator cannot compute', () => {
  it('a flow over a link of 5e-324 B/s: a value-range error on the statement, and its time is not counted', () => {
    const { report } = simulateStarved(['acc[0]']);
    const errors = report.diagnostics.filter((d) => d.code === 'value-range');
    assert.deepEqual(
      errors.map((d) => [d.line, d.severity, d.message]),
      [[lineOf('flow'), 'error', 'the time of this `flow` cannot be computed: it exceeds the largest figure a number can hold; give it a smaller size, or its path more bandwidth']],
    );
    const [workload] = report.workloads;
    const flow = workload.steps.find((s) => s.op === 'flow')!;
    assert.deepEqual([flow.algorithm, flow.time_s, flow.latency_s, flow.transfer_s], [null, 0, 0, 0]);
    // The others still count: the all-reduce over acc[2..3] and the 1 ms of compute.
    const counted = workload.steps.filter((s) => s.op !== 'flow').reduce((total, s) => total + s.time_s, 0);
    assert.ok(counted > 1e-3);
    assert.equal(workload.time_s, counted);
    assert.doesNotMatch(JSON.stringify(report), /Infinity|NaN|null,\s*"time_s"/);
  });

  it('a collective whose every algorithm overflows: the same error, and no alternatives shown', () => {
    const { report } = simulateStarved(['acc[2]', 'acc[3]']);
    const errors = report.diagnostics.filter((d) => d.code === 'value-range');
    assert.deepEqual(
      errors.map((d) => [d.line, d.message]),
      [[lineOf('allreduce'), 'the time of this `allreduce` cannot be computed: it exceeds the largest figure a number can hold; give it a smaller size, or its path more bandwidth']],
    );
    const allreduce = report.workloads[0].steps.find((s) => s.op === 'allreduce')!;
    assert.deepEqual([allreduce.algorithm, allreduce.time_s, allreduce.alternatives], [null, 0, {}]);
    assert.doesNotMatch(JSON.stringify(report), /Infinity|NaN/);
  });

  it('no link that carried an uncomputable statement gets a utilization from it', () => {
    const { report } = simulateStarved(['acc[0]']);
    for (const link of report.links) assert.ok(Number.isFinite(link.peakUtilization.forward) && Number.isFinite(link.peakUtilization.backward), link.name);
    assert.equal(report.links.find((l) => l.name === 'acc[0] <-> sx')!.peakUtilization.forward, 0);
  });
});

describe('the JSON writer and the formatters assert finite figures', () => {
  it('toReport refuses a simulation with a non-finite figure instead of writing null', () => {
    const { result, simulation } = simulateStarved([]);
    simulation.workloads[0].time = Infinity;
    assert.throws(() => toReport(result, simulation), { name: 'RangeError', message: /a workload's time is Infinity/ });
    simulation.workloads[0].time = 1;
    simulation.workloads[0].steps[0].transfer = NaN;
    assert.throws(() => toReport(result, simulation), { name: 'RangeError', message: /a step's transfer time is NaN/ });
  });

  const formatters: [string, (value: number) => string, string][] = [
    ['formatQuantity', (v) => formatQuantity(v, 'time'), '145 ns'],
    ['formatIn', (v) => formatIn(v, 'ns'), '145 ns'],
    ['formatGBps', (v) => formatGBps(v * 1e9), '145 GB/s'],
    ['formatPercent', (v) => formatPercent(v * 1e7), '145 %'],
    ['formatRatio', (v) => formatRatio(v * 1e9), '145:1'],
    ['formatInUnit', (v) => formatInUnit(v * 1e9, ''), '145'],
  ];
  for (const [name, format, shown] of formatters) {
    it(`${name} prints a finite figure and throws on Infinity, -Infinity and NaN`, () => {
      assert.equal(format(145e-9), shown);
      for (const bad of [Infinity, -Infinity, NaN]) assert.throws(() => format(bad), RangeError, `${name}(${bad})`);
    });
  }
});
