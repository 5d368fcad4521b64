/**
 * Runs fuzz cases in a worker thread, so that a hang or a runaway allocation in the core is a
 * failed case (the worker is stopped, or dies at its heap cap) rather than a stuck test run.
 * A fuzz test file is its own worker script: it calls `serveCases()` when it is not the main thread.
 */
import { parentPort, Worker } from 'node:worker_threads';
import { runCase, type FuzzCase } from './pipeline.js';

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

  /** What is wrong with the case's run, or undefined; a hang or a crash of the worker is a problem too. */
  run(fuzzCase: FuzzCase): Promise<string | undefined> {
    const worker = (this.worker ??= new Worker(this.script, { resourceLimits: { maxOldGenerationSizeMb: HEAP_CAP_MB } }));
    return new Promise((resolve) => {
      const settle = (problem: string | undefined) => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        resolve(problem);
      };
      const discard = () => {
        if (this.worker === worker) this.worker = undefined;
      };
      const onMessage = (problem: string | undefined) => settle(problem);
      const onError = (error: Error) => {
        discard();
        settle(`the worker died: ${error.message}`);
      };
      const onExit = (code: number) => {
        discard();
        settle(`the worker exited with code ${code}`);
      };
      const timer = setTimeout(() => {
        discard();
        void worker.terminate();
        settle(`no answer within ${CASE_TIMEOUT_MS / 1000} s (a hang)`);
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
