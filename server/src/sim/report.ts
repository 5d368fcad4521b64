/**
 * The simulation report (FABRIC-LANGUAGE.md §10): what `fabric simulate --format json` prints,
 * what the language server's `fabric/simulate` returns and what the report view draws.
 * SI units throughout (seconds, bytes); bandwidths in GB/s (10^9 B/s) as nccl-tests does.
 */

export type AlgorithmName = 'ring' | 'tree' | 'inc' | 'hypercast' | 'direct';

export interface StepReport {
  /** `allreduce`, `reducescatter`, `allgather`, `broadcast`, `alltoall`, `flow`, `read`, `write`, `compute`. */
  op: string;
  /** 1-based line of the statement. */
  line: number;
  /** The algorithm simulated: for collectives the one chosen (or named); `direct` for flow, read, write; null for compute. */
  algorithm: AlgorithmName | null;
  /** SIZE as written, in bytes (per rank for allreduce and broadcast, total for allgather, reducescatter, alltoall; per device for read and write). */
  bytes: number;
  /** Number of ranks (p), or of reading/writing devices; 2 for a flow; 0 for compute. */
  ranks: number;
  /** The step's time in its real context (shared with the statements of its `parallel` block). */
  time_s: number;
  /** bytes / time_s, in GB/s (null for compute). */
  algbw_GBps: number | null;
  /** algbw × the nccl-tests factor of §9, in GB/s (null for compute). */
  busbw_GBps: number | null;
  /** The saturated resource on the path of the last flow to finish (`sx[0] -> sx[1]`, `pool (media)`), or null when latency dominates. */
  bottleneck: string | null;
  /** Each algorithm the hardware supports for this statement → its time alone on the idle fabric. */
  alternatives: Record<string, number>;
  /** Index of the phase (top-level statement or whole `parallel` block) within the workload. */
  phase: number;
  /** The latency part of time_s (alpha terms), and the transfer part. */
  latency_s: number;
  transfer_s: number;
  /** A `train` step's results (FABRIC-LANGUAGE-2.md §13.5). */
  train?: TrainReport;
  /** A `serve` step's results. */
  serve?: ServeReport;
}

/** One distinct exchange of a train or serve step, simulated once with all its concurrent groups. */
export interface ExchangeReport {
  /** `allgather`, `reducescatter`, `allreduce`, `alltoall`, `send` or `read`. */
  kind: string;
  /** What the exchange is for: `tp`, `ep`, `pp`, `dp`, `dp-zero3`, `kv`. */
  part: string;
  /** The pipeline stage whose exchange it is; null for the data-parallel phase, which holds every stage. */
  stage: number | null;
  bytes: number;
  /** Ranks per group (2 for a send or a read), and the groups running at once. */
  ranks: number;
  groups: number;
  algorithm: AlgorithmName | null;
  /** One run of the exchange, all groups together. */
  time_s: number;
  bottleneck: string | null;
  /** Runs per step. */
  count: number;
}

export interface StageMemory {
  weights: number;
  gradients: number;
  optimizer: number;
  activations: number;
  /** `serve` only: the KV cache in the accelerator's memory. */
  kv_cache?: number;
  total: number;
  /** The device's memory, for comparison. */
  capacity: number | null;
}

export interface TrainStageReport {
  stage: number;
  layers: number;
  /** One micro-batch's forward and backward on this stage, t_k. */
  time_s: number;
  compute_s: number;
  tp_s: number;
  ep_s: number;
  pp_s: number;
  dp_exposed_s: number;
  memory_bytes: StageMemory;
}

export interface TrainReport {
  /** The transformer trained. */
  transformer: string;
  tokens_per_s: number;
  tokens_per_s_per_accelerator: number;
  mfu: number;
  micro_batches: number;
  /** The step, split into what the critical stage and the pipeline spend it on; the parts add up to time_s. */
  breakdown_s: { compute: number; tp: number; ep: number; pp: number; bubble: number; dp: number };
  /** (tp + ep + pp + dp) / step. */
  waiting_on_fabric: number;
  stages: TrainStageReport[];
  collectives: ExchangeReport[];
}

export interface ServeStageReport {
  stage: number;
  layers: number;
  prefill_s: number;
  decode_step_s: number;
  memory_bytes: StageMemory;
}

export interface ServeReport {
  transformer: string;
  ttft_s: number;
  tpot_s: number;
  tokens_per_s: number;
  tokens_per_s_per_accelerator: number;
  stages: ServeStageReport[];
  collectives: ExchangeReport[];
}

export interface WorkloadReport {
  name: string;
  line: number;
  time_s: number;
  steps: StepReport[];
}

export interface SwitchReport {
  name: string;
  model: string;
  lanesUsed: number;
  lanesTotal: number;
  /** Static oversubscription (§9), or null when the switch lacks endpoint links or switch links. */
  oversubscription: number | null;
}

export interface ExpectationReport {
  line: number;
  metric: 'latency' | 'bandwidth' | 'time' | 'utilization' | 'oversubscription' | 'throughput' | 'mfu' | 'ttft' | 'tpot';
  /** The measured value in SI units (s, B/s, s, ratio 0–1, ratio), or null when it could not be measured. */
  actual: number | null;
  /** The unit the bound was written in (`ns`, `GB/s`, `%`, or '' for a plain ratio). */
  unit: string;
  /** The bound in SI units. */
  bound: number;
  comparison: string;
  pass: boolean;
}

export interface LinkReport {
  name: string;
  line: number;
  /** Effective bandwidth per direction, B/s. */
  bandwidth: number;
  latency_s: number;
  /** Peak utilization (0–1) of each direction over all phases, and the workload/step where it peaked. */
  peakUtilization: { forward: number; backward: number; workload: string | null; line: number | null };
}

export interface JsonDiagnostic {
  code: string;
  severity: 'error' | 'warning' | 'hint';
  message: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface SimulationReport {
  fabric: string | null;
  diagnostics: JsonDiagnostic[];
  /** Each estimated figure the results rest on, as text. */
  assumptions: string[];
  switches: SwitchReport[];
  workloads: WorkloadReport[];
  expectations: ExpectationReport[];
  links: LinkReport[];
}

export interface LatencyReport {
  from: string;
  to: string;
  /** One-way path latency in seconds (links, retimers, wire and switch traversals; no memory access). */
  latency_s: number;
  hops: number;
  /** The first lowest-latency path in declaration order, device names from `from` to `to`. */
  path: string[];
  /** Number of equal-latency paths (ECMP). */
  paths: number;
  /** Each estimated figure the latency rests on, as text. */
  assumptions: string[];
}
