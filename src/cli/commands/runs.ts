import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { defaultRunsFolder } from '../../core/generation';
import { isRunDir, RunDirError, runHolder, summarizeRun, type RunSummaryView } from '../../core/store';
import { CliError } from '../errors';
import { requireFolder } from '../options';
import { plural, thousands } from '../format';

export function registerRuns(program: Command): void {
  program
    .command('runs')
    .description("Show a run (counts by status, a recall histogram, tokens and time), or list a repository's runs.")
    .argument('[path]', 'a run directory, a repository (lists REPO/.specializer/runs) or a folder of runs', '.')
    .option('--json', 'print one JSON object')
    .action((path: string, opts: { json?: boolean }) => {
      requireFolder(path, 'a run directory or a repository');
      if (!isRunDir(path)) return listRuns(path, Boolean(opts.json));
      const view = summarize(path);
      if (opts.json) {
        const { counts, samples, recallHistogram, tokens, failuresByStage, judge } = view;
        process.stdout.write(JSON.stringify({ counts, recallHistogram, tokens, failuresByStage, judge, samples }) + '\n');
        return;
      }
      process.stdout.write(formatRun(view));
    });
}

function summarize(dir: string): RunSummaryView {
  try {
    return summarizeRun(dir);
  } catch (error) {
    if (error instanceof RunDirError) throw new CliError(error.message);
    throw error;
  }
}

/** The run directories in a repository's runs folder, or directly in `path` when it is a runs folder itself. */
function findRuns(path: string): { folder: string; dirs: string[] } {
  const root = resolve(path);
  for (const folder of [defaultRunsFolder(root), root]) {
    let names: string[];
    try {
      names = readdirSync(folder);
    } catch {
      continue;
    }
    const dirs = names.sort().map((n) => join(folder, n)).filter((d) => isRunDir(d));
    if (dirs.length) return { folder, dirs };
  }
  return { folder: defaultRunsFolder(root), dirs: [] };
}

function listRuns(path: string, json: boolean): void {
  const { folder, dirs } = findRuns(path);
  if (!dirs.length) {
    const start = ['specialize generate', ...(path === '.' ? [] : [path]), '--samples 10'].join(' ');
    throw new CliError(`${resolve(path)} is not a run directory and has no runs (looked in ${folder}); start one with ${start}.`);
  }
  const views = dirs.map((dir) => ({ dir, view: summarize(dir), holder: runHolder(dir) }));
  if (json) {
    process.stdout.write(JSON.stringify({ folder, runs: views.map(({ dir, view, holder }) => ({ runDir: dir, runId: view.runId, model: view.model, running: holder !== null, counts: view.counts, tokens: view.tokens, judge: view.judge })) }) + '\n');
    return;
  }
  const rows = views.map(({ view: v, holder }) => [
    v.runId,
    v.model || '?',
    thousands(v.counts.planned),
    thousands(v.counts.verified),
    thousands(v.counts.belowThreshold),
    thousands(v.counts.failed),
    thousands(v.counts.pending),
    thousands(v.tokens.prompt + v.tokens.completion),
    holder ? `running (pid ${holder.pid})` : v.counts.pending ? 'stopped' : 'done',
  ]);
  const header = ['run', 'teacher', 'planned', 'verified', 'below', 'failed', 'pending', 'tokens', 'state'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => '  ' + cells.map((c, i) => (i >= 2 && i <= 7 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  process.stdout.write([`${plural(dirs.length, 'run')} in ${folder}:`, line(header), ...rows.map(line), '', `Details of one: specialize runs ${join(folder, '<run>')}`].join('\n') + '\n');
}

export function formatRun(v: RunSummaryView): string {
  const c = v.counts;
  const max = Math.max(1, ...v.recallHistogram);
  const lines = [
    `Run ${v.runId} (teacher ${v.model}, base ${v.baseCommit.slice(0, 12)}, threshold ${v.threshold})`,
    `  planned ${thousands(c.planned)}  verified ${thousands(c.verified)}  below threshold ${thousands(c.belowThreshold)}  failed ${thousands(c.failed)}  pending ${thousands(c.pending)}`,
    `  accepted ${thousands(c.accepted)}  rejected ${thousands(c.rejected)}`,
  ];
  const j = v.judge;
  if (j.yes + j.no + j.unclear > 0) lines.push(`  judge: ${thousands(j.yes)} yes, ${thousands(j.no)} no, ${thousands(j.unclear)} unclear`);
  lines.push(
    `  tokens ${thousands(v.tokens.prompt + v.tokens.completion)} (prompt ${thousands(v.tokens.prompt)}, completion ${thousands(v.tokens.completion)}); sample time ${(v.sampleMs / 60000).toFixed(1)} min`,
    '',
    '  recall',
  );
  v.recallHistogram.forEach((n, i) => {
    const label = i === 9 ? '0.9-1.0' : `${(i / 10).toFixed(1)}-${((i + 1) / 10).toFixed(1)}`;
    lines.push(`  ${label.padEnd(8)} ${'#'.repeat(Math.round((n / max) * 40)).padEnd(40)} ${n}`);
  });
  const stages = Object.entries(v.failuresByStage);
  if (stages.length) lines.push('', '  failures by stage: ' + stages.map(([s, n]) => `${s} ${n}`).join(', '));
  return lines.join('\n') + '\n';
}
