import { ChildProcess } from 'node:child_process';
import { percentiles, type Percentiles } from './percentiles';

/**
 * Measures how long starting child processes holds up this process's event loop. Node starts a
 * child synchronously on the main thread (fork, then a wait until the child has called exec), so
 * under load every git or shell command a run starts stalls every rollout in flight for that long.
 * A benchmark instrument only: it wraps ChildProcess.prototype.spawn for the life of the process.
 */
export interface SpawnMeter {
  /** Spawns and their blocking times since the last reset. */
  read(): { count: number; totalMs: number; perSpawn: Percentiles | null };
  reset(): void;
}

let samples: number[] = [];
let installed = false;

export function installSpawnMeter(): SpawnMeter {
  if (!installed) {
    installed = true;
    // spawn() is on the prototype at run time but not in Node's typings
    const proto = ChildProcess.prototype as unknown as { spawn: (this: ChildProcess, ...args: unknown[]) => unknown };
    const original = proto.spawn;
    proto.spawn = function (this: ChildProcess, ...args: unknown[]) {
      const started = performance.now();
      try {
        return original.apply(this, args);
      } finally {
        samples.push(performance.now() - started);
      }
    };
  }
  return {
    read: () => ({ count: samples.length, totalMs: Math.round(samples.reduce((a, b) => a + b, 0)), perSpawn: samples.length ? percentiles(samples) : null }),
    reset: () => {
      samples = [];
    },
  };
}
