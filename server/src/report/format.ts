/** Figures as the report shows them: three or four significant digits, units a person reads. Each asserts it is finite. */
import { assertFinite, formatIn, formatQuantity } from '../model/units.js';

export const formatTime = (seconds: number) => formatQuantity(seconds, 'time');
export const formatBandwidth = (bytesPerSecond: number) => formatQuantity(bytesPerSecond, 'bandwidth');
export const formatPower = (watts: number) => formatQuantity(watts, 'power');

export function formatGBps(value: number | null): string {
  if (value === null) return '–';
  assertFinite(value, 'the bandwidth to print');
  return `${value >= 100 ? value.toFixed(0) : value.toPrecision(3)} GB/s`;
}

export function formatPercent(share: number): string {
  const percent = assertFinite(share, 'the share to print') * 100;
  return `${percent >= 10 || percent === 0 ? percent.toFixed(0) : percent.toPrecision(2)} %`;
}

/** `4:1`, `2.5:1`, `0.25:1`. */
export function formatRatio(ratio: number): string {
  return `${Number(assertFinite(ratio, 'the ratio to print').toPrecision(3))}:1`;
}

/** A measured or bound value in the unit the expectation was written in; a plain ratio as `2.5`. */
export function formatInUnit(value: number, unit: string): string {
  return unit === '' ? String(Number(assertFinite(value, 'the ratio to print').toPrecision(4))) : formatIn(value, unit);
}

export const formatCount = (n: number) => n.toLocaleString('en-US');
