import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { userRepoGit } from './git-exec';
import type { UserRepo } from './repo-info';

/** Identity of the snapshot commit: neutral, so the agent's `git log` names no one. */
const SNAPSHOT_IDENTITY = {
  GIT_AUTHOR_NAME: 'Repo Specializer',
  GIT_AUTHOR_EMAIL: 'snapshot@repo-specializer.invalid',
  GIT_COMMITTER_NAME: 'Repo Specializer',
  GIT_COMMITTER_EMAIL: 'snapshot@repo-specializer.invalid',
};

/**
 * A commit holding the user's working tree as it is now (tracked files with their edits plus
 * untracked files git does not ignore), with `parent` as its parent. The user's repository is
 * only read: staging happens in a copy of their index, and every new object is written into
 * `objectDir` (the pool's own store), never into theirs. Returns `parent` itself when nothing
 * is uncommitted.
 */
export async function snapshotWorkingTree(repo: UserRepo, parent: string | null, objectDir: string, scratchDir: string): Promise<string> {
  const index = join(scratchDir, 'snapshot.index');
  if (parent && existsSync(repo.indexFile)) copyFileSync(repo.indexFile, index); // keeps git's stat cache: only changed files are read
  const env: NodeJS.ProcessEnv = {
    ...SNAPSHOT_IDENTITY,
    GIT_DIR: repo.gitDir,
    GIT_WORK_TREE: repo.top,
    GIT_INDEX_FILE: index,
    GIT_OBJECT_DIRECTORY: objectDir,
    GIT_ALTERNATE_OBJECT_DIRECTORIES: repo.objectsDir,
    GIT_OPTIONAL_LOCKS: '0',
    GIT_TERMINAL_PROMPT: '0',
  };
  const git = userRepoGit(repo.top, env);
  try {
    await git.raw(['add', '--all', '--ignore-errors', '--', '.']);
    const tree = (await git.raw(['write-tree'])).trim();
    if (parent) {
      const parentTree = (await git.raw(['rev-parse', `${parent}^{tree}`])).trim();
      if (parentTree === tree) return parent;
    }
    const args = ['commit-tree', tree, ...(parent ? ['-p', parent] : []), '-m', 'Uncommitted changes of the working tree'];
    return (await git.raw(args)).trim();
  } finally {
    rmSync(index, { force: true });
  }
}
