/** Summary of repeated measurements; medians resist the odd slow run better than means. */
export interface Summary {
  runs: number;
  median: number;
  min: number;
  max: number;
  mean: number;
}

export function median(values: number[]): number {
  if (!values.length) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function summarize(values: number[]): Summary {
  if (!values.length) throw new Error('summary of no values');
  return {
    runs: values.length,
    median: median(values),
    min: Math.min(...values),
    max: Math.max(...values),
    mean: values.reduce((a, b) => a + b, 0) / values.length,
  };
}

/** Percentage with the given decimals; 100 when the whole is empty (nothing to miss). */
export function percent(part: number, whole: number, decimals = 2): number {
  if (whole === 0) return 100;
  const f = 10 ** decimals;
  return Math.round((part / whole) * 100 * f) / f;
}

export function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}
