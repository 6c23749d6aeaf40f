import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { applyPatch } from 'diff';
import { FILES } from '../../core/store/run-dir';
import { parseUnifiedDiff, type PatchFile } from '../../core/verify';

/** A run made from uncommitted changes keeps its snapshot commit's objects here (see RUN_FORMAT.md). */
export function snapshotObjects(runDir: string): string | undefined {
  const dir = join(runDir, FILES.snapshot);
  return existsSync(dir) ? dir : undefined;
}

function git(cwd: string, args: string[], alternates?: string): Promise<string> {
  const env = alternates ? { ...process.env, GIT_ALTERNATE_OBJECT_DIRECTORIES: alternates } : process.env;
  return new Promise((resolve, reject) => {
    execFile('git', ['-c', 'core.quotePath=false', ...args], { cwd, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, windowsHide: true }, (error, stdout) =>
      error ? reject(error) : resolve(stdout),
    );
  });
}

/** The top folder of the git work tree a run directory sits in, or null. */
export async function repositoryRoot(runDir: string): Promise<string | null> {
  try {
    return (await git(runDir, ['rev-parse', '--show-toplevel'])).trim() || null;
  } catch {
    return null;
  }
}

/**
 * The git repository that holds the run's base commit, or null. A run lives inside its repository
 * by default (REPO/.specializer/runs/ID); a run copied elsewhere, or made from a snapshot of
 * uncommitted changes, has no base to read files from, and the panel then diffs patch text instead.
 */
export async function findBaseRepository(runDir: string, baseCommit: string): Promise<string | null> {
  if (!/^[0-9a-f]{7,64}$/i.test(baseCommit)) return null;
  const root = await repositoryRoot(runDir);
  if (!root) return null;
  try {
    await git(root, ['cat-file', '-e', `${baseCommit}^{commit}`], snapshotObjects(runDir));
    return root;
  } catch {
    return null;
  }
}

/** The paths a patch touches (a deleted file by its old path), in patch order. */
export function patchPaths(patch: string): string[] {
  return parseUnifiedDiff(patch).flatMap((f) => (f.newPath ?? f.oldPath) ?? []);
}

export function patchFileFor(patch: string, path: string): PatchFile | undefined {
  return parseUnifiedDiff(patch).find((f) => f.newPath === path || f.oldPath === path);
}

/** A file at the base commit; '' when it does not exist there (added by the patch). */
export async function baseFile(repo: string, baseCommit: string, path: string, alternates?: string): Promise<string> {
  try {
    return await git(repo, ['show', `${baseCommit}:${path}`], alternates);
  } catch {
    return '';
  }
}

/**
 * One file before and after a patch: the base commit's content with the patch's hunks applied.
 * Null when the patch does not touch the file or does not apply to the base (then the caller
 * falls back to showing patch text).
 */
export async function fileVersions(repo: string, baseCommit: string, patch: string, path: string, alternates?: string): Promise<{ before: string; after: string } | null> {
  const file = patchFileFor(patch, path);
  if (!file || file.status === 'binary') return null;
  const before = file.oldPath === null ? '' : await baseFile(repo, baseCommit, file.oldPath, alternates);
  if (file.newPath === null) return { before, after: '' };
  const structured = {
    oldFileName: file.oldPath ?? '/dev/null',
    newFileName: file.newPath,
    oldHeader: '',
    newHeader: '',
    hunks: file.hunks.map((h) => ({ ...h })),
  };
  let after = applyPatch(before, structured);
  if (after === false && before.includes('\r\n')) {
    // The verify module strips line-end CRs from patches; apply to an LF copy and put them back.
    const lf = applyPatch(before.replace(/\r\n/g, '\n'), structured);
    after = lf === false ? false : lf.replace(/\n/g, '\r\n');
  }
  return after === false ? null : { before, after };
}
