/**
 * `train` (FABRIC-LANGUAGE-2.md §13.3): the ranks laid out by `order`, every TP, EP, PP and DP
 * exchange of a stage simulated with all its concurrent groups in one phase, the 1F1B pipeline,
 * the overlap of the data-parallel exchange, memory per stage, the breakdown and MFU. The
 * `placement` hint compares the other order; `memory-capacity` names the stage that does not fit.
 */
import type { DiagnosticSink } from '../model/diagnostics.js';
import { isMoeLayer, trainingFlopsPerToken } from '../model/transformer-params.js';
import type { FabricModel, TrainConfig, TransformerShape } from '../model/types.js';
import { formatQuantity } from '../model/units.js';
import type { StageMemory, TrainReport, TrainStageReport } from './report.js';
import { computeAssumptions, computeOf, heldParameters, layerFlopsPerToken, stageLayers, type ExchangeLog, type TransformerOutcome, type TransformerStatement } from './stage-model.js';

type Train = Extract<TransformerStatement, { type: 'train' }>;

/** Rank r's (tp, dp, stage) indices and back (§13.3 "Ranks"). */
function layout(config: TrainConfig) {
  const { tp, dp, pp, order } = config;
  const rankOf = (t: number, d: number, k: number) => (order === 'tp_dp_pp' ? t + tp * (d + dp * k) : t + tp * (k + pp * d));
  return { rankOf };
}

interface StageTimes {
  forward: number;
  backward: number;
  /** Compute of one micro-batch, recomputation included. */
  compute: number;
  tp: number;
  ep: number;
  pp: number;
  /** `zero: 3`'s weight gathers beyond the compute they overlap, per micro-batch. */
  zero3: number;
  total: number;
}

/** The step of one layout: per-stage times from the fabric, the pipeline, the DP phase. */
function stepOf(statement: Train, config: TrainConfig, log: ExchangeLog) {
  const shape = statement.transformer.shape;
  const { tp, pp, dp, ep, seq: s, microBatch: b } = config;
  const h = shape.hidden;
  const { rankOf } = layout(config);
  const device = (r: number) => statement.ranks[r];
  const m = config.globalBatch / (dp * b);
  const T = b * s;
  const layersOf = stageLayers(shape.layers, pp, config.virtualStages);
  const v = config.virtualStages;
  const algorithm = 'auto' as const;
  const range = (n: number) => Array.from({ length: n }, (_, i) => i);

  const tpGroups = (k: number) => range(dp).map((d) => range(tp).map((t) => device(rankOf(t, d, k))));
  const dpGroups = (k: number) => range(tp).map((t) => range(dp).map((d) => device(rankOf(t, d, k))));
  const epGroups = (k: number) => range(tp).flatMap((t) => range(dp / ep).map((e) => range(ep).map((j) => device(rankOf(t, e * ep + j, k)))));
  const expertDpGroups = (k: number) => range(tp).flatMap((t) => range(ep).map((j) => range(dp / ep).map((e) => device(rankOf(t, e * ep + j, k)))));
  const sends = (from: number, to: number) => range(tp).flatMap((t) => range(dp).map((d) => [device(rankOf(t, d, from)), device(rankOf(t, d, to))]));

  const held = layersOf.map((layers, k) => heldParameters(shape, layers, k, pp, tp, ep));
  const computeOfStage = layersOf.map((_, k) => computeOf(tpGroups(k).flat()));

  const stages: StageTimes[] = layersOf.map((layers, k) => {
    const flops = computeOfStage[k].flops;
    const forwardFlops = (T * (layerFlopsPerToken(shape, layers, s) + (k === pp - 1 ? 2 * shape.vocab * h : 0))) / tp;
    const forward = forwardFlops / flops;
    const backward = (2 * forwardFlops) / flops;
    const recompute = config.recompute === 'full' ? forward : config.recompute === 'selective' ? (T * 4 * h * s * layers.length) / tp / flops : 0;
    const x = T * h * 2;
    // Per layer and micro-batch: forward 2 exchanges, backward 2, and 2 more when full recomputation reruns the forward.
    const tpRuns = layers.length * (config.recompute === 'full' ? 6 : 4);
    let tpTime = 0;
    if (tp > 1) {
      const groups = tpGroups(k);
      if (config.sequenceParallel) {
        tpTime += tpRuns * log.time('tp', { kind: 'allgather', bytes: x, groups, algorithm }, tpRuns * m, k).time;
        tpTime += tpRuns * log.time('tp', { kind: 'reducescatter', bytes: x, groups, algorithm }, tpRuns * m, k).time;
      } else {
        tpTime += tpRuns * log.time('tp', { kind: 'allreduce', bytes: x, groups, algorithm }, tpRuns * m, k).time;
      }
    }
    let epTime = 0;
    const moeLayers = layers.filter((layer) => isMoeLayer(shape, layer)).length;
    if (ep > 1 && moeLayers > 0) {
      const runs = 4 * moeLayers;
      epTime = runs * log.time('ep', { kind: 'alltoall', bytes: (T * shape.topK * h * 2) / tp, groups: epGroups(k), algorithm }, runs * m, k).time;
    }
    let ppTime = 0;
    const activation = (T * h * 2) / tp;
    if (k < pp - 1) ppTime += v * log.time('pp', { kind: 'send', bytes: activation, groups: sends(k, k + 1), algorithm }, v * m, k).time;
    if (k > 0) ppTime += v * log.time('pp', { kind: 'send', bytes: activation, groups: sends(k, k - 1), algorithm }, v * m, k).time;
    let zero3 = 0;
    if (config.zero === 3 && dp > 1) {
      const gather = log.time('dp-zero3', { kind: 'allgather', bytes: 2 * (held[k].dense + held[k].expert), groups: dpGroups(k), algorithm }, 2 * m, k).time;
      zero3 = Math.max(0, gather - forward) + Math.max(0, gather - backward);
    }
    const compute = forward + backward + recompute;
    return { forward, backward, compute, tp: tpTime, ep: epTime, pp: ppTime, zero3, total: compute + tpTime + epTime + ppTime + zero3 };
  });

  const slowest = Math.max(...stages.map((t) => t.total));
  const critical = stages.findIndex((t) => t.total === slowest);
  const pipe = pp === 1 ? m * stages[0].total : v > 1 ? m * slowest + ((pp - 1) * slowest) / v : (m - 1) * slowest + stages.reduce((sum, t) => sum + t.total, 0);

  // Data parallel after the pipeline: every stage's groups in one phase (dense over dp, experts over expert-dp).
  const dpExposed = stages.map(() => 0);
  if (dp > 1) {
    const dense = layersOf.map((_, k) => dpGroups(k));
    const expert = ep > 1 ? layersOf.map((_, k) => expertDpGroups(k)) : [];
    const groups = [...dense.flat(), ...expert.flat()];
    const stageOf = [...dense.flatMap((list, k) => list.map(() => k)), ...expert.flatMap((list, k) => list.map(() => k))];
    const groupBytes = [...dense.flatMap((list, k) => list.map(() => 2 * held[k].dense)), ...expert.flatMap((list, k) => list.map(() => 2 * held[k].expert))];
    const bytes = Math.max(...groupBytes);
    const perStage = (kind: 'allreduce' | 'reducescatter' | 'allgather') => {
      const timing = log.time('dp', { kind, bytes, groups, groupBytes, algorithm }, 1, null);
      const times = stages.map(() => 0);
      timing.groupTimes.forEach((time, i) => (times[stageOf[i]] = Math.max(times[stageOf[i]], time)));
      return times;
    };
    const rs = perStage(config.zero === 0 ? 'allreduce' : 'reducescatter');
    const ag = config.zero === 0 ? stages.map(() => 0) : perStage('allgather');
    stages.forEach((t, k) => {
      dpExposed[k] = config.overlapDp ? Math.max(0, rs[k] - t.backward) + Math.max(0, ag[k] - t.forward) : rs[k] + ag[k];
    });
  }
  const step = pipe + Math.max(...dpExposed);
  return { stages, critical, pipe, step, m, dpExposed, held, layersOf, memoryCapacity: computeOfStage.map((c) => c.memory) };
}

/** Bytes per rank of stage k (§13.3 "Memory"), activations after Korthikanti et al. 2022. */
function stageMemory(shape: TransformerShape, config: TrainConfig, stage: number, layers: number, held: { dense: number; expert: number }, m: number, capacity: number | null): StageMemory {
  const { tp, pp, dp, ep, seq: s, microBatch: b } = config;
  const h = shape.hidden;
  const a = shape.heads;
  const shard = (bytesPerParam: number, from: number) => bytesPerParam * (config.zero >= from ? held.dense / dp + held.expert / Math.max(1, dp / ep) : held.dense + held.expert);
  const attentionScores = config.recompute === 'selective' ? 0 : 1;
  const perLayer =
    config.recompute === 'full'
      ? (2 * s * b * h) / (config.sequenceParallel ? tp : 1)
      : config.sequenceParallel
        ? (s * b * h * (34 + (attentionScores * 5 * a * s) / h)) / tp
        : s * b * h * (10 + 24 / tp + (attentionScores * 5 * a * s) / (h * tp));
  const memory = {
    weights: shard(2, 3),
    gradients: shard(2, 2),
    optimizer: shard(12, 1),
    activations: perLayer * layers * Math.min(pp - stage, m),
  };
  return { ...memory, total: memory.weights + memory.gradients + memory.optimizer + memory.activations, capacity };
}

export function simulateTrain(statement: Train, log: ExchangeLog, fabric: FabricModel, sink: DiagnosticSink): TransformerOutcome {
  const { config, transformer } = statement;
  const shape = transformer.shape;
  const result = stepOf(statement, config, log);
  const assumptions = computeAssumptions(statement.ranks, false);
  if (log.problem) return { assumptions };
  const p = statement.ranks.length;
  const tokensPerS = (config.globalBatch * config.seq) / result.step;
  const peak = statement.ranks.reduce((sum, d) => sum + (d.array.spec.flops?.value ?? 0), 0);
  const k = result.critical;
  const t = result.stages[k];
  const m = result.m;
  const breakdown = {
    compute: m * t.compute,
    tp: m * t.tp,
    ep: m * t.ep,
    pp: m * t.pp,
    bubble: result.pipe - m * t.total,
    dp: Math.max(...result.dpExposed) + m * t.zero3,
  };
  const stages: TrainStageReport[] = result.stages.map((times, stage) => ({
    stage,
    layers: result.layersOf[stage].length,
    time_s: times.total,
    compute_s: times.compute,
    tp_s: times.tp,
    ep_s: times.ep,
    pp_s: times.pp,
    dp_exposed_s: result.dpExposed[stage] + times.zero3,
    memory_bytes: stageMemory(shape, config, stage, result.layersOf[stage].length, result.held[stage], m, result.memoryCapacity[stage]),
  }));
  const train: TrainReport = {
    transformer: transformer.name,
    tokens_per_s: tokensPerS,
    tokens_per_s_per_accelerator: tokensPerS / p,
    mfu: (trainingFlopsPerToken(shape, config.seq) * tokensPerS) / peak,
    micro_batches: m,
    breakdown_s: breakdown,
    waiting_on_fabric: (breakdown.tp + breakdown.ep + breakdown.pp + breakdown.dp) / result.step,
    stages,
    collectives: log.reports(),
  };
  reportMemory(statement, stages, fabric, sink);
  hintPlacement(statement, result.step, log, fabric, sink);
  return { time: result.step, train, assumptions };
}

function reportMemory(statement: Train, stages: TrainStageReport[], fabric: FabricModel, sink: DiagnosticSink): void {
  const over = stages.find((stage) => stage.memory_bytes.capacity !== null && stage.memory_bytes.total > stage.memory_bytes.capacity);
  if (!over) return;
  const { config } = statement;
  const size = (bytes: number) => formatQuantity(bytes, 'size');
  const mem = over.memory_bytes;
  const fits = (changed: Partial<TrainConfig>) => {
    const next = { ...config, ...changed };
    const layers = stageLayers(statement.transformer.shape.layers, next.pp, next.virtualStages);
    return layers.every((list, k) => stageMemory(statement.transformer.shape, next, k, list.length, heldParameters(statement.transformer.shape, list, k, next.pp, next.tp, next.ep), next.globalBatch / (next.dp * next.microBatch), mem.capacity).total <= mem.capacity!);
  };
  const p = statement.ranks.length;
  const remedies = [
    ...(config.zero < 3 && fits({ zero: (config.zero + 1) as TrainConfig['zero'] }) ? [`\`zero: ${config.zero + 1}\``] : []),
    ...(config.zero < 3 && !fits({ zero: (config.zero + 1) as TrainConfig['zero'] }) && fits({ zero: 3 }) ? ['`zero: 3`'] : []),
    ...(config.recompute !== 'full' && fits({ recompute: 'full' }) ? ['`recompute: full`'] : []),
    ...(statement.transformer.shape.heads % (2 * config.tp) === 0 && config.dp % 2 === 0 && fits({ tp: 2 * config.tp, dp: config.dp / 2 }) ? [`\`tp: ${2 * config.tp}\` (dp ${config.dp / 2})`] : []),
    ...(config.dp % 2 === 0 && 2 * config.pp <= statement.transformer.shape.layers && fits({ pp: 2 * config.pp, dp: config.dp / 2 }) ? [`\`pp: ${2 * config.pp}\` (dp ${config.dp / 2})`] : []),
  ];
  const device = statement.ranks[0];
  sink.report({
    file: fabric.file,
    span: statement.span,
    code: 'memory-capacity',
    message: `stage ${over.stage} needs ${size(mem.total)} per rank (weights ${size(mem.weights)}, gradients ${size(mem.gradients)}, optimizer ${size(mem.optimizer)}, activations ${size(mem.activations)}), over the ${size(mem.capacity!)} of ${device.array.name}; ${remedies.length > 0 ? `${remedies.join(', ')} would fit` : `none of a higher zero, recompute: full, doubling tp or pp would fit on ${p} ranks; use accelerators with more memory`}`,
  });
}

/** `placement`: the other rank order would give a step at least hint_threshold shorter. */
function hintPlacement(statement: Train, step: number, log: ExchangeLog, fabric: FabricModel, sink: DiagnosticSink): void {
  const { config } = statement;
  if (config.pp === 1 || config.dp === 1) return;
  const other = config.order === 'tp_dp_pp' ? 'tp_pp_dp' : 'tp_dp_pp';
  const alternative = stepOf(statement, { ...config, order: other }, log.shadow()).step;
  if (!(alternative > 0) || step < alternative * fabric.settings.hint_threshold) return;
  const time = (seconds: number) => formatQuantity(seconds, 'time');
  sink.report({
    file: fabric.file,
    span: statement.span,
    code: 'placement',
    message: `\`order: ${other}\` would take ${time(alternative)} a step instead of ${time(step)} with ${config.order} (${(step / alternative).toFixed(2)}× faster): its groups sit closer on this fabric`,
    data: { suggestion: other },
  });
}
