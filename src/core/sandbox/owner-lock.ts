import { mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { removeTree } from './remove-tree';

/** Written into every pool folder so another process can tell whether its owner still runs. */
export interface OwnerRecord {
  pid: number;
  /** The owner's start time from /proc (clock ticks since boot), guarding against a reused pid. */
  started: string | null;
  host: string;
  createdAt: string;
}

export const OWNER_FILE = 'owner.json';
const TRASH_PREFIX = '.trash-';
/** A pool folder without an owner file is a process that crashed while creating it, if older than this. */
const ORPHAN_GRACE_MS = 60_000;

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
  if (owner.host !== hostname()) return true; // a pool folder shared across machines: not ours to judge
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (owner.started === null) return true;
  const now = processStart(owner.pid);
  return now === null || now === owner.started;
}

export function readOwner(dir: string): OwnerRecord | null {
  try {
    const parsed = JSON.parse(readFileSync(join(dir, OWNER_FILE), 'utf8')) as OwnerRecord;
    return typeof parsed.pid === 'number' ? parsed : null;
  } catch {
    return null;
  }
}

/** Creates `dir` and marks it as owned by this process. */
export function claimFolder(dir: string): void {
  mkdirSync(dir, { recursive: false });
  writeFileSync(join(dir, OWNER_FILE), JSON.stringify(ownRecord()));
}

function isStale(dir: string): boolean {
  const owner = readOwner(dir);
  if (owner) return !isAlive(owner);
  try {
    return Date.now() - statSync(dir).mtimeMs > ORPHAN_GRACE_MS;
  } catch {
    return false;
  }
}

/**
 * Kills processes a dead pool left running: a sandbox whose command line names the folder (bwrap
 * binds the copy by path; one killed while starting up can miss --die-with-parent) or a host-mode
 * command working inside it. Linux only; elsewhere nothing is found.
 */
export function killProcessesUsing(folder: string): number[] {
  const killed: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return killed;
  }
  const prefix = `${folder}/`;
  for (const name of entries) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    let uses = false;
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
      uses = cmdline.some((arg) => arg === folder || arg.startsWith(prefix));
      if (!uses) {
        const cwd = readlinkSync(`/proc/${name}/cwd`);
        uses = cwd === folder || cwd.startsWith(prefix);
      }
    } catch {
      continue; // gone, or not ours to inspect
    }
    if (!uses) continue;
    try {
      process.kill(Number(name), 'SIGKILL');
      killed.push(Number(name));
    } catch {
      // already gone
    }
  }
  return killed;
}

/**
 * Removes the pool folders in `parent` whose owner process is gone (a crash, SIGKILL). A stale
 * folder is first renamed to a trash name, which only one process can win, so two pools starting
 * at once never delete the same folder twice or each other's live one. Returns the names removed.
 */
export async function removeStalePools(parent: string): Promise<string[]> {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const dir = join(parent, name);
    if (name.startsWith(TRASH_PREFIX)) {
      const pid = Number(name.slice(TRASH_PREFIX.length).split('-')[0]);
      if (Number.isInteger(pid) && pid !== process.pid && isAlive({ pid, started: null, host: hostname(), createdAt: '' })) continue;
    } else if (!isStale(dir)) {
      continue;
    }
    killProcessesUsing(dir);
    const trash = name.startsWith(TRASH_PREFIX) ? dir : join(parent, `${TRASH_PREFIX}${process.pid}-${Math.random().toString(36).slice(2, 10)}`);
    try {
      if (trash !== dir) renameSync(dir, trash);
    } catch {
      continue; // another process claimed it first
    }
    await removeTree(trash);
    removed.push(name);
  }
  return removed;
}
