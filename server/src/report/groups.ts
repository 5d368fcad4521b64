/**
 * Which devices the report draws one by one and which it folds into group nodes. Small arrays are
 * drawn device by device; a large array becomes one group per run of consecutive devices wired to
 * the same neighbours (acc[0..7] on host[0] and the four planes), or a single group when that
 * gives too many runs. Layout cost grows with nodes (DOMAIN.md: elkjs needs 2 s for 1,024 nodes,
 * 0.7 s for 64 groups), so the drawing stays small at any fabric size.
 */
import type { Device, DeviceArray, FabricModel } from '../model/types.js';
import { appendAll } from '../base/arrays.js';

/** Arrays up to this many devices are drawn device by device. */
export const DRAWN_SINGLY = 8;
/** More runs than this in one array and the whole array becomes a single group. */
export const MAX_RUNS_PER_ARRAY = 8;
/** Past this many nodes, scalar devices of one kind and model fold together as well. */
export const MAX_DRAWN_NODES = 200;
/** Most rows or columns of each part of the latency matrix before sets fold by model. */
export const MAX_MATRIX_SETS = 16;

export interface DeviceSet {
  id: string;
  /** `acc[0..7]`, `acc[*]`, or the device's own name for a set of one. */
  label: string;
  array: DeviceArray | undefined;
  kind: Device['array']['kind'];
  model: string;
  devices: Device[];
}

const drawnSingly = (array: DeviceArray) => (array.count ?? 1) <= DRAWN_SINGLY;

function rangeLabel(array: DeviceArray, devices: Device[]): string {
  if (devices.length === array.devices.length && devices.length > 1) return `${array.name}[*]`;
  if (devices.length === 1) return devices[0].name;
  return `${array.name}[${devices[0].index}..${devices[devices.length - 1].index}]`;
}

/** Splits an array into runs of consecutive devices whose neighbours (as `identify` names them) are the same. */
function runs(array: DeviceArray, identify: (device: Device) => string): Device[][] {
  const result: Device[][] = [];
  let previous = '';
  for (const device of array.devices) {
    const neighbours = [...new Set(device.links.map((l) => identify(l.a === device ? l.b : l.a)))].sort().join('\u0000');
    if (result.length === 0 || neighbours !== previous) result.push([]);
    result[result.length - 1].push(device);
    previous = neighbours;
  }
  return result;
}

function setOf(array: DeviceArray, devices: Device[]): DeviceSet {
  const label = rangeLabel(array, devices);
  return { id: label, label, array, kind: array.kind, model: array.model.name, devices };
}

/** An array as runs of like-wired devices, or one set when it has more than MAX_RUNS_PER_ARRAY runs. */
function arraySets(array: DeviceArray, identify: (device: Device) => string): DeviceSet[] {
  const split = runs(array, identify);
  return split.length <= MAX_RUNS_PER_ARRAY ? split.map((devices) => setOf(array, devices)) : [setOf(array, array.devices)];
}

/** How a neighbour counts when runs are compared: itself when drawn singly, else its array. */
const neighbourIdentity = (device: Device) => (drawnSingly(device.array) ? device.name : `${device.array.name}[]`);

/** The sets the topology draws: singles and groups, in declaration order. */
export function topologySets(fabric: FabricModel): DeviceSet[] {
  const sets: DeviceSet[] = [];
  for (const array of fabric.arrays.values()) {
    if (array.devices.length === 0) continue;
    appendAll(sets, drawnSingly(array) ? array.devices.map((device) => setOf(array, [device])) : arraySets(array, neighbourIdentity));
  }
  return sets.length <= MAX_DRAWN_NODES ? sets : foldByModel(sets);
}

/** The last resort for fabrics of thousands of scalar devices: one group per kind and model. */
function foldByModel(sets: DeviceSet[]): DeviceSet[] {
  const byModel = new Map<string, DeviceSet>();
  for (const set of sets) {
    const key = `${set.kind} ${set.model}`;
    const existing = byModel.get(key);
    if (existing) appendAll(existing.devices, set.devices);
    else byModel.set(key, { id: `${set.model} (${set.kind})`, label: '', array: undefined, kind: set.kind, model: set.model, devices: [...set.devices] });
  }
  for (const set of byModel.values()) set.label = set.devices.length === 1 ? set.devices[0].name : `${set.devices.length} × ${set.model}`;
  return [...byModel.values()];
}

/** Accelerator sets for the latency matrix rows: every accelerator array as runs of like-wired devices. */
export function acceleratorSets(fabric: FabricModel): DeviceSet[] {
  const sets = [...fabric.arrays.values()].filter((a) => a.kind === 'gpu' && a.devices.length > 0).flatMap((array) => arraySets(array, neighbourIdentity));
  return sets.length <= MAX_MATRIX_SETS ? sets : foldByModel(sets);
}

/** Memory sets for the latency matrix columns: each memory device of a small array, else the array. */
export function memorySets(fabric: FabricModel): DeviceSet[] {
  const sets = [...fabric.arrays.values()]
    .filter((a) => a.kind === 'memory' && a.devices.length > 0)
    .flatMap((array) => (array.devices.length <= MAX_RUNS_PER_ARRAY ? array.devices.map((d) => setOf(array, [d])) : [setOf(array, array.devices)]));
  return sets.length <= MAX_MATRIX_SETS ? sets : foldByModel(sets);
}
