/**
 * The estimated figures a simulation rests on (§4, §10): link PHY, retimer and efficiency
 * estimates, and every switch or memory attribute marked as an estimate in the catalog or in
 * the user's own files, for the switches, links and memories the results actually used.
 */
import type { Attr, Device, DeviceArray, FabricModel, Link } from '../model/types.js';
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
function relevantKeys(array: DeviceArray, usedInc: boolean, usedHypercast: boolean): string[] {
  switch (array.kind) {
    case 'switch':
      return ['latency', ...(usedInc ? ['inc', 'inc_style', 'inc_efficiency'] : []), ...(usedHypercast ? ['hypercast'] : [])];
    case 'memory':
      return ['latency', 'bandwidth'];
    default:
      return ['latency'];
  }
}

/** What the plans used of one device array: in-network features, and the protocols read at its ends. */
interface ArrayUse {
  inc: boolean;
  hypercast: boolean;
  protocols: Set<string>;
}

export function collectAssumptions(fabric: FabricModel, plans: Plan[]): string[] {
  const found = new Set<string>();
  // Devices of one array share their model and attributes: what the plans use is noted per array.
  const arrays = new Map<DeviceArray, ArrayUse>();
  const use = (device: Device, plan: Plan): ArrayUse => {
    let entry = arrays.get(device.array);
    if (!entry) arrays.set(device.array, (entry = { inc: false, hypercast: false, protocols: new Set() }));
    if (plan.algorithm === 'inc') entry.inc = true;
    if (plan.algorithm === 'hypercast') entry.hypercast = true;
    return entry;
  };
  const readEnd = (end: Device, link: Link, plan: Plan) => {
    if (end.array.kind !== 'switch' && end.array.kind !== 'memory' && end.array.kind !== 'gpu') return;
    const entry = use(end, plan);
    if (entry.protocols.has(link.protocol.name)) return;
    entry.protocols.add(link.protocol.name);
    const support = end.array.spec.protocols?.value.find((p) => p.protocol === link.protocol.name);
    if (support?.estimate) found.add(`${end.array.model.name} carries ${link.protocol.name} (${support.estimate})`);
  };
  // Several plans cross the same links: each link's own figures are read once.
  const linksRead = new Set<Link>();
  for (const plan of plans) {
    plan.links.forEach((link) => {
      if (!linksRead.has(link)) {
        linksRead.add(link);
        for (let k = 0; k < link.estimates.length; k++) found.add(link.estimates[k].source);
      }
      readEnd(link.a, link, plan);
      readEnd(link.b, link, plan);
    });
    plan.switches.forEach((device) => use(device, plan));
  }
  // Arrays of one model share their attributes: each estimated one is described once.
  const described = new Set<Attr<unknown>>();
  for (const [array, { inc, hypercast }] of arrays) {
    const spec = array.spec as Record<string, Attr<unknown> | undefined>;
    for (const key of relevantKeys(array, inc, hypercast)) {
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
