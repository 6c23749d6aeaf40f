import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { abortError, collectOutput, runProcess, type ProcessSpec } from './process-runner';
import type { ExecResult, HostReply, HostRequest } from './process-host-protocol';
import type { CommandResult } from './types';

export type { ExecResult } from './process-host-protocol';

/** After this many unexpected exits of the host, processes are started here instead. */
const MAX_HOST_DEATHS = 3;

interface Waiting {
  request: Extract<HostRequest, { t: 'exec' | 'run' }>;
  resolve: (value: never) => void;
  reject: (error: Error) => void;
  /** The command's process (and group) id, once the host reported it. */
  pid?: number;
}

/** The host's code: bundled next to the bundle, or (tests, benchmarks) the TypeScript source through tsx. */
function hostEntry(): { path: string; execArgv: string[] } | null {
  if (process.env.SPECIALIZE_SPAWN_IN_PROCESS === '1') return null;
  const bundled = join(__dirname, 'process-host.js');
  if (existsSync(bundled)) return { path: bundled, execArgv: [] };
  const source = join(__dirname, 'process-host-child.ts');
  if (!existsSync(source)) return null;
  try {
    return { path: source, execArgv: ['--require', createRequire(__filename).resolve('tsx/cjs')] };
  } catch {
    return null;
  }
}

/** Variables the host itself needs; every program it starts gets the environment of its request. */
const HOST_VARIABLES = ['PATH', 'TMPDIR', 'TEMP', 'TMP', 'LANG', 'LC_ALL', 'TZ', 'SYSTEMROOT', 'SPECIALIZE_SPAWN_IN_PROCESS'];

/**
 * The host's own environment: a short allow-list, never API keys or tokens. An agent command in
 * mode 'host' runs as the user with the host as its parent, and could read the parent's
 * /proc/PID/environ.
 */
function hostEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const key of HOST_VARIABLES) if (process.env[key] !== undefined) env[key] = process.env[key];
  // Inside VS Code, process.execPath is Electron: this makes it behave as plain Node.
  env.ELECTRON_RUN_AS_NODE = '1';
  return env;
}

/** Structured clone hands Buffers over as plain Uint8Arrays. */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Starts git and the agents' commands through the process host (process-host-child.ts), a
 * small process forked once: with dozens of rollouts in flight, forking this large process for
 * every command cost several milliseconds each and stalled every rollout meanwhile. If the host
 * cannot start or keeps dying, processes are started here, as before.
 */
class ProcessHost {
  private child: ChildProcess | null = null;
  private deaths = 0;
  private nextId = 0;
  private readonly waiting = new Map<number, Waiting>();

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  exec(file: string, args: string[], env: NodeJS.ProcessEnv, cwd: string, maxBuffer: number): Promise<ExecResult> {
    if (!this.host()) return collectOutput(file, args, env, cwd, maxBuffer);
    const request = { t: 'exec' as const, id: this.nextId++, file, args, env, cwd, maxBuffer };
    return new Promise<ExecResult>((resolve, reject) => this.dispatch({ request, resolve: resolve as (v: never) => void, reject }));
  }

  run(spec: ProcessSpec): Promise<CommandResult> {
    if (spec.signal?.aborted) return Promise.reject(abortError());
    if (!this.host()) return runProcess(spec);
    const { argv, cwd, env, timeoutMs, maxOutputBytes, missingProgramHint, fd3, maxProcesses } = spec;
    const request = { t: 'run' as const, id: this.nextId++, argv, cwd, env, timeoutMs, maxOutputBytes, missingProgramHint, fd3, maxProcesses };
    return new Promise<CommandResult>((resolve, reject) => {
      const onAbort = () => {
        this.post({ t: 'abort', id: request.id });
        spec.onKill?.();
      };
      spec.signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => spec.signal?.removeEventListener('abort', onAbort);
      this.dispatch({
        request,
        resolve: ((result: CommandResult) => {
          done();
          if (result.timedOut) spec.onKill?.();
          resolve(result);
        }) as (v: never) => void,
        reject: (error) => {
          done();
          reject(error);
        },
      });
    });
  }

  /** Callers have just made sure that a host runs. */
  private dispatch(job: Waiting): void {
    this.waiting.set(job.request.id, job);
    this.keepAlive();
    this.post(job.request);
  }

  private post(request: HostRequest): void {
    const child = this.child;
    if (!child) return;
    try {
      child.send(request);
    } catch {
      this.died(child);
    }
  }

  private host(): ChildProcess | null {
    if (this.child) return this.child;
    if (this.deaths >= MAX_HOST_DEATHS) return null;
    const entry = hostEntry();
    if (!entry) {
      this.deaths = MAX_HOST_DEATHS;
      return null;
    }
    let child: ChildProcess;
    try {
      child = fork(entry.path, [], {
        execArgv: entry.execArgv,
        serialization: 'advanced',
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
        env: hostEnvironment(),
      });
    } catch {
      this.deaths++;
      return null;
    }
    child.on('message', (reply: HostReply) => this.receive(reply));
    child.on('error', () => this.died(child));
    child.on('exit', () => this.died(child));
    this.child = child;
    this.keepAlive();
    return child;
  }

  private receive(reply: HostReply): void {
    const job = this.waiting.get(reply.id);
    if (!job) return;
    if (reply.t === 'started') {
      job.pid = reply.pid;
      return;
    }
    this.waiting.delete(reply.id);
    this.keepAlive();
    if (reply.t === 'exec') {
      const r = reply.result;
      (job.resolve as (v: ExecResult) => void)({ ...r, stdout: asBuffer(r.stdout), stderr: asBuffer(r.stderr) });
    } else if (reply.t === 'run') {
      (job.resolve as (v: CommandResult) => void)(reply.result);
    } else {
      const error = new Error(reply.message);
      error.name = reply.name;
      job.reject(error);
    }
  }

  /** The host exited: git calls start again elsewhere; commands it was running are killed and reported. */
  private died(child: ChildProcess): void {
    if (this.child !== child) return;
    this.child = null;
    this.deaths++;
    const orphans = [...this.waiting.values()];
    this.waiting.clear();
    for (const job of orphans) {
      if (job.request.t === 'exec') {
        const { file, args, env, cwd, maxBuffer } = job.request;
        this.exec(file, args, env, cwd, maxBuffer).then(job.resolve as (v: ExecResult) => void, job.reject);
        continue;
      }
      if (job.pid !== undefined) {
        try {
          process.kill(-job.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      job.reject(new Error('the command runner stopped while the command ran; run the command again'));
    }
  }

  /** The host holds this process open only while something runs in it. */
  private keepAlive(): void {
    const child = this.child;
    if (!child) return;
    const channel = child.channel as { ref(): void; unref(): void } | undefined | null;
    if (this.waiting.size) {
      child.ref();
      channel?.ref();
    } else {
      child.unref();
      channel?.unref();
    }
  }
}

const host = new ProcessHost();

/** The host's process id while it runs (for diagnostics: its CPU time, or stopping it in a test). */
export function processHostPid(): number | null {
  return host.pid;
}

/** Runs a program to completion and collects its output (git). */
export function execProgram(file: string, args: string[], env: NodeJS.ProcessEnv, cwd: string, maxBuffer: number): Promise<ExecResult> {
  return host.exec(file, args, env, cwd, maxBuffer);
}

/** runProcess (time limit, output cap, the whole process tree killed), started by the process host. */
export function runCommand(spec: ProcessSpec): Promise<CommandResult> {
  return host.run(spec);
}
