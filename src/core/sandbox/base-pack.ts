import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { copyGitEnvironment, GitCommandError, SAFE_GIT_CONFIG } from './git-exec';
import { execProgram } from './process-host';

/**
 * Writes one pack holding exactly the objects reachable from `commit` (its tree, its history)
 * into the object folder `store`, reading them from `sources` (the user's object stores and a
 * snapshot's). Copies read objects from this pack alone, so other branches, the stash and blobs
 * that were staged but never committed are not there to be read in a sandbox. pack-objects
 * reuses the deltas of the user's packs, so this mostly copies bytes.
 */
export async function packReachableObjects(commit: string, store: string, sources: string[], ctlDir: string): Promise<void> {
  mkdirSync(join(store, 'pack'), { recursive: true });
  mkdirSync(join(store, 'info'), { recursive: true });
  const env = copyGitEnvironment({ gitDir: ctlDir, workTree: store, indexFile: join(store, 'unused.index'), alternates: sources, objectDir: store });
  const config = SAFE_GIT_CONFIG.flatMap((c) => ['-c', c]);
  // pack-objects reads the revisions on stdin; the commit is a plain hex name, safe in the script
  if (!/^[0-9a-f]{40,64}$/.test(commit)) throw new Error(`not a commit name: ${commit}`);
  const script = `printf '%s\\n' ${commit} | exec git "$@"`;
  const args = [...config, 'pack-objects', '--revs', '--quiet', join(store, 'pack', 'pack')];
  const r = await execProgram('sh', ['-c', script, 'sh', ...args], env, store, 1024 * 1024);
  if (r.failed) throw new GitCommandError(['pack-objects', '--revs', commit], r.stderr.toString('utf8') || r.message, r.code);
}
