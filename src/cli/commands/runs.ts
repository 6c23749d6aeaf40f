import type { Command } from 'commander';
import { RunDirError, summarizeRun, type RunSummaryView } from '../../core/store';
import { CliError } from '../errors';

export function registerRuns(program: Command): void {
  program
    .command('runs')
    .description('Show a run: counts by status, a recall histogram, tokens and time.')
    .argument('<run-dir>', 'run directory')
    .option('--json', 'print one JSON object')
    .action((dir: string, opts: { json?: boolean }) => {
      let view: RunSummaryView;
      try {
        view = summarizeRun(dir);
      } catch (error) {
        if (error instanceof RunDirError) throw new CliError(error.message);
        throw error;
      }
      if (opts.json) {
        const { counts, samples, recallHistogram, tokens, failuresByStage } = view;
        process.stdout.write(JSON.stringify({ counts, recallHistogram, tokens, failuresByStage, samples }) + '\n');
        return;
      }
      process.stdout.write(formatRun(view));
    });
}

export function formatRun(v: RunSummaryView): string {
  const c = v.counts;
  const max = Math.max(1, ...v.recallHistogram);
  const lines = [
    `Run ${v.runId} (teacher ${v.model}, base ${v.baseCommit.slice(0, 12)}, threshold ${v.threshold})`,
    `  planned ${c.planned}  verified ${c.verified}  below threshold ${c.belowThreshold}  failed ${c.failed}  pending ${c.pending}`,
    `  accepted ${c.accepted}  rejected ${c.rejected}`,
    `  tokens ${v.tokens.prompt + v.tokens.completion} (prompt ${v.tokens.prompt}, completion ${v.tokens.completion}); sample time ${(v.sampleMs / 60000).toFixed(1)} min`,
    '',
    '  recall',
  ];
  v.recallHistogram.forEach((n, i) => {
    const label = i === 9 ? '0.9-1.0' : `${(i / 10).toFixed(1)}-${((i + 1) / 10).toFixed(1)}`;
    lines.push(`  ${label.padEnd(8)} ${'#'.repeat(Math.round((n / max) * 40)).padEnd(40)} ${n}`);
  });
  const stages = Object.entries(v.failuresByStage);
  if (stages.length) lines.push('', '  failures by stage: ' + stages.map(([s, n]) => `${s} ${n}`).join(', '));
  return lines.join('\n') + '\n';
}
