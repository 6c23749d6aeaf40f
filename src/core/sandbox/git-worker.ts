import { execFile } from 'node:child_process';
import { Worker } from 'node:worker_threads';

/**
 * Starts git from a worker thread. Node forks child processes on the thread that asks, and the
 * fork of a large process blocks that thread for milliseconds; with dozens of rollouts in flight
 * the per-rollout git calls (reset, diff) kept the main event loop blocked a quarter of the
 * time. The worker is plain JavaScript given as source, so it needs no bundling or loader.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { execFile } = require('node:child_process');
parentPort.on('message', ({ id, file, args, env, cwd, maxBuffer }) => {
  execFile(file, args, { env, cwd, maxBuffer, encoding: 'buffer' }, (error, stdout, stderr) => {
    const code = error && typeof error.code === 'number' ? error.code : null;
    parentPort.postMessage({ id, failed: Boolean(error), message: error ? error.message : '', code, stdout, stderr });
  });
});
`;

export interface ExecResult {
  failed: boolean;
  message: string;
  code: number | null;
  stdout: Buffer;
  stderr: Buffer;
}

interface Pending {
  resolve: (r: ExecResult) => void;
}

let worker: Worker | null | undefined;
let nextId = 0;
const pending = new Map<number, Pending>();

function startWorker(): Worker | null {
  if (process.env.SPECIALIZE_GIT_IN_MAIN_THREAD === '1') return null;
  try {
    const w = new Worker(WORKER_SOURCE, { eval: true });
    w.unref();
    w.on('message', (m: ExecResult & { id: number }) => {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if (pending.size === 0) w.unref();
      p.resolve({ ...m, stdout: Buffer.from(m.stdout), stderr: Buffer.from(m.stderr) });
    });
    w.on('error', () => failOver(w));
    w.on('exit', () => failOver(w));
    return w;
  } catch {
    return null;
  }
}

/** A worker that died hands its calls back to the main thread rather than losing them. */
function failOver(dead: Worker): void {
  if (worker === dead) worker = null;
}

function execHere(file: string, args: string[], env: NodeJS.ProcessEnv, cwd: string, maxBuffer: number): Promise<ExecResult> {
  return new Promise((resolve) => {
    execFile(file, args, { env, cwd, maxBuffer, encoding: 'buffer' }, (error, stdout, stderr) => {
      const code = error && typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : null;
      resolve({ failed: Boolean(error), message: error ? error.message : '', code, stdout, stderr });
    });
  });
}

export function execInWorker(file: string, args: string[], env: NodeJS.ProcessEnv, cwd: string, maxBuffer: number): Promise<ExecResult> {
  if (worker === undefined) worker = startWorker();
  const w = worker;
  if (!w) return execHere(file, args, env, cwd, maxBuffer);
  const id = nextId++;
  return new Promise((resolve) => {
    pending.set(id, { resolve });
    // Keep the process alive while git runs; let it exit when the worker is idle.
    w.ref();
    w.postMessage({ id, file, args, env: { ...env }, cwd, maxBuffer });
  });
}
