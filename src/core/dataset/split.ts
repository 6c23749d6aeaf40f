import { createHash } from 'node:crypto';
import type { ResolvedOptions } from './options';
import { functionKey, readSamples, selectSample, type RunSource } from './select';

/**
 * Chooses the start functions held out for validation: the ones whose key hashes lowest, as many
 * as the fraction asks (at least one when there are two or more functions, never all of them).
 * The choice depends only on the set of functions, so it is the same on every run of the export,
 * whatever order the samples come in, and no function ever has samples on both sides.
 */
export function chooseValidationFunctions(keys: Iterable<string>, fraction: number): Set<string> {
  if (fraction <= 0) return new Set();
  const unique = [...new Set(keys)];
  if (unique.length < 2) return new Set();
  const count = Math.min(unique.length - 1, Math.max(1, Math.round(unique.length * fraction)));
  const hashed = unique.map((key) => ({ key, h: createHash('sha1').update(key).digest('hex') }));
  hashed.sort((a, b) => (a.h < b.h ? -1 : a.h > b.h ? 1 : 0));
  return new Set(hashed.slice(0, count).map((x) => x.key));
}

/** The held-out side of a split by function, as export.json and an eval run record it. */
export interface FunctionSplit {
  fraction: number;
  /** Start functions of the selected samples: the set the split divides. */
  functions: number;
  /** Their keys (see functionKey), sorted. */
  heldOut: string[];
}

/**
 * The export's split: over the start functions of the samples the export selects (decisions,
 * then the threshold). `specialize eval` calls this too, so its held-out tasks are exactly the
 * samples an export with the same options puts in data/validation.jsonl.
 */
export async function splitByFunction(runs: RunSource[], o: ResolvedOptions): Promise<{ split: FunctionSplit; selectedSamples: number }> {
  const keys = new Set<string>();
  let selectedSamples = 0;
  for (const run of runs) {
    for await (const record of readSamples(run)) {
      if (!('decision' in selectSample(record, run, o))) continue;
      selectedSamples++;
      keys.add(functionKey(record, run));
    }
  }
  const heldOut = [...chooseValidationFunctions(keys, o.validation)].sort();
  return { split: { fraction: o.validation, functions: keys.size, heldOut }, selectedSamples };
}
