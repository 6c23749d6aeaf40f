import { execFile, spawn } from 'node:child_process';
import { listPids, readProcStat } from '../platform/proc-stat';
import { constants } from 'node:os';
import { OutputClip } from './output-clip';
import { limitProcesses, type ProcessLimit } from './process-limit';
import type { ExecResult } from './process-host-protocol';
import type { CommandResult } from './types';

export interface ProcessSpec {
  argv: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  maxOutputBytes: number;
  signal?: AbortSignal;
  /** Extra clean-up when the command is killed, e.g. stopping a docker container the client started. */
  onKill?: () => void;
  /** What to say when argv[0] cannot be started. */
  missingProgramHint?: string;
  /** Told the process id (also its process group's) once the command started. */
  onStart?: (pid: number) => void;
  /** Written to the program's file descriptor 3, which is then closed (bwrap reads its options there). */
  fd3?: string;
  /** At most this many processes (threads included) at once for the command and all it starts. */
  maxProcesses?: number;
}

/** How long to wait for the output pipes to close after the main process ended. */
const DRAIN_GRACE_MS = 500;

/** The error a cancelled sandbox operation rejects with (`name` is 'AbortError', as fetch's). */
export function abortError(message = 'the command was cancelled'): Error {
  const error = new Error(message);
  error.name = 'AbortError';
  return error;
}

/** Every process below `root`, read from /proc (Linux); used to reach children that left the process group. */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const pid of listPids()) {
    const stat = readProcStat(pid);
    if (!stat) continue; // the process ended while we looked
    const list = children.get(stat.ppid) ?? [];
    list.push(pid);
    children.set(stat.ppid, list);
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length) {
    for (const child of children.get(queue.shift()!) ?? []) {
      out.push(child);
      queue.push(child);
    }
  }
  return out;
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/**
 * Runs argv in its own process group with a time limit and an output cap. On timeout or abort the
 * whole tree is killed: the process group, plus any descendant that moved to a group of its own.
 * When the main process ends, whatever it left running in its group (background jobs) is killed
 * too, so no stray process outlives the command or holds its output open.
 */
export function runProcess(spec: ProcessSpec): Promise<CommandResult> {
  const started = performance.now();
  if (spec.signal?.aborted) return Promise.reject(abortError());
  let limit: ProcessLimit | null;
  try {
    limit = spec.maxProcesses ? limitProcesses(spec.argv, spec.maxProcesses) : null;
  } catch (error) {
    return Promise.reject(error as Error);
  }
  const argv = limit?.argv ?? spec.argv;
  return new Promise((resolvePromise, reject) => {
    const clip = new OutputClip(spec.maxOutputBytes);
    let timedOut = false;
    let aborted = false;
    let exitCode: number | null = null;
    let settled = false;
    const child = spawn(argv[0], argv.slice(1), {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      stdio: (spec.fd3 === undefined ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe', 'pipe']) as ['ignore', 'pipe', 'pipe'],
    });
    if (spec.fd3 !== undefined) {
      const input = child.stdio[3] as NodeJS.WritableStream & { on(event: 'error', fn: () => void): unknown };
      input.on('error', () => undefined); // a program that exits without reading it: its exit tells the rest
      input.end(spec.fd3);
    }
    const pid = child.pid;
    if (pid !== undefined) spec.onStart?.(pid);
    const killTree = () => {
      if (pid === undefined) return;
      // found before the kill, while they are still the command's; a cgroup holds them all anyway
      const below = limit?.holdsAll ? [] : descendants(pid);
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // group already gone
      }
      for (const p of below) killQuietly(p);
      killQuietly(pid);
      limit?.killAll();
      spec.onKill?.();
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killTree();
    }, Math.max(1, spec.timeoutMs));
    const onAbort = () => {
      aborted = true;
      killTree();
    };
    spec.signal?.addEventListener('abort', onAbort, { once: true });
    let drainTimer: NodeJS.Timeout | undefined;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      limit?.release();
      clearTimeout(timer);
      if (drainTimer) clearTimeout(drainTimer);
      spec.signal?.removeEventListener('abort', onAbort);
      if (error) return reject(error);
      if (aborted) return reject(abortError());
      resolvePromise({
        exitCode: timedOut ? null : exitCode,
        output: clip.text(),
        timedOut,
        truncated: clip.truncated,
        ms: performance.now() - started,
      });
    };
    child.stdout.on('data', (chunk: Buffer) => clip.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => clip.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') finish(new Error(spec.missingProgramHint ?? `${spec.argv[0]} was not found; install it or choose another sandbox mode`));
      else finish(error);
    });
    child.on('exit', (code, sig) => {
      exitCode = code ?? (sig ? 128 + (constants.signals[sig] ?? 0) : null);
      if (pid !== undefined) {
        try {
          process.kill(-pid, 'SIGKILL'); // background jobs left in the group
        } catch {
          // nothing left
        }
      }
      limit?.killAll(); // and those that left it (setsid), which the limit's group still holds
      drainTimer = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        finish();
      }, DRAIN_GRACE_MS);
    });
    child.on('close', () => finish());
  });
}

/** Runs a program to completion and collects its output as bytes (git); failures are results, not errors. */
export function collectOutput(file: string, args: string[], env: NodeJS.ProcessEnv, cwd: string, maxBuffer: number): Promise<ExecResult> {
  return new Promise((resolve) => {
    execFile(file, args, { env, cwd, maxBuffer, encoding: 'buffer' }, (error, stdout, stderr) => {
      const code = error && typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : null;
      resolve({ failed: Boolean(error), message: error ? error.message : '', code, stdout, stderr });
    });
  });
}
