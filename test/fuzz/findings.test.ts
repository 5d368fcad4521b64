/** What the fuzzers found, one regression test each (the fix is in the core, not in the fuzzer). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixesFor } from '../../server/src/ide/fixes.js';
import { check } from '../support/check.js';
import { PATH, render, simulate } from '../support/sim.js';
import { runCase } from './pipeline.js';

const onInc = (statement: string, length = '0.5 m') =>
  `fabric f {\n  gpu acc[4]\n  switch sx : scorpio_x\n  for i in 0..3 { link acc[i] <-> sx : pcie6 x16 { length: ${length} } }\n  workload w { ${statement} }\n}\n`;

describe('fuzz findings', () => {
  it('a hint never divides by a time of zero: a one-rank ring takes none, and inc is not infinitely slower', () => {
    const report = simulate(onInc('allreduce 1 GiB over acc[0..0] using inc'));
    assert.deepEqual(report.diagnostics.filter((d) => d.code === 'inc-opportunity' || d.code === 'ring-order').map(render), []);
  });

  it('a hint never compares unbounded times: no `Infinity s` hint for a wire of 1e308 m', () => {
    const report = simulate(onInc('broadcast 1 GiB from acc[0] to acc[*] using hypercast', '1e308 m'));
    assert.deepEqual(report.diagnostics.filter((d) => /NaN|Infinity/.test(d.message)).map(render), []);
  });

  it('a wire of 1e308 m is now out of range, and the longest allowed, 1e30 m, gives hints with finite times', () => {
    const rejected = simulate(onInc('broadcast 1 GiB from acc[0] to acc[*] using hypercast', '1e308 m'));
    assert.deepEqual(rejected.diagnostics.filter((d) => d.code === 'value-range').map((d) => d.message), ['1e308 m is out of range for `length`; allowed: 0 m to 1e30 m']);
    const longest = simulate(onInc('broadcast 1 GiB from acc[0] to acc[*] using ring', '1e30 m'));
    assert.deepEqual(longest.diagnostics.filter((d) => d.code === 'value-range'), []);
    const hint = longest.diagnostics.find((d) => d.code === 'inc-opportunity');
    assert.ok(hint, longest.diagnostics.map(render).join('\n'));
    assert.doesNotMatch(hint.message, /NaN|Infinity/);
  });

  it('the case that found them passes the fuzz pipeline', () => {
    assert.equal(runCase({ path: PATH, text: onInc('broadcast 1 GiB from acc[0] to acc[*] using hypercast', '1e308 m'), files: {} }), undefined);
  });
});

describe('fuzz findings in the quick fixes', () => {
  it('offers fewer sub-links for a count of 100000000 by bisection, not by trying each count (it hung)', () => {
    const result = check('fabric f {\n  gpu acc[2] : gpu_ualink\n  switch sx\n  for i in 0..1 { link acc[i] <-> sx : ualink x4 * 100000000 }\n}\n');
    const budget = result.diagnostics.find((d) => d.code === 'port-budget')!;
    assert.ok(fixesFor(budget, result).some((fix) => fix.title === 'Use 4 sub-links in `acc[i] <-> sx`'));
  });
});
