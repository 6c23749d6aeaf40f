/** Tail-aware summary of latency samples: the median alone hides the slow rollouts a run waits on. */
export interface Percentiles {
  runs: number;
  p50: number;
  p95: number;
  mean: number;
  min: number;
  max: number;
}

/** Nearest-rank percentile (q in 0..1) of unsorted values; no interpolation, so it is always a measured value. */
export function percentile(values: number[], q: number): number {
  if (!values.length) throw new Error('percentile of no values');
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** p50, p95, mean, min and max, rounded to `decimals`. */
export function percentiles(values: number[], decimals = 2): Percentiles {
  if (!values.length) throw new Error('percentiles of no values');
  const f = 10 ** decimals;
  const r = (x: number) => Math.round(x * f) / f;
  return {
    runs: values.length,
    p50: r(percentile(values, 0.5)),
    p95: r(percentile(values, 0.95)),
    mean: r(values.reduce((a, b) => a + b, 0) / values.length),
    min: r(Math.min(...values)),
    max: r(Math.max(...values)),
  };
}

/** Named series of samples collected over a benchmark, summarised at the end. */
export class SampleSets {
  private readonly sets = new Map<string, number[]>();

  push(name: string, value: number): void {
    const list = this.sets.get(name);
    if (list) list.push(value);
    else this.sets.set(name, [value]);
  }

  /** Percentiles of one series; throws when nothing was pushed under that name. */
  summary(name: string): Percentiles {
    const list = this.sets.get(name);
    if (!list?.length) throw new Error(`no samples named ${name}`);
    return percentiles(list);
  }
}
