import { changedLines, type ChangedLine } from './changed-lines';

export interface OverlapScore {
  /** matched / p1Lines; null when P1 has no changed lines (no score: such a sample is never kept). */
  recall: number | null;
  /** matched / p2Lines; null when P2 has no changed lines. */
  precision: number | null;
  /** 2·matched / (p1Lines + p2Lines), the harmonic mean of the two; null exactly when recall is. */
  f1: number | null;
  matched: number;
  p1Lines: number;
  p2Lines: number;
  /** One entry per P1 changed line, in order: the index of the P2 line that reproduced it, or null. */
  p1: { index: number; matchedBy: number | null }[];
  /** One entry per P2 changed line, in order: the index of the P1 line it matched, or null when it is extra. */
  p2: { index: number; matches: number | null }[];
}

/**
 * Line-level overlap of P2 against P1 (SVG_METHOD.md, "The soft-verification metric").
 * A changed line is its sign plus its exact text; file names play no part, so a line moved to
 * another file still counts. Multiset matching: P2 lines are taken in order and each claims the
 * first still-unclaimed equal line of P1, so duplicates count as many times as both sides have them
 * and the pairing is deterministic.
 */
export function scoreOverlap(p1: string | ChangedLine[], p2: string | ChangedLine[]): OverlapScore {
  return scoreKeys(keysOf(p1), keysOf(p2));
}

/** Keep the sample when recall reaches the threshold; no score (null recall) never passes. */
export function passesThreshold(score: OverlapScore, threshold: number): boolean {
  if (!(threshold >= 0 && threshold <= 1)) throw new RangeError(`The verification threshold must be between 0 and 1, got ${threshold}.`);
  // Compare the ratio itself: matched >= threshold * p1Lines would fail 7 of 100 at 0.07 (0.07 * 100 = 7.000000000000001).
  return score.recall !== null && score.recall >= threshold;
}

function keysOf(patch: string | ChangedLine[]): string[] {
  return (typeof patch === 'string' ? changedLines(patch) : patch).map(keyOf);
}

/** Sign and text in one string: exactly the patch line as written. */
const keyOf = (line: ChangedLine): string => line.sign + line.text;

interface Slots {
  positions: number[];
  next: number;
}

/** Below this many P1×P2 comparisons a plain scan beats building a hash map (most samples' patches are small). */
const SCAN_LIMIT = 1024;

/** The multiset match on keys (sign + text), with the pairing rule described at scoreOverlap. */
export function scoreKeys(k1: string[], k2: string[]): OverlapScore {
  const p1: OverlapScore['p1'] = new Array(k1.length);
  for (let i = 0; i < k1.length; i++) p1[i] = { index: i, matchedBy: null };
  const p2: OverlapScore['p2'] = new Array(k2.length);
  let matched = 0;
  if (k1.length * k2.length <= SCAN_LIMIT) {
    for (let j = 0; j < k2.length; j++) {
      const key = k2[j];
      let hit: number | null = null;
      for (let i = 0; i < k1.length; i++) {
        if (p1[i].matchedBy === null && k1[i] === key) {
          hit = i;
          p1[i].matchedBy = j;
          matched++;
          break;
        }
      }
      p2[j] = { index: j, matches: hit };
    }
  } else {
    const byKey = new Map<string, Slots>();
    for (let i = 0; i < k1.length; i++) {
      const slots = byKey.get(k1[i]);
      if (slots) slots.positions.push(i);
      else byKey.set(k1[i], { positions: [i], next: 0 });
    }
    for (let j = 0; j < k2.length; j++) {
      const slots = byKey.get(k2[j]);
      let hit: number | null = null;
      if (slots && slots.next < slots.positions.length) {
        hit = slots.positions[slots.next++];
        p1[hit].matchedBy = j;
        matched++;
      }
      p2[j] = { index: j, matches: hit };
    }
  }
  const recall = k1.length ? matched / k1.length : null;
  const precision = k2.length ? matched / k2.length : null;
  const f1 = recall === null ? null : (2 * matched) / (k1.length + k2.length);
  return { recall, precision, f1, matched, p1Lines: k1.length, p2Lines: k2.length, p1, p2 };
}
