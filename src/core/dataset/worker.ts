import { parentPort, workerData } from 'node:worker_threads';
import { RowBuilder, type RowJob, type RowSettings } from './row';

// An export worker: turns batches of trajectories into dataset lines (or the reason they were dropped).
const builder = new RowBuilder(workerData as RowSettings);

parentPort?.on('message', (batch: { seq: number; job: RowJob }[]) => {
  const transfer: ArrayBuffer[] = [];
  const results = batch.map(({ seq, job }) => {
    const outcome = builder.build(job);
    if (outcome.kind === 'row' && typeof outcome.line === 'string') {
      // Encoded here and handed over without a copy: the writing thread only appends bytes.
      const bytes = new TextEncoder().encode(outcome.line);
      outcome.line = bytes;
      transfer.push(bytes.buffer as ArrayBuffer);
    }
    return { seq, outcome };
  });
  parentPort?.postMessage(results, transfer);
});
