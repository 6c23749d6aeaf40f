import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, isAbsolute, resolve } from 'node:path';
import { userRepoGit } from './git-exec';

/** Raised when a pool cannot be set up; the message says what to do. */
export class SandboxSetupError extends Error {
  override name = 'SandboxSetupError';
}

export interface UserRepo {
  /** Top folder of the work tree (real path). */
  top: string;
  /** This work tree's git folder (for a linked worktree: .git/worktrees/NAME). */
  gitDir: string;
  /** The object store, shared by all of the repository's work trees. */
  objectsDir: string;
  /** The index file of this work tree. */
  indexFile: string;
  name: string;
}

function absoluteFrom(base: string, p: string): string {
  return isAbsolute(p) ? p : resolve(base, p);
}

/** Finds the git work tree that holds `folder`. */
export async function findUserRepo(folder: string): Promise<UserRepo> {
  const start = resolve(folder);
  if (!existsSync(start) || !statSync(start).isDirectory()) {
    throw new SandboxSetupError(`${start} is not a folder; open the repository's folder and try again`);
  }
  let lines: string[];
  try {
    const out = await userRepoGit(start).raw([
      'rev-parse',
      '--path-format=absolute',
      '--is-inside-work-tree',
      '--show-toplevel',
      '--absolute-git-dir',
      '--git-path',
      'objects',
      '--git-path',
      'index',
    ]);
    lines = out.split('\n').filter((l) => l.length > 0);
  } catch {
    throw new SandboxSetupError(`${start} is not inside a git work tree; run \`git init\` and commit once, or open a folder that is a git repository`);
  }
  if (lines[0] !== 'true' || lines.length < 5) {
    throw new SandboxSetupError(`${start} is not inside a git work tree (a bare repository or a .git folder); open the repository's working folder`);
  }
  const top = realpathSync(lines[1]);
  return {
    top,
    gitDir: realpathSync(lines[2]),
    objectsDir: realpathSync(absoluteFrom(top, lines[3])),
    indexFile: absoluteFrom(top, lines[4]),
    name: basename(top),
  };
}

/** The commit `ref` names, or null when the repository has no commits yet and `ref` is HEAD. */
export async function resolveCommit(repo: UserRepo, ref: string, extraObjectDirs: string[] = []): Promise<string | null> {
  if (ref.startsWith('-')) throw new SandboxSetupError(`base ref ${ref} is not a valid revision`);
  let sha = '';
  try {
    // A snapshot commit from an earlier run lives in its own store, read as an alternate.
    const env = extraObjectDirs.length ? { GIT_ALTERNATE_OBJECT_DIRECTORIES: extraObjectDirs.join(':') } : undefined;
    sha = (await userRepoGit(repo.top, env).raw(['rev-parse', '--verify', `${ref}^{commit}`])).trim();
  } catch {
    sha = '';
  }
  if (/^[0-9a-f]{40,64}$/.test(sha)) return sha;
  // HEAD that names no commit: a repository whose first commit is yet to be made
  if (ref === 'HEAD') return null;
  throw new SandboxSetupError(`base ref ${ref} does not name a commit in ${repo.top}; give a branch, tag or commit that exists`);
}

/**
 * The object folders a copy needs to read, in order: the given ones plus every folder their
 * objects/info/alternates files point to, followed transitively, each once.
 */
export function objectStoreChain(first: string[]): string[] {
  const out: string[] = [];
  const queue = [...first];
  while (queue.length && out.length < 16) {
    const dir = queue.shift()!;
    let real: string;
    try {
      real = realpathSync(dir);
    } catch {
      continue;
    }
    if (out.includes(real)) continue;
    out.push(real);
    try {
      const text = readFileSync(resolve(real, 'info', 'alternates'), 'utf8');
      for (const line of text.split('\n')) {
        const entry = line.trim();
        if (entry && !entry.startsWith('#')) queue.push(absoluteFrom(real, entry));
      }
    } catch {
      // no alternates here
    }
  }
  return out;
}
