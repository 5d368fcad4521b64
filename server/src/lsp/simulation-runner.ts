/**
 * Runs simulations in a worker thread, one at a time, the newest job per document winning: a new
 * job for the document being simulated terminates the worker (the only way to stop synchronous
 * work) and a fresh one takes over; a job over its time budget is stopped the same way.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { SimulationAnswer, SimulationJob } from './simulation-worker.js';

export type RunOutcome =
  | { kind: 'done'; answer: Extract<SimulationAnswer, { report: unknown }> }
  | { kind: 'failed'; error: string }
  | { kind: 'cancelled' }
  | { kind: 'timeout'; budgetMs: number };

interface Pending {
  key: string;
  job: SimulationJob;
  resolve: (outcome: RunOutcome) => void;
}

export class SimulationRunner {
  private worker: Worker | undefined;
  private running: (Pending & { timer: NodeJS.Timeout }) | undefined;
  private readonly queue = new Map<string, Pending>();
  private nextId = 1;

  constructor(
    private readonly budgetMs: () => number,
    private readonly log: (message: string) => void,
    private readonly workerPath = join(__dirname, 'simulation-worker.js'),
  ) {}

  /** Queues a job for `key` (a document); an older queued or running job for it is cancelled. */
  run(key: string, job: Omit<SimulationJob, 'id'>): Promise<RunOutcome> {
    return new Promise((resolve) => {
      const queued = this.queue.get(key);
      if (queued) queued.resolve({ kind: 'cancelled' });
      this.queue.set(key, { key, job: { ...job, id: this.nextId++ }, resolve });
      if (this.running?.key === key) this.stop({ kind: 'cancelled' });
      this.pump();
    });
  }

  /** Cancels whatever is queued or running for `key`. */
  cancel(key: string): void {
    this.queue.get(key)?.resolve({ kind: 'cancelled' });
    this.queue.delete(key);
    if (this.running?.key === key) this.stop({ kind: 'cancelled' });
    this.pump();
  }

  dispose(): void {
    for (const pending of this.queue.values()) pending.resolve({ kind: 'cancelled' });
    this.queue.clear();
    if (this.running) this.stop({ kind: 'cancelled' });
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private spawn(): Worker {
    const worker = new Worker(this.workerPath);
    worker.on('message', (answer: SimulationAnswer) => this.finish(answer));
    worker.on('error', (error) => {
      this.log(`simulation worker failed: ${error.message}`);
      if (this.worker === worker) this.worker = undefined;
      this.running?.resolve({ kind: 'failed', error: error.message });
      this.clearRunning();
    });
    return worker;
  }

  private stop(outcome: RunOutcome): void {
    const running = this.running!;
    this.clearRunning();
    void this.worker?.terminate();
    // A fresh worker starts loading now, so the next job does not pay for it.
    this.worker = this.spawn();
    running.resolve(outcome);
  }

  private clearRunning(): void {
    if (this.running) clearTimeout(this.running.timer);
    this.running = undefined;
  }

  private finish(answer: SimulationAnswer): void {
    const running = this.running;
    if (!running || running.job.id !== answer.id) return;
    this.clearRunning();
    running.resolve('error' in answer ? { kind: 'failed', error: answer.error } : { kind: 'done', answer });
    this.pump();
  }

  private pump(): void {
    if (this.running) return;
    const next = this.queue.values().next();
    if (next.done) return;
    const pending = next.value;
    this.queue.delete(pending.key);
    this.worker ??= this.spawn();
    const budgetMs = this.budgetMs();
    const timer = setTimeout(() => {
      this.stop({ kind: 'timeout', budgetMs });
      this.pump();
    }, budgetMs);
    this.running = { ...pending, timer };
    this.worker.postMessage(pending.job);
  }
}
