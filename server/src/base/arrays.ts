/**
 * What `Math.max(...values)` and `list.push(...items)` do, one element at a time: spreading an
 * array into a call passes each element as an argument, and past about 100,000 (a fabric's
 * devices or links) that overflows the stack.
 */
export function maxOf(values: Iterable<number>): number {
  let max = -Infinity;
  for (const value of values) if (value > max || Number.isNaN(value)) max = value;
  return max;
}

export function minOf(values: Iterable<number>): number {
  let min = Infinity;
  for (const value of values) if (value < min || Number.isNaN(value)) min = value;
  return min;
}

export function appendAll<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}
