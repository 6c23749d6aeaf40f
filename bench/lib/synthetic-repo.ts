import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runGit } from '../../test/support/fixture-repo';

export interface SyntheticRepoOptions {
  /** Source files to write (alternating Python and TypeScript unless `language` is set). */
  files: number;
  functionsPerFile: number;
  /** Name of function k of file i; default `f{i}_{k}`. */
  functionName?: (file: number, k: number) => string;
  language?: 'python' | 'typescript' | 'mixed';
  /** Files per folder; folders nest two levels (`src/pkgN/modM/`). */
  filesPerFolder?: number;
  prefix?: string;
}

export interface SyntheticRepo {
  root: string;
  /** Relative paths of the source files, in creation order. */
  files: string[];
  /** Function names of each file, same order as `files`. */
  functions: string[][];
  commit: string;
  cleanup(): Promise<void>;
}

function pythonFunction(name: string, k: number): string {
  return `def ${name}(x):\n    total = x\n    total += ${k}\n    return total\n`;
}

function typescriptFunction(name: string, k: number): string {
  return `export function ${name}(x: number): number {\n  let total = x;\n  total += ${k};\n  return total;\n}\n`;
}

/**
 * A committed git repository shaped like a mid-sized project: nested folders of small source files,
 * each holding a few short functions with predictable names and bodies (so scripted agents can edit
 * them by exact text).
 */
export function makeSyntheticRepo(opts: SyntheticRepoOptions): SyntheticRepo {
  const root = mkdtempSync(join(tmpdir(), opts.prefix ?? 'bench-synthetic-repo-'));
  const perFolder = opts.filesPerFolder ?? 50;
  const name = opts.functionName ?? ((i, k) => `f${i}_${k}`);
  const files: string[] = [];
  const functions: string[][] = [];
  for (let i = 0; i < opts.files; i++) {
    const python = opts.language === 'python' || (opts.language !== 'typescript' && i % 2 === 0);
    const folder = `src/pkg${Math.floor(i / (perFolder * 10))}/mod${Math.floor(i / perFolder) % 10}`;
    if (i % perFolder === 0) mkdirSync(join(root, folder), { recursive: true });
    const rel = `${folder}/file${i}.${python ? 'py' : 'ts'}`;
    const names = Array.from({ length: opts.functionsPerFile }, (_, k) => name(i, k));
    const body = names.map((n, k) => (python ? pythonFunction(n, k) : typescriptFunction(n, k))).join('\n');
    writeFileSync(join(root, rel), body);
    files.push(rel);
    functions.push(names);
  }
  writeFileSync(join(root, 'README.md'), '# synthetic benchmark repository\n');
  writeFileSync(join(root, '.gitignore'), 'build/\n__pycache__/\n');
  runGit(root, ['init', '--quiet', '--initial-branch=main']);
  runGit(root, ['add', '-A']);
  runGit(root, ['commit', '--quiet', '--no-verify', '-m', 'synthetic repository']);
  const commit = runGit(root, ['rev-parse', 'HEAD']).trim();
  return { root, files, functions, commit, cleanup: () => rm(root, { recursive: true, force: true }) };
}

/** The Python function `makeSyntheticRepo` writes, exactly, for scripts that edit it. */
export function syntheticPythonFunction(name: string, k: number): string {
  return pythonFunction(name, k);
}
