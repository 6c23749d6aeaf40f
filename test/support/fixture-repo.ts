import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** What a fixture file holds: text (written as UTF-8) or exact bytes. */
export type FixtureFiles = Record<string, string | Buffer>;

export interface FixtureRepo {
  /** Absolute path of the repository (or plain folder). */
  root: string;
  /** Writes more files (relative paths, `/` separators), creating folders on the way. */
  write(files: FixtureFiles): void;
  /** Runs git in the repository with the fixed test identity; returns its stdout. */
  git(...args: string[]): string;
  /** Stages everything and commits; returns the new commit's hash. */
  commitAll(message?: string): string;
  cleanup(): Promise<void>;
}

export interface MakeRepoOptions {
  /** `git init` the folder (default true); false gives a plain folder. */
  git?: boolean;
  /** Commit the files after writing them (default true when git is true). */
  commit?: boolean;
  /** Prefix of the temp folder's name, to tell fixtures apart when debugging. */
  prefix?: string;
}

/**
 * The identity and settings every fixture commit uses. Passed on the command line and through
 * the environment so that neither the user's global git config nor signing settings are read
 * or changed; fixed dates make commit hashes reproducible.
 */
export const FIXTURE_GIT_ENV: NodeJS.ProcessEnv = {
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Fixture Author',
  GIT_AUTHOR_EMAIL: 'fixture@example.invalid',
  GIT_COMMITTER_NAME: 'Fixture Author',
  GIT_COMMITTER_EMAIL: 'fixture@example.invalid',
  GIT_AUTHOR_DATE: '2024-01-01T00:00:00Z',
  GIT_COMMITTER_DATE: '2024-01-01T00:00:00Z',
  GIT_TERMINAL_PROMPT: '0',
};

const GIT_FLAGS = ['-c', 'user.name=Fixture Author', '-c', 'user.email=fixture@example.invalid', '-c', 'commit.gpgsign=false', '-c', 'tag.gpgsign=false', '-c', 'core.autocrlf=false'];

/** Runs git with the fixture identity in `cwd`; throws with git's stderr on failure. */
export function runGit(cwd: string, args: string[]): string {
  try {
    return execFileSync('git', [...GIT_FLAGS, ...args], {
      cwd,
      env: { ...process.env, ...FIXTURE_GIT_ENV },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`git ${args.join(' ')} failed in ${cwd}: ${e.stderr?.trim() || e.message}`);
  }
}

/** Writes files under `root`, creating parent folders. */
export function writeFiles(root: string, files: FixtureFiles): void {
  for (const [rel, content] of Object.entries(files)) {
    const path = join(root, ...rel.split('/'));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
}

/** Makes an empty temp folder; the caller removes it. */
export function makeTempDir(prefix = 'rs-fixture-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * Builds a fixture repository in a fresh temp folder: the given files, and by default a git
 * repository (branch `main`) with one commit holding them.
 */
export async function makeRepo(files: FixtureFiles, opts: MakeRepoOptions = {}): Promise<FixtureRepo> {
  const useGit = opts.git ?? true;
  const root = makeTempDir(opts.prefix ?? 'rs-fixture-');
  const git = (...args: string[]) => {
    if (!useGit) throw new Error('this fixture is a plain folder, not a git repository');
    return runGit(root, args);
  };
  const repo: FixtureRepo = {
    root,
    write: (more) => writeFiles(root, more),
    git,
    commitAll(message = 'fixture') {
      git('add', '-A');
      git('commit', '--quiet', '--allow-empty', '--no-verify', '-m', message);
      return git('rev-parse', 'HEAD').trim();
    },
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
  try {
    writeFiles(root, files);
    if (useGit) {
      git('init', '--quiet', '--initial-branch=main');
      if (opts.commit ?? true) repo.commitAll('initial fixture');
    }
  } catch (error) {
    await repo.cleanup();
    throw error;
  }
  return repo;
}

/** Builds a fixture, runs `fn` with it and always removes it. */
export async function withRepo<T>(files: FixtureFiles, fn: (repo: FixtureRepo) => Promise<T> | T, opts?: MakeRepoOptions): Promise<T> {
  const repo = await makeRepo(files, opts);
  try {
    return await fn(repo);
  } finally {
    await repo.cleanup();
  }
}
