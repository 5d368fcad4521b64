/**
 * What an attribute's value, an expectation's bound and an algorithm look like, for what to offer
 * after a key's `:`, a number, or `using`: the shapes of device, link and settings attributes.
 */
import type { DeviceKind } from '../../syntax/ast.js';
import { attributeKeysFor, LINK_ATTRIBUTES, SETTINGS_ATTRIBUTES } from '../../model/attributes.js';
import { isKind } from '../../model/models.js';
import type { DeviceSpec, Settings } from '../../model/types.js';
import type { Dimension } from '../../model/units.js';
import { SERVE_KEYS, TRAIN_KEYS } from '../../model/transformer-statements.js';
import { describeTransformerKey, TRANSFORMER_KEYS } from '../../model/transformers.js';
import type { Owner } from './slots.js';

export const ALGORITHM_DOCS: Record<string, string> = {
  ring: 'a ring in selector order: 2(p−1) steps for all-reduce',
  tree: 'double binary trees over the selector order',
  inc: 'in-network reduction in the switches (needs `inc` on every switch of the trees)',
  hypercast: 'multicast in the switches (needs `hypercast` on every switch of the trees)',
  auto: 'the fastest algorithm the hardware supports (the default)',
};

/** Expectation metrics (§7) and the bound each compares. */
export const METRICS: Record<string, { detail: string; pair: boolean }> = {
  latency: { detail: 'expect latency A -> B OP TIME', pair: true },
  bandwidth: { detail: 'expect bandwidth A -> B OP BANDWIDTH', pair: true },
  time: { detail: 'expect time WORKLOAD OP TIME', pair: false },
  utilization: { detail: 'expect utilization SEL OP PERCENT', pair: false },
  oversubscription: { detail: 'expect oversubscription SEL OP RATIO', pair: false },
  throughput: { detail: 'expect throughput WORKLOAD OP TOKENS/S (its train or serve statement)', pair: false },
  mfu: { detail: 'expect mfu WORKLOAD OP PERCENT (its train statement)', pair: false },
  ttft: { detail: 'expect ttft WORKLOAD OP TIME (its serve statement)', pair: false },
  tpot: { detail: 'expect tpot WORKLOAD OP TIME (its serve statement)', pair: false },
};

/** The units a number may take, and whether it may stand without one. */
export interface NumberForm {
  dimension?: Dimension;
  bare: boolean;
}
export const measured = (dimension: Dimension): NumberForm => ({ dimension, bare: dimension === 'ratio' });
export const WHOLE: NumberForm = { bare: true };

export const METRIC_BOUNDS: Record<string, NumberForm> = {
  latency: measured('time'),
  bandwidth: measured('bandwidth'),
  time: measured('time'),
  utilization: { dimension: 'ratio', bare: false },
  oversubscription: WHOLE,
  throughput: measured('tokens'),
  mfu: { dimension: 'ratio', bare: false },
  ttft: measured('time'),
  tpot: measured('time'),
};

/** The shape of an attribute's value, for what to offer after its `:`. */
export type Shape =
  | { type: 'number'; form: NumberForm; detail: string }
  | { type: 'words'; words: readonly string[]; detail: string }
  | { type: 'protocols'; detail: string }
  | { type: 'ports'; detail: string };

const quantityShape = (dimension: Dimension, detail: string): Shape => ({ type: 'number', form: measured(dimension), detail });
const WHOLE_SHAPE: Shape = { type: 'number', form: WHOLE, detail: 'a whole number' };
const BOOLEAN: Shape = { type: 'words', words: ['true', 'false'], detail: '`true` or `false`' };

/** Typed by the spec's keys, so a new device attribute cannot be forgotten here. */
export const DEVICE_SHAPES: Record<keyof DeviceSpec, Shape> = {
  lanes: WHOLE_SHAPE,
  protocols: { type: 'protocols', detail: 'a list of protocols, such as `[pcie6, cxl]`' },
  latency: quantityShape('time', 'a time'),
  hypercast: BOOLEAN,
  inc: BOOLEAN,
  inc_style: { type: 'words', words: ['push', 'pull'], detail: '`push` (SHARP-like) or `pull` (NVLS-like)' },
  inc_efficiency: quantityShape('ratio', 'a ratio'),
  power: quantityShape('power', 'a power'),
  ports: { type: 'ports', detail: 'a list of ports, such as `[ualink x4 * 4, pcie6 x16]`' },
  memory: quantityShape('size', 'a size'),
  capacity: quantityShape('size', 'a size'),
  bandwidth: quantityShape('bandwidth', 'a bandwidth'),
  flops: quantityShape('compute', 'a compute rate'),
  compute_efficiency: quantityShape('ratio', 'a ratio'),
  hbm_bandwidth: quantityShape('bandwidth', 'a bandwidth'),
  hbm_efficiency: quantityShape('ratio', 'a ratio'),
};

const SETTINGS_SHAPES: Record<keyof Settings, Shape> = {
  step_overhead: quantityShape('time', 'a time'),
  oversubscription_limit: quantityShape('ratio', 'a ratio'),
  overload_threshold: quantityShape('ratio', 'a ratio'),
  hint_threshold: quantityShape('ratio', 'a ratio'),
};

/** Link attributes (§5), keyed like LINK_ATTRIBUTES; the unit tests check every key's units against the checker. */
const LINK_SHAPES: Record<string, Shape> = {
  length: quantityShape('length', 'a length'),
  retimers: WHOLE_SHAPE,
  latency: quantityShape('time', 'a time'),
  bandwidth: quantityShape('bandwidth', 'a bandwidth'),
  efficiency: quantityShape('ratio', 'a ratio'),
};

export function shapeOf(owner: Owner, key: string, modelKind: (name: string) => DeviceKind | undefined): Shape | undefined {
  switch (owner.type) {
    case 'link':
      return LINK_SHAPES[key];
    case 'settings':
      return (SETTINGS_SHAPES as Record<string, Shape>)[key];
    default: {
      const kind = ownerKind(owner, modelKind);
      return kind && attributeKeysFor(kind).includes(key) ? (DEVICE_SHAPES as Record<string, Shape>)[key] : undefined;
    }
  }
}

export function ownerKind(owner: Owner, modelKind: (name: string) => DeviceKind | undefined): DeviceKind | undefined {
  if (owner.type === 'device') return owner.kind;
  if (owner.type === 'model') return isKind(owner.base) ? owner.base : modelKind(owner.base);
  return undefined;
}


/** The keys an owner takes, with what each is. */
export function keysOf(owner: Owner, modelKind: (name: string) => DeviceKind | undefined): { key: string; detail: string }[] {
  switch (owner.type) {
    case 'link':
      return Object.entries(LINK_ATTRIBUTES).map(([key, { describe }]) => ({ key, detail: describe }));
    case 'settings':
      return Object.entries(SETTINGS_ATTRIBUTES).map(([key, { describe }]) => ({ key, detail: describe }));
    case 'transformer':
      return TRANSFORMER_KEYS.map((key) => ({ key, detail: describeTransformerKey(key)! }));
    case 'train':
    case 'serve':
      return Object.entries(owner.type === 'train' ? TRAIN_KEYS : SERVE_KEYS).map(([key, { describe }]) => ({ key, detail: describe }));
    default: {
      const kind = ownerKind(owner, modelKind);
      return kind ? attributeKeysFor(kind).map((key) => ({ key, detail: (DEVICE_SHAPES as Record<string, Shape>)[key].detail })) : [];
    }
  }
}
