/**
 * `train` and `serve` (FABRIC-LANGUAGE-2.md §13) against values derived by hand from the spec's
 * formulas, on fabrics where every exchange has a closed form: accelerators on one Scorpio X, each
 * with one pcie6 x16 (B = 118.016 GB/s per direction; a step's α = 1 µs + 145 ns between two
 * accelerators; in-network reduction 1 µs + 2 × 132.5 ns).
 *
 * The transformer `tiny` is small enough to count by hand: h = 1024, a = kv = 8 (d = 128), ffn =
 * 4096 ungated, 2 layers, vocab 1000.
 *   A = 2h² + 2·h·kv·d = 2,097,152 + 2,097,152 = 4,194,304
 *   M = 2·h·ffn = 8,388,608
 *   E_in = E_out = 1,024,000;  N = 2·(A + M) + 2·E = 25,165,824 + 2,048,000 = 27,213,824
 * Accelerators: flops 100 TFLOP/s at compute_efficiency 0.5 (50 TFLOP/s), 1 TB/s HBM at 0.5.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StepReport } from '../../server/src/sim/report.js';
import { assertNoErrors, near, OVERHEAD, PAIR, simulate, X16 } from '../support/sim.js';

const TINY = 'transformer tiny { layers: 2 hidden: 1024 heads: 8 ffn: 4096 gated: false vocab: 1000 }';
const A = 4_194_304;
const M = 8_388_608;
const E = 1_024_000;
const N = 27_213_824;
const FLOPS = 50e12;
const HBM = 0.5e12;
const ALPHA = OVERHEAD + PAIR;

function fabric(ranks: number, statement: string, extra = ''): string {
  return `${TINY}
model acc_model : gpu { flops: 100 TFLOP/s  compute_efficiency: 0.5  hbm_bandwidth: 1 TB/s  hbm_efficiency: 0.5  memory: 80 GiB }
fabric f {
  gpu acc[${ranks}] : acc_model
  switch sx : scorpio_x
  memory pool
  link pool <-> sx : cxl x16
  for i in 0..${ranks - 1} { link acc[i] <-> sx : pcie6 x16 }
  ${extra}
  workload w { ${statement} }
}
`;
}

function step(text: string): StepReport {
  const report = simulate(text);
  assertNoErrors(report);
  return report.workloads[0].steps[0];
}

/** Forward FLOPs per token through one layer at context c: 2(A + M) + 4·h·c. */
const layer = (context: number) => 2 * (A + M) + 4 * 1024 * context;

describe('train: compute only (tp = pp = dp = 1)', () => {
  it('runs m micro-batches of forward and twice-as-costly backward; MFU is the compute efficiency', () => {
    const train = step(fabric(1, 'train tiny over acc[*] { seq: 1024  global_batch: 8 }')).train!;
    // F = T·(2 layers + 2·vocab·h) = 1024 · (2 · 29,360,128 + 2,048,000) = 62,226,694,144 FLOPs.
    const forward = (1024 * (2 * layer(1024) + 2 * E)) / FLOPS;
    const stepTime = 8 * 3 * forward;
    assert.equal(train.micro_batches, 8);
    near(train.breakdown_s.compute, stepTime, 1e-9, 'compute');
    near(train.tokens_per_s, 8192 / stepTime, 1e-9, 'tokens/s');
    // MFU = 3·(2(N − E_in) + 4·L·h·s)·tokens/s / flops, and 2(N − E_in) + 4Lhs is the forward per token.
    near(train.mfu, 0.5, 1e-9, 'MFU');
    assert.equal(train.waiting_on_fabric, 0);
  });
});

describe('train: data parallel', () => {
  // Each rank holds all of N; G = 2N bytes; ring reduce-scatter and all-gather over 2: α + G/2/B.
  const G = 2 * N;
  const ring = ALPHA + G / 2 / X16;
  const t = 3 * ((1024 * (2 * layer(1024) + 2 * E)) / FLOPS);

  it('hides the exchange behind a micro-batch of compute with overlap_dp', () => {
    const s = step(fabric(2, 'train tiny over acc[*] { dp: 2  seq: 1024  global_batch: 8 }'));
    near(s.time_s, 4 * t, 1e-9, 'step = m·t, the reduce-scatter shorter than a backward');
    assert.equal(s.train!.breakdown_s.dp, 0);
    const dp = s.train!.collectives.filter((c) => c.part === 'dp');
    assert.deepEqual(dp.map((c) => [c.kind, c.algorithm, c.ranks, c.groups]), [['reducescatter', 'ring', 2, 1], ['allgather', 'ring', 2, 1]]);
    near(dp[0].time_s, ring, 1e-6, 'reduce-scatter');
  });

  it('adds reduce-scatter and all-gather to the step without overlap', () => {
    const s = step(fabric(2, 'train tiny over acc[*] { dp: 2  seq: 1024  global_batch: 8  overlap_dp: false }'));
    near(s.time_s, 4 * t + 2 * ring, 1e-6, 'step');
    near(s.train!.breakdown_s.dp, 2 * ring, 1e-6, 'dp');
  });

  it('shards optimizer, gradients and weights over dp with zero 1, 2 and 3', () => {
    const memory = (zero: number) => step(fabric(2, `train tiny over acc[*] { dp: 2  seq: 1024  global_batch: 8  zero: ${zero} }`)).train!.stages[0].memory_bytes;
    const sixteen = 2 * N;
    // Activations without sequence parallelism: s·b·h·(10 + 24/tp + 5·a·s/(h·tp)) = 1024·1024·74 per layer, 2 layers, 1 in flight.
    const activations = 1024 * 1024 * 74 * 2;
    assert.deepEqual(memory(0), { weights: sixteen, gradients: sixteen, optimizer: 12 * N, activations, total: 16 * N + activations, capacity: 80 * 2 ** 30 });
    assert.equal(memory(1).optimizer, 6 * N);
    assert.equal(memory(2).gradients, N);
    assert.equal(memory(3).weights, N);
  });
});

describe('train: tensor parallel', () => {
  const X = 1024 * 1024 * 2;
  const compute = (3 * ((1024 * (2 * layer(1024) + 2 * E)) / 2)) / FLOPS;

  it('with sequence parallelism: per layer 4 all-gathers and 4 reduce-scatters of X = T·h·2 over the group', () => {
    const s = step(fabric(2, 'train tiny over acc[*] { tp: 2  seq: 1024  global_batch: 1 }'));
    // Ring over 2: α + (X/2)/B each (hypercast ties with the ring at p = 2: same α, same bandwidth term).
    const exchange = ALPHA + X / 2 / X16;
    near(s.train!.breakdown_s.tp, 2 * 8 * exchange, 1e-6, 'tp');
    near(s.time_s, compute + 2 * 8 * exchange, 1e-6, 'step');
  });

  it('without: per layer 4 all-reduces of X per rank, in the switch (1 µs + 2 × 132.5 ns + X/B)', () => {
    const s = step(fabric(2, 'train tiny over acc[*] { tp: 2  seq: 1024  global_batch: 1  sequence_parallel: false }'));
    const inc = OVERHEAD + 2 * 132.5e-9 + X / X16;
    assert.deepEqual(s.train!.collectives.map((c) => [c.kind, c.algorithm, c.count]), [['allreduce', 'inc', 8]]);
    near(s.train!.breakdown_s.tp, 8 * inc, 1e-6, 'tp');
  });
});

describe('train: pipeline', () => {
  // Stage 0 holds layer 0, stage 1 layer 1 and the output projection; each sends T·h·2 = 2 MiB
  // across (forward) and back (backward) as a flow: α + 2 MiB / B.
  const send = ALPHA + (1024 * 1024 * 2) / X16;
  const t0 = (3 * 1024 * layer(1024)) / FLOPS + send;
  const t1 = (3 * 1024 * (layer(1024) + 2 * E)) / FLOPS + send;

  for (const m of [1, 4]) {
    it(`1F1B with m = ${m} micro-batches ${m < 2 ? '<' : '>'} pp = 2: (m − 1)·max t_k + Σ t_k`, () => {
      const train = step(fabric(2, `train tiny over acc[*] { pp: 2  seq: 1024  global_batch: ${m} }`)).train!;
      const pipe = (m - 1) * Math.max(t0, t1) + t0 + t1;
      near(train.stages[0].time_s, t0, 1e-6, 't_0');
      near(train.stages[1].time_s, t1, 1e-6, 't_1');
      near(8192 / 8 * m / train.tokens_per_s, pipe, 1e-6, 'step');
      near(train.breakdown_s.bubble, pipe - m * t1, 1e-6, 'bubble');
      const parts = Object.values(train.breakdown_s).reduce((a, b) => a + b, 0);
      near(parts, pipe, 1e-9, 'the breakdown adds up to the step');
    });
  }
});

describe('train: expert parallel', () => {
  it('per MoE layer 4 all-to-alls of T·top_k·h·2 over each EP group', () => {
    const moe = fabric(4, 'train mix over acc[*] { dp: 4  ep: 2  seq: 1024  global_batch: 4 }').replace(TINY, `${TINY}\ntransformer mix { layers: 2 hidden: 1024 heads: 8 ffn: 4096 gated: false vocab: 1000 experts: 4 top_k: 2 }`);
    const train = step(moe).train!;
    const ep = train.collectives.filter((c) => c.part === 'ep');
    // Y = 1024 · 2 · 1024 · 2 = 4 MiB per rank; all-to-all over 2: α + (p − 1)/p · Y / B.
    const Y = 4 * 2 ** 20;
    assert.deepEqual(ep.map((c) => [c.kind, c.bytes, c.ranks, c.groups, c.count]), [['alltoall', Y, 2, 2, 8]]);
    near(ep[0].time_s, ALPHA + Y / 2 / X16, 1e-6, 'all-to-all');
    near(train.breakdown_s.ep, 8 * ep[0].time_s, 1e-9, 'ep');
  });
});

describe('serve', () => {
  // b = 2, P = 128, output 64, tp = 1. Prefill: b·P·Σ(2(A + M) + 4·h·P/2) + b·2·vocab·h.
  const prefill = (2 * 128 * 2 * layer(64) + 2 * 2 * E) / FLOPS;
  // Decode at c = P + output/2 = 160: compute b·(Σ(2(A+M) + 4hc) + 2·vocab·h) against reading
  // W = 2·(N − E_in) and K = 2·L·kv·d·c·b·2 bytes.
  const W = 2 * (N - E);
  const K = 2 * 2 * 8 * 128 * 160 * 2 * 2;

  it('with the KV cache in HBM: TTFT from compute, TPOT bound by reading weights and cache', () => {
    const serve = step(fabric(1, 'serve tiny over acc[*] { batch: 2  prompt: 128  output: 64 }')).serve!;
    near(serve.ttft_s, prefill, 1e-9, 'TTFT');
    const decodeCompute = (2 * (2 * layer(160) + 2 * E)) / FLOPS;
    assert.ok(decodeCompute < (W + K) / HBM);
    near(serve.tpot_s, (W + K) / HBM, 1e-9, 'TPOT');
    near(serve.tokens_per_s, (2 * 64) / (prefill + 64 * serve.tpot_s), 1e-9, 'tokens/s');
    // Memory: weights 2N and the cache at the final context 192.
    assert.equal(serve.stages[0].memory_bytes.total, 2 * N + 2 * 2 * 8 * 128 * 192 * 2 * 2);
  });

  it('with the KV cache in a CXL pool: the weights from HBM, the cache read over the fabric', () => {
    const text = fabric(1, 'serve tiny over acc[*] { batch: 2  prompt: 128  output: 64  kv_cache: pool }', 'allocate 1 GiB of pool to acc[*]');
    const serve = step(text).serve!;
    // The read: 2 × 145 ns + 170 ns access + K at the expander's 64 GB/s media.
    const read = 2 * PAIR + 170e-9 + K / 64e9;
    assert.ok(read < W / HBM);
    near(serve.tpot_s, W / HBM, 1e-9, 'TPOT: the weights still bound the step');
    const kv = serve.collectives.find((c) => c.part === 'kv')!;
    near(kv.time_s, read, 1e-6, 'KV read');
    assert.equal(kv.count, 64);
    assert.equal(serve.stages[0].memory_bytes.kv_cache, 0);
  });
});

describe('train and serve: diagnostics', () => {
  it('memory-capacity names the stage, each part and a remedy that fits', () => {
    const text = fabric(1, 'train tiny over acc[*] { seq: 1024  global_batch: 8 }').replace('memory: 80 GiB', 'memory: 500 MiB');
    const report = simulate(text);
    const [diagnostic] = report.diagnostics.filter((d) => d.code === 'memory-capacity');
    assert.match(diagnostic.message, /^stage 0 needs .* per rank \(weights .*, gradients .*, optimizer .*, activations .*\), over the 500 MiB of acc; .*`recompute: full` would fit/);
  });

  it('the expectations measure tokens/s, MFU, TTFT and TPOT', () => {
    const text = fabric(1, 'train tiny over acc[*] { seq: 1024  global_batch: 8 }', 'expect mfu w >= 49%\n  expect throughput w > 1 Mtok/s');
    const report = simulate(text);
    assert.deepEqual(report.expectations.map((e) => [e.metric, e.pass]), [['mfu', true], ['throughput', false]]);
    assert.match(report.diagnostics.find((d) => d.code === 'expectation-failed')!.message, /^throughput of `w` is 0\.27\d* Mtok\/s, but the expectation is > 1 Mtok\/s$/);
  });
});
