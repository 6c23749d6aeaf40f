import type { RunProgress, RunSummary } from '../../core/generation';
import type { RunSummaryView } from '../../core/store';
import { formatDuration, plural, thousands } from '../format';
import { progressBar, type ProgressBar } from '../run-helpers';

/** What `generate` shows on stderr while it runs: a progress bar on a terminal, one line per sample otherwise. */
export class GenerateDisplay {
  readonly bar: ProgressBar<RunProgress> = progressBar(' {bar} {value}/{total} samples | verified {verified} below {below} failed {failed} | {tokens} tok', (p: RunProgress) => ({
    verified: p.verified,
    below: p.below,
    failed: p.failed,
    tokens: thousands(p.tokens),
  }));

  constructor(private readonly stream: NodeJS.WriteStream) {}

  event(kind: string, data: Record<string, unknown>): void {
    if (kind === 'started' || kind === 'resumed') {
      const planned = plural(Number(data.samples), 'sample');
      const why = typeof data.shortfall === 'string' && data.shortfall ? ` (${data.shortfall})` : '';
      this.stream.write(`${kind === 'started' ? 'Run' : 'Resuming'} ${String(data.runDir)}: ${planned} planned${why}\n`);
      for (const line of (data.notes as string[] | undefined) ?? []) this.stream.write(`  ${line}\n`);
    } else if (!this.bar.live && kind === 'sample') {
      this.stream.write(`sample ${String(data.id)} ${String(data.function)}: ${String(data.status)}${data.failure ? ` (${String(data.failure)})` : ''}\n`);
    }
  }
}

export interface Budgets {
  maxTotalTokens?: number;
  maxMinutes?: number;
}

/** The closing lines on stdout: where the run is, what came out, why it stopped and what to do next. */
export function summaryLines(summary: RunSummary, view: RunSummaryView, budgets: Budgets): string[] {
  const p = summary.progress;
  const dir = shellWord(summary.runDir);
  const lines = [
    `Run directory: ${summary.runDir}`,
    `${thousands(p.done)}/${plural(p.total, 'sample')} done: ${thousands(p.verified)} verified, ${thousands(p.below)} below threshold, ${thousands(p.failed)} failed; ${plural(p.tokens, 'token')}; ${formatDuration(p.elapsedMs)}.`,
  ];
  const j = view.judge;
  if (j.yes + j.no + j.unclear > 0) lines.push(`Judge: ${thousands(j.yes)} yes, ${thousands(j.no)} no, ${thousands(j.unclear)} unclear.`);
  const left = p.total - p.done;
  if (summary.stoppedBy === 'cancelled') {
    lines.push(`Stopped by Ctrl+C with ${plural(left, 'sample')} left; run the same command with --out ${dir} to resume.`);
  } else if (summary.stoppedBy === 'token-budget') {
    lines.push(
      `Stopped: the token budget (--max-total-tokens ${thousands(budgets.maxTotalTokens ?? 0)}) is spent, with ${plural(left, 'sample')} left. The budget counts the run's tokens so far, so resume with --out ${dir} and a larger --max-total-tokens, or without it.`,
    );
  } else if (summary.stoppedBy === 'time-budget') {
    lines.push(`Stopped: --max-minutes ${budgets.maxMinutes ?? '?'} ran out, with ${plural(left, 'sample')} left. Each start gets the full time again: resume with --out ${dir}, and raise or drop --max-minutes to finish in one go.`);
  } else if (p.done > 0 && p.verified + p.below === 0) {
    const reason = commonestFailure(view);
    lines.push(`Every sample failed${reason ? `, most often with "${reason.text}" (${reason.count} of ${p.failed})` : ''}; nothing can be exported. See specialize runs ${dir} for each failure.`);
  }
  if (p.verified + p.below > 0) {
    lines.push(`Next: specialize runs ${dir} to look at the samples, specialize export ${dir} --out DATASET to write the dataset, or curate them in VS Code (Repo Specializer: Open Curation Panel).`);
  }
  return lines;
}

function commonestFailure(view: RunSummaryView): { text: string; count: number } | undefined {
  const counts = new Map<string, number>();
  for (const s of view.samples) if (s.failure) counts.set(s.failure.slice(0, 160), (counts.get(s.failure.slice(0, 160)) ?? 0) + 1);
  const [text, count] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? [];
  return text === undefined ? undefined : { text, count: count! };
}

/** A path as one shell word, so the printed commands can be pasted. */
export function shellWord(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}
