import type { FunctionRecord, ParsedFile } from './types';

function dirOf(file: string): string {
  const i = file.lastIndexOf('/');
  return i < 0 ? '' : file.slice(0, i);
}

function stemOf(file: string): string {
  const base = file.slice(file.lastIndexOf('/') + 1);
  const dot = base.indexOf('.');
  return dot < 0 ? base : base.slice(0, dot);
}

function sharedPrefix(a: string, b: string): number {
  const x = a.split('.');
  const y = b.split('.');
  let n = 0;
  while (n < x.length - 1 && n < y.length - 1 && x[n] === y[n]) n++;
  return n;
}

/**
 * Resolves called names to gathered functions: the same file first (the candidate sharing the
 * most enclosing scopes with the caller), then modules the file imports (by module name, then by
 * folder), then the same folder, then a name that only one function in the repository has.
 * Unresolvable names give no edge.
 */
export function resolveCalls(parsed: ParsedFile[], records: Map<ParsedFile, FunctionRecord[]>): void {
  const byName = new Map<string, FunctionRecord[]>();
  for (const list of records.values()) {
    for (const fn of list) {
      const bucket = byName.get(fn.name);
      if (bucket) bucket.push(fn);
      else byName.set(fn.name, [fn]);
    }
  }
  for (const file of parsed) {
    const imports = new Set(file.importWords);
    const list = records.get(file)!;
    const dir = dirOf(file.file);
    file.functions.forEach((pf, i) => {
      const caller = list[i];
      const edges = new Set<string>();
      for (const name of pf.callNames) {
        const candidates = byName.get(name);
        if (!candidates) continue;
        for (const target of pick(candidates, caller, file.file, dir, imports)) {
          if (target.id !== caller.id) edges.add(target.id);
        }
      }
      caller.calls = [...edges];
    });
  }
}

/** Files named like these stand for their folder: `pkg/__init__.py`, `lib/index.ts`, `src/mod.rs`. */
const FOLDER_FILES = new Set(['__init__', 'index', 'mod', 'main', 'lib']);

function moduleWord(file: string): string {
  const stem = stemOf(file);
  return FOLDER_FILES.has(stem) ? (dirOf(file).split('/').pop() ?? '') : stem;
}

function pick(candidates: FunctionRecord[], caller: FunctionRecord, file: string, dir: string, imports: Set<string>): FunctionRecord[] {
  const sameFile = candidates.filter((c) => c.file === file);
  if (sameFile.length) {
    let best = sameFile[0];
    let bestScore = -1;
    for (const c of sameFile) {
      const score = sharedPrefix(c.qualifiedName, caller.qualifiedName);
      if (score > bestScore) {
        best = c;
        bestScore = score;
      }
    }
    return [best];
  }
  // A module named in an import (`from pkg import b`, `./util`) beats a whole imported folder
  // (`from pkg import compute`, a Go package path), which beats the rest of the repository.
  const byModule = candidates.filter((c) => imports.has(moduleWord(c.file)));
  if (byModule.length && byModule.length <= 3) return byModule;
  const byFolder = candidates.filter((c) => imports.has(dirOf(c.file).split('/').pop() ?? ''));
  if (byFolder.length && byFolder.length <= 3) return byFolder;
  const sameDir = candidates.filter((c) => dirOf(c.file) === dir);
  if (sameDir.length === 1) return sameDir;
  return candidates.length === 1 ? candidates : [];
}
