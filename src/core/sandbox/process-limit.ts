import { lstatSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listPids } from '../platform/proc-stat';

/**
 * How many processes (tasks, threads included) one agent command may have at once.
 *
 * A fork bomb must not exhaust the machine's process table before the command's timeout kills
 * it. RLIMIT_NPROC does not bind uid 0 (and bwrap often runs as root in containers), so the
 * limit is a pids cgroup per command where this machine lets us make one: cgroup v1's `pids`
 * hierarchy, or a cgroup v2 folder whose parent delegates the `pids` controller. Elsewhere a
 * user other than root gets RLIMIT_NPROC, counted over all of that user's processes (the kernel
 * counts per user), so the command may start `max` more than the user ran when last counted (at
 * most ten seconds before). Root without
 * a usable cgroup gets no limit, and `processLimitKind()` says so.
 */
export type ProcessLimitKind = 'cgroup' | 'rlimit' | 'none';

interface CgroupBase {
  /** Our own folder in the pids hierarchy, one per user: `<hierarchy><own cgroup>/repo-specializer-<uid>`. */
  dir: string;
}

let cachedBase: CgroupBase | null | undefined;
let nextGroup = 0;

function readOr(path: string, fallback: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return fallback;
  }
}

/**
 * The pids hierarchy's folder for our own cgroup, from /proc/self/mountinfo and
 * /proc/self/cgroup: cgroup v1's `pids` first (it needs no delegation), else cgroup v2's.
 */
export function pidsHierarchyFrom(mountinfo: string, cgroup: string): { dir: string; v2: boolean } | null {
  const entries = cgroup.split('\n').map((l) => l.split(':'));
  const ownV1 = entries.find((f) => f.length >= 3 && f[1].split(',').includes('pids'));
  const ownV2 = entries.find((f) => f.length >= 3 && f[0] === '0' && f[1] === '');
  let v2: { mount: string; root: string } | null = null;
  for (const line of mountinfo.split('\n')) {
    // ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS
    const [left, right] = line.split(' - ');
    if (!right) continue;
    const [, , , root, mount] = left.split(' ');
    const [fstype, , superOptions = ''] = right.split(' ');
    if (fstype === 'cgroup' && superOptions.split(',').includes('pids') && ownV1) return { dir: join(mount, below(root, ownV1.slice(2).join(':'))), v2: false };
    if (fstype === 'cgroup2' && v2 === null) v2 = { mount, root };
  }
  if (v2 && ownV2) return { dir: join(v2.mount, below(v2.root, ownV2.slice(2).join(':'))), v2: true };
  return null;
}

/** Our cgroup's path inside a mount that shows only part of the hierarchy (a container's view starts at its own group). */
function below(mountRoot: string, own: string): string {
  if (mountRoot === '/') return own;
  return own === mountRoot || own.startsWith(`${mountRoot}/`) ? own.slice(mountRoot.length) : own;
}

function uid(): number {
  return process.getuid?.() ?? 0;
}

/** Our per-user folder in the pids hierarchy, made and checked once; null when none can be used here. */
function cgroupBase(): CgroupBase | null {
  if (cachedBase !== undefined) return cachedBase;
  cachedBase = null;
  const hierarchy = pidsHierarchyFrom(readOr('/proc/self/mountinfo', ''), readOr('/proc/self/cgroup', ''));
  if (!hierarchy) return null;
  const parent = hierarchy.dir;
  if (hierarchy.v2) {
    try {
      if (!readFileSync(join(parent, 'cgroup.subtree_control'), 'utf8').split(/\s+/).includes('pids')) return null;
    } catch {
      return null;
    }
  }
  const dir = join(parent, `repo-specializer-${uid()}`);
  try {
    mkdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return null;
  }
  try {
    // someone else's folder (or a link) would let them move our commands out of the limit
    const st = lstatSync(dir);
    if (!st.isDirectory() || st.uid !== uid()) return null;
    // v2 children of a folder get the controller only when it is enabled in that folder
    if (hierarchy.v2) writeFileSync(join(dir, 'cgroup.subtree_control'), '+pids');
    const probe = join(dir, `probe-${process.pid}`);
    mkdirSync(probe);
    try {
      writeFileSync(join(probe, 'pids.max'), '1');
    } finally {
      rmdirSync(probe);
    }
  } catch {
    return null;
  }
  removeAbandonedGroups(dir);
  cachedBase = { dir };
  return cachedBase;
}

/** Groups left by processes that died before removing them (their names start with the owner's pid). */
function removeAbandonedGroups(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const owner = /^(\d+)-\d+$/.exec(name);
    if (!owner) continue;
    try {
      process.kill(Number(owner[1]), 0);
      continue; // its owner still runs
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EPERM') continue;
    }
    killGroupMembers(join(dir, name));
    try {
      rmdirSync(join(dir, name));
    } catch {
      // not empty yet: the next start tries again
    }
  }
}

export function processLimitKind(): ProcessLimitKind {
  if (cgroupBase()) return 'cgroup';
  return uid() === 0 ? 'none' : 'rlimit';
}

let counted: { tasks: number; at: number } | null = null;
/** How long a count of the user's tasks serves: a walk of /proc per command would cost more than the command on a busy desktop. */
const COUNT_TTL_MS = 10_000;

/** This user's tasks (threads included) as RLIMIT_NPROC counts them, at most COUNT_TTL_MS old. */
function tasksOfThisUser(): number {
  if (!counted || performance.now() - counted.at > COUNT_TTL_MS) counted = { tasks: countTasksOfThisUser(), at: performance.now() };
  return counted.tasks;
}

function countTasksOfThisUser(): number {
  const me = uid();
  let count = 0;
  for (const pid of listPids()) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const uidLine = /^Uid:\s+(\d+)/m.exec(status);
      const threads = /^Threads:\s+(\d+)/m.exec(status);
      if (uidLine && Number(uidLine[1]) === me) count += threads ? Number(threads[1]) : 1;
    } catch {
      // ended while we looked
    }
  }
  return count;
}

/** SIGKILLs every process in the group, again until none is left: a fork bomb forks while we kill. */
function killGroupMembers(group: string): void {
  for (let pass = 0; pass < 100; pass++) {
    let pids: string[];
    try {
      pids = readFileSync(join(group, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean);
    } catch {
      return;
    }
    if (pids.length === 0) return;
    for (const pid of pids) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}

/** One command's limit: the argv that starts the command inside it, and the clean-up after it. */
export interface ProcessLimit {
  argv: string[];
  /** Kills every process still in the command's group (those that left its process group too). */
  killAll(): void;
  /** True when killAll reaches every process the command started (a cgroup), so no walk of /proc is needed. */
  holdsAll: boolean;
  /** Kills what is left and removes the group; safe to call more than once. */
  release(): void;
}

// The wrapper joins the group (or lowers the limit) and then becomes the command, so the command
// and everything it starts are counted from its first instruction on. Its own argv is replaced
// by the command's at exec, so no host path it names stays visible in /proc.
const JOIN_GROUP = 'echo $$ > "$0" || exit 126; exec "$@"';
// bash and busybox call RLIMIT_NPROC -u, dash calls it -p
const LOWER_RLIMIT = '{ ulimit -u "$0" || ulimit -p "$0"; } 2>/dev/null || exit 126; exec "$@"';

/** Wraps `argv` so that it and its descendants can have at most `max` processes at once. */
export function limitProcesses(argv: string[], max: number): ProcessLimit {
  const base = cgroupBase();
  if (base) {
    const group = join(base.dir, `${process.pid}-${nextGroup++}`);
    try {
      mkdirSync(group);
      writeFileSync(join(group, 'pids.max'), String(max));
    } catch (error) {
      throw new Error(`could not set up the process limit for a command (${(error as Error).message})`);
    }
    let released = false;
    return {
      argv: ['/bin/sh', '-c', JOIN_GROUP, join(group, 'cgroup.procs'), ...argv],
      killAll: () => killGroupMembers(group),
      holdsAll: true,
      release: () => {
        if (released) return;
        released = true;
        removeGroup(group, 0);
      },
    };
  }
  if (uid() !== 0) {
    const ceiling = tasksOfThisUser() + max;
    return { argv: ['/bin/sh', '-c', LOWER_RLIMIT, String(ceiling), ...argv], killAll: () => undefined, holdsAll: false, release: () => undefined };
  }
  return { argv, killAll: () => undefined, holdsAll: false, release: () => undefined };
}

/** Killed processes leave the group as they exit; a few tries give the last of them time. */
function removeGroup(group: string, attempt: number): void {
  killGroupMembers(group);
  try {
    rmdirSync(group);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (attempt < 50) setTimeout(() => removeGroup(group, attempt + 1), 20 + attempt * 10).unref();
  }
}
