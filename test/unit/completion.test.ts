/** Completion's context analysis through the pure core: what is offered at a `<|>` cursor, half-written text included. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { complete, type CompletionItem, type CompletionKind } from '../../server/src/ide/completion/complete.js';
import { check, codes } from '../support/check.js';

const CURSOR = '<|>';

/** Completions at the `<|>` of `marked`, with the text the chosen item would replace. */
function at(marked: string): { items: CompletionItem[]; replaced: string } {
  const offset = marked.indexOf(CURSOR);
  assert.ok(offset >= 0, 'no <|> marker');
  const text = marked.slice(0, offset) + marked.slice(offset + CURSOR.length);
  const { replace, items } = complete(text, offset, check(text));
  return { items, replaced: text.slice(replace.start, replace.end) };
}

const POD = `model fast_switch : switch { lanes: 512 }
fabric pod {
  settings { step_overhead: 1 us }
  let N = 8
  gpu acc[N] : gpu_ualink
  switch sx[2] : scorpio_x
  memory pool : cxl_expander
  for i in 0..N-1 { link acc[i] <-> sx[i % 2] : ualink x4 * 2 }
  link sx[0] <-> pool : cxl x16
  group tp = acc[0..3]
  workload step {
    allreduce 256 MiB over acc[*]
    STATEMENT
  }
  ITEM
}
`;
/** The pod with `line` as a fabric item. */
const item = (line: string) => POD.replace('STATEMENT', '').replace('ITEM', line);
/** The pod with `line` as a statement of its workload. */
const statement = (line: string) => POD.replace('STATEMENT', line).replace('ITEM', '');

interface Case {
  name: string;
  text: string;
  /** Labels that must be offered (with this kind, when `kind` is given). */
  has: string[];
  /** Labels that must not be offered. */
  not?: string[];
  kind?: CompletionKind;
  /** The offered labels, in order, when the whole list matters. */
  exactly?: string[];
  /** The text a chosen item replaces. */
  replaced?: string;
}

const SIZE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'KiB', 'MiB', 'GiB', 'TiB'];
const TIME_UNITS = ['ps', 'ns', 'us', 'µs', 'ms', 's'];
const COMPARISONS = ['<', '<=', '>', '>=', '=='];
const STATEMENTS = ['compute', 'allreduce', 'reducescatter', 'allgather', 'alltoall', 'broadcast', 'flow', 'read', 'write', 'parallel', 'for', 'train', 'serve'];

const cases: Case[] = [
  // Keywords and snippets where an item or a statement starts.
  { name: 'fabric items and snippets', text: item('<|>'), has: ['gpu', 'switch', 'link', 'for', 'group', 'allocate', 'workload', 'expect', 'settings', 'let', 'model', 'switch tier', 'link loop', 'expect latency', 'expect time'], not: ['compute', 'allreduce', 'import', 'fabric', 'acc'] },
  { name: 'a keyword being typed', text: item('sw<|>'), has: ['switch', 'switch tier'], replaced: 'sw' },
  { name: 'the next item after a complete one', text: item('gpu g : gpu_ualink li<|>'), has: ['link', 'gpu'], replaced: 'li' },
  { name: 'items of a link loop', text: item('for j in 0..3 { <|> }'), exactly: ['link', 'allocate', 'for', 'link loop'], has: [] },
  { name: 'file items', text: '<|>', exactly: ['import', 'model', 'transformer', 'fabric'], has: [] },
  { name: 'statements', text: statement('<|>'), has: STATEMENTS, not: ['gpu', 'link', 'expect', 'switch tier'] },
  { name: 'statements in parallel', text: statement('parallel { <|> }'), has: STATEMENTS, not: ['using', 'gpu'] },

  // Names where each may stand.
  { name: 'gpu models after `:`', text: item('gpu g : <|>'), kind: 'model', exactly: ['gpu', 'gpu_ualink', 'gpu_nvlink', 'h100_sxm', 'b200', 'mi300x'], has: [] },
  { name: 'switch models, user ones included', text: item('switch s : sc<|>'), kind: 'model', has: ['scorpio_x', 'scorpio_p', 'nvlink_switch', 'fast_switch'], not: ['gpu_ualink', 'cxl_expander'], replaced: 'sc' },
  { name: 'a model base: every model and the kinds', text: item('model m : <|>'), has: ['scorpio_x', 'gpu_ualink', 'cxl_expander', 'fast_switch', 'switch', 'memory'] },
  { name: 'devices at a link end, not groups', text: item('link <|>'), kind: 'device', exactly: ['acc', 'sx', 'pool'], has: [] },
  { name: 'the second link end', text: item('link acc[0] <-> <|>'), has: ['acc', 'sx', 'pool'], not: ['tp', 'N'] },
  { name: '`<->` after the first end', text: item('link acc[0] <|>'), exactly: ['<->'], has: [] },
  { name: 'constants in an index', text: item('link acc[<|>'), kind: 'constant', exactly: ['N'], has: [] },
  { name: 'loop variables in an index inside the loop', text: item('for j in 0..3 { link acc[j] <-> sx[<|>'), exactly: ['j', 'N'], has: [] },
  { name: 'devices and groups in a group, not the group itself', text: item('group g = acc[0], <|>'), has: ['acc', 'sx', 'pool', 'tp'], not: ['g'] },
  { name: 'constants in a constant, not itself', text: item('let M = <|>'), exactly: ['N'], has: [] },
  { name: 'devices and groups after `over`', text: statement('allreduce 512 MiB over <|>'), has: ['acc', 'sx', 'pool', 'tp'] },
  { name: 'transformers after `train`', text: statement('train <|>'), kind: 'model', has: ['llama3_70b', 'llama3_405b', 'mixtral_8x7b'], not: ['acc', 'gpu_ualink'] },
  { name: '`over` after a served transformer', text: statement('serve llama3_8b <|>'), exactly: ['over'], has: [] },
  { name: 'train attributes', text: statement('train llama3_8b over acc { <|> }'), kind: 'attribute', has: ['tp', 'pp', 'dp', 'ep', 'seq', 'global_batch', 'zero', 'recompute', 'order'], not: ['batch', 'prompt'] },
  { name: 'serve attributes', text: statement('serve llama3_8b over acc { tp: 2 <|> }'), kind: 'attribute', has: ['pp', 'replicas', 'batch', 'prompt', 'output', 'kv_cache'], not: ['tp', 'seq'] },
  { name: 'transformer attributes', text: 'transformer t { <|> }', kind: 'attribute', has: ['layers', 'hidden', 'heads', 'kv_heads', 'ffn', 'vocab', 'experts', 'top_k'] },
  { name: 'a workload named like a statement word is a name', text: item('workload train { <|> }'), has: STATEMENTS },
  { name: 'devices only for a broadcast root', text: statement('broadcast 1 GiB from <|>'), has: ['acc', 'pool'], not: ['tp'] },
  { name: 'devices after a flow size', text: statement('flow 1 GiB <|>'), has: ['acc', 'pool'], not: ['GiB', 'tp'] },
  { name: 'loop variables in a statement loop', text: statement('for l in 1..4 { allreduce 1 MiB over acc[<|>'), exactly: ['l', 'N'], has: [] },
  { name: 'workloads after `expect time`', text: item('expect time <|>'), kind: 'workload', exactly: ['step'], has: [] },

  // Attribute keys by owner.
  { name: 'gpu attributes', text: item('gpu h { <|> }'), kind: 'attribute', exactly: ['latency', 'power', 'ports', 'memory', 'flops', 'compute_efficiency', 'hbm_bandwidth', 'hbm_efficiency'], has: [] },
  { name: 'switch attributes', text: item('switch h { <|> }'), has: ['lanes', 'protocols', 'hypercast', 'inc', 'inc_style', 'inc_efficiency', 'latency', 'power'], not: ['ports', 'memory', 'capacity'] },
  { name: 'memory attributes', text: item('memory h { <|> }'), has: ['capacity', 'bandwidth', 'ports', 'latency', 'power'], not: ['memory', 'lanes'] },
  { name: 'model attributes follow the base model', text: item('model m : fast_switch { <|> }'), has: ['lanes', 'inc'], not: ['ports'] },
  { name: 'keys not yet set, after a value', text: item('switch h { lanes: 64 <|> }'), has: ['protocols', 'inc'], not: ['lanes', 'GiB'] },
  { name: 'link attributes', text: item('link sx[0] <-> sx[1] : ualink x4 { <|> }'), kind: 'attribute', exactly: ['length', 'retimers', 'latency', 'bandwidth', 'efficiency'], has: [] },
  { name: 'settings keys', text: item('settings { <|> }'), kind: 'attribute', exactly: ['step_overhead', 'oversubscription_limit', 'overload_threshold', 'hint_threshold'], has: [] },
  { name: 'booleans', text: item('switch h { inc: <|> }'), exactly: ['true', 'false'], has: [] },
  { name: 'inc styles', text: item('switch h { inc_style: <|> }'), exactly: ['push', 'pull'], has: [] },
  { name: 'protocols not yet listed', text: item('switch h { protocols: [pcie6, <|>] }'), exactly: ['pcie5', 'cxl', 'ualink', 'nvlink'], has: [] },

  // Protocols and widths.
  { name: 'protocols after a link `:`', text: item('link acc[0] <-> sx[0] : <|>'), kind: 'protocol', exactly: ['pcie5', 'pcie6', 'cxl', 'ualink', 'nvlink'], has: [] },
  { name: 'ualink widths', text: item('link sx[0] <-> sx[1] : ualink <|>'), exactly: ['x1', 'x2', 'x4'], has: [], not: ['x8', 'x16'] },
  { name: 'nvlink widths', text: item('link sx[0] <-> sx[1] : nvlink <|>'), exactly: ['x2'], has: [] },
  { name: 'widths being typed', text: item('link sx[0] <-> sx[1] : pcie6 x<|>'), exactly: ['x1', 'x2', 'x4', 'x8', 'x16'], has: [], replaced: 'x' },
  { name: 'widths no wider than an end’s ports', text: item('gpu h { ports: [pcie6 x8] }\n  link h <-> sx[0] : pcie6 <|>'), exactly: ['x1', 'x2', 'x4', 'x8'], has: [] },
  { name: 'widths in a ports list', text: item('gpu h { ports: [cxl <|>] }'), exactly: ['x4', 'x8', 'x16'], has: [] },
  { name: 'protocols after a port', text: item('gpu h { ports: [ualink x4 * 2, <|>] }'), has: ['pcie6', 'ualink'] },

  // Units by dimension.
  { name: 'size units after a collective size', text: statement('allreduce 512 <|>'), kind: 'unit', exactly: SIZE_UNITS, has: [] },
  { name: 'time units right after a number', text: statement('compute 2<|>'), exactly: TIME_UNITS, has: [], replaced: '' },
  { name: 'length units after a length', text: item('link sx[0] <-> sx[1] : ualink x4 { length: 1.5 <|> }'), exactly: ['mm', 'cm', 'm'], has: [] },
  { name: 'a unit typed against the number', text: item('link sx[0] <-> sx[1] : ualink x4 { length: 1.5m<|> }'), exactly: ['mm', 'cm', 'm'], has: [], replaced: 'm' },
  { name: 'keys after a whole quantity', text: item('link sx[0] <-> sx[1] : ualink x4 { length: 1.5 m <|> }'), has: ['retimers', 'latency'], not: ['length', 'm'] },
  { name: 'percent or the next key after a ratio', text: item('link sx[0] <-> sx[1] : ualink x4 { efficiency: 0.9 <|> }'), has: ['%', 'length'], not: ['ms'] },
  { name: 'power units being typed', text: item('gpu h { power: 1 k<|> }'), exactly: ['W', 'kW'], has: [], replaced: 'k' },
  { name: 'size units in a device block', text: item('gpu h { memory: 96 <|> }'), exactly: SIZE_UNITS, has: [] },
  { name: 'size units after allocate', text: item('allocate 64 <|>'), exactly: SIZE_UNITS, has: [] },
  { name: 'a bandwidth unit with its slash', text: item('expect bandwidth acc[0] -> pool >= 100 GB/<|>'), has: ['GB/s', 'Gb/s'], not: ['GB', 'GiB'], replaced: 'GB/' },
  { name: 'time units for a time bound', text: item('expect time step < 3 <|>'), exactly: TIME_UNITS, has: [] },
  { name: 'percent only for utilization', text: item('expect utilization acc < 50 <|>'), exactly: ['%'], has: [] },
  { name: 'no unit for an oversubscription ratio', text: item('expect oversubscription sx <= 2.5 <|>'), has: ['gpu', 'expect'], not: ['%', 'ns'] },

  // Connecting words, algorithms, metrics, operators.
  { name: '`over` after a collective size', text: statement('allreduce 512 MiB <|>'), exactly: ['over'], has: [] },
  { name: '`using` or the next statement after the ranks', text: statement('allreduce 512 MiB over acc <|>'), has: ['using', ...STATEMENTS] },
  { name: 'no `using` for all-to-all', text: statement('alltoall 512 MiB over acc <|>'), has: STATEMENTS, not: ['using'] },
  { name: 'all-reduce algorithms', text: statement('allreduce 512 MiB over acc using <|>'), kind: 'algorithm', exactly: ['ring', 'tree', 'inc', 'auto'], has: [] },
  { name: 'all-gather algorithms', text: statement('allgather 512 MiB over acc using r<|>'), exactly: ['ring', 'hypercast', 'auto'], has: [], replaced: 'r' },
  { name: 'reduce-scatter algorithms', text: statement('reducescatter 512 MiB over acc using <|>'), exactly: ['ring', 'inc', 'auto'], has: [] },
  { name: 'broadcast algorithms', text: statement('broadcast 1 GiB from acc[0] to acc using <|>'), exactly: ['ring', 'tree', 'hypercast', 'auto'], has: [] },
  { name: '`of` after an allocation size', text: item('allocate 64 GiB <|>'), exactly: ['of'], has: [] },
  { name: '`by` after a read source', text: statement('read 64 B from pool <|>'), exactly: ['by'], has: [] },
  { name: 'metrics after `expect`', text: item('expect <|>'), kind: 'metric', exactly: ['latency', 'bandwidth', 'time', 'utilization', 'oversubscription', 'throughput', 'mfu', 'ttft', 'tpot'], has: [] },
  { name: '`->` in a latency expectation', text: item('expect latency acc[0] <|>'), exactly: ['->'], has: [] },
  { name: 'comparisons after the pair', text: item('expect latency acc[0] -> pool <|>'), kind: 'operator', exactly: COMPARISONS, has: [] },
  { name: 'comparisons after a workload', text: item('expect time step <|>'), exactly: COMPARISONS, has: [] },

  // Half-written text, comments and strings.
  {
    name: 'declarations after a half-written line still count',
    text: item('link acc[0] <-> <|>\n  memory later\n  group late = acc[4..7]'),
    has: ['acc', 'sx', 'pool', 'later'],
    not: ['late'],
  },
  {
    name: 'an attribute block the user has not closed',
    text: item('gpu h { memory: 1 GiB\n  workload w2 { allreduce 1 MiB over <|> }'),
    has: ['acc', 'h', 'tp'],
  },
  { name: 'a workload the user has not closed', text: POD.replace('STATEMENT', '').replace('  }\n  ITEM', '  expect time <|>'), exactly: ['step'], has: [] },
  { name: 'nothing in a comment', text: item('// link <|>'), exactly: [], has: [] },
  { name: 'nothing in a string', text: 'fabric f "a <|>" { }', exactly: [], has: [] },
  { name: 'nothing where a new name goes', text: item('gpu <|>'), exactly: [], has: [] },
];

describe('completion context', () => {
  for (const c of cases) {
    it(c.name, () => {
      const { items, replaced } = at(c.text);
      const labels = items.filter((i) => !c.kind || i.kind === c.kind).map((i) => i.label);
      for (const label of c.has) assert.ok(labels.includes(label), `missing ${label} in ${labels.join(' ')}`);
      for (const label of c.not ?? []) assert.ok(!items.some((i) => i.label === label), `unexpected ${label} in ${labels.join(' ')}`);
      if (c.exactly) assert.deepEqual(labels, c.exactly);
      if (c.replaced !== undefined) assert.equal(replaced, c.replaced);
    });
  }

  it('offers snippets with tab stops', () => {
    const { items } = at(item('<|>'));
    const tier = items.find((i) => i.label === 'switch tier')!;
    assert.equal(tier.kind, 'snippet');
    assert.ok(tier.snippet);
    assert.equal(tier.filter, 'switch');
    assert.match(tier.insert!, /^switch \$\{1:sx\}\[\$\{2:4\}\] : \$\{3:scorpio_x\}\n/);
    const workload = items.find((i) => i.label === 'workload' && i.kind === 'snippet')!;
    assert.match(workload.insert!, /\$\{1:step\}/);
  });

  it('brings a space when the cursor is right after `:`', () => {
    const { items, replaced } = at(item('switch s :<|>'));
    assert.equal(replaced, '');
    assert.equal(items.find((i) => i.label === 'scorpio_x')!.insert, ' scorpio_x');
    assert.equal(at(item('switch s : <|>')).items.find((i) => i.label === 'scorpio_x')!.insert, undefined);
  });

  it('inserts `key: ` for an attribute key', () => {
    const length = at(item('link sx[0] <-> sx[1] : ualink x4 { <|> }')).items.find((i) => i.label === 'length')!;
    assert.equal(length.insert, 'length: ');
    assert.match(length.detail!, /length/);
  });

  it('describes models with their lanes or ports', () => {
    const models = at(item('switch s : <|>')).items;
    assert.equal(models.find((i) => i.label === 'scorpio_x')!.detail, 'switch · 320 lanes · pcie6, cxl, ualink, nvlink');
    assert.match(models.find((i) => i.label === 'scorpio_x')!.documentation!, /Scorpio X-Series/);
    const gpus = at(item('gpu g : <|>')).items;
    assert.equal(gpus.find((i) => i.label === 'gpu_ualink')!.detail, 'gpu · ualink x4 × 4, pcie6 x16');
  });
});

describe('completion agrees with the checker', () => {
  /** Every unit offered after `key: 1` passes the check, and a key that needs a unit is offered units. */
  function unitsAccepted(owner: (block: string) => string, key: string): void {
    const bare = owner(`${key}: 1`);
    const offered = at(owner(`${key}: 1 <|>`)).items.filter((i) => i.kind === 'unit').map((i) => i.label);
    if (codes(check(bare)).includes('unit')) assert.ok(offered.length > 0, `${key} needs a unit but none is offered`);
    for (const unit of offered) assert.deepEqual(codes(check(owner(`${key}: 1 ${unit}`))).filter((c) => c === 'unit'), [], `${key}: 1 ${unit}`);
  }
  const owners: Record<string, (block: string) => string> = {
    link: (block) => `fabric f { gpu a  switch s  link a <-> s : pcie6 x16 { ${block} } }`,
    settings: (block) => `fabric f { settings { ${block} } }`,
    gpu: (block) => `fabric f { gpu g { ${block} } }`,
    switch: (block) => `fabric f { switch s { ${block} } }`,
    memory: (block) => `fabric f { memory m { ${block} } }`,
  };
  for (const [name, owner] of Object.entries(owners)) {
    it(`offers the units each ${name} key takes`, () => {
      const keys = at(owner('<|>')).items.filter((i) => i.kind === 'attribute').map((i) => i.label);
      assert.ok(keys.length >= 4, keys.join(' '));
      for (const key of keys.filter((k) => !['ports', 'protocols', 'hypercast', 'inc', 'inc_style'].includes(k))) unitsAccepted(owner, key);
    });
  }

  it('offers exactly the algorithms each statement takes', () => {
    const statements: Record<string, string> = {
      allreduce: 'allreduce 1 MiB over acc',
      reducescatter: 'reducescatter 1 MiB over acc',
      allgather: 'allgather 1 MiB over acc',
      broadcast: 'broadcast 1 MiB from acc[0] to acc',
    };
    for (const [op, line] of Object.entries(statements)) {
      const offered = at(`fabric f { gpu acc[2] workload w { ${line} using <|> } }`).items.map((i) => i.label);
      for (const algorithm of ['ring', 'tree', 'inc', 'hypercast', 'auto']) {
        const unknown = codes(check(`fabric f { gpu acc[2] workload w { ${line} using ${algorithm} } }`)).includes('unknown-name');
        assert.equal(offered.includes(algorithm), !unknown, `${op} using ${algorithm}`);
      }
    }
  });
});
