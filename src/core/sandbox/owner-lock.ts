import { mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import { isAlive, ownRecord, readOwnerFile, type OwnerRecord } from '../platform/process-owner';
import { listPids } from '../platform/proc-stat';
import { removeTree } from './remove-tree';

export const OWNER_FILE = 'owner.json';
const TRASH_PREFIX = '.trash-';
/** A pool folder without an owner file is a process that crashed while creating it, if older than this. */
const ORPHAN_GRACE_MS = 60_000;

/** The owner written into a pool folder, or null. */
export function readOwner(dir: string): OwnerRecord | null {
  return readOwnerFile(join(dir, OWNER_FILE));
}

/** Creates `dir` (private: mode 0700) and marks it as owned by this process. */
export function claimFolder(dir: string): void {
  mkdirSync(dir, { recursive: false, mode: 0o700 });
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
 * The variable that marks a pool's sandboxes (bwrap) with the pool folder's name: their command
 * lines name no host folder, and one killed while starting up can miss --die-with-parent.
 */
export const POOL_TAG_VARIABLE = 'SPECIALIZE_POOL';

/**
 * Kills processes a dead pool left running: a sandbox tagged with the folder's name (see
 * POOL_TAG_VARIABLE) or whose command line names the folder (docker's client), or a host-mode
 * command working inside it. Linux only; elsewhere nothing is found.
 */
export function killProcessesUsing(folder: string): number[] {
  const killed: number[] = [];
  const prefix = `${folder}/`;
  const tag = `${POOL_TAG_VARIABLE}=${basename(folder)}`;
  for (const name of listPids()) {
    if (name === process.pid) continue;
    let uses = false;
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
      uses = cmdline.some((arg) => arg === folder || arg.startsWith(prefix));
      if (!uses) {
        const cwd = readlinkSync(`/proc/${name}/cwd`);
        uses = cwd === folder || cwd.startsWith(prefix);
      }
      if (!uses) uses = readFileSync(`/proc/${name}/environ`, 'utf8').split('\0').includes(tag);
    } catch {
      continue; // gone, or not ours to inspect
    }
    if (!uses) continue;
    try {
      process.kill(name, 'SIGKILL');
      killed.push(name);
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
