/**
 * Random quantities in every place of a small fabric that takes one: device, link and settings
 * attributes, allocation and statement sizes, compute times, expectation bounds. Each quantity
 * has a random magnitude (from 0 and the edges of its range to past the doubles), a sign now
 * and then, and mostly a unit of its own dimension, sometimes another one, none or an unknown one.
 */
import fc from 'fast-check';
import { UNITS, unitsOf, type Dimension } from '../../server/src/model/units.js';

/** The kinds of value a place takes: a dimension, or a count (a whole number without a unit). */
type Kind = Dimension | 'count';

/** A quantity as written, and where it starts in the fabric's text. */
export interface PlacedQuantity {
  text: string;
  offset: number;
}

export interface QuantityFabric {
  text: string;
  quantities: PlacedQuantity[];
}

/** The edges of the ranges (model/ranges.ts) and what lies just past them, and past the doubles. */
const EDGES = ['0', '1', '100', '0.5', '1e30', '1e-30', '1.0000001e30', '9.9e-31', '1e31', '1e-31', '1e308', '1.8e308', '1e309', '1e400', '1e-400', '5e-324', '9007199254740993'];

const mantissa = fc.oneof(fc.integer({ min: 0, max: 9999 }).map(String), fc.tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 999 })).map(([whole, fraction]) => `${whole}.${fraction}`));
const exponent = fc.oneof({ weight: 3, arbitrary: fc.integer({ min: -45, max: 45 }) }, { weight: 1, arbitrary: fc.integer({ min: -400, max: 400 }) });

const magnitude: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...EDGES) },
  { weight: 3, arbitrary: fc.tuple(mantissa, fc.option(exponent, { freq: 2 })).map(([m, e]) => (e === null ? m : `${m}e${e}`)) },
);

/** A minus sign is not part of a number (FABRIC-LANGUAGE.md §2): written now and then, to see it rejected. */
const sign = fc.constantFrom('', '', '', '', '', '', '', '', '', '-');
const ALL_UNITS = [...UNITS.keys()];

function unitFor(kind: Kind): fc.Arbitrary<string> {
  const own = kind === 'count' ? [''] : kind === 'ratio' ? ['', '%'] : unitsOf(kind);
  return fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...own) },
    { weight: 2, arbitrary: fc.constantFrom(...ALL_UNITS) },
    { weight: 1, arbitrary: fc.constantFrom('', 'parsec') },
  );
}

const quantity = (kind: Kind): fc.Arbitrary<string> =>
  fc.tuple(sign, magnitude, fc.boolean(), unitFor(kind)).map(([s, m, spaced, unit]) => `${s}${m}${unit === '' ? '' : spaced && unit !== '%' ? ` ${unit}` : unit}`);

/**
 * The fabric. Slots: `{key:kind}` an attribute, left out now and then (the model's value or the
 * default counts then); `{=kind}` a quantity always there (sizes, times, bounds); `{link}` a link's
 * attributes; `{style}` and `{algorithm}` words.
 */
const TEMPLATE = `fabric quantities {
  settings { {step_overhead:time} {oversubscription_limit:ratio} {overload_threshold:ratio} {hint_threshold:ratio} }
  gpu acc[4] : gpu_ualink { {memory:size} {latency:time} {power:power} }
  cpu host { {memory:size} {power:power} }
  switch sx[2] : scorpio_x { {lanes:count} {latency:time} inc_style: {style} {inc_efficiency:ratio} {power:power} }
  memory pool { {capacity:size} {bandwidth:bandwidth} {latency:time} {power:power} }
  for i in 0..3 { link acc[i] <-> sx[i % 2] : ualink x4 { {link} } }
  link sx[0] <-> sx[1] : ualink x4 * 2 { {link} }
  link host <-> sx[0] : pcie6 x16 { {link} }
  link pool <-> sx[1] : cxl x16 { {link} }
  allocate {=size} of pool to acc[*]
  workload w {
    compute {=time}
    allreduce {=size} over acc using {algorithm}
    reducescatter {=size} over acc
    allgather {=size} over acc
    broadcast {=size} from acc[0] to acc[*]
    alltoall {=size} over acc
    flow {=size} acc[0] -> acc[3]
    read {=size} from pool by acc[*]
    write {=size} to pool by acc[0..1]
    parallel { flow {=size} host -> pool  allreduce {=size} over acc[0..1] }
  }
  expect latency acc[0] -> acc[3] < {=time}
  expect bandwidth acc[0] -> acc[3] > {=bandwidth}
  expect time w < {=time}
  expect utilization acc < {=ratio}
  expect oversubscription sx < {=ratio}
}
`;

const LINK_ATTRIBUTES = ['length:length', 'retimers:count', 'latency:time', 'bandwidth:bandwidth', 'efficiency:ratio'];

type Piece = { literal: string } | { quantity: string };

function slot(name: string): fc.Arbitrary<Piece[]> {
  if (name === 'style') return fc.constantFrom('push', 'pull').map((style) => [{ literal: style }]);
  if (name === 'algorithm') return fc.constantFrom('ring', 'tree', 'inc', 'auto').map((algorithm) => [{ literal: algorithm }]);
  if (name === 'link') return fc.tuple(...LINK_ATTRIBUTES.map(slot)).map((attributes) => attributes.flatMap((pieces) => [...pieces, { literal: ' ' }]));
  if (name.startsWith('=')) return quantity(name.slice(1) as Kind).map((q) => [{ quantity: q }]);
  const [key, kind] = name.split(':') as [string, Kind];
  return fc.option(quantity(kind), { freq: 3, nil: undefined }).map((q) => (q === undefined ? [] : [{ literal: `${key}: ` }, { quantity: q }]));
}

/** The template cut at its slots: text, slot name, text, slot name, …, text. */
const parts = TEMPLATE.split(/\{([^{}\s]+)\}/);

export const quantityFabric: fc.Arbitrary<QuantityFabric> = fc.tuple(...parts.filter((_, i) => i % 2 === 1).map(slot)).map((slots) => {
  let text = '';
  const quantities: PlacedQuantity[] = [];
  parts.forEach((part, i) => {
    if (i % 2 === 0) {
      text += part;
      return;
    }
    for (const piece of slots[(i - 1) / 2]) {
      if ('literal' in piece) text += piece.literal;
      else {
        quantities.push({ text: piece.quantity, offset: text.length });
        text += piece.quantity;
      }
    }
  });
  return { text, quantities };
});
