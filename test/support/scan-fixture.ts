import { scanRepository } from '../../src/core/functions';
import type { FunctionRecord, ScanOptions, ScanResult } from '../../src/core/functions';
import { makeRepo, type FixtureFiles, type MakeRepoOptions } from './fixture-repo';

/** Builds a fixture repository from `files`, scans it (on this thread unless told otherwise) and removes it. */
export async function scanFixture(files: FixtureFiles, options: ScanOptions = {}, repoOptions: MakeRepoOptions = {}): Promise<ScanResult> {
  const repo = await makeRepo(files, repoOptions);
  try {
    return await scanRepository(repo.root, { workers: 0, ...options });
  } finally {
    await repo.cleanup();
  }
}

/** One line per function, `qualifiedName start-end`, in file order: easy to compare exactly and to read in a failure. */
export function outline(functions: FunctionRecord[], file?: string): string[] {
  return functions.filter((f) => file === undefined || f.file === file).map((f) => `${f.qualifiedName} ${f.startLine}-${f.endLine}`);
}

/** The function with this qualified name (the first, if overloads share it); fails loudly when absent. */
export function fn(functions: FunctionRecord[], qualifiedName: string, nth = 0): FunctionRecord {
  const found = functions.filter((f) => f.qualifiedName === qualifiedName)[nth];
  if (!found) throw new Error(`no function ${qualifiedName} (#${nth}) among: ${functions.map((f) => f.qualifiedName).join(', ')}`);
  return found;
}

/** Qualified names of the functions `caller` calls, sorted. */
export function callees(functions: FunctionRecord[], caller: FunctionRecord): string[] {
  const byId = new Map(functions.map((f) => [f.id, f]));
  return caller.calls.map((id) => {
    const target = byId.get(id);
    if (!target) throw new Error(`call edge to unknown id ${id}`);
    return `${target.file}:${target.qualifiedName}`;
  }).sort();
}
