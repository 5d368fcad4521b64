/**
 * The estimated figures a simulation rests on (§4, §10): link PHY, retimer and efficiency
 * estimates, and every switch or memory attribute marked as an estimate in the catalog or in
 * the user's own files, for the switches, links and memories the results actually used.
 */
import type { Attr, Device, FabricModel, Link } from '../model/types.js';
import { formatQuantity, type Dimension } from '../model/units.js';
import type { Plan } from './collectives.js';

const DIMENSIONS: Record<string, Dimension | undefined> = {
  latency: 'time',
  bandwidth: 'bandwidth',
  capacity: 'size',
  memory: 'size',
  power: 'power',
  inc_efficiency: 'ratio',
};

function describe(key: string, attr: Attr<unknown>): string {
  const dimension = DIMENSIONS[key];
  const value = dimension ? formatQuantity(attr.value as number, dimension) : String(attr.value);
  return `${attr.setBy} ${key} ${value} (${attr.estimate})`;
}

/** Keys whose estimates matter for a device kind, given whether in-network features were used. */
function relevantKeys(device: Device, usedInc: boolean, usedHypercast: boolean): string[] {
  switch (device.array.kind) {
    case 'switch':
      return ['latency', ...(usedInc ? ['inc', 'inc_style', 'inc_efficiency'] : []), ...(usedHypercast ? ['hypercast'] : [])];
    case 'memory':
      return ['latency', 'bandwidth'];
    default:
      return ['latency'];
  }
}

export function collectAssumptions(fabric: FabricModel, plans: Plan[]): string[] {
  const found = new Set<string>();
  const devices = new Map<Device, { inc: boolean; hypercast: boolean }>();
  const mark = (device: Device, plan: Plan) => {
    let entry = devices.get(device);
    if (!entry) devices.set(device, (entry = { inc: false, hypercast: false }));
    entry.inc ||= plan.algorithm === 'inc';
    entry.hypercast ||= plan.algorithm === 'hypercast';
  };
  const readEnd = (end: Device, link: Link, plan: Plan, firstTime: boolean) => {
    if (end.array.kind !== 'switch' && end.array.kind !== 'memory' && end.array.kind !== 'gpu') return;
    mark(end, plan);
    if (!firstTime) return;
    const support = end.array.spec.protocols?.value.find((p) => p.protocol === link.protocol.name);
    if (support?.estimate) found.add(`${end.array.model.name} carries ${link.protocol.name} (${support.estimate})`);
  };
  // Several plans cross the same links: each link's own figures are read once.
  const linksRead = new Set<Link>();
  for (const plan of plans) {
    plan.links.forEach((link) => {
      const firstTime = !linksRead.has(link);
      if (firstTime) {
        linksRead.add(link);
        for (let k = 0; k < link.estimates.length; k++) found.add(link.estimates[k].source);
      }
      readEnd(link.a, link, plan, firstTime);
      readEnd(link.b, link, plan, firstTime);
    });
    plan.switches.forEach((device) => mark(device, plan));
  }
  // Devices of one model share their attributes: each estimated one is described once.
  const described = new Set<Attr<unknown>>();
  for (const [device, use] of devices) {
    const spec = device.array.spec as Record<string, Attr<unknown> | undefined>;
    for (const key of relevantKeys(device, use.inc, use.hypercast)) {
      const attr = spec[key];
      if (!attr?.estimate || described.has(attr)) continue;
      described.add(attr);
      found.add(describe(key, attr));
    }
  }
  if (fabric.settings.step_overhead && !fabric.settingsWritten.has('step_overhead') && plans.some((p) => p.algorithm !== 'direct')) {
    found.add(`step_overhead ${formatQuantity(fabric.settings.step_overhead, 'time')} per collective step (the default; set it in \`settings\` from your measurements)`);
  }
  return [...found].sort();
}
