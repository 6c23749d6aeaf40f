import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { readProcStat } from './proc-stat';

/** Who holds a folder or a file: enough for another process to tell whether its holder still runs. */
export interface OwnerRecord {
  pid: number;
  /** The owner's start time from /proc (clock ticks since boot), guarding against a reused pid. */
  started: string | null;
  host: string;
  createdAt: string;
}

function processStart(pid: number): string | null {
  return readProcStat(pid)?.started ?? null;
}

export function ownRecord(): OwnerRecord {
  return { pid: process.pid, started: processStart(process.pid), host: hostname(), createdAt: new Date().toISOString() };
}

/**
 * True while the owner's process runs. A killed process its parent has not reaped yet (a
 * zombie) still answers kill(pid, 0), but it will never write again: its state says so.
 */
export function isAlive(owner: OwnerRecord): boolean {
  if (owner.host !== hostname()) return true; // a folder shared across machines: not ours to judge
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = readProcStat(owner.pid);
  if (stat && (stat.state === 'Z' || stat.state === 'X')) return false;
  if (owner.started === null) return true;
  return stat === null || stat.started === owner.started;
}

/** The record in `path`, or null when it is missing, torn or not a record. */
export function readOwnerFile(path: string): OwnerRecord | null {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as OwnerRecord;
    return typeof parsed?.pid === 'number' ? parsed : null;
  } catch {
    return null;
  }
}
