/**
 * `serve` (FABRIC-LANGUAGE-2.md §13.4): prefill and one decode step per pipeline stage, all
 * replicas at once on the fabric. Decode is bound by compute, by reading the weights and the KV
 * cache from HBM, or — with the KV cache in a memory device — by that read over the fabric, the
 * memory-semantic path CXL pools behind Scorpio X exist for. TTFT, TPOT, tokens/s and memory.
 */
import type { DiagnosticSink } from '../model/diagnostics.js';
import { formatQuantity } from '../model/units.js';
import type { FabricModel, ServeConfig, TransformerShape } from '../model/types.js';
import type { ServeReport, ServeStageReport } from './report.js';
import { computeAssumptions, computeOf, heldParameters, layerFlopsPerToken, stageLayers, type ExchangeLog, type TransformerOutcome, type TransformerStatement } from './stage-model.js';

type Serve = Extract<TransformerStatement, { type: 'serve' }>;

/** KV-cache bytes of one rank's layers at a context: 2 (K and V) · layers · ⌈kv/tp⌉ · d · c · b · 2 bytes. */
function kvBytes(shape: TransformerShape, layers: number, config: ServeConfig, context: number): number {
  const d = shape.hidden / shape.heads;
  return 2 * layers * Math.ceil(shape.kvHeads / config.tp) * d * context * config.batch * 2;
}

export function simulateServe(statement: Serve, log: ExchangeLog, fabric: FabricModel, sink: DiagnosticSink): TransformerOutcome {
  const { config, transformer } = statement;
  const shape = transformer.shape;
  const { tp, pp, replicas, batch: b, prompt: P, output } = config;
  const h = shape.hidden;
  const algorithm = config.algorithm;
  const range = (n: number) => Array.from({ length: n }, (_, i) => i);
  // Ranks are laid out tp, then pp, then replica.
  const device = (t: number, k: number, r: number) => statement.ranks[t + tp * (k + pp * r)];
  const tpGroups = (k: number) => range(replicas).map((r) => range(tp).map((t) => device(t, k, r)));
  const sends = (k: number) => range(replicas).flatMap((r) => range(tp).map((t) => [device(t, k, r), device(t, k + 1, r)]));
  const layersOf = stageLayers(shape.layers, pp);
  const context = P + output / 2;
  const kvCache = config.kvCache;

  const stages = layersOf.map((layers, k) => {
    const compute = computeOf(tpGroups(k).flat());
    const logits = k === pp - 1 ? 2 * shape.vocab * h : 0;
    const exchanges = (tokens: number, runs: number) => {
      let time = 0;
      if (tp > 1) time += 2 * layers.length * log.time('tp', { kind: 'allreduce', bytes: tokens * h * 2, groups: tpGroups(k), algorithm }, 2 * layers.length * runs, k).time;
      if (k < pp - 1) time += log.time('pp', { kind: 'send', bytes: (tokens * h * 2) / tp, groups: sends(k), algorithm }, runs, k).time;
      return time;
    };
    // Prefill: causal attention at a mean context P/2; logits only for each sequence's last prompt token.
    const prefillFlops = (b * P * layerFlopsPerToken(shape, layers, P / 2) + b * logits) / tp;
    const prefill = prefillFlops / compute.flops + exchanges(b * P, 1);
    // Decode: one token per sequence at the mean context P + output/2.
    const decodeFlops = (b * (layerFlopsPerToken(shape, layers, context) + logits)) / tp;
    const held = heldParameters(shape, layers, k, pp, tp, 1);
    const inputEmbedding = k === 0 ? (shape.vocab * h) / tp : 0;
    const expertShare = shape.experts > 0 ? Math.min(1, (b * shape.topK) / shape.experts) : 0;
    const weights = 2 * (held.dense - inputEmbedding + expertShare * held.expert);
    const kv = kvBytes(shape, layers.length, config, context);
    let memoryBound: number;
    if (kvCache === 'hbm') memoryBound = (weights + kv) / compute.hbm;
    else {
      const readers = range(replicas).flatMap((r) => range(tp).map((t) => [device(t, k, r), kvCache]));
      memoryBound = Math.max(weights / compute.hbm, log.time('kv', { kind: 'read', bytes: kv, groups: readers, algorithm }, output, k).time);
    }
    const decode = Math.max(decodeFlops / compute.flops, memoryBound) + exchanges(b, output);
    const weightsHeld = 2 * (held.dense + held.expert);
    const cache = kvCache === 'hbm' ? kvBytes(shape, layers.length, config, P + output) : 0;
    const report: ServeStageReport = {
      stage: k,
      layers: layers.length,
      prefill_s: prefill,
      decode_step_s: decode,
      memory_bytes: { weights: weightsHeld, gradients: 0, optimizer: 0, activations: 0, kv_cache: cache, total: weightsHeld + cache, capacity: compute.memory },
    };
    return report;
  });
  const assumptions = computeAssumptions(statement.ranks, true);
  if (log.problem) return { assumptions };
  const ttft = stages.reduce((sum, s) => sum + s.prefill_s, 0);
  const tpot = stages.reduce((sum, s) => sum + s.decode_step_s, 0);
  const time = ttft + output * tpot;
  const tokensPerS = (replicas * b * output) / time;
  const serve: ServeReport = {
    transformer: transformer.name,
    ttft_s: ttft,
    tpot_s: tpot,
    tokens_per_s: tokensPerS,
    tokens_per_s_per_accelerator: tokensPerS / statement.ranks.length,
    stages,
    collectives: log.reports(),
  };
  reportMemory(statement, stages, fabric, sink);
  return { time, serve, assumptions };
}

function reportMemory(statement: Serve, stages: ServeStageReport[], fabric: FabricModel, sink: DiagnosticSink): void {
  const size = (bytes: number) => formatQuantity(bytes, 'size');
  const { config } = statement;
  const report = (message: string) => sink.report({ file: fabric.file, span: statement.span, code: 'memory-capacity', message });
  const over = stages.find((s) => s.memory_bytes.capacity !== null && s.memory_bytes.total > s.memory_bytes.capacity);
  if (over) {
    const m = over.memory_bytes;
    const cache = config.kvCache === 'hbm' ? `, KV cache ${size(m.kv_cache ?? 0)} at ${config.prompt + config.output} tokens × ${config.batch} sequences` : '';
    report(`stage ${over.stage} needs ${size(m.total)} per rank (weights ${size(m.weights)}${cache}), over the ${size(m.capacity!)} of ${statement.ranks[0].array.name}; a higher tp or pp, a smaller batch, or the KV cache in a memory pool (\`kv_cache: POOL\`) would lower it`);
    return;
  }
  if (config.kvCache === 'hbm') return;
  const memory = config.kvCache;
  const allocated = Math.min(...fabric.allocations.filter((a) => a.memory === memory).map((a) => a.bytes));
  const layers = stageLayers(statement.transformer.shape.layers, config.pp);
  const needed = Math.max(...layers.map((list) => kvBytes(statement.transformer.shape, list.length, config, config.prompt + config.output)));
  if (needed > allocated) {
    report(`each rank's KV cache needs ${size(needed)} in ${memory.name} at ${config.prompt + config.output} tokens × ${config.batch} sequences, and its allocation is ${size(allocated)}; allocate at least ${size(needed)} of ${memory.name} to each rank, or serve a smaller batch`);
  }
}
