/**
 * The values a quantity may take: its attribute's physical range (a bandwidth is more than 0, an
 * efficiency at most 100 %) within the magnitudes every figure is computed with. A value outside
 * is a `value-range` error at the literal, so the simulator only ever sees figures it can compute.
 */
import type { Dimension } from './units.js';

/**
 * The largest quantity, in SI units (B, B/s, s, m, W, a plain ratio), and the smallest other
 * than 0. Far beyond any fabric either way, and close enough that every figure derived from
 * quantities in between stays finite: a sum over 2^53 of them is at most 1e46, a quotient of two
 * at most 1e60, where doubles reach 1.8e308.
 */
export const MAX_QUANTITY = 1e30;
export const MIN_QUANTITY = 1e-30;

export interface QuantityRange {
  /** The least value, in SI units; with `excludesLeast`, values must be more than it. */
  least: number;
  excludesLeast: boolean;
  most: number;
}

export const ZERO_OR_MORE: QuantityRange = { least: 0, excludesLeast: false, most: MAX_QUANTITY };
export const MORE_THAN_ZERO: QuantityRange = { least: 0, excludesLeast: true, most: MAX_QUANTITY };
export const ONE_OR_MORE: QuantityRange = { least: 1, excludesLeast: false, most: MAX_QUANTITY };
/** An efficiency: more than 0 %, up to 100 %. */
export const EFFICIENCY: QuantityRange = { least: 0, excludesLeast: true, most: 1 };
/** A share of a capacity, such as a utilization bound: 0 % to 100 %. */
export const SHARE: QuantityRange = { least: 0, excludesLeast: false, most: 1 };

const SI_UNIT: Record<Dimension, string> = { size: ' B', bandwidth: ' B/s', time: ' s', length: ' m', power: ' W', ratio: '', compute: ' FLOP/s', tokens: ' tok/s' };

/** `1e30`, `1e-30`, `0`, `1`: as a person writes a bound. */
const bound = (value: number) => String(value).replace('e+', 'e');

/** Why an SI value is outside a range, or undefined when it is inside. */
export function rangeProblem(value: number, range: QuantityRange, dimension: Dimension): string | undefined {
  const inside = Number.isFinite(value) && value <= range.most && (range.excludesLeast ? value > range.least : value >= range.least);
  if (!inside) return `allowed: ${describeRange(range, dimension)}`;
  if (value !== 0 && value < MIN_QUANTITY) return `other than 0, a quantity must be at least ${bound(MIN_QUANTITY)}${SI_UNIT[dimension]} to be computed with`;
  return undefined;
}

/** `more than 0 B/s, up to 1e30 B/s`; `0 s to 1e30 s`; `more than 0% up to 100%` for an efficiency. */
export function describeRange(range: QuantityRange, dimension: Dimension): string {
  const unit = SI_UNIT[dimension];
  if (dimension === 'ratio' && range.most === 1) {
    return range.excludesLeast ? 'more than 0% up to 100% (as a plain ratio, more than 0 up to 1)' : '0% to 100% (as a plain ratio, 0 to 1)';
  }
  const most = `${bound(range.most)}${unit}`;
  return range.excludesLeast ? `more than ${bound(range.least)}${unit}, up to ${most}` : `${bound(range.least)}${unit} to ${most}`;
}
