import { DEFAULTS as EXPORT_DEFAULTS } from '../../core/dataset/options';
import type { SampleStatus } from '../../core/store/records';

/** What one row of the Runs view says: short enough that a narrow sidebar shows all of it. */
export interface RunRowText {
  label: string;
  description: string;
}

/** Finished samples by status. A too-large sample is not a failure: it was stopped on purpose, to save its PR and rollout 2. */
export interface StatusCounts {
  verified: number;
  below: number;
  failed: number;
  tooLarge: number;
}

export interface RunCounts extends StatusCounts {
  done: number;
  total: number;
}

export function countStatuses(samples: readonly { status: SampleStatus }[]): StatusCounts {
  const c: StatusCounts = { verified: 0, below: 0, failed: 0, tooLarge: 0 };
  for (const s of samples) {
    if (s.status === 'verified') c.verified++;
    else if (s.status === 'below-threshold') c.below++;
    else if (s.status === 'too-large') c.tooLarge++;
    else c.failed++;
  }
  return c;
}

/** "2026-12-02_01-09-53" (the default run id) reads as "Dec 2, 01:09"; other names stay as they are. */
export function runLabel(runId: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})_(\d{2})-(\d{2})-\d{2}$/.exec(runId);
  if (!m) return runId;
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][Number(m[2]) - 1];
  return `${month} ${Number(m[3])}, ${m[4]}:${m[5]}`;
}

/**
 * The run's name, then its counts ("8/8 ✓5 ~1 ✗1 ▲1"): done of planned, then verified, below
 * threshold, failed and, when there are any, P1 too large. Whether it is running shows in the
 * icon; the full words are in the tooltip.
 */
export function runRowText(runId: string, c: RunCounts): RunRowText {
  return { label: runLabel(runId), description: `${c.done}/${c.total} ✓${c.verified} ~${c.below} ✗${c.failed}${c.tooLarge ? ` ▲${c.tooLarge}` : ''}` };
}

/** "5 verified, 1 below threshold, 1 failed, 1 P1 too large": the words every summary of a run's statuses uses. */
export function statusPhrase(c: StatusCounts, marks = false): string {
  const m = (mark: string) => (marks ? `${mark} ` : '');
  const parts = [`${m('✓')}${c.verified} verified`, `${m('~')}${c.below} below threshold`, `${m('✗')}${c.failed} failed`];
  if (c.tooLarge) parts.push(`${m('▲')}${c.tooLarge} P1 too large`);
  return parts.join(', ');
}

/**
 * Why samples are "P1 too large", in words a user who never set the option understands, with
 * the setting and CLI option that change it. `maxP1Lines` 0 (no limit, or a run older than the
 * limit) leaves the number out.
 */
export function tooLargeExplanation(count: number, maxP1Lines: number): string {
  const limit = maxP1Lines > 0 ? `more than ${maxP1Lines} lines` : 'more lines than the run allowed';
  const what = count === 1 ? 'the sample stopped there; its PR and second rollout were' : 'those samples stopped there; their PRs and second rollouts were';
  // only a limit at or above export's own filter means export would have dropped them in any case
  const exportCap = EXPORT_DEFAULTS.maxPatchLines;
  const why = maxP1Lines >= exportCap ? `, since export's default filter (at most ${exportCap} changed lines) would leave them out anyway` : '';
  return `▲ P1 too large: rollout 1 changed ${limit}, so ${what} not paid for${why}. The limit is the setting \`repoSpecializer.generation.maxP1Lines\` (CLI \`--max-p1-lines\`; 0 for no limit).`;
}

/** The markdown lines of a Runs view tooltip that tell the counts (and, when there are any, why samples are too large). */
export function runTooltipCounts(c: RunCounts, pending: number, maxP1Lines: number): string[] {
  const lines = [`${c.done} of ${c.total} samples done: ${statusPhrase(c, true)}, ${pending} pending`];
  if (c.tooLarge) lines.push(tooLargeExplanation(c.tooLarge, maxP1Lines));
  return lines;
}

/** The status bar while runs go on: its text (codicons) and its tooltip, over every run's progress. */
export function statusBarText(progress: readonly (RunCounts | undefined)[]): { text: string; tooltip: string } {
  const sum = (f: keyof RunCounts) => progress.reduce((n, p) => n + (p?.[f] ?? 0), 0);
  const c: RunCounts = { done: sum('done'), total: sum('total'), verified: sum('verified'), below: sum('below'), failed: sum('failed'), tooLarge: sum('tooLarge') };
  const n = progress.length;
  const text = `$(sync~spin) Samples ${c.done}/${c.total} $(pass) ${c.verified} $(circle-slash) ${c.below} $(error) ${c.failed}${c.tooLarge ? ` $(triangle-up) ${c.tooLarge}` : ''}`;
  const why = c.tooLarge ? ' P1 too large: stopped after rollout 1, with no PR or second rollout paid for, because P1 changed more lines than generation.maxP1Lines allows.' : '';
  const tooltip = `Repo Specializer: ${n} run${n === 1 ? '' : 's'} going on: ${c.done} of ${c.total} samples done, ${statusPhrase(c)}.${why} Click to open the curation panel.`;
  return { text, tooltip };
}
