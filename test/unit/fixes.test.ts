/** Quick fixes through the pure core: where a fix would break the file, none is offered. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixesFor, type Fix } from '../../server/src/ide/fixes.js';
import { simulateSource } from '../../server/src/sim/simulate.js';
import { MAIN } from '../support/check.js';

const files = { read: () => undefined };

/** The fixes for the first diagnostic of `code` in `text`, with the diagnostics each fix leaves. */
function fixesOf(text: string, code: string): { title: string; left: string[] }[] {
  const { check } = simulateSource(MAIN, text, files);
  const diagnostic = check.diagnostics.find((d) => d.code === code);
  assert.ok(diagnostic, `no ${code} in ${check.diagnostics.map((d) => d.code).join(' ')}`);
  return fixesFor(diagnostic, check).map((fix: Fix) => {
    let fixed = text;
    for (const edit of [...fix.edits].sort((a, b) => b.span.start - a.span.start)) fixed = fixed.slice(0, edit.span.start) + edit.newText + fixed.slice(edit.span.end);
    return { title: fix.title, left: simulateSource(MAIN, fixed, files).check.diagnostics.map((d) => d.code) };
  });
}

describe('quick fixes', () => {
  it('does not remove a device that a workload still names', () => {
    const text = 'fabric f {\n  gpu g\n  memory pool\n  switch s\n  link g <-> s : pcie6 x16\n  workload w { read 1 MiB from pool by g }\n}\n';
    assert.deepEqual(fixesOf(text, 'unused-device'), []);
  });

  it('does not remove an array of which some devices have links', () => {
    const text = 'fabric f {\n  gpu acc[3]\n  switch s\n  for i in 0..1 { link acc[i] <-> s : pcie6 x16 }\n}\n';
    assert.deepEqual(fixesOf(text, 'unused-device'), []);
  });

  it('removes only the declaration when it shares its line', () => {
    const fixes = fixesOf('fabric f { gpu g  switch s  memory m  link g <-> s : pcie6 x16 }\n', 'unused-device');
    assert.deepEqual(fixes, [{ title: 'Remove the declaration of `m`', left: [] }]);
  });

  it('does not rewrite a ring inside a workload loop, whose ranks may change every round', () => {
    const text = `fabric f {
  gpu acc[8]
  switch leaf[2] : pcie5_switch
  switch spine : pcie5_switch
  model g5 : gpu { ports: [pcie5 x16] }
  for i in 0..7 { link acc[i] <-> leaf[i % 2] : pcie5 x16 }
  for l in 0..1 { link leaf[l] <-> spine : pcie5 x16 * 2 }
  workload w { for k in 0..1 { allreduce 1 GiB over acc using ring } }
}
`.replace('gpu acc[8]', 'gpu acc[8] : g5');
    assert.deepEqual(fixesOf(text, 'ring-order'), []);
  });

  it('writes a ring order that cannot be ranges one device at a time', () => {
    const text = `model g5 : gpu { ports: [pcie5 x16] }
fabric f {
  settings { oversubscription_limit: 2  overload_threshold: 10 }
  gpu acc[8] : g5
  switch leaf[2] : pcie5_switch
  switch spine : pcie5_switch
  for i in 0..7 { link acc[i] <-> leaf[i % 2] : pcie5 x16 }
  for l in 0..1 { link leaf[l] <-> spine : pcie5 x16 * 2 }
  workload w { allreduce 1 GiB over acc using ring }
}
`;
    const [ordered] = fixesOf(text, 'ring-order');
    assert.equal(ordered.title, 'Order the ring by switch: acc[0], acc[2], acc[4], …');
    assert.ok(!ordered.left.includes('ring-order'), ordered.left.join(' '));
  });

  it('offers no other switch model when the declaration sets its own lanes', () => {
    const text = 'fabric f {\n  gpu acc[6]\n  switch sx : scorpio_p { lanes: 64 }\n  for i in 0..5 { link acc[i] <-> sx : pcie6 x16 }\n}\n';
    assert.deepEqual(fixesOf(text, 'lane-budget'), [{ title: 'Narrow `acc[i] <-> sx` to x8', left: [] }]);
  });

  it('offers only switch models that carry every protocol of the links', () => {
    const text = 'fabric f {\n  gpu acc[8] : gpu_ualink\n  switch sx : ualink_switch\n  memory m\n  for i in 0..7 { link acc[i] <-> sx : ualink x4 * 4 }\n  link sx <-> m : cxl x16\n}\n';
    const fixes = fixesOf(text, 'lane-budget');
    // ualink_switch has no CXL; scorpio_x (320 lanes) carries both.
    assert.equal(fixes[0].title, 'Use the model `scorpio_x` (320 lanes)');
    assert.deepEqual(fixes[0].left, []);
  });

  it('suggests the usual unit of a dimension when no spelling is near', () => {
    const fixes = fixesOf('fabric f {\n  gpu g\n  switch s\n  link g <-> s : pcie6 x16 { latency: 20 GB }\n}\n', 'unit');
    assert.deepEqual(fixes, [{ title: 'Change the unit to `ns`', left: [] }]);
  });

  it('fixes parallelism with the degree that uses every rank, over the attribute or after the last one', () => {
    const pod = (attributes: string) => `fabric f {\n  gpu acc[64] : gpu_ualink\n  switch sx : scorpio_x\n  for i in 0..63 { link acc[i] <-> sx : ualink x4 }\n  workload w {\n    train llama3_8b over acc[*] { ${attributes} }\n  }\n}\n`;
    // tp 8 × pp 4 × dp 4 = 128 over 64 ranks: dp 2 uses them all.
    assert.deepEqual(fixesOf(pod('tp: 8  pp: 4  dp: 4  seq: 4096  global_batch: 512'), 'parallelism'), [{ title: 'Use `dp: 2`', left: [] }]);
    // 512 sequences over dp 16 × micro_batch 3 = 48: the nearest multiple is 11 × 48 = 528.
    assert.deepEqual(fixesOf(pod('tp: 4  seq: 4096  global_batch: 512  micro_batch: 3'), 'parallelism'), [{ title: 'Use `global_batch: 528`', left: [] }]);
  });
});
