/**
 * The items offered for each slot: keywords with their forms, snippets, declared names, catalog
 * and imported models with their ports, attribute keys, protocols, widths, units, algorithms and
 * metrics.
 */
import type { DeviceKind } from '../../syntax/ast.js';
import type { CheckResult } from '../../model/check.js';
import { isKind } from '../../model/models.js';
import { PROTOCOLS, widthText } from '../../model/protocols.js';
import { ALGORITHMS } from '../../model/resolve.js';
import type { DeviceSpec, FabricModel } from '../../model/types.js';
import { unitsOf } from '../../model/units.js';
import { ALGORITHM_DOCS, keysOf, METRICS } from './shapes.js';
import type { CompletionItem, Slot } from './slots.js';
import { ITEM_KEYWORDS, type Declarations } from './walker.js';

export interface Knowledge {
  declarations: Declarations;
  /** Loop variables of the loops around the cursor. */
  loopVariables: string[];
  modelKind: (name: string) => DeviceKind | undefined;
  models: Map<string, { kind?: DeviceKind; detail: string; doc?: string }>;
  fabric?: FabricModel;
  /** Transformers by name, with their size. */
  transformers?: Map<string, string>;
}

const LINK_LOOP: CompletionItem = {
  label: 'link loop',
  kind: 'snippet',
  filter: 'for',
  detail: 'a loop of links',
  insert: 'for ${1:i} in ${2:0}..${3:N-1} {\n  link ${4:acc}[$1] <-> ${5:sx}[$1 % ${6:4}] : ${7:ualink} ${8:x4}\n}$0',
  snippet: true,
};

/** Common blocks with tab stops, offered where an item may start. */
const SNIPPETS: Record<'fabric' | 'loop', CompletionItem[]> = {
  fabric: [
    {
      label: 'switch tier',
      kind: 'snippet',
      filter: 'switch',
      detail: 'switches, and a loop spreading devices over them',
      insert: 'switch ${1:sx}[${2:4}] : ${3:scorpio_x}\nfor ${4:i} in 0..${5:N}-1 {\n  link ${6:acc}[$4] <-> $1[$4 % $2] : ${7:ualink} ${8:x4} * ${9:2}\n}$0',
      snippet: true,
    },
    LINK_LOOP,
    {
      label: 'workload',
      kind: 'snippet',
      filter: 'workload',
      detail: 'a workload with one collective',
      insert: 'workload ${1:step} {\n  ${2|allreduce,allgather,reducescatter,alltoall|} ${3:256 MiB} over ${4:acc[*]}\n}$0',
      snippet: true,
    },
    {
      label: 'expect latency',
      kind: 'snippet',
      filter: 'expect',
      detail: 'an expectation on a path latency',
      insert: 'expect latency ${1:acc[0]} -> ${2:pool} < ${3:500 ns}$0',
      snippet: true,
    },
    {
      label: 'expect time',
      kind: 'snippet',
      filter: 'expect',
      detail: 'an expectation on a workload time',
      insert: 'expect time ${1:step} < ${2:10 ms}$0',
      snippet: true,
    },
  ],
  loop: [LINK_LOOP],
};

const KEYWORD_DETAILS: Record<string, string> = {
  gpu: 'an accelerator: gpu NAME[COUNT] : MODEL',
  cpu: 'a host CPU: cpu NAME[COUNT] : MODEL',
  switch: 'a switch: switch NAME[COUNT] : MODEL',
  memory: 'a memory device: memory NAME[COUNT] : MODEL',
  link: 'link END <-> END : PROTOCOL WIDTH * COUNT',
  for: 'for VAR in A..B { ... }',
  group: 'group NAME = SELECTOR, ...',
  allocate: 'allocate SIZE of MEMORY to SELECTOR',
  workload: 'workload NAME { statements }',
  expect: 'expect METRIC ... OP VALUE',
  settings: 'settings { key: value }',
  let: 'let NAME = EXPRESSION',
  model: 'model NAME : BASE { attributes }',
  import: 'import "path"',
  fabric: 'fabric NAME "description" { ... }',
  compute: 'compute TIME',
  allreduce: 'allreduce SIZE over SEL using ring|tree|inc|auto',
  reducescatter: 'reducescatter SIZE over SEL using ring|inc|auto',
  allgather: 'allgather SIZE over SEL using ring|hypercast|auto',
  alltoall: 'alltoall SIZE over SEL',
  broadcast: 'broadcast SIZE from END to SEL using ring|tree|hypercast|auto',
  flow: 'flow SIZE END -> END',
  read: 'read SIZE from DEVICE by SEL',
  write: 'write SIZE to DEVICE by SEL',
  parallel: 'parallel { statements run together }',
  transformer: 'transformer NAME { layers: … hidden: … heads: … vocab: … }',
  train: 'train TRANSFORMER over SEL { tp: … pp: … dp: * seq: … global_batch: … }',
  serve: 'serve TRANSFORMER over SEL { tp: … batch: … prompt: … output: … }',
};

export function itemsOf(slot: Slot, knowledge: Knowledge): CompletionItem[] {
  const { declarations, fabric } = knowledge;
  switch (slot.type) {
    case 'items': {
      const words = ITEM_KEYWORDS[slot.of].map((label): CompletionItem => ({ label, kind: 'keyword', detail: KEYWORD_DETAILS[label] }));
      const snippets = slot.of === 'fabric' || slot.of === 'loop' ? SNIPPETS[slot.of] : [];
      return [...words, ...snippets];
    }
    case 'keywords':
      return slot.words.map((label) => ({ label, kind: 'keyword' }));
    case 'operators':
      return slot.words.map((label) => ({ label, kind: 'operator' }));
    case 'values':
      return slot.words.map((label) => ({ label, kind: 'value' }));
    case 'devices': {
      const devices = declarations.devices.map((d): CompletionItem => {
        const count = d.array ? `[${fabric?.arrays.get(d.name)?.count ?? ''}]` : '';
        return { label: d.name, kind: 'device', detail: `${d.kind}${count}${d.model ? ` : ${d.model}` : ''}` };
      });
      if (!slot.groups) return devices;
      return [
        ...devices,
        ...declarations.groups.filter((name) => name !== slot.exclude).map((label): CompletionItem => ({ label, kind: 'group', detail: `group${groupSize(fabric, label)}` })),
      ];
    }
    case 'integers': {
      const constants = declarations.constants
        .filter((name) => name !== slot.exclude)
        .map((label): CompletionItem => ({ label, kind: 'constant', detail: fabric?.constants.has(label) ? `= ${fabric.constants.get(label)}` : 'constant' }));
      const variables = slot.loopVariables ? knowledge.loopVariables.map((label): CompletionItem => ({ label, kind: 'variable', detail: 'loop variable' })) : [];
      return [...variables, ...constants];
    }
    case 'models': {
      const models = [...knowledge.models]
        .filter(([, model]) => slot.kind === undefined || model.kind === slot.kind)
        .map(([label, model]): CompletionItem => ({ label, kind: 'model', detail: model.detail, documentation: model.doc }));
      if (slot.kind) return models;
      // A model's base may be a kind; `gpu` and `cpu` are also the names of their default models.
      const kinds = (['gpu', 'cpu', 'switch', 'memory'] as const).filter((kind) => !knowledge.models.has(kind));
      return [...models, ...kinds.map((label): CompletionItem => ({ label, kind: 'kind', detail: `starts from the default ${label} model` }))];
    }
    case 'workloads':
      return declarations.workloads.map((label) => ({ label, kind: 'workload' }));
    case 'transformers':
      return [...(knowledge.transformers ?? new Map())].map(([label, detail]): CompletionItem => ({ label, kind: 'model', detail }));
    case 'keys':
      return keysOf(slot.owner, knowledge.modelKind)
        .filter(({ key }) => !slot.taken.includes(key))
        .map(({ key, detail }) => ({ label: key, kind: 'attribute', detail, insert: `${key}: ` }));
    case 'protocols':
      return [...PROTOCOLS.values()]
        .filter((p) => !slot.exclude.includes(p.name))
        .map((p) => ({ label: p.name, kind: 'protocol', detail: `${p.widths.map(widthText).join(' ')} · ${p.laneRate.value / 1e9} GB/s per lane` }));
    case 'widths':
      return widthsFor(slot.protocol, slot.ends, fabric).map((width) => ({ label: widthText(width), kind: 'width', detail: `${width} lane${width > 1 ? 's' : ''}` }));
    case 'units':
      return (slot.dimension === 'ratio' ? ['%'] : unitsOf(slot.dimension)).map((label) => ({ label, kind: 'unit', detail: slot.dimension }));
    case 'algorithms':
      // `alltoall` has no choice of algorithm, so nothing follows its `using`.
      return (slot.op === 'alltoall' ? [] : (ALGORITHMS[slot.op] ?? [])).map((label) => ({ label, kind: 'algorithm', detail: ALGORITHM_DOCS[label] }));
    case 'metrics':
      return Object.entries(METRICS).map(([label, { detail }]) => ({ label, kind: 'metric', detail }));
  }
}

function groupSize(fabric: FabricModel | undefined, name: string): string {
  const group = fabric?.groups.get(name);
  return group ? ` of ${group.devices.length}` : '';
}

/** The protocol's widths, no wider than the widest port of that protocol on an endpoint end. */
function widthsFor(protocol: string, ends: readonly string[], fabric: FabricModel | undefined): number[] {
  const widths = PROTOCOLS.get(protocol)?.widths ?? [];
  let widest = Infinity;
  for (const end of ends) {
    const array = fabric?.arrays.get(end);
    if (!array || array.kind === 'switch') continue;
    const ports = (array.spec.ports?.value ?? []).filter((p) => p.protocol === protocol);
    if (ports.length > 0) widest = Math.min(widest, Math.max(...ports.map((p) => p.width)));
  }
  return widths.filter((w) => w <= widest);
}

/** Models of the catalog, the imports and this file, with their kinds (following bases). */
export function modelsOf(check: CheckResult | undefined, declared: Map<string, string>): Pick<Knowledge, 'models' | 'modelKind'> {
  const bases = new Map<string, string>();
  const docs = new Map<string, string | undefined>();
  const trees = check ? [check.catalog, ...check.program.files] : [];
  for (const { tree } of trees) {
    const inFabric = tree.fabrics.flatMap((f) => f.items.flatMap((item) => (item.type === 'model' ? [item] : [])));
    for (const decl of [...tree.models, ...inFabric]) {
      bases.set(decl.name.text, decl.base.text);
      docs.set(decl.name.text, decl.doc);
    }
  }
  for (const [name, base] of declared) if (!bases.has(name)) bases.set(name, base);
  const modelKind = (name: string): DeviceKind | undefined => {
    const seen = new Set<string>();
    for (let at: string | undefined = name; at !== undefined && !seen.has(at); at = bases.get(at)) {
      seen.add(at);
      const base = bases.get(at);
      if (base !== undefined && isKind(base)) return base;
    }
    return undefined;
  };
  const models = new Map<string, { kind?: DeviceKind; detail: string; doc?: string }>();
  for (const name of bases.keys()) {
    const kind = modelKind(name);
    const resolved = check?.fabric?.models.get(name);
    models.set(name, { kind, detail: resolved ? describeModel(resolved.kind, resolved.spec) : (kind ?? 'model'), doc: docs.get(name) });
  }
  return { models, modelKind };
}

function describeModel(kind: DeviceKind, spec: DeviceSpec): string {
  if (kind === 'switch') {
    const protocols = (spec.protocols?.value ?? []).map((p) => p.protocol).join(', ');
    return `switch · ${spec.lanes?.value ?? 0} lanes · ${protocols || 'no protocol'}`;
  }
  const ports = (spec.ports?.value ?? []).map((p) => `${p.protocol} ${widthText(p.width)}${p.count > 1 ? ` × ${p.count}` : ''}`).join(', ');
  return `${kind} · ${ports || 'no ports'}`;
}

