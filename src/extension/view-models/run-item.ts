/** What one row of the Runs view says: short enough that a narrow sidebar shows all of it. */
export interface RunRowText {
  label: string;
  description: string;
}

export interface RunCounts {
  done: number;
  total: number;
  verified: number;
  below: number;
  failed: number;
}

/** "2026-12-02_01-09-53" (the default run id) reads as "Dec 2, 01:09"; other names stay as they are. */
export function runLabel(runId: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})_(\d{2})-(\d{2})-\d{2}$/.exec(runId);
  if (!m) return runId;
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][Number(m[2]) - 1];
  return `${month} ${Number(m[3])}, ${m[4]}:${m[5]}`;
}

/**
 * The run's name, then its counts ("8/8 ✓6 ~1 ✗1"): done of planned, then verified, below
 * threshold and failed. Whether it is running shows in the icon; the full words are in the tooltip.
 */
export function runRowText(runId: string, c: RunCounts): RunRowText {
  return { label: runLabel(runId), description: `${c.done}/${c.total} ✓${c.verified} ~${c.below} ✗${c.failed}` };
}
