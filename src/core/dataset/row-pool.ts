import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ExportError } from './options';
import { RowBuilder, type RowJob, type RowOutcome, type RowSettings } from './row';

const BATCH = 8;
const IN_FLIGHT_PER_WORKER = 3;
/**
 * Each worker holds ~40 MB of tokenizer tables, ~20 MB of line cache and one trajectory at a
 * time (a few MB at most: the agent clips tool outputs). Without limits V8 lets a worker's heap
 * grow far past that before collecting; these keep the whole export near 300 MB.
 */
const LIMITS = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 160 };

export function defaultExportWorkers(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

/** The bundled worker sits next to the bundle; from sources (tests, benchmarks) it loads through tsx. */
function startWorker(settings: RowSettings): Worker | null {
  const bundled = join(__dirname, 'export-worker.js');
  if (existsSync(bundled)) return new Worker(bundled, { workerData: settings, resourceLimits: LIMITS });
  const source = join(__dirname, 'worker.ts');
  if (!existsSync(source)) return null;
  return new Worker(`require('tsx/cjs');require(${JSON.stringify(source)});`, { eval: true, workerData: settings, resourceLimits: LIMITS });
}

interface Slot {
  worker: Worker;
  inFlight: number;
}

/**
 * Builds rows in worker threads (or in this thread when there are none) and hands the outcomes
 * back strictly in submission order, each with the `context` it was submitted with (which stays
 * in this thread), so an export is the same file however the work was shared.
 */
export class RowPool<C> {
  private readonly slots: Slot[] = [];
  private readonly inline: RowBuilder | null = null;
  private batch: { seq: number; job: RowJob }[] = [];
  private nextSeq = 0;
  private nextOut = 0;
  private readonly done = new Map<number, RowOutcome>();
  private readonly contexts = new Map<number, C>();
  private wake: (() => void) | null = null;
  private failure: Error | null = null;

  constructor(settings: RowSettings, workers: number, private readonly onOutcome: (outcome: RowOutcome, context: C) => void) {
    for (let i = 0; i < workers; i++) {
      const worker = startWorker(settings);
      if (!worker) break;
      const slot: Slot = { worker, inFlight: 0 };
      worker.on('message', (results: { seq: number; outcome: RowOutcome }[]) => {
        slot.inFlight--;
        for (const r of results) this.done.set(r.seq, r.outcome);
        try {
          this.emitReady();
        } catch (error) {
          this.failure = error as Error;
        }
        this.poke();
      });
      worker.on('error', (error) => {
        this.failure =
          (error as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new ExportError('An export worker ran out of memory on a very large trajectory; run the export again with --workers 0.')
            : error;
        this.poke();
      });
      this.slots.push(slot);
    }
    if (!this.slots.length) this.inline = new RowBuilder(settings);
  }

  get threads(): number {
    return this.slots.length;
  }

  async submit(job: RowJob, context: C): Promise<void> {
    this.check();
    if (this.inline) {
      this.onOutcome(this.inline.build(job), context);
      return;
    }
    this.contexts.set(this.nextSeq, context);
    this.batch.push({ seq: this.nextSeq++, job });
    if (this.batch.length >= BATCH) await this.send();
  }

  /** Waits for every submitted row, then stops the workers. */
  async finish(): Promise<void> {
    try {
      if (this.batch.length) await this.send();
      while (this.nextOut < this.nextSeq) {
        this.check();
        await new Promise<void>((resolve) => (this.wake = resolve));
      }
      this.check();
    } finally {
      await this.stop();
    }
  }

  /** Stops the workers without waiting for their rows: for an export that failed or was cancelled. */
  async stop(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private async send(): Promise<void> {
    for (;;) {
      this.check();
      const slot = this.slots.reduce((best, s) => (s.inFlight < best.inFlight ? s : best));
      if (slot.inFlight < IN_FLIGHT_PER_WORKER) {
        slot.inFlight++;
        slot.worker.postMessage(this.batch);
        this.batch = [];
        return;
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  private emitReady(): void {
    while (this.done.has(this.nextOut)) {
      const outcome = this.done.get(this.nextOut)!;
      const context = this.contexts.get(this.nextOut)!;
      this.done.delete(this.nextOut);
      this.contexts.delete(this.nextOut);
      this.nextOut++;
      this.onOutcome(outcome, context);
    }
  }

  private poke(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  private check(): void {
    if (this.failure) throw this.failure;
  }
}
