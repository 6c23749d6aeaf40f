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

/** One entry of a copy as the walk sees it, and what the base commit's tree says of its path. */
interface CopyEntry {
  path: Buffer;
  isDirectory: boolean;
  /** The tree names this path. */
  tracked: boolean;
  /** The tree has a folder at this path. */
  trackedFolder: boolean;
}

/**
 * Visits the entries of `root` and of every folder `visit` asks to enter ('walk'), leaving out
 * the top-level .git; folders are read in parallel, and asynchronously so that many copies at
 * once do not hold up the event loop. A promise from `visit` is awaited with the walk; 'stop'
 * ends it. Entries are never followed through symbolic links.
 */
async function walkCopy(root: string, layout: TrackedLayout, visit: (entry: CopyEntry) => 'walk' | 'stop' | Promise<unknown> | void): Promise<void> {
  let stopped = false;
  const walk = async (dir: string, abs: Buffer): Promise<void> => {
    const tracked = layout.get(dir);
    const work: Promise<unknown>[] = [];
    for (const entry of await readdir(abs, { withFileTypes: true, encoding: 'buffer' })) {
      if (stopped) break;
      const name = entry.name.toString('latin1');
      if (dir === '' && name === '.git') continue;
      const sub = dir ? `${dir}/${name}` : name;
      const path = Buffer.concat([abs, SLASH, entry.name]);
      const next = visit({ path, isDirectory: entry.isDirectory(), tracked: tracked?.has(name) ?? false, trackedFolder: layout.has(sub) });
      if (next === 'stop') stopped = true;
      else if (next === 'walk') work.push(walk(sub, path));
      else if (next) work.push(next);
    }
    await Promise.all(work);
  };
  await walk('', Buffer.from(root));
}

const SLASH = Buffer.from('/');

/**
 * Removes everything under `root` that the layout does not name, ignored files and nested
 * repositories included, like `git clean -ffdx` right after the index was reset to the commit,
 * but without starting a process. The top-level .git is left to the caller. Symbolic links are
 * removed, never followed.
 */
export async function removeUntracked(root: string, layout: TrackedLayout): Promise<void> {
  await walkCopy(root, layout, (entry) => {
    if (!entry.tracked) return rm(entry.path, { recursive: true, force: true });
    // a tracked folder is walked; a submodule (tracked, not a folder of the tree) is left as it is
    return entry.isDirectory && entry.trackedFolder ? 'walk' : undefined;
  });
}

/**
 * True when something under `root` is not a path of the layout with the same kind (file or
 * folder): an added or ignored file, or a tracked file that became a folder or the other way
 * round. When it is false, the work tree holds only tracked paths, so a diff of the work tree
 * against the commit says all that `git add --all` followed by a staged diff would.
 */
export async function hasUntracked(root: string, layout: TrackedLayout): Promise<boolean> {
  let found = false;
  await walkCopy(root, layout, (entry) => {
    if (!entry.tracked || entry.isDirectory !== entry.trackedFolder) {
      found = true;
      return 'stop';
    }
    return entry.isDirectory ? 'walk' : undefined;
  }).catch(() => {
    found = true; // a folder that cannot be read: the caller's slower path deals with it
  });
  return found;
}
