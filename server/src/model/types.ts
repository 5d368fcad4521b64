/** The resolved fabric: names bound, loops expanded, units in SI, models applied. */
import type { AllocateDecl, Comparison, DeviceDecl, DeviceKind, ExpectDecl, LinkDecl, ModelDecl, TransformerDecl } from '../syntax/ast.js';
import type { Span } from '../syntax/source.js';
import type { Figure, Protocol } from './protocols.js';

/** Where a thing was written. */
export interface Origin {
  file: string;
  span: Span;
}

/** An attribute value with where it came from and whether it is an estimate. */
export interface Attr<T> {
  value: T;
  /** Why the figure is an estimate (its comment), when it is one. */
  estimate?: string;
  /** The model or device that set it. */
  setBy: string;
  origin: Origin;
}

export interface PortGroup {
  protocol: string;
  width: number;
  count: number;
}

export interface ProtocolSupport {
  protocol: string;
  /** Why carrying this protocol is an estimate (its comment), when it is one. */
  estimate?: string;
}

export type IncStyle = 'push' | 'pull';

/** A model's or device's attributes after inheritance and overrides. */
export interface DeviceSpec {
  lanes?: Attr<number>;
  protocols?: Attr<ProtocolSupport[]>;
  latency?: Attr<number>;
  hypercast?: Attr<boolean>;
  inc?: Attr<boolean>;
  inc_style?: Attr<IncStyle>;
  inc_efficiency?: Attr<number>;
  power?: Attr<number>;
  ports?: Attr<PortGroup[]>;
  memory?: Attr<number>;
  capacity?: Attr<number>;
  bandwidth?: Attr<number>;
  /** Dense bf16 peak, FLOP/s (FABRIC-LANGUAGE-2.md §13.2). */
  flops?: Attr<number>;
  compute_efficiency?: Attr<number>;
  /** Bandwidth of the accelerator's own memory, B/s. */
  hbm_bandwidth?: Attr<number>;
  hbm_efficiency?: Attr<number>;
}

export interface ResolvedModel {
  name: string;
  kind: DeviceKind;
  base?: string;
  spec: DeviceSpec;
  doc?: string;
  builtin: boolean;
  decl: ModelDecl;
  file: string;
}

/** One declaration line: a scalar device or an array. */
export interface DeviceArray {
  name: string;
  kind: DeviceKind;
  /** Undefined for a scalar device. */
  count?: number;
  model: ResolvedModel;
  /** The model's attributes with the declaration's overrides applied; shared by every element. */
  spec: DeviceSpec;
  decl: DeviceDecl;
  file: string;
  devices: Device[];
  /** Left out at the device limit: references to it are silently skipped (the limit is reported). */
  truncated: boolean;
}

export interface Device {
  id: number;
  /** `acc[3]` or `pool`. */
  name: string;
  array: DeviceArray;
  index?: number;
  /** Links touching this device, in declaration order. */
  links: Link[];
  /** Named by a link statement, even one that failed to resolve (so it is not reported unused). */
  named: boolean;
}

export interface Link {
  id: number;
  a: Device;
  b: Device;
  protocol: Protocol;
  width: number;
  count: number;
  /** width × count, per end. */
  lanes: number;
  /** Effective bytes per second, per direction. */
  bandwidth: number;
  /** One-way latency in seconds. */
  latency: number;
  length: number;
  retimers: number;
  /** The estimated figures this link's bandwidth and latency rest on (shared by similar links). */
  estimates: readonly Figure[];
  decl: LinkDecl;
  file: string;
  /** `acc[0] <-> sx[0]`. */
  name: string;
}

export interface Settings {
  step_overhead: number;
  oversubscription_limit: number;
  overload_threshold: number;
  hint_threshold: number;
}

export interface Group {
  name: string;
  devices: Device[];
  origin: Origin;
}

export interface Allocation {
  memory: Device;
  /** Bytes for each target. */
  bytes: number;
  targets: Device[];
  decl: AllocateDecl;
  file: string;
}

export type Algorithm = 'auto' | 'ring' | 'tree' | 'inc' | 'hypercast';

/** A transformer's shape with the defaults of §13.1 applied. */
export interface TransformerShape {
  layers: number;
  hidden: number;
  heads: number;
  kvHeads: number;
  ffn: number;
  gated: boolean;
  vocab: number;
  experts: number;
  topK: number;
  expertFfn: number;
  moeEvery: number;
  sharedExperts: number;
}

export interface ResolvedTransformer {
  name: string;
  shape: TransformerShape;
  doc?: string;
  builtin: boolean;
  decl: TransformerDecl;
  file: string;
}

/** `train`'s attributes with defaults applied and `*` resolved (§13.3). */
export interface TrainConfig {
  tp: number;
  pp: number;
  dp: number;
  ep: number;
  seq: number;
  microBatch: number;
  globalBatch: number;
  sequenceParallel: boolean;
  zero: 0 | 1 | 2 | 3;
  recompute: 'none' | 'selective' | 'full';
  virtualStages: number;
  overlapDp: boolean;
  order: 'tp_dp_pp' | 'tp_pp_dp';
}

/** `serve`'s attributes with defaults applied and `*` resolved (§13.4). */
export interface ServeConfig {
  tp: number;
  pp: number;
  replicas: number;
  batch: number;
  prompt: number;
  output: number;
  /** The memory device holding the KV cache, or `hbm`. */
  kvCache: 'hbm' | Device;
  algorithm: Algorithm;
}

export type ResolvedStatement =
  | { type: 'compute'; seconds: number; span: Span }
  | { type: 'allreduce' | 'reducescatter' | 'allgather' | 'alltoall'; bytes: number; ranks: Device[]; algorithm: Algorithm; span: Span }
  | { type: 'broadcast'; bytes: number; root: Device; ranks: Device[]; algorithm: Algorithm; span: Span }
  | { type: 'flow'; bytes: number; source: Device; target: Device; span: Span }
  | { type: 'read' | 'write'; bytes: number; device: Device; by: Device[]; span: Span }
  | { type: 'parallel'; statements: ResolvedStatement[]; span: Span }
  | { type: 'train'; transformer: ResolvedTransformer; ranks: Device[]; config: TrainConfig; span: Span }
  | { type: 'serve'; transformer: ResolvedTransformer; ranks: Device[]; config: ServeConfig; span: Span };

export interface Workload {
  name: string;
  statements: ResolvedStatement[];
  origin: Origin;
}

export type Expectation = {
  comparison: Comparison;
  /** The bound in SI units. */
  bound: number;
  /** The unit the bound was written in, for messages (`ns`, `GB/s`, `%`, or empty for a ratio). */
  unit: string;
  decl: ExpectDecl;
  file: string;
} & (
  | { metric: 'latency' | 'bandwidth'; from: Device[]; to: Device[] }
  | { metric: 'time' | 'throughput' | 'mfu' | 'ttft' | 'tpot'; workload: Workload }
  | { metric: 'utilization' | 'oversubscription'; devices: Device[] }
);

export interface FabricModel {
  name: string;
  description?: string;
  file: string;
  settings: Settings;
  /** Settings whose values were written (the rest are defaults). */
  settingsWritten: Set<keyof Settings>;
  constants: Map<string, number>;
  arrays: Map<string, DeviceArray>;
  devices: Device[];
  links: Link[];
  groups: Map<string, Group>;
  allocations: Allocation[];
  workloads: Map<string, Workload>;
  expectations: Expectation[];
  models: Map<string, ResolvedModel>;
  transformers: Map<string, ResolvedTransformer>;
}
