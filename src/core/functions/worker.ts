import { parentPort, workerData } from 'node:worker_threads';
import { parseFile, type ParseJob } from './parse-file';

// A scan worker: receives batches of files, answers with what each yielded.
const { root, maxBytes } = workerData as { root: string; maxBytes: number };

parentPort?.on('message', async (batch: ParseJob[]) => {
  const results = [];
  for (const job of batch) results.push(await parseFile(root, job, maxBytes));
  parentPort?.postMessage(results);
});
