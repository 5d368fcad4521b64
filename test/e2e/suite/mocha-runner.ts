/**
 * Runs a mocha suite inside the VS Code extension host and writes its counts where the harness
 * (test/e2e/run.mjs) reads them; a failing test makes the run exit non-zero.
 */
import { writeFileSync } from 'node:fs';
import Mocha from 'mocha';

export async function runMocha(load: () => Promise<unknown>): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
  // The test modules are bundled: expose describe/it before they are evaluated.
  mocha.suite.emit('pre-require', globalThis, 'bundled', mocha);
  await load();
  const failures: string[] = [];
  let passed = 0;
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on('pass', () => passed++);
    runner.on('fail', (test, error: Error) => failures.push(`${test.fullTitle()}: ${error.message}`));
  });
  const results = process.env.FABRIC_E2E_RESULTS;
  if (results) writeFileSync(results, JSON.stringify({ passed, failed: failures.length, failures }));
  if (failures.length > 0) throw new Error(`${failures.length} end-to-end test(s) failed:\n${failures.join('\n')}`);
}
