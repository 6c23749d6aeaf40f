import { seededRandom } from '../functions/sample';

/** A mean with its percentile bootstrap interval. */
export interface Estimate {
  mean: number;
  low: number;
  high: number;
  n: number;
}

export interface BootstrapOptions {
  /** Resamples; default 10,000. */
  resamples?: number;
  /** Default 0.95. */
  level?: number;
  /** The same seed gives the same interval on every machine. */
  seed?: string;
}

/**
 * The mean of `values` with a percentile bootstrap interval: the tasks are resampled with
 * replacement, and the interval holds the middle `level` of the resampled means. For a paired
 * difference, pass the per-task differences (resampling tasks keeps each pair together).
 */
export function bootstrapMean(values: readonly number[], o: BootstrapOptions = {}): Estimate {
  const n = values.length;
  if (!n) return { mean: Number.NaN, low: Number.NaN, high: Number.NaN, n: 0 };
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const resamples = o.resamples ?? 10_000;
  const level = o.level ?? 0.95;
  const random = seededRandom(`bootstrap:${o.seed ?? '0'}`);
  const means = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[Math.floor(random() * n)];
    means[b] = sum / n;
  }
  means.sort();
  const tail = (1 - level) / 2;
  return { mean, low: quantile(means, tail), high: quantile(means, 1 - tail), n };
}

/** Linear interpolation between order statistics (the common "type 7" quantile). */
function quantile(sorted: Float64Array, q: number): number {
  const at = q * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}
