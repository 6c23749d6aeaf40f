import type { PlannedSample, RunState, SampleRecord } from '../store';
import { runSample, type SampleContext } from './pipeline';

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
