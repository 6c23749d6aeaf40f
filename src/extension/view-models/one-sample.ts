/**
 * "Generate one sample" adds to one run per day (and per base commit, since a run's samples all
 * start from one commit), instead of making a one-sample run each time.
 */

/** The day's run for one-sample generations: `one-sample-2026-12-02`, or with the commit when the day's first run has another base. */
export function oneSampleRunName(now: Date, headCommit: string, dayRunBase: string | null): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const day = `one-sample-${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  return dayRunBase === null || dayRunBase === headCommit ? day : `${day}-${headCommit.slice(0, 8)}`;
}

export interface OneSampleResult {
  status: 'verified' | 'below-threshold' | 'failed';
  recall: number | null;
  tokens: number;
  failure: string | null;
}

/** The sentence that reports a finished one-sample generation. */
export function oneSampleMessage(fn: string, r: OneSampleResult, run: string, samplesInRun: number): string {
  const outcome =
    r.status === 'failed'
      ? `failed${r.failure ? ` (${r.failure})` : ''}`
      : `${r.status === 'verified' ? 'verified' : 'below the threshold'}, recall ${r.recall === null ? '–' : r.recall.toFixed(2)}`;
  const tokens = r.tokens >= 1000 ? `${Math.round(r.tokens / 1000).toLocaleString('en-US')}k` : String(r.tokens);
  return `Repo Specializer: the sample on ${fn} is ${outcome}; ${tokens} tokens. It is in run ${run} (${samplesInRun} sample${samplesInRun === 1 ? '' : 's'}).`;
}
