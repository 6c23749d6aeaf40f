import { cpSync, existsSync, lstatSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative, sep } from 'node:path';
import { capture } from './proc';

/** A throwaway git repository holding a copy of some source tree. */
export interface Corpus {
  name: string;
  /** Where the copy came from. */
  source: string;
  dir: string;
  files: number;
  bytes: number;
  cleanup(): void;
}

export interface CopyFilter {
  /** Return false to leave a directory (and all below it) out; `rel` uses `/` separators. */
  dir?(rel: string, name: string): boolean;
  /** Return false to leave a file out. */
  file?(rel: string, name: string): boolean;
}

/**
 * Copies `source` into a fresh temp directory and commits it as a git repository, so tools that
 * list files through git see exactly what was copied. Timestamps are kept: caches that skip
 * files modified in the last seconds then treat the copy as settled.
 */
export function gitRepoFromFolder(name: string, source: string, filter: CopyFilter = {}, prefix = 'bench-corpus-'): Corpus {
  if (!existsSync(source) || !statSync(source).isDirectory()) throw new Error(`${source} is not a directory to copy.`);
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  try {
    let files = 0;
    let bytes = 0;
    cpSync(source, dir, {
      recursive: true,
      preserveTimestamps: true,
      filter: (src) => {
        const rel = relative(source, src).split(sep).join('/');
        if (!rel) return true;
        const st = lstatSync(src);
        if (st.isDirectory()) return filter.dir?.(rel, basename(src)) ?? true;
        if (!st.isFile()) return false;
        if (!(filter.file?.(rel, basename(src)) ?? true)) return false;
        files++;
        bytes += st.size;
        return true;
      },
    });
    if (files === 0) throw new Error(`Nothing under ${source} passed the filter; check the corpus source.`);
    const git = ['-c', 'user.name=bench', '-c', 'user.email=bench@localhost', '-c', 'commit.gpgsign=false', '-c', 'core.autocrlf=false'];
    capture('git', ['init', '-q'], dir);
    capture('git', [...git, 'add', '-A', '.'], dir);
    capture('git', [...git, 'commit', '-q', '--no-verify', '-m', `corpus ${name} from ${source}`], dir);
    return { name, source, dir, files, bytes, cleanup };
  } catch (error) {
    cleanup();
    throw error;
  }
}

/** Files git tracks in `dir`, plus untracked ones it does not ignore, as `/`-separated relative paths. */
export function gitFiles(dir: string): string[] {
  const out = capture('git', ['-c', 'core.quotepath=off', 'ls-files', '-z', '--cached', '--others', '--exclude-standard'], dir);
  return [...new Set(out.split('\0').filter(Boolean))];
}

/** Bytes and count of the files under `dir` (not following links) that `keep` accepts, skipping nested node_modules. */
export function measureTree(dir: string, keep: (name: string) => boolean): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  const stack = [dir];
  while (stack.length) {
    const current = stack.pop()!;
    let entries;
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') stack.push(join(current, entry.name));
      } else if (entry.isFile() && keep(entry.name)) {
        files++;
        bytes += statSync(join(current, entry.name)).size;
      }
    }
  }
  return { files, bytes };
}

/** Package folders directly in a node_modules folder, scoped ones (`@scope/name`) included. */
export function listPackages(nodeModules: string): { name: string; dir: string }[] {
  const out: { name: string; dir: string }[] = [];
  for (const entry of readdirSync(nodeModules, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    if (entry.name.startsWith('@')) {
      for (const inner of readdirSync(join(nodeModules, entry.name), { withFileTypes: true })) {
        if (inner.isDirectory()) out.push({ name: `${entry.name}/${inner.name}`, dir: join(nodeModules, entry.name, inner.name) });
      }
    } else {
      out.push({ name: entry.name, dir: join(nodeModules, entry.name) });
    }
  }
  return out;
}

/** The installed package with the most bytes in files that `keep` accepts, or undefined when none has any. */
export function largestPackage(nodeModules: string, keep: (name: string) => boolean): { name: string; dir: string; files: number; bytes: number } | undefined {
  let best: { name: string; dir: string; files: number; bytes: number } | undefined;
  for (const pkg of listPackages(nodeModules)) {
    const size = measureTree(pkg.dir, keep);
    if (size.files && (!best || size.bytes > best.bytes)) best = { ...pkg, ...size };
  }
  return best;
}
