// `npm run fuzz:quantities`: the random-quantities fuzzer (test/fuzz/quantities.test.ts) at 50
// times the cases of a normal test run (600 fabrics, about 15 minutes), through the real binary
// and language server. FABRIC_FUZZ_SCALE and FABRIC_FUZZ_SEED, when set, take precedence.
import { spawnSync } from 'node:child_process';

const env = { ...process.env, FABRIC_FUZZ_SCALE: process.env.FABRIC_FUZZ_SCALE || '50' };
const result = spawnSync(process.execPath, ['scripts/run-tests.mjs', 'test/fuzz/quantities.test.ts'], { stdio: 'inherit', env });
process.exitCode = result.status ?? 1;
