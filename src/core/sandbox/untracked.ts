import { readdir, rm } from 'node:fs/promises';

/**
 * The folders of a commit's tree and the names tracked directly in each: what a clean copy holds.
 * Names are kept as latin1 strings of their raw bytes, so file names that are not valid UTF-8
 * compare exactly.
 */
export type TrackedLayout = Map<string, Set<string>>;

/** Builds the layout from `git ls-tree -r -z --name-only` output. */
export function layoutFromLsTree(output: Buffer): TrackedLayout {
  const layout: TrackedLayout = new Map([['', new Set<string>()]]);
  for (const raw of output.toString('latin1').split('\0')) {
    if (!raw) continue;
    const parts = raw.split('/');
    let dir = '';
    for (const part of parts) {
      let names = layout.get(dir);
      if (!names) layout.set(dir, (names = new Set()));
      names.add(part);
      dir = dir ? `${dir}/${part}` : part;
    }
  }
  return layout;
}

/**
 * Removes everything under `root` that the layout does not name, ignored files and nested
 * repositories included, like `git clean -ffdx` right after the index was reset to the commit,
 * but without starting a process. The top-level .git is left to the caller. Symbolic links are
 * removed, never followed.
 */
export async function removeUntracked(root: string, layout: TrackedLayout): Promise<void> {
  // Asynchronous so that many copies resetting at once do not hold up the event loop.
  const walk = async (dir: string, abs: Buffer): Promise<void> => {
    const tracked = layout.get(dir);
    const work: Promise<void>[] = [];
    for (const entry of await readdir(abs, { withFileTypes: true, encoding: 'buffer' })) {
      const name = entry.name.toString('latin1');
      if (dir === '' && name === '.git') continue;
      const path = Buffer.concat([abs, Buffer.from('/'), entry.name]);
      if (!tracked?.has(name)) {
        work.push(rm(path, { recursive: true, force: true }));
        continue;
      }
      const sub = dir ? `${dir}/${name}` : name;
      // a tracked folder is walked; a submodule (tracked, not a folder of the tree) is left as it is
      if (entry.isDirectory() && layout.has(sub)) work.push(walk(sub, path));
    }
    await Promise.all(work);
  };
  await walk('', Buffer.from(root));
}

/**
 * True when something under `root` is not a path of the layout with the same kind (file or
 * folder): an added or ignored file, or a tracked file that became a folder or the other way
 * round. When it is false, the work tree holds only tracked paths, so a diff of the work tree
 * against the commit says all that `git add --all` followed by a staged diff would.
 */
export async function hasUntracked(root: string, layout: TrackedLayout): Promise<boolean> {
  let found = false;
  const walk = async (dir: string, abs: Buffer): Promise<void> => {
    const tracked = layout.get(dir);
    const work: Promise<void>[] = [];
    // a folder that cannot be read is reported as found: the caller's slower path then deals with it
    const entries = await readdir(abs, { withFileTypes: true, encoding: 'buffer' }).catch(() => null);
    for (const entry of entries ?? []) {
      const name = entry.name.toString('latin1');
      if (dir === '' && name === '.git') continue;
      const sub = dir ? `${dir}/${name}` : name;
      if (!tracked?.has(name) || entry.isDirectory() !== layout.has(sub)) found = true;
      if (found) break;
      if (entry.isDirectory()) work.push(walk(sub, Buffer.concat([abs, Buffer.from('/'), entry.name])));
    }
    if (!entries) found = true;
    await Promise.all(work);
  };
  await walk('', Buffer.from(root));
  return found;
}
