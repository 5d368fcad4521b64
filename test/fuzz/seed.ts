/**
 * Fuzz runs are reproducible: every property draws from a seed derived from one base seed,
 * FABRIC_FUZZ_SEED (a fixed default otherwise), and a failure names the base seed to rerun with.
 * FABRIC_FUZZ_SCALE multiplies the number of cases (0.1 for a quick local run, 10 for a long one).
 */
import fc from 'fast-check';

const DEFAULT_SEED = 20_261_201;

function readNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new Error(`${name} must be a number, not \`${raw}\``);
  return value;
}

export const BASE_SEED = Math.trunc(readNumber('FABRIC_FUZZ_SEED', DEFAULT_SEED));
const SCALE = readNumber('FABRIC_FUZZ_SCALE', 1);

/** The number of cases a property runs, after FABRIC_FUZZ_SCALE. */
export const cases = (count: number): number => Math.max(1, Math.round(count * SCALE));

/** A property's own seed: the base seed mixed with its name (FNV-1a), so properties differ. */
function seedOf(name: string): number {
  let hash = 0x811c9dc5 ^ BASE_SEED;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193);
  return hash | 0;
}

/** Runs an async property; a failure says which base seed reproduces it. */
export async function assertProperty<T>(name: string, count: number, arbitrary: fc.Arbitrary<T>, check: (value: T) => Promise<string | undefined>): Promise<void> {
  const property = fc.asyncProperty(arbitrary, async (value) => {
    const problem = await check(value);
    if (problem) throw new Error(problem);
  });
  try {
    await fc.assert(property, { seed: seedOf(name), numRuns: cases(count), endOnFailure: false });
  } catch (error) {
    const cause = (error as Error).cause;
    const problem = cause instanceof Error ? `\n${cause.message}` : '';
    throw new Error(`fuzz failure in "${name}"; reproduce with FABRIC_FUZZ_SEED=${BASE_SEED}\n${(error as Error).message}${problem}`);
  }
}
