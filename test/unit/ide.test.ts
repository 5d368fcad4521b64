/**
 * The editor services of server/src/ide in plain data, without a server: hover, inlay hints, code
 * lenses, and definition, references, highlights and rename. Fixtures mark the cursor `<|>`;
 * figures are derived by hand from the cost model (pcie6 x16: 16 × 8 GB/s × 0.922 = 118.016 GB/s
 * per direction; a 0.5 m link 10 ns PHY + 2.5 ns wire; scorpio_x 120 ns).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { codeLenses } from '../../server/src/ide/code-lens.js';
import { hoverAt } from '../../server/src/ide/hover.js';
import { inlayHints } from '../../server/src/ide/inlay-hints.js';
import { definition, highlights, nameAt, namesOf, prepareRename, references, renameEdits, symbolAcross } from '../../server/src/ide/navigation.js';
import type { CheckResult } from '../../server/src/model/check.js';
import { Network } from '../../server/src/sim/network.js';
import type { SimulationReport } from '../../server/src/sim/report.js';
import { simulateText } from '../../server/src/sim/simulate.js';
import { check, MAIN } from '../support/check.js';

const POD = `fabric pod {
  gpu acc[2]
  switch sx : scorpio_x
  for i in 0..1 { link acc[i] <-> sx : pcie6 x16 }
  workload step {
    allreduce 1 GiB over acc[*] using inc
  }
  expect time step < 1 s
}
`;

/** The text without its `<|>` and the cursor's offset. */
function cursor(marked: string): { text: string; offset: number } {
  const offset = marked.indexOf('<|>');
  assert.ok(offset >= 0, 'the fixture marks no cursor');
  return { text: marked.replace('<|>', ''), offset };
}

function analysed(text: string): { check: CheckResult; report: SimulationReport } {
  return { check: check(text), report: simulateText(MAIN, text, { read: () => undefined }) };
}

/** Hover at the marked cursor, on the fabric simulated beside it. */
function hoverText(marked: string, stale = false): string | undefined {
  const { text, offset } = cursor(marked);
  const { check: result, report } = analysed(text);
  return hoverAt(result, offset, { network: () => new Network(result.fabric!), report, stale })?.markdown;
}

const at = (needle: string) => POD.replace(needle, `<|>${needle}`);

describe('ide: hover', () => {
  it('describes a link: bandwidth from lanes, rate and efficiency, latency from PHY and wire, reach, peak use', () => {
    const text = hoverText(at('pcie6 x16'))!;
    assert.match(text, /^\*\*acc\[0\] <-> sx\*\* — pcie6 x16 \(this line makes 2 links; figures for the first\)/);
    assert.match(text, /Bandwidth: 118 GB\/s per direction = 16 lanes × 8 GB\/s × 0\.922/);
    assert.match(text, /Latency: 12\.5 ns = PHY 10 ns \(estimate\) \+ wire 50 cm × 5 ns\/m = 2\.5 ns/);
    assert.match(text, /Reach: 50 cm of 2 m/);
    // Both ranks send and receive at the link's full rate in the in-network all-reduce.
    assert.match(text, /Peak utilization \(busiest, acc\[0\] <-> sx\): 100 % → \/ 100 % ← in workload `step` \(line 6\)/);
    assert.match(text, /\*Rests on estimates:\*.*PHY latency/);
  });

  it('describes a device: ports used, and its nearest and farthest peer at 12.5 + 120 + 12.5 ns', () => {
    const text = hoverText(at('acc[2]'))!;
    assert.match(text, /^\*\*acc\[0\]\*\* — gpu, model `gpu` \(one of 2\)/);
    assert.match(text, /Ports used: pcie6 16 of 32 lanes \(2 × x16\)/);
    assert.match(text, /Nearest accelerator: acc\[1\], 145 ns, 118 GB\/s · farthest: acc\[1\], 145 ns, 118 GB\/s/);
  });

  it('describes a statement with its simulated time: S / rate + 1 µs + 2 × 132.5 ns', () => {
    // 2^30 B / 118.016 GB/s = 9.098 ms; latency 1 µs step overhead + 2 × (12.5 + 120) ns = 1.265 µs.
    const text = hoverText(at('allreduce'))!;
    assert.match(text, /^\*\*allreduce\*\* — inc in workload `step`/);
    assert.match(text, /Time: 9\.1 ms \(latency 1\.265 µs \+ transfer 9\.098 ms\)/);
    assert.match(text, /Bottleneck: acc\[0\] -> sx/);
  });

  it('gives a quantity its SI value, a model its attributes and their sources', () => {
    assert.equal(hoverText(at('1 GiB')), '**1 GiB** = 1,073,741,824 B (size; 1 GiB)');
    const model = hoverText(at('scorpio_x'))!;
    assert.match(model, /^\*\*model scorpio_x\*\* — switch \(built in\)/);
    assert.match(model, /\| lanes \| 320 \| scorpio_x \|/);
    assert.match(model, /\| latency \| 120 ns \| estimate — /);
  });

  it('says when the figures come from an earlier version of the text, and has nothing to say on a keyword', () => {
    assert.match(hoverText(at('step {'), true)!, /^\*\*workload step\*\* — 9\.1 ms in 1 step\n\n\*From the simulation of an earlier version of this file; updating…\*$/);
    assert.equal(hoverText(POD.replace('fabric pod', '<|>fabric pod')), undefined);
  });
});

describe('ide: inlay hints', () => {
  it('labels each link line with its bandwidth and each statement with its simulated time, in order', () => {
    const { check: result, report } = analysed(POD);
    const hints = inlayHints(result, report, false, 0, POD.length);
    assert.deepEqual(
      hints.map((hint) => [POD.slice(0, hint.offset).split('\n').length, hint.label]),
      [
        [4, '118 GB/s each'],
        [6, '9.1 ms'],
      ],
    );
    assert.equal(hints[0].offset, POD.indexOf('pcie6 x16') + 'pcie6 x16'.length);
    assert.match(hints[1].tooltip, /^Simulated time of `allreduce` \(inc\) in workload `step`: 9\.1 ms = latency 1\.265 µs \+ transfer 9\.098 ms; bottleneck acc\[0\] -> sx\.$/);
  });

  it('gives only the hints inside the range asked for, and no times without a report', () => {
    const { check: result, report } = analysed(POD);
    const workload = POD.indexOf('workload');
    assert.deepEqual(inlayHints(result, report, false, workload, POD.length).map((hint) => hint.label), ['9.1 ms']);
    assert.deepEqual(inlayHints(result, undefined, false, 0, POD.length).map((hint) => hint.label), ['118 GB/s each']);
  });
});

describe('ide: code lenses', () => {
  it('offers simulate and the report above the fabric and each workload, with the last time', () => {
    const { check: result, report } = analysed(POD);
    const lenses = codeLenses(result, report, false).map((lens) => [POD.slice(lens.span.start, lens.span.end), lens.title, lens.action, lens.workload]);
    assert.deepEqual(lenses, [
      ['pod', 'Simulate', 'simulate', undefined],
      ['pod', 'Show report', 'show-report', undefined],
      ['step', 'Simulate · 9.1 ms', 'simulate', 'step'],
      ['step', 'Show report', 'show-report', 'step'],
    ]);
    assert.equal(codeLenses(result, report, true)[2].title, 'Simulate · was 9.1 ms');
  });
});

describe('ide: navigation', () => {
  const names = (text: string) => namesOf(check(text));
  const slices = (text: string, places: { span: { start: number; end: number } }[]) => places.map((p) => `${p.span.start}:${text.slice(p.span.start, p.span.end)}`);

  it('finds the declaration, every reference and the highlights of a device array', () => {
    const { text, offset } = cursor(POD.replace('over acc', 'over <|>acc'));
    const own = names(text);
    const found = nameAt(own, offset)!;
    assert.equal(found.occurrence.symbol.name, 'acc');
    const declared = text.indexOf('acc');
    assert.deepEqual(slices(text, [definition(own, found.occurrence)]), [`${declared}:acc`]);
    const views = symbolAcross(own, found.occurrence.symbol, () => [own]);
    const uses = [text.indexOf('acc[i]'), text.indexOf('acc[*]')];
    assert.deepEqual(slices(text, references(views, true)), [declared, ...uses].map((start) => `${start}:acc`));
    assert.deepEqual(slices(text, references(views, false)), uses.map((start) => `${start}:acc`));
    assert.deepEqual(
      highlights(own, found.occurrence.symbol).map((h) => h.write),
      [true, false, false],
    );
  });

  it('renames every occurrence, and refuses a name already taken or a built-in model', () => {
    const { text, offset } = cursor(POD.replace('switch sx', 'switch <|>sx'));
    const own = names(text);
    const found = nameAt(own, offset)!;
    const views = symbolAcross(own, found.occurrence.symbol, () => [own]);
    const renamed = renameEdits(views, 'plane');
    assert.ok('edits' in renamed);
    assert.deepEqual(renamed.edits.map((place) => text.slice(place.span.start, place.span.end)), ['sx', 'sx']);
    const taken = renameEdits(views, 'acc');
    assert.ok('problem' in taken && /acc/.test(taken.problem), JSON.stringify(taken));
    const model = nameAt(own, text.indexOf('scorpio_x'))!;
    const refused = prepareRename(own, model.occurrence);
    assert.ok('problem' in refused && /built-in|catalog/i.test(refused.problem), JSON.stringify(refused));
    assert.deepEqual(prepareRename(own, found.occurrence), { span: found.occurrence.span, placeholder: 'sx' });
  });
});

describe('ide: AI workloads', () => {
  const TRAIN = `fabric pod {
  gpu acc[8] : b200
  switch sx : scorpio_x
  for i in 0..7 { link acc[i] <-> sx : pcie6 x16 }
  workload pretrain {
    train llama3_70b over acc[*] { tp: 8  seq: 4096  global_batch: 8  recompute: full }
  }
}
`;

  it('describes a transformer: N and N_act counted by §13.1, FLOPs per token, weights in bf16', () => {
    // A = 2·8192² + 2·8192·8·128 = 150,994,944; M = 3·8192·28,672 = 704,643,072; 80 layers;
    // E = 128,256 · 8,192 twice: N = 80 · 855,638,016 + 2,101,346,304 = 70,552,387,584.
    const text = hoverText(TRAIN.replace('train llama3_70b', 'train <|>llama3_70b'))!;
    assert.match(text, /^\*\*transformer llama3_70b\*\* — dense \(built in\)/);
    assert.match(text, /N = 70\.6 B parameters; N_act = 70\.6 B per token/);
    // 2N bytes = 141,104,775,168 B = 131.4 GiB.
    assert.match(text, /weights in bf16: 131\.4 GiB/);
  });

  it('puts tokens/s, MFU and the share waiting on the fabric after a train statement, and the breakdown on its hover', () => {
    const { check: result, report } = analysed(TRAIN);
    const [hint] = inlayHints(result, report, false, TRAIN.indexOf('workload'), TRAIN.length);
    const train = report.workloads[0].steps[0].train!;
    assert.equal(hint.offset, TRAIN.indexOf('recompute: full }') + 'recompute: full }'.length);
    assert.match(hint.label, /^[\d.]+ ktok\/s · MFU [\d.]+ % · [\d.]+ % on the fabric$/);
    assert.ok(hint.label.includes(`MFU ${(train.mfu * 100).toFixed(1)} %`));
    const text = hoverText(TRAIN.replace('train llama3_70b', '<|>train llama3_70b'))!;
    assert.match(text, /^\*\*train\*\* in workload `pretrain`/);
    assert.match(text, /Step .*, 8 micro-batches: compute .* · tp .*/);
    assert.match(text, /\| 0 \| 80 \| .* of 178\.8 GiB \|/);
  });
});
