/**
 * What `train` and `serve` share (FABRIC-LANGUAGE-2.md §13): the statements' types, the devices'
 * compute figures with their defaults, the layers of each pipeline stage and the parameters a
 * rank holds, and the exchange log that becomes the report's `collectives`.
 */
import { attentionParams, embeddingParams, mlpParams } from '../model/transformer-params.js';
import type { Device, ResolvedStatement, TransformerShape } from '../model/types.js';
import { formatQuantity } from '../model/units.js';
import type { ExchangeTimer, ExchangeTiming, FabricExchange } from './exchanges.js';
import type { ExchangeReport, ServeReport, TrainReport } from './report.js';

export type TransformerStatement = Extract<ResolvedStatement, { type: 'train' | 'serve' }>;

export interface TransformerOutcome {
  /** The step's time; undefined when an exchange could not be simulated (its diagnostic says why). */
  time?: number;
  train?: TrainReport;
  serve?: ServeReport;
  /** Estimated figures the result rests on beyond the fabric's (compute and memory efficiencies). */
  assumptions: string[];
}

/** Defaults of §13.2, both estimates. */
export const DEFAULT_COMPUTE_EFFICIENCY = 0.75;
export const DEFAULT_HBM_EFFICIENCY = 0.85;

/** The slowest device of a set, as the figures §13.2's t_compute and t_hbm divide by. */
export interface Compute {
  /** flops × compute_efficiency, FLOP/s. */
  flops: number;
  /** hbm_bandwidth × hbm_efficiency, B/s (0 when a device has none). */
  hbm: number;
  /** The smallest device memory, bytes, or null when a device declares none. */
  memory: number | null;
}

export function computeOf(devices: readonly Device[]): Compute {
  let flops = Infinity;
  let hbm = Infinity;
  let memory: number | null = Infinity;
  for (const device of devices) {
    const spec = device.array.spec;
    flops = Math.min(flops, (spec.flops?.value ?? 0) * (spec.compute_efficiency?.value ?? DEFAULT_COMPUTE_EFFICIENCY));
    hbm = Math.min(hbm, (spec.hbm_bandwidth?.value ?? 0) * (spec.hbm_efficiency?.value ?? DEFAULT_HBM_EFFICIENCY));
    memory = spec.memory === undefined || memory === null ? null : Math.min(memory, spec.memory.value);
  }
  return { flops, hbm, memory: memory === Infinity ? null : memory };
}

/** The efficiencies a result rests on when the devices leave them at their estimated defaults, and every compute figure marked estimate. */
export function computeAssumptions(devices: readonly Device[], hbm: boolean): string[] {
  const notes = new Set<string>();
  for (const array of new Set(devices.map((d) => d.array))) {
    const spec = array.spec;
    if (!spec.compute_efficiency) notes.add(`compute_efficiency ${DEFAULT_COMPUTE_EFFICIENCY} of \`flops\` (estimate: the default of §13.2 for large matrix products)`);
    if (hbm && !spec.hbm_efficiency) notes.add(`hbm_efficiency ${DEFAULT_HBM_EFFICIENCY} of \`hbm_bandwidth\` (estimate: the default of §13.2 for a streaming read)`);
    const keys: ('flops' | 'compute_efficiency' | 'hbm_bandwidth' | 'hbm_efficiency')[] = hbm ? ['flops', 'compute_efficiency', 'hbm_bandwidth', 'hbm_efficiency'] : ['flops', 'compute_efficiency'];
    for (const key of keys) {
      const attr = spec[key];
      if (!attr?.estimate) continue;
      const value = key === 'flops' ? formatQuantity(attr.value, 'compute') : key === 'hbm_bandwidth' ? formatQuantity(attr.value, 'bandwidth') : String(attr.value);
      notes.add(`${attr.setBy} ${key} ${value} (${attr.estimate})`);
    }
  }
  return [...notes];
}

/**
 * The layers of each pipeline stage, 0-based: consecutive layers, the first `layers mod pp` stages
 * one more; with v virtual stages per rank, stage k holds chunks j·pp + k (j < v) of layers/(pp·v).
 */
export function stageLayers(layers: number, pp: number, virtualStages = 1): number[][] {
  const stages: number[][] = Array.from({ length: pp }, () => []);
  if (virtualStages > 1) {
    const chunk = layers / (pp * virtualStages);
    for (let j = 0; j < virtualStages; j++) {
      for (let k = 0; k < pp; k++) for (let i = 0; i < chunk; i++) stages[k].push((j * pp + k) * chunk + i);
    }
    return stages;
  }
  const base = Math.floor(layers / pp);
  const extra = layers % pp;
  let next = 0;
  for (let k = 0; k < pp; k++) {
    const count = base + (k < extra ? 1 : 0);
    for (let i = 0; i < count; i++) stages[k].push(next++);
  }
  return stages;
}

/** Parameters a rank of a stage holds: attention and dense MLP over tp, experts over tp·ep, embeddings on the end stages. */
export function heldParameters(shape: TransformerShape, layers: readonly number[], stage: number, stages: number, tp: number, ep: number): { dense: number; expert: number } {
  let dense = 0;
  let expert = 0;
  const attention = attentionParams(shape);
  for (const layer of layers) {
    const mlp = mlpParams(shape, layer);
    dense += attention + mlp.dense;
    expert += mlp.expert;
  }
  if (stage === 0) dense += embeddingParams(shape);
  if (stage === stages - 1) dense += embeddingParams(shape);
  return { dense: dense / tp, expert: expert / (tp * ep) };
}

/** Forward FLOPs of one token through a set of layers at context c, per §13.3 (A + M_act, and 4·h·c attention). */
export function layerFlopsPerToken(shape: TransformerShape, layers: readonly number[], context: number): number {
  const attention = attentionParams(shape);
  let flops = 0;
  for (const layer of layers) flops += 2 * (attention + mlpParams(shape, layer).active) + 4 * shape.hidden * context;
  return flops;
}

/** Times the exchanges on the fabric and keeps each distinct one, with how often the step runs it, for the report. */
export class ExchangeLog {
  readonly entries = new Map<string, ExchangeReport>();
  problem?: string;

  constructor(private readonly timer: ExchangeTimer) {}

  /** One run's timing; `runs` is how many times the step performs it (it adds up over calls). */
  time(part: string, exchange: FabricExchange, runs: number, stage: number | null): ExchangeTiming {
    const timing = this.timer.time(exchange);
    if (timing.problem) this.problem ??= timing.problem;
    if (runs > 0 && timing.groups > 0 && exchange.bytes > 0) {
      const key = `${part} ${stage} ${exchange.kind} ${exchange.bytes} ${exchange.groups[0]?.map((d) => d.id).join(',')}`;
      const known = this.entries.get(key);
      if (known) known.count += runs;
      else
        this.entries.set(key, {
          kind: exchange.kind,
          part,
          stage,
          bytes: exchange.bytes,
          ranks: timing.ranks,
          groups: timing.groups,
          algorithm: timing.algorithm,
          time_s: timing.time,
          bottleneck: timing.bottleneck,
          count: runs,
        });
    }
    return timing;
  }

  reports(): ExchangeReport[] {
    return [...this.entries.values()];
  }

  /** A log on the same timer (timings shared) whose entries stay out of this one's report. */
  shadow(): ExchangeLog {
    return new ExchangeLog(this.timer);
  }
}
