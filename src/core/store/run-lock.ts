import { existsSync, readdirSync, renameSync, rmSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { isAlive, ownRecord, readOwnerFile, type OwnerRecord } from '../platform/process-owner';
import { isTemporaryName } from './atomic-write';
import { FILES, RunDirError } from './run-dir';

const LOCK_FILE = FILES.lock;
/** A lock file that cannot be read yet may be one another process is writing this moment. */
const UNREADABLE_GRACE_MS = 5_000;
/** How often a holder touches its lock, so that processes on other machines can see it lives. */
const HEARTBEAT_MS = 30_000;
/** A lock from another machine whose holder has not touched it for this long is taken over. */
const REMOTE_STALE_MS = 4 * HEARTBEAT_MS;

/** Another live process is writing the run. */
export class RunLockedError extends RunDirError {
  constructor(
    readonly dir: string,
    readonly owner: OwnerRecord | null,
  ) {
    const who = owner ? `process ${owner.pid} on ${owner.host} (since ${owner.createdAt})` : 'another process';
    const remote = owner && owner.host !== hostname() ? `; a lock from another machine is taken over ${REMOTE_STALE_MS / 60_000} minutes after its holder stops refreshing it` : '';
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
 * On this machine a holder is checked by its pid; one on another machine (a restarted pod on a
 * shared volume) by the heartbeat it writes into the lock's modification time.
 */
export function lockRun(dir: string, heartbeatMs = HEARTBEAT_MS): RunLock {
  const path = join(dir, LOCK_FILE);
  const mine = ownRecord();
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(path, JSON.stringify(mine), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = readOwnerFile(path);
    if (attempt > 0 || (owner ? holds(owner, path) : touchedWithin(path, UNREADABLE_GRACE_MS))) throw new RunLockedError(dir, owner);
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
  const heartbeat = setInterval(() => {
    const now = new Date();
    try {
      utimesSync(path, now, now);
    } catch {
      // the run folder was removed; nothing to keep alive
    }
  }, heartbeatMs);
  heartbeat.unref();
  return {
    release() {
      clearInterval(heartbeat);
      const owner = readOwnerFile(path);
      if (owner && owner.pid === mine.pid && owner.host === mine.host && owner.started === mine.started) rmSync(path, { force: true });
    },
  };
}

/** The live process that holds the run's lock, or null when nobody writes the run. */
export function runHolder(dir: string): OwnerRecord | null {
  const path = join(dir, LOCK_FILE);
  const owner = readOwnerFile(path);
  return owner && holds(owner, path) ? owner : null;
}

function holds(owner: OwnerRecord, path: string): boolean {
  return owner.host === hostname() ? isAlive(owner) : touchedWithin(path, REMOTE_STALE_MS);
}

function touchedWithin(path: string, ms: number): boolean {
  try {
    return Date.now() - statSync(path).mtimeMs < ms;
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
    for (const name of names) if (isTemporaryName(name)) rmSync(join(folder, name), { force: true });
  }
}

/**
 * A run folder's lock taken when first needed: an existing folder is locked before anything is
 * read from it, a new one once it is made. The message of a refused lock becomes `toError`'s error.
 */
export function lazyRunLock(dir: string, toError: (message: string) => Error): { lock(): void; release(): void } {
  let held: RunLock | undefined;
  return {
    lock() {
      try {
        held ??= lockRun(dir);
      } catch (error) {
        throw error instanceof RunLockedError ? toError(error.message) : error;
      }
    },
    release() {
      held?.release();
    },
  };
}

/** What kind of folder a lock guards: a generation run or an eval run. */
export interface RunFolderKind {
  /** "a run directory", "an eval run" */
  what: string;
  isRun(dir: string): boolean;
  holdsOnlyItsFiles(dir: string): boolean;
}

/**
 * The lock of the folder a command is about to start or resume a run in: a folder that exists
 * must be a run of this kind, or hold only such a run's files (what a killed start leaves), and is
 * locked at once; a new one is locked once the caller has made it. A run never shares its
 * folder, so a folder of other files (the repository itself, say) is refused.
 */
export function claimRunFolder(dir: string, kind: RunFolderKind, toError: (message: string, why: 'locked' | 'foreign') => Error): { lock(): void; release(): void } {
  const folder = lazyRunLock(dir, (message) => toError(message, 'locked'));
  if (existsSync(dir)) {
    if (!kind.isRun(dir) && !kind.holdsOnlyItsFiles(dir)) {
      throw toError(`${dir} is neither ${kind.what} nor empty; give --out a new or empty folder, or ${kind.what} to resume.`, 'foreign');
    }
    folder.lock();
  }
  return folder;
}

