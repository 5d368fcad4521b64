/** Size limits: the editor and the CLI set them; exceeding one is a `limit` diagnostic, never exhaustion. */
export interface Limits {
  maxDevices: number;
  maxLinks: number;
  /** Loop iterations over the whole file, nested loops included. */
  maxLoopIterations: number;
  /** Deepest nesting of blocks, parentheses and brackets. */
  maxNestingDepth: number;
  /** Longest chain of imports. */
  maxImportDepth: number;
  /** Largest file, in characters. */
  maxFileSize: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxDevices: 100_000,
  maxLinks: 1_000_000,
  maxLoopIterations: 2_000_000,
  maxNestingDepth: 64,
  maxImportDepth: 32,
  maxFileSize: 8 * 1024 * 1024,
};

/**
 * The most a flag or a setting may raise each limit to: past these, a fabric within its limits
 * could still exhaust the stack or the heap (docs/robustness.md gives the reasons and figures).
 * A larger value is lowered to these.
 */
export const SAFE_MAXIMUM_LIMITS: Limits = {
  maxDevices: 1_000_000,
  maxLinks: 2_000_000,
  maxLoopIterations: 10_000_000,
  maxNestingDepth: 256,
  maxImportDepth: 256,
  maxFileSize: 64 * 1024 * 1024,
};

/** The limits a caller asked for, each lowered to its safe maximum; `lowered` names those that were. */
export function clampLimits(asked: Partial<Limits>): { limits: Partial<Limits>; lowered: (keyof Limits)[] } {
  const limits: Partial<Limits> = {};
  const lowered: (keyof Limits)[] = [];
  for (const [key, value] of Object.entries(asked) as [keyof Limits, number | undefined][]) {
    if (value === undefined) continue;
    if (value > SAFE_MAXIMUM_LIMITS[key]) lowered.push(key);
    limits[key] = Math.min(value, SAFE_MAXIMUM_LIMITS[key]);
  }
  return { limits, lowered };
}
