import { setMaxListeners } from 'node:events';
import type { PlannedSample, RunState, SampleRecord } from '../store';
import { runSample, type SampleContext } from './pipeline';

export type StopReason = 'completed' | 'cancelled' | 'token-budget' | 'time-budget';

/**
 * Why and when a run stops: the caller's cancellation, the wall-time budget, or a budget reached
 * by the samples (stop()). Every sample in flight listens on `signal`.
 */
export class RunStop {
  private readonly controller = new AbortController();
  private reason: StopReason | null = null;
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly forward = () => this.stop('cancelled');

  constructor(
    private readonly outer: AbortSignal | undefined,
    maxWallMs: number | null,
    concurrency: number,
  ) {
    // Each sample in flight adds listeners (its teacher request, its command); Node's leak
    // warning at 10 would fire on any run with a concurrency above 10.
    setMaxListeners(Math.max(10, concurrency * 8), this.controller.signal);
    outer?.addEventListener('abort', this.forward, { once: true });
    if (outer?.aborted) this.stop('cancelled');
    this.timer = maxWallMs ? setTimeout(() => this.stop('time-budget'), maxWallMs) : undefined;
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  stop(reason: StopReason): void {
    if (this.controller.signal.aborted) return;
    this.reason = reason;
    this.controller.abort();
  }

  /** Ends the timer and the listener; says why the run stopped. */
  finish(): StopReason {
    if (this.timer) clearTimeout(this.timer);
    this.outer?.removeEventListener('abort', this.forward);
    return this.reason ?? 'completed';
  }
}

export interface Scheduling {
  pending: PlannedSample[];
  /** The persisted stages of samples a stopped run left unfinished. */
  prior: RunState['stages'];
  concurrency: number;
  onStart: (planned: PlannedSample) => void;
  /** Called as each sample leaves its worker: its record, or null when a stop left it pending. */
  onEnd: (record: SampleRecord | null) => void;
}

/**
 * `concurrency` workers take the pending samples in plan order, one sample at a time each, until
 * none is left or the run is stopped (ctx.signal).
 */
export async function scheduleSamples(ctx: SampleContext, s: Scheduling): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (!ctx.signal.aborted && next < s.pending.length) {
      const planned = s.pending[next++];
      s.onStart(planned);
      let record: SampleRecord | null = null;
      try {
        record = await runSample(ctx, planned, s.prior.get(planned.id));
      } finally {
        s.onEnd(record);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, s.concurrency) }, worker));
}
