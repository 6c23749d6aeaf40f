import { chmodSync, lstatSync, mkdirSync, realpathSync, type Stats } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SandboxSetupError } from './repo-info';

/** Whose folders these are: our uid, or null where the platform has none (Windows). */
function ownUid(): number | null {
  return typeof process.getuid === 'function' ? process.getuid() : null;
}

/**
 * The per-user folder all of this user's sandboxes live in: `repo-specializer-UID` in the temp
 * folder. The name carries only the uid, so paths inside it (which a sandbox can see in its
 * mount table) name neither the user nor the repository.
 */
export function privateSandboxRoot(tempBase = tmpdir()): string {
  const uid = ownUid();
  return join(realpathSync(tempBase), `repo-specializer-${uid ?? 'user'}`);
}

/**
 * Makes sure `path` is a folder only we can use: created with mode 0700 when missing, then checked
 * with lstat (a symbolic link is never followed): a real folder, owned by us, that nobody else
 * may write to. A folder of ours that others may only read is closed (0700). Anything else is
 * refused, since another local user could have made it to have our copies and resets land in a
 * folder they chose. `advice` says what to do instead.
 */
export function ensurePrivateFolder(path: string, advice: string): void {
  try {
    mkdirSync(path, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new SandboxSetupError(`the sandbox folder ${path} cannot be created (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); ${advice}`);
    }
  }
  let st: Stats;
  try {
    st = lstatSync(path);
  } catch {
    throw new SandboxSetupError(`the sandbox folder ${path} vanished while it was being checked; ${advice}`);
  }
  const problem = privacyProblem(st);
  if (problem) throw new SandboxSetupError(`the sandbox folder ${path} ${problem}, so it is not safe to use; ${advice}`);
  if (ownUid() !== null && (st.mode & 0o077) !== 0) chmodSync(path, 0o700);
}

/** Why a folder (as lstat saw it) is not private to us, or null when it is. */
function privacyProblem(st: Stats): string | null {
  if (st.isSymbolicLink()) return 'is a symbolic link';
  if (!st.isDirectory()) return 'is not a folder';
  const uid = ownUid();
  if (uid === null) return null;
  if (st.uid !== uid) return `belongs to another user (uid ${st.uid})`;
  if ((st.mode & 0o022) !== 0) return `can be written by other users (mode ${(st.mode & 0o777).toString(8)})`;
  return null;
}

/**
 * Checks, right before a sandbox mounts it, that `path` is still the real folder we made (no
 * symbolic link put in its place), so a mount never lands somewhere else.
 */
export function assertRealFolder(path: string): void {
  let st: Stats;
  try {
    st = lstatSync(path);
  } catch {
    throw new Error(`the sandbox folder ${path} is gone; the copy cannot be used`);
  }
  if (st.isSymbolicLink() || !st.isDirectory()) throw new Error(`the sandbox folder ${path} was replaced by something that is not a folder; the copy cannot be used`);
}
