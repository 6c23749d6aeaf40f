import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { resolveCalls } from './calls';
import { listFiles } from './files';
import { languageForPath, parseLanguageList } from './languages';
import type { ParseJob, ParseOutcome } from './parse-file';
import { defaultWorkerCount, parseAll } from './parse-pool';
import { DEFAULT_MAX_FILE_BYTES } from './read-source';
import { ScanCache } from './scan-cache';
import { pathRules } from './skip-rules';
import type { FunctionRecord, LanguageId, ParsedFile, ScanOptions, ScanResult, SkippedFile } from './types';

/** Parses the files the cache does not already know, and refreshes the cache with them. */
async function parseWithCache(root: string, jobs: ParseJob[], maxBytes: number, options: ScanOptions): Promise<ParseOutcome[]> {
  if (!options.cacheDir) return parseAll(root, jobs, maxBytes, options.workers ?? defaultWorkerCount(jobs.length));
  const cache = new ScanCache(root, options.cacheDir);
  const { hits, misses, stats } = cache.partition(root, jobs, maxBytes);
  const fresh = await parseAll(root, misses.map((i) => jobs[i]), maxBytes, options.workers ?? defaultWorkerCount(misses.length));
  const outcomes: ParseOutcome[] = new Array(jobs.length);
  for (const [i, outcome] of hits) outcomes[i] = outcome;
  misses.forEach((jobIndex, k) => {
    outcomes[jobIndex] = fresh[k];
    cache.store(jobs[jobIndex].file, stats[jobIndex], fresh[k]);
  });
  cache.save(new Set(jobs.map((j) => j.file)));
  return outcomes;
}

/** A scan that cannot start; the message says what to do. */
export class ScanError extends Error {}

export function functionId(file: string, qualifiedName: string, startLine: number): string {
  return `${file}:${qualifiedName}:${startLine}`;
}

/** Gathers every function and method of the repository or folder at `rootPath`. */
export async function scanRepository(rootPath: string, options: ScanOptions = {}): Promise<ScanResult> {
  const started = performance.now();
  const root = resolve(rootPath);
  let isDir = false;
  try {
    isDir = statSync(root).isDirectory();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ScanError(`${root} does not exist; give the path of a repository or folder to scan.`);
    throw new ScanError(`${root} cannot be read (${code ?? String(error)}); check its permissions.`);
  }
  if (!isDir) throw new ScanError(`${root} is a file, not a folder; give the path of a repository or folder to scan.`);

  let selected: Set<LanguageId> | undefined;
  try {
    selected = options.languages?.length ? parseLanguageList(options.languages) : undefined;
  } catch (error) {
    throw new ScanError((error as Error).message);
  }
  const rules = pathRules(options.include, options.exclude);
  let listing: string[];
  const skipped: SkippedFile[] = [];
  // Without include globs nothing inside a vendored or excluded folder can be scanned, so a
  // plain-folder walk does not descend into it.
  const pruneDir = (dir: string) => {
    if (options.include?.length) return undefined;
    const reason = rules.classify(`${dir}/-`);
    return reason === 'vendored' || reason === 'excluded-by-glob' ? reason : undefined;
  };
  try {
    const listed = await listFiles(root, pruneDir);
    listing = listed.files;
    skipped.push(...listed.pruned);
  } catch (error) {
    throw new ScanError(`Could not list the files of ${root}: ${(error as Error).message}`);
  }

  const jobs: ParseJob[] = [];
  for (const file of listing) {
    const spec = languageForPath(file);
    const reason = rules.classify(file) ?? (!spec ? 'unsupported-language' : selected && !selected.has(spec.id) ? 'language-not-selected' : undefined);
    if (reason) skipped.push({ file, reason });
    else jobs.push({ file, language: spec!.id, forced: rules.forced(file) });
  }

  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const outcomes = await parseWithCache(root, jobs, maxBytes, options);

  const parsed: ParsedFile[] = [];
  for (const outcome of outcomes) {
    if ('parsed' in outcome) parsed.push(outcome.parsed);
    else skipped.push(outcome.skipped);
  }
  const records = new Map<ParsedFile, FunctionRecord[]>();
  for (const file of parsed) {
    records.set(
      file,
      file.functions.map((fn) => ({
        id: functionId(file.file, fn.qualifiedName, fn.startLine),
        file: file.file,
        name: fn.name,
        qualifiedName: fn.qualifiedName,
        language: file.language,
        startLine: fn.startLine,
        endLine: fn.endLine,
        signature: fn.signature,
        calls: [],
      })),
    );
  }
  resolveCalls(parsed, records);

  const functions = [...records.values()].flat();
  functions.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.startLine - b.startLine));
  skipped.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return {
    root,
    functions,
    skipped,
    filesScanned: parsed.length,
    filesWithErrors: parsed.filter((p) => p.hasErrors).map((p) => p.file).sort(),
    ms: performance.now() - started,
  };
}
