import { setMaxListeners } from 'node:events';

export type StopReason = 'completed' | 'cancelled' | 'token-budget' | 'time-budget';

/**
 * One run's stop switch: the caller's cancel, the wall-clock budget and the token budget all end
 * in one signal that every rollout in flight listens on; `stoppedBy` says which came first.
 */
export class RunControl {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly forward = () => this.controller.abort();
  stoppedBy: StopReason = 'completed';

  constructor(
    concurrency: number,
    private readonly outer: AbortSignal | undefined,
    budgets: { maxTotalTokens: number | null; maxWallMs: number | null },
  ) {
    this.maxTotalTokens = budgets.maxTotalTokens;
    // Each rollout in flight listens on this signal (its model request, its command); Node's
    // leak warning at 10 listeners would fire on any run with a concurrency above 10.
    setMaxListeners(Math.max(10, concurrency * 8), this.controller.signal);
    outer?.addEventListener('abort', this.forward, { once: true });
    if (outer?.aborted) this.controller.abort();
    if (budgets.maxWallMs) this.timer = setTimeout(() => this.stop('time-budget'), budgets.maxWallMs);
  }

  private readonly maxTotalTokens: number | null;

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Stops the run once the tokens spent so far reach the token budget. */
  spent(tokens: number): void {
    if (this.maxTotalTokens && tokens >= this.maxTotalTokens) this.stop('token-budget');
  }

  private stop(reason: StopReason): void {
    if (this.controller.signal.aborted) return;
    this.stoppedBy = reason;
    this.controller.abort();
  }

  /** Ends the switch's timers and listeners; a stop nobody asked for by budget was a cancel. */
  finish(): StopReason {
    if (this.timer) clearTimeout(this.timer);
    this.outer?.removeEventListener('abort', this.forward);
    if (this.controller.signal.aborted && this.stoppedBy === 'completed') this.stoppedBy = 'cancelled';
    return this.stoppedBy;
  }
}
