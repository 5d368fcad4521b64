/**
 * Every size limit at its default, through the pure core: each input that could exhaust memory
 * or the stack ends in a `limit` (or `import-cycle`) diagnostic instead. How fast each is
 * handled is measured by scripts/bench-limits.mjs, not here.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { simulateSource } from '../../server/src/sim/simulate.js';
import { check, codes, MAIN, memoryFiles, render } from '../support/check.js';
import { LIMIT_CASES } from '../support/limit-cases.js';

describe('limits at their defaults', () => {
  for (const limitCase of LIMIT_CASES) {
    it(`${limitCase.name}: ${limitCase.code}`, () => {
      const { text, files } = limitCase.build();
      const result = check(text, files);
      const found = result.diagnostics.filter((d) => d.code === limitCase.code);
      assert.equal(found.length, 1, render(result).join('\n'));
      assert.match(found[0].message, limitCase.message);
    });
  }

  it('does not simulate a fabric cut short at a limit', () => {
    const text = 'fabric f { gpu g[2] switch s for i in 0..9 { link g[i % 2] <-> s : pcie6 x1 } workload w { flow 1 GiB g[0] -> g[1] } }';
    const { check: result, simulation } = simulateSource(MAIN, text, memoryFiles({}), { limits: { maxLinks: 3 } });
    assert.ok(codes(result).includes('limit'));
    assert.equal(result.fabric!.links.length, 3);
    assert.equal(simulation, undefined);
  });

  it('packs a link of 2^32 sub-links without one object per sub-link (a fuzz finding: it ran out of memory)', () => {
    const result = check('fabric f { gpu g : gpu_ualink  switch s  link g <-> s : ualink x4 * 4294967296 }');
    assert.deepEqual(render(result), [
      '1:12 error[port-budget] g: links need 4294967296 × x4 ualink sub-links but the ualink ports (4 × x4) hold 4; use a model with more ualink ports or fewer, narrower links',
      '1:32 error[lane-budget] s uses 17179869184 of 320 lanes; use a switch model with more lanes, narrower links or another switch',
    ]);
  });
});
