import { join } from 'node:path';
import { extractFunctions } from './extract';
import { readSource } from './read-source';
import type { LanguageId, ParsedFile, SkippedFile } from './types';

export interface ParseJob {
  file: string;
  language: LanguageId;
  /** The user named this file with an include glob, so a generated-file header does not skip it. */
  forced: boolean;
}

export type ParseOutcome = { parsed: ParsedFile } | { skipped: SkippedFile };

/** Reads and parses one file; every failure becomes a skip with its reason, never an exception. */
export async function parseFile(root: string, job: ParseJob, maxBytes: number): Promise<ParseOutcome> {
  const source = readSource(join(root, job.file), maxBytes, !job.forced);
  if ('skip' in source) return { skipped: { file: job.file, reason: source.skip, ...(source.detail ? { detail: source.detail } : {}) } };
  if (job.language === 'javascript' && looksMinified(source.text)) return { skipped: { file: job.file, reason: 'minified' } };
  try {
    return { parsed: await extractFunctions(job.file, job.language, source.text) };
  } catch (error) {
    return { skipped: { file: job.file, reason: 'parse-failed', detail: (error as Error).message } };
  }
}

/** Bundled or minified JavaScript has very long lines; its "functions" are not the repository's own code. */
function looksMinified(text: string): boolean {
  if (text.length < 20_000) return false;
  const lines = text.split('\n', 200);
  return lines.some((l) => l.length > 3000);
}
