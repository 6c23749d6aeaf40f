import type { AgentExit } from './types';

/**
 * The signal a rollout runs under: the caller's, and the rollout's own wall-time budget when it
 * has one, so a teacher that answers slowly or a command that runs long cannot hold a sample past it.
 */
export interface RolloutStop {
  signal?: AbortSignal;
  /** Why the rollout must stop now; undefined while it may go on. */
  reason(): AgentExit | undefined;
}

export function rolloutStop(caller: AbortSignal | undefined, maxWallMs: number | undefined): RolloutStop {
  if (!maxWallMs || !Number.isFinite(maxWallMs) || maxWallMs <= 0) {
    return { signal: caller, reason: () => (caller?.aborted ? { status: 'cancelled' } : undefined) };
  }
  // AbortSignal.timeout's timer does not keep the process alive and needs no clearing.
  const budget = AbortSignal.timeout(maxWallMs);
  return {
    signal: caller ? AbortSignal.any([caller, budget]) : budget,
    reason: () => {
      if (caller?.aborted) return { status: 'cancelled' };
      if (budget.aborted) return { status: 'time-limit', reason: `the rollout's wall-time budget of ${duration(maxWallMs)} ran out` };
      return undefined;
    },
  };
}

function duration(ms: number): string {
  return ms >= 60_000 ? `${Math.round(ms / 6000) / 10} min` : `${Math.round(ms / 100) / 10} s`;
}
