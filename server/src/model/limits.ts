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
