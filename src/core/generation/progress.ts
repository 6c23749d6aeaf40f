import type { SampleRecord } from '../store';

export interface RunProgress {
  total: number;
  done: number;
  verified: number;
  below: number;
  failed: number;
  inFlight: number;
  tokens: number;
  elapsedMs: number;
  etaMs: number | null;
}

/**
 * A run's counts as samples start and finish, reported to the caller after every change. The
 * estimate of time left comes only from samples finished in this session: a resumed run's earlier
 * samples took no time here.
 */
export class ProgressTracker {
  private readonly progress: RunProgress;
  private started = performance.now();
  private doneThisSession = 0;

  constructor(
    total: number,
    finishedBefore: Iterable<SampleRecord>,
    private readonly onProgress?: (progress: RunProgress) => void,
  ) {
    this.progress = { total, done: 0, verified: 0, below: 0, failed: 0, inFlight: 0, tokens: 0, elapsedMs: 0, etaMs: null };
    for (const record of finishedBefore) this.count(record);
  }

  /** The clock starts when the samples do, after the run's preparation. */
  start(): void {
    this.started = performance.now();
    this.report();
  }

  sampleStarted(): void {
    this.progress.inFlight++;
    this.report();
  }

  /** A sample left the worker: finished (its record) or left pending by a stop (null). */
  sampleEnded(record: SampleRecord | null): void {
    this.progress.inFlight--;
    if (record) {
      this.count(record);
      this.doneThisSession++;
    }
    this.report();
  }

  get tokens(): number {
    return this.progress.tokens;
  }

  snapshot(): RunProgress {
    return { ...this.progress };
  }

  report(): void {
    const p = this.progress;
    p.elapsedMs = Math.round(performance.now() - this.started);
    p.etaMs = this.doneThisSession > 0 ? Math.round((p.elapsedMs / this.doneThisSession) * (p.total - p.done)) : null;
    this.onProgress?.({ ...p });
  }

  private count(record: SampleRecord): void {
    const p = this.progress;
    p.done++;
    if (record.status === 'verified') p.verified++;
    else if (record.status === 'below-threshold') p.below++;
    else p.failed++;
    p.tokens += record.usage.promptTokens + record.usage.completionTokens;
  }
}
