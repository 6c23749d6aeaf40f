import { createHash } from 'node:crypto';

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
