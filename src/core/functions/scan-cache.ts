import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { LANGUAGES } from './languages';
import type { ParseJob, ParseOutcome } from './parse-file';
import { hash32 } from './sample';
import { writeFileAtomically } from '../store/atomic-write';

/** Bump when extraction changes in a way the queries do not show; query edits invalidate by themselves. */
const FORMAT = 5;
const VERSION = `${FORMAT}-${hash32(LANGUAGES.map((l) => l.query).join('\n'))}`;

interface Entry {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  key: string;
  outcome: ParseOutcome;
}

export function defaultCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'repo-specializer', 'scan');
}

/**
 * What parsing each file gave last time, keyed by path and checked against size, mtime and ctime
 * (as git's index does), so a rescan parses only files that changed. Kept outside the repository.
 */
export class ScanCache {
  private entries: Record<string, Entry> = {};
  private readonly path: string;
  private dirty = false;

  constructor(root: string, dir: string) {
    this.path = join(dir, `${createHash('sha1').update(root).digest('hex').slice(0, 16)}.json`);
    try {
      const data = JSON.parse(readFileSync(this.path, 'utf8')) as { version: string; entries: Record<string, Entry> };
      if (data.version === VERSION) this.entries = data.entries;
    } catch {
      // no cache yet, or an unreadable one: start empty
    }
  }

  private static keyOf(job: ParseJob, maxBytes: number): string {
    return `${job.language}:${job.forced ? 1 : 0}:${maxBytes}`;
  }

  /** Splits jobs into cached outcomes and the ones that must be parsed. */
  partition(root: string, jobs: ParseJob[], maxBytes: number): { hits: Map<number, ParseOutcome>; misses: number[]; stats: (Entry | undefined)[] } {
    const hits = new Map<number, ParseOutcome>();
    const misses: number[] = [];
    const stats: (Entry | undefined)[] = [];
    jobs.forEach((job, i) => {
      let st;
      try {
        st = statSync(join(root, job.file));
      } catch {
        misses.push(i);
        stats.push(undefined);
        return;
      }
      const probe: Entry = { size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, key: ScanCache.keyOf(job, maxBytes), outcome: undefined as never };
      stats.push(probe);
      const entry = this.entries[job.file];
      if (entry && entry.size === probe.size && entry.mtimeMs === probe.mtimeMs && entry.ctimeMs === probe.ctimeMs && entry.key === probe.key) {
        hits.set(i, entry.outcome);
      } else {
        misses.push(i);
      }
    });
    return { hits, misses, stats };
  }

  store(file: string, probe: Entry | undefined, outcome: ParseOutcome): void {
    if (!probe) return;
    // A file changed within the last two seconds could change again inside the same timestamp tick.
    if (Date.now() - probe.mtimeMs < 2000) return;
    this.entries[file] = { ...probe, outcome };
    this.dirty = true;
  }

  /** Drops entries of files no longer in the repository and writes the cache atomically. */
  save(present: Set<string>): void {
    for (const file of Object.keys(this.entries)) {
      if (!present.has(file)) {
        delete this.entries[file];
        this.dirty = true;
      }
    }
    if (!this.dirty) return;
    try {
      mkdirSync(join(this.path, '..'), { recursive: true });
      writeFileAtomically(this.path, JSON.stringify({ version: VERSION, entries: this.entries }));
    } catch {
      // a cache that cannot be written only costs time on the next scan
    }
  }
}
