import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/** Who holds a folder or a file: enough for another process to tell whether its holder still runs. */
export interface OwnerRecord {
  pid: number;
  /** The owner's start time from /proc (clock ticks since boot), guarding against a reused pid. */
  started: string | null;
  host: string;
  createdAt: string;
}

function processStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name (field 2) may contain spaces and parentheses; fields after it are plain
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

export function ownRecord(): OwnerRecord {
  return { pid: process.pid, started: processStart(process.pid), host: hostname(), createdAt: new Date().toISOString() };
}

export function isAlive(owner: OwnerRecord): boolean {
  if (owner.host !== hostname()) return true; // a folder shared across machines: not ours to judge
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (owner.started === null) return true;
  const now = processStart(owner.pid);
  return now === null || now === owner.started;
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
