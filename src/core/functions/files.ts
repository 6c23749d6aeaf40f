import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { simpleGit } from 'simple-git';
import type { SkipReason, SkippedFile } from './types';

/**
 * Lists candidate files under `root` as root-relative paths with `/` separators: in a git
 * repository the tracked files plus untracked ones git does not ignore, elsewhere a walk that
 * honours every .gitignore on the way down. Symbolic links are never followed (a committed link
 * may lead anywhere on the machine): they, and paths through them, are reported as skipped.
 */
export async function listFiles(root: string, pruneDir: (relDir: string) => SkipReason | undefined = () => undefined): Promise<{ files: string[]; pruned: SkippedFile[]; git: boolean }> {
  const git = simpleGit({ baseDir: root });
  let inside = false;
  try {
    inside = (await git.raw(['rev-parse', '--is-inside-work-tree'])).trim() === 'true';
  } catch {
    inside = false;
  }
  if (inside) {
    const out = await git.raw(['-c', 'core.quotepath=off', 'ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', '.']);
    // A tracked file deleted from the working tree is not there to read; a nested repository shows as `dir/`.
    const deleted = new Set((await git.raw(['-c', 'core.quotepath=off', 'ls-files', '-z', '--deleted', '--', '.'])).split('\0'));
    const listed = [...new Set(out.split('\0'))].filter((f) => f && !f.endsWith('/') && !deleted.has(f));
    const pruned: SkippedFile[] = [];
    return { files: withoutLinks(root, listed, pruned), pruned, git: true };
  }
  const pruned: SkippedFile[] = [];
  return { files: walk(root, pruneDir, pruned), pruned, git: false };
}

/** Drops the files that are symbolic links or lie in a folder reached through one. */
function withoutLinks(root: string, files: string[], skipped: SkippedFile[]): string[] {
  const linkedDirs = new Map<string, boolean>();
  const isLinkOrUnderOne = (rel: string): boolean => {
    const slash = rel.lastIndexOf('/');
    if (slash !== -1) {
      const dir = rel.slice(0, slash);
      let linked = linkedDirs.get(dir);
      if (linked === undefined) {
        linked = isLinkOrUnderOne(dir);
        linkedDirs.set(dir, linked);
      }
      if (linked) return true;
    }
    try {
      return lstatSync(join(root, rel)).isSymbolicLink();
    } catch {
      return false; // gone: reading it reports that
    }
  };
  return files.filter((f) => {
    if (!isLinkOrUnderOne(f)) return true;
    skipped.push({ file: f, reason: 'symbolic-link' });
    return false;
  });
}

interface Frame {
  dir: string;
  rel: string;
  rules: { base: string; ig: Ignore }[];
}

/** A folder such as node_modules is reported once, as `node_modules/`, instead of file by file. */
function walk(root: string, pruneDir: (relDir: string) => SkipReason | undefined, pruned: SkippedFile[]): string[] {
  const files: string[] = [];
  const stack: Frame[] = [{ dir: root, rel: '', rules: [] }];
  while (stack.length) {
    const { dir, rel, rules: inherited } = stack.pop()!;
    let rules = inherited;
    try {
      const text = readFileSync(join(dir, '.gitignore'), 'utf8');
      rules = [...inherited, { base: rel, ig: ignore().add(text) }];
    } catch {
      // no .gitignore here
    }
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of entries.sort()) {
      if (name === '.git') continue;
      const relPath = rel ? `${rel}/${name}` : name;
      let isDir = false;
      try {
        const st = lstatSync(join(dir, name));
        if (st.isSymbolicLink()) {
          pruned.push({ file: relPath, reason: 'symbolic-link' });
          continue;
        }
        isDir = st.isDirectory();
        if (!isDir && !st.isFile()) continue;
      } catch {
        continue;
      }
      const ignored = rules.some(({ base, ig }) => {
        const inner = base ? relPath.slice(base.length + 1) : relPath;
        return ig.ignores(isDir ? `${inner}/` : inner);
      });
      if (ignored) continue;
      const prune = isDir ? pruneDir(relPath) : undefined;
      if (prune) pruned.push({ file: `${relPath}/`, reason: prune });
      else if (isDir) stack.push({ dir: join(dir, name), rel: relPath, rules });
      else files.push(relPath);
    }
  }
  return files.sort();
}
