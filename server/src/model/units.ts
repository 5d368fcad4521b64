/**
 * Units of FABRIC-LANGUAGE.md §2 and FABRIC-LANGUAGE-2.md §13.2, normalised to SI (bytes, bytes
 * per second, seconds, metres, watts, FLOP per second, tokens per second).
 */

export type Dimension = 'size' | 'bandwidth' | 'time' | 'length' | 'power' | 'ratio' | 'compute' | 'tokens';

interface UnitDefinition {
  dimension: Dimension;
  factor: number;
}

/** SI value of a number in a unit; divides by the inverse of sub-unit factors so `170 ns` is exactly 1.7e-7. */
export function toSI(value: number, definition: UnitDefinition): number {
  return definition.factor >= 1 ? value * definition.factor : value / Math.round(1 / definition.factor);
}

const table: [string, Dimension, number][] = [
  ['B', 'size', 1],
  ['KB', 'size', 1e3],
  ['kB', 'size', 1e3],
  ['MB', 'size', 1e6],
  ['GB', 'size', 1e9],
  ['TB', 'size', 1e12],
  ['KiB', 'size', 2 ** 10],
  ['MiB', 'size', 2 ** 20],
  ['GiB', 'size', 2 ** 30],
  ['TiB', 'size', 2 ** 40],
  ['B/s', 'bandwidth', 1],
  ['KB/s', 'bandwidth', 1e3],
  ['kB/s', 'bandwidth', 1e3],
  ['MB/s', 'bandwidth', 1e6],
  ['GB/s', 'bandwidth', 1e9],
  ['TB/s', 'bandwidth', 1e12],
  ['Mb/s', 'bandwidth', 1e6 / 8],
  ['Gb/s', 'bandwidth', 1e9 / 8],
  ['Tb/s', 'bandwidth', 1e12 / 8],
  ['ps', 'time', 1e-12],
  ['ns', 'time', 1e-9],
  ['us', 'time', 1e-6],
  ['\u00B5s', 'time', 1e-6],
  ['\u03BCs', 'time', 1e-6],
  ['ms', 'time', 1e-3],
  ['s', 'time', 1],
  ['mm', 'length', 1e-3],
  ['cm', 'length', 1e-2],
  ['m', 'length', 1],
  ['W', 'power', 1],
  ['kW', 'power', 1e3],
  ['%', 'ratio', 0.01],
  ['FLOP/s', 'compute', 1],
  ['kFLOP/s', 'compute', 1e3],
  ['MFLOP/s', 'compute', 1e6],
  ['GFLOP/s', 'compute', 1e9],
  ['TFLOP/s', 'compute', 1e12],
  ['PFLOP/s', 'compute', 1e15],
  ['EFLOP/s', 'compute', 1e18],
  ['tok/s', 'tokens', 1],
  ['ktok/s', 'tokens', 1e3],
  ['Mtok/s', 'tokens', 1e6],
  ['Gtok/s', 'tokens', 1e9],
];

export const UNITS: ReadonlyMap<string, UnitDefinition> = new Map(
  table.map(([name, dimension, factor]) => [name, { dimension, factor }]),
);

export const DIMENSION_NAMES: Record<Dimension, string> = {
  size: 'a size',
  bandwidth: 'a bandwidth',
  time: 'a time',
  length: 'a length',
  power: 'a power',
  ratio: 'a ratio',
  compute: 'a compute rate',
  tokens: 'a token rate',
};

/** Units a user may write for a dimension, for messages and completion. */
export function unitsOf(dimension: Dimension): string[] {
  return table.filter(([name, d]) => d === dimension && name !== '\u03BCs' && name !== 'kB' && name !== 'kB/s').map(([name]) => name);
}

const EXAMPLES: Record<Dimension, string> = {
  size: '`64 GiB`',
  bandwidth: '`100 GB/s`',
  time: '`2 ms`',
  length: '`1.5 m`',
  power: '`45 W`',
  ratio: '`2.5` or `80%`',
  compute: '`989 TFLOP/s`',
  tokens: '`1.5 Mtok/s`',
};

export function exampleOf(dimension: Dimension): string {
  return EXAMPLES[dimension];
}

/**
 * Every printed figure is finite. A figure that cannot be computed is a diagnostic saying why
 * (`value-range`), never `Infinity` or `NaN` in a table: reaching here with one is a bug.
 */
export function assertFinite(value: number, what: string): number {
  if (!Number.isFinite(value)) throw new RangeError(`${what} is ${value}; a figure that cannot be computed needs a diagnostic, not a printed value`);
  return value;
}

/** Chooses a readable unit: `145 ns`, `1.2 ms`, `93 GB/s`, `64 GiB`. */
export function formatQuantity(value: number, dimension: Dimension): string {
  assertFinite(value, `the ${dimension} to print`);
  const fixed = (x: number) => {
    const rounded = Number(x.toPrecision(4));
    return String(rounded);
  };
  switch (dimension) {
    case 'time': {
      const abs = Math.abs(value);
      if (abs === 0) return '0 s';
      if (abs < 1e-9) return `${fixed(value * 1e12)} ps`;
      if (abs < 1e-6) return `${fixed(value * 1e9)} ns`;
      if (abs < 1e-3) return `${fixed(value * 1e6)} µs`;
      if (abs < 1) return `${fixed(value * 1e3)} ms`;
      return `${fixed(value)} s`;
    }
    case 'bandwidth':
      return value >= 1e12 ? `${fixed(value / 1e12)} TB/s` : `${fixed(value / 1e9)} GB/s`;
    case 'size': {
      const units: [string, number][] = [['TiB', 2 ** 40], ['GiB', 2 ** 30], ['MiB', 2 ** 20], ['KiB', 2 ** 10]];
      for (const [name, factor] of units) if (Math.abs(value) >= factor) return `${fixed(value / factor)} ${name}`;
      return `${fixed(value)} B`;
    }
    case 'length':
      return value < 1 ? `${fixed(value * 100)} cm` : `${fixed(value)} m`;
    case 'power':
      return value >= 1e3 ? `${fixed(value / 1e3)} kW` : `${fixed(value)} W`;
    case 'ratio':
      return fixed(value);
    case 'compute':
      return value >= 1e15 ? `${fixed(value / 1e15)} PFLOP/s` : `${fixed(value / 1e12)} TFLOP/s`;
    case 'tokens':
      if (value >= 1e6) return `${fixed(value / 1e6)} Mtok/s`;
      return value >= 1e3 ? `${fixed(value / 1e3)} ktok/s` : `${fixed(value)} tok/s`;
  }
}

/** Formats a value in a unit the user wrote (`145 ns` for a bound written in ns). */
export function formatIn(value: number, unit: string): string {
  assertFinite(value, `the figure to print in ${unit || 'a plain ratio'}`);
  const definition = UNITS.get(unit);
  if (!definition) return String(value);
  const scaled = Number((value / definition.factor).toPrecision(4));
  return unit === '%' ? `${scaled}%` : `${scaled} ${unit}`;
}
