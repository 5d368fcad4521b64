/**
 * Runs fuzz cases in a worker thread, so that a hang or a runaway allocation in the core is a
 * failed case (the worker is stopped, or dies at its heap cap) rather than a stuck test run.
 * A fuzz test file is its own worker script: it calls `serveCases()` when it is not the main thread.
 */
import { parentPort, Worker } from 'node:worker_threads';
import { runCase, type FuzzCase, type FuzzOutcome } from './pipeline.js';

/** A generous guard against hangs, not a speed requirement (speed is measured by the benchmarks). */
export const CASE_TIMEOUT_MS = 10_000;
/** The heap a case may use; more is reported as exhaustion. */
const HEAP_CAP_MB = 1024;

export function serveCases(): void {
  parentPort!.on('message', (fuzzCase: FuzzCase) => parentPort!.postMessage(runCase(fuzzCase)));
}

export class CaseWorker {
  private worker: Worker | undefined;

  constructor(private readonly script: string) {}

  /** The case's outcome; a hang or a crash of the worker is a problem too. */
  run(fuzzCase: FuzzCase): Promise<FuzzOutcome> {
    const worker = (this.worker ??= new Worker(this.script, { resourceLimits: { maxOldGenerationSizeMb: HEAP_CAP_MB } }));
    return new Promise((resolve) => {
      const settle = (outcome: FuzzOutcome) => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        resolve(outcome);
      };
      const discard = () => {
        if (this.worker === worker) this.worker = undefined;
      };
      const onMessage = (outcome: FuzzOutcome) => settle(outcome);
      const onError = (error: Error) => {
        discard();
        settle({ problem: `the worker died: ${error.message}`, diagnostics: 0 });
      };
      const onExit = (code: number) => {
        discard();
        settle({ problem: `the worker exited with code ${code}`, diagnostics: 0 });
      };
      const timer = setTimeout(() => {
        discard();
        void worker.terminate();
        settle({ problem: `no answer within ${CASE_TIMEOUT_MS / 1000} s (a hang)`, diagnostics: 0 });
      }, CASE_TIMEOUT_MS);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage(fuzzCase);
    });
  }

  async dispose(): Promise<void> {
    await this.worker?.terminate();
    this.worker = undefined;
  }
}
