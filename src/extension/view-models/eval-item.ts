import type { EvalListing } from '../../core/eval/listing';
import type { EstimateView, EvalInfo, EvalReportView } from '../../protocol';
import type { EvalReport } from '../../core/eval/report';
import { runLabel } from './run-item';

/** What one row of the Evals view says, and its tooltip's lines. */
export interface EvalRowText {
  label: string;
  description: string;
  tooltip: string[];
}

/** "commits after 3f2a9c01de" or "samples of 2 runs": where the tasks come from, in a few words. */
export function evalSourceText(l: Pick<EvalListing, 'source'>): string {
  const s = l.source;
  if (s.kind === 'history') return s.since ? `commits after ${s.since.slice(0, 10)}` : 'commits';
  return s.runs.length === 1 ? `samples of run ${runLabel(s.runs[0])}` : `samples of ${s.runs.length} runs`;
}

/**
 * The eval's name, then tasks done, where its tasks come from and its models ("6/8 · commits ·
 * student, base"): progress first, as a narrow sidebar cuts the end of the line.
 */
export function evalRowText(l: EvalListing): EvalRowText {
  const models = l.models.map((m) => m.label).join(', ');
  const tooltip = [
    `**${l.evalId}** (${l.repository})${l.holder ? `, being written by process ${l.holder.pid} on ${l.holder.host}` : ''}`,
    `${l.tasks} tasks from ${evalSourceText(l)}; ${l.tasksDone} done by every model`,
    `${l.pairs.scored} of ${l.pairs.total} attempts scored${l.pairs.errors ? `, ${l.pairs.errors} failed (run again on resume)` : ''}`,
    `models: ${l.models.map((m) => (m.label === m.model ? m.label : `${m.label} (${m.model})`)).join(', ')}`,
    `resolved = submitted with recall ≥ ${l.threshold}`,
  ];
  return { label: runLabel(l.evalId), description: `${l.tasksDone}/${l.tasks} · ${evalSourceText(l)} · ${models}`, tooltip };
}

/** The eval run as the eval view's header shows it. */
export function evalInfo(l: EvalListing): EvalInfo {
  return {
    evalDir: l.evalDir,
    evalId: l.evalId,
    repository: l.repository,
    createdAt: l.createdAt,
    source: evalSourceText(l),
    writer: l.holder ? `process ${l.holder.pid} on ${l.holder.host}` : null,
    threshold: l.threshold,
  };
}

const finite = (n: number) => (Number.isFinite(n) ? n : null);
const estimate = (e: { mean: number; low: number; high: number; n: number }): EstimateView => ({ mean: finite(e.mean), low: finite(e.low), high: finite(e.high), n: e.n });

/** Core's report for the webview: the same numbers, with a mean over no tasks (NaN) as null since JSON has no NaN. */
export function reportView(r: EvalReport): EvalReportView {
  return {
    ...r,
    models: r.models.map((m) => ({ ...m, recall: estimate(m.recall), f1: estimate(m.f1), resolved: estimate(m.resolved) })),
    differences: r.differences.map((d) => ({ ...d, recall: estimate(d.recall), f1: estimate(d.f1), resolved: estimate(d.resolved) })),
  };
}
