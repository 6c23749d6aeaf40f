import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { parseFile, type ParseJob, type ParseOutcome } from './parse-file';

const BATCH = 24;
/** Below this many files, starting workers and loading grammars in each costs more than it saves. */
export const MIN_FILES_FOR_WORKERS = 150;

export function defaultWorkerCount(files: number): number {
  if (files < MIN_FILES_FOR_WORKERS) return 0;
  return Math.max(0, Math.min(4, availableParallelism()));
}

/** The bundled worker sits next to the bundle; from sources (tests) it is loaded through tsx's CommonJS hook. */
function startWorker(workerData: unknown): Worker {
  const bundled = join(__dirname, 'scan-worker.js');
  if (existsSync(bundled)) return new Worker(bundled, { workerData });
  const source = join(__dirname, 'worker.ts');
  return new Worker(`require('tsx/cjs');require(${JSON.stringify(source)});`, { eval: true, workerData });
}

export async function parseAll(root: string, jobs: ParseJob[], maxBytes: number, workers: number): Promise<ParseOutcome[]> {
  if (workers <= 0 || jobs.length === 0) {
    const out: ParseOutcome[] = [];
    for (const job of jobs) out.push(await parseFile(root, job, maxBytes));
    return out;
  }
  const results: ParseOutcome[] = new Array(jobs.length);
  let next = 0;
  const runWorker = () =>
    new Promise<void>((resolve, reject) => {
      const worker = startWorker({ root, maxBytes });
      let batchStart = 0;
      let batchSize = 0;
      const send = () => {
        if (next >= jobs.length) {
          void worker.terminate().then(() => resolve());
          return;
        }
        batchStart = next;
        batchSize = Math.min(BATCH, jobs.length - next);
        next += batchSize;
        worker.postMessage(jobs.slice(batchStart, batchStart + batchSize));
      };
      worker.on('message', (batch: ParseOutcome[]) => {
        for (let i = 0; i < batch.length; i++) results[batchStart + i] = batch[i];
        send();
      });
      worker.once('error', reject);
      worker.once('online', send);
    });
  await Promise.all(Array.from({ length: Math.min(workers, Math.ceil(jobs.length / BATCH)) }, runWorker));
  return results;
}
