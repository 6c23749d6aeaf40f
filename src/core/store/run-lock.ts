import { readdirSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { isAlive, ownRecord, readOwnerFile, type OwnerRecord } from '../platform/process-owner';
import { FILES, RunDirError } from './run-dir';

const LOCK_FILE = 'lock.json';
/** A lock file that cannot be read yet may be one another process is writing this moment. */
const UNREADABLE_GRACE_MS = 5_000;

/** Another live process is writing the run. */
export class RunLockedError extends RunDirError {
  constructor(
    readonly dir: string,
    readonly owner: OwnerRecord | null,
  ) {
    const who = owner ? `process ${owner.pid} on ${owner.host} (since ${owner.createdAt})` : 'another process';
    // A process on another machine cannot be checked from here; only the user knows it is gone.
    const remote = owner && owner.host !== hostname() ? `; if it no longer runs there, delete ${join(dir, LOCK_FILE)}` : '';
    super(`${dir} is being written by ${who}; wait for it to finish or stop it, then run the same command again to resume${remote}.`);
  }
}

export interface RunLock {
  release(): void;
}

/**
 * Makes this process the only writer of a run directory, so two generate commands (say the
 * editor's and a terminal's) never append the same samples twice or repair each other's lines.
 * The lock of a process that is gone (killed, crashed) is taken over; what that process left
 * half-written (temporary files of atomic writes) is removed then, since nobody else writes here.
 */
export function lockRun(dir: string): RunLock {
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(path, JSON.stringify(ownRecord()), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = readOwnerFile(path);
    if (attempt > 0 || (owner ? isAlive(owner) : recentlyWritten(path))) throw new RunLockedError(dir, owner);
    // Renaming the stale lock away succeeds for one process only; the others then meet the winner's lock.
    const stale = `${path}.stale-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
    try {
      renameSync(path, stale);
      unlinkSync(stale);
    } catch {
      // another process took it over first
    }
  }
  removeTemporaryFiles(dir);
  return {
    release() {
      if (readOwnerFile(path)?.pid === process.pid) rmSync(path, { force: true });
    },
  };
}

/** The live process that holds the run's lock, or null when nobody writes the run. */
export function runHolder(dir: string): OwnerRecord | null {
  const owner = readOwnerFile(join(dir, LOCK_FILE));
  return owner && isAlive(owner) ? owner : null;
}

function recentlyWritten(path: string): boolean {
  try {
    return Date.now() - statSync(path).mtimeMs < UNREADABLE_GRACE_MS;
  } catch {
    return false;
  }
}

function removeTemporaryFiles(dir: string): void {
  for (const folder of [dir, join(dir, FILES.trajectories)]) {
    let names: string[];
    try {
      names = readdirSync(folder);
    } catch {
      continue;
    }
    for (const name of names) if (name.endsWith('.tmp')) rmSync(join(folder, name), { force: true });
  }
}
