import type { Command } from 'commander';
import { join, resolve } from 'node:path';
import { compareTask, EVAL_FILES, EvalError, evalReport, recallPlot, type Estimate, type EvalReport, type TaskComparison } from '../../core/eval';
import { RunDirError, writeFileAtomically } from '../../core/store';
import { CliError } from '../errors';
import { requireFolder } from '../options';
import { integer } from '../run-helpers';

const num = (n: number, signed = false) => (Number.isFinite(n) ? `${signed && n >= 0 ? '+' : ''}${n.toFixed(2)}` : '–');
const pct = (n: number, signed = false) => (Number.isFinite(n) ? `${signed && n >= 0 ? '+' : ''}${Math.round(n * 100)}%` : '–');
const interval = (e: Estimate, f: (n: number, signed?: boolean) => string, signed = false) => (e.n ? `${f(e.mean, signed)} [${f(e.low, signed)}, ${f(e.high, signed)}]` : '–');

function table(rows: string[][], leftLast = false): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 || (leftLast && c === r.length - 1) ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd()).join('\n');
}

export function formatReport(r: EvalReport, plotPath: string | null): string {
  const s = r.source;
  const from = s.kind === 'history' ? `commits of the repository (${s.commitsConsidered} looked at)` : `held-out run samples (${s.heldOutFunctions} functions held out of training, fraction ${s.splitFraction})`;
  const out: string[] = [`Eval ${r.evalId}: ${s.tasks} tasks from ${from}; resolved = submitted with recall >= ${r.threshold}.`, ''];
  out.push(
    table([
      ['model', 'tasks', 'recall (95% CI)', 'F1 (95% CI)', 'resolved (95% CI)', 'submitted', 'tokens/task', 'steps/task', 'errors', 'pending'],
      ...r.models.map((m) => [m.label, String(m.tasks), interval(m.recall, num), interval(m.f1, num), interval(m.resolved, pct), pct(m.submitRate), m.tokensPerTask.toLocaleString('en-US'), String(m.stepsPerTask), String(m.errors), String(m.pending)]),
    ]),
  );
  if (r.differences.length) {
    out.push('', 'Paired differences on the tasks both models have a score on (first minus second):');
    out.push(table([['models', 'tasks', 'recall (95% CI)', 'F1 (95% CI)', 'resolved (95% CI)'], ...r.differences.map((d) => [`${d.a} - ${d.b}`, String(d.tasks), interval(d.recall, num, true), interval(d.f1, num, true), interval(d.resolved, pct, true)])]));
  }
  const labels = r.models.map((m) => m.label);
  out.push('', 'Per task (recall; * resolved, ! error, . not run yet):');
  out.push(
    table([
      ['task', 'lines', ...labels, 'title'],
      ...r.tasks.map((t) => [
        t.id,
        String(t.referenceLines),
        ...labels.map((l) => {
          const x = t.results[l];
          if (!x) return '.';
          if ('error' in x) return '!';
          return `${x.recall.toFixed(2)}${x.resolved ? '*' : ' '}`;
        }),
        t.title.length > 60 ? `${t.title.slice(0, 57)}...` : t.title,
      ]),
    ], true),
  );
  if (s.skipped && Object.keys(s.skipped).length) out.push('', `Commits left out: ${Object.entries(s.skipped).map(([k, n]) => `${n} ${k}`).join(', ')}.`);
  out.push('', `Intervals: percentile bootstrap over tasks, ${r.bootstrap.resamples} resamples, seed ${r.bootstrap.seed}.`);
  if (plotPath) out.push(`Plot of the recall distributions: ${plotPath}`);
  return out.join('\n') + '\n';
}

/** A task's reference and each model's patch, marked as the metric matched them. */
export function formatComparison(c: TaskComparison): string {
  const out: string[] = [`Task ${c.taskId}:`, ...c.statement.split('\n').map((l) => `  ${l}`)];
  const line = (l: { file: string; sign: string; text: string }, mark: string) => `  ${mark} ${l.sign}${l.text}    (${l.file})`;
  for (const m of c.models) {
    out.push('', `${m.label}: ${m.error ? m.error : `recall ${m.recall?.toFixed(2)}, ${m.submitted ? 'submitted' : 'not submitted'}${m.resolved ? ', resolved' : ''}`}`);
    out.push(' reference lines (= reproduced, x missed):', ...m.reference.map((l) => line(l, l.matched ? '=' : 'x')));
    const extra = m.patch.filter((l) => !l.matched);
    out.push(` lines of the model's patch not in the reference: ${extra.length}`, ...extra.map((l) => line(l, '+')));
  }
  return out.join('\n') + '\n';
}

export function registerEvalReport(program: Command): void {
  program
    .command('eval-report')
    .description('Compare the models of an eval run: mean recall and F1 with 95% bootstrap intervals, resolved and submit rates, tokens per task, paired differences, a per-task table and a plot.')
    .argument('<eval-dir>', 'the folder `specialize eval` wrote')
    .option('--json', 'print the report as JSON')
    .option('--compare <a,b>', 'the two models whose paired difference to show (default: the first against each other one)')
    .option('--threshold <r>', "recall that counts as resolved (default: the eval run's own)", (v) => Number(v))
    .option('--seed <seed>', 'seed of the bootstrap (the same seed gives the same intervals)', '0')
    .option('--resamples <n>', 'bootstrap resamples', integer('--resamples'), 10_000)
    .option('--plot <file>', `where to write the SVG plot (default: EVAL_DIR/${EVAL_FILES.plot})`)
    .option('--no-plot', 'write no plot')
    .option('--task <id>', "instead of the report: that task's reference next to each model's patch, line by line")
    .option('--model <label>', 'with --task: only this model')
    .action((dir: string, opts: { json?: boolean; compare?: string; threshold?: number; seed: string; resamples: number; plot: string | boolean; task?: string; model?: string }) => {
      requireFolder(dir, 'an eval run (the folder `specialize eval` wrote, by default REPO/.specializer/evals/<id>)');
      if (opts.task) {
        try {
          const c = compareTask(resolve(dir), opts.task, opts.model);
          process.stdout.write(opts.json ? JSON.stringify(c, null, 2) + '\n' : formatComparison(c));
          return;
        } catch (error) {
          if (error instanceof EvalError || error instanceof RunDirError) throw new CliError(error.message);
          throw error;
        }
      }
      let compare: [string, string] | undefined;
      if (opts.compare) {
        const parts = opts.compare.split(',').map((p) => p.trim());
        if (parts.length !== 2 || !parts[0] || !parts[1]) throw new CliError(`--compare wants two model labels as A,B; got "${opts.compare}".`);
        compare = [parts[0], parts[1]];
      }
      if (opts.resamples < 100) throw new CliError(`--resamples must be at least 100 for a usable interval; got ${opts.resamples}.`);
      let report: EvalReport;
      try {
        report = evalReport(resolve(dir), { seed: opts.seed, resamples: opts.resamples, threshold: opts.threshold, compare });
      } catch (error) {
        if (error instanceof EvalError || error instanceof RunDirError) throw new CliError(error.message);
        throw error;
      }
      const plotPath = opts.plot === false ? null : resolve(typeof opts.plot === 'string' ? opts.plot : join(dir, EVAL_FILES.plot));
      if (plotPath) {
        try {
          writeFileAtomically(plotPath, recallPlot(report));
        } catch (error) {
          throw new CliError(`Cannot write the plot to ${plotPath} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); give --plot a writable file, or --no-plot.`);
        }
      }
      process.stdout.write(opts.json ? JSON.stringify({ ...report, plot: plotPath }, null, 2) + '\n' : formatReport(report, plotPath));
    });
}
