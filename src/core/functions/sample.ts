import type { FunctionRecord } from './types';

export interface SampleOptions {
  /** How many start points to return (fewer when the functions run out). */
  count: number;
  seed: string | number;
  /** At most this many distinct functions from one file. */
  perFileCap?: number;
  /** Each chosen function is used this many times (each instance gets its own instruction later). */
  instancesPerFunction?: number;
  /** Functions shorter than this many lines are passed over. */
  minLines?: number;
}

export interface StartPoint {
  function: FunctionRecord;
  instance: number;
}

/** A 32-bit hash of a string (FNV-1a), used to seed the generator from any seed text. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: small, fast and good enough for shuffling; the same seed always gives the same order. */
export function seededRandom(seed: string | number): () => number {
  let state = typeof seed === 'number' ? seed >>> 0 : hash32(seed);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Picks start functions reproducibly: the functions are put in a canonical order (by id), shuffled
 * with the seed, and taken in that order while honouring the per-file cap.
 */
export function sampleStartFunctions(functions: FunctionRecord[], options: SampleOptions): StartPoint[] {
  const { count, perFileCap = Number.POSITIVE_INFINITY, instancesPerFunction = 1, minLines = 1 } = options;
  if (count <= 0) return [];
  const pool = functions.filter((f) => f.endLine - f.startLine + 1 >= minLines).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const random = seededRandom(options.seed);
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  const perFile = new Map<string, number>();
  const out: StartPoint[] = [];
  for (const fn of pool) {
    const used = perFile.get(fn.file) ?? 0;
    if (used >= perFileCap) continue;
    perFile.set(fn.file, used + 1);
    for (let instance = 0; instance < instancesPerFunction && out.length < count; instance++) out.push({ function: fn, instance });
    if (out.length >= count) break;
  }
  return out;
}
