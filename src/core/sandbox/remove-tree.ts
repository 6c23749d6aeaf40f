import { chmodSync, lstatSync, readdirSync, rmSync } from 'node:fs';
import { chmod, lstat, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Gives `dir` and every folder below it `mode` again, not through symbolic links: the agent may
 * have made folders unreadable (chmod 000 /testbed) or writable by all. Folders already right
 * are left alone. With `forReset`, every `.git` below the top is removed on the way (git never
 * tracks one, and `git clean` does not remove one inside a tracked folder), and regular files get
 * 0644 again (0755 when their owner may run them): git compares only the executable bit, so a
 * checkout would leave a file the agent made unreadable as it is. Paths are bytes, since names
 * need not be UTF-8.
 */
export async function restoreFolderModes(dir: string | Buffer, mode: number, forReset = false): Promise<void> {
  const path = Buffer.isBuffer(dir) ? dir : Buffer.from(dir);
  const st = await lstat(path);
  if (!st.isDirectory()) return;
  if ((st.mode & 0o7777) !== mode) await chmod(path, mode);
  const entries = await readdir(path, { withFileTypes: true, encoding: 'buffer' });
  await Promise.all(
    entries.map((e) => {
      const child = Buffer.concat([path, SLASH, e.name]);
      if (forReset && e.name.equals(DOT_GIT)) return rm(child, { recursive: true, force: true });
      if (e.isDirectory()) return restoreFolderModes(child, mode, forReset);
      return forReset && e.isFile() ? restoreFileMode(child) : undefined;
    }),
  );
}

async function restoreFileMode(path: Buffer): Promise<void> {
  const st = await lstat(path);
  if (!st.isFile()) return;
  const want = st.mode & 0o100 ? 0o755 : 0o644;
  if ((st.mode & 0o7777) !== want) await chmod(path, want);
}

const DOT_GIT = Buffer.from('.git');
const SLASH = Buffer.from('/');

/** restoreFolderModes(dir, 0o700), synchronously, for removal at process exit. */
function openFoldersSync(dir: string): void {
  try {
    const st = lstatSync(dir);
    if (!st.isDirectory()) return;
    chmodSync(dir, 0o700);
    for (const name of readdirSync(dir)) openFoldersSync(join(dir, name));
  } catch {
    // best effort
  }
}

/** rm -rf that also copes with folders whose permissions were removed. Symbolic links are removed, never followed. */
export async function removeTree(dir: string): Promise<void> {
  try {
    await rm(dir, { recursive: true, force: true, maxRetries: 3 });
  } catch {
    await restoreFolderModes(dir, 0o700).catch(() => undefined);
    await rm(dir, { recursive: true, force: true, maxRetries: 3 });
  }
}

export function removeTreeSync(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  } catch {
    openFoldersSync(dir);
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  }
}
