// `npm run fuzz:quantities` and `npm run fuzz:lsp`: a fuzzer of the test suite at many times the
// cases of a normal test run, through the real binary and language server.
//   quantities (test/fuzz/quantities.test.ts): 50 times, 600 fabrics, about 15 minutes;
//   lsp (test/fuzz/lsp-requests.test.ts): 20 times, 6,000 random messages, a few minutes.
// FABRIC_FUZZ_SCALE and FABRIC_FUZZ_SEED, when set, take precedence. Usage: node scripts/fuzz.mjs NAME
import { spawnSync } from 'node:child_process';

const FUZZERS = {
  quantities: { file: 'test/fuzz/quantities.test.ts', scale: '50' },
  lsp: { file: 'test/fuzz/lsp-requests.test.ts', scale: '20' },
};
const fuzzer = FUZZERS[process.argv[2]];
if (!fuzzer) {
  console.error(`usage: node scripts/fuzz.mjs ${Object.keys(FUZZERS).join('|')}`);
  process.exit(2);
}
const env = { ...process.env, FABRIC_FUZZ_SCALE: process.env.FABRIC_FUZZ_SCALE || fuzzer.scale };
const result = spawnSync(process.execPath, ['scripts/run-tests.mjs', fuzzer.file], { stdio: 'inherit', env });
process.exitCode = result.status ?? 1;
