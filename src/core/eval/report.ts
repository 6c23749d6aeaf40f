import { bootstrapMean, type Estimate } from './bootstrap';
import { pairKey, readEvalState } from './eval-dir';
import { EvalError } from './errors';
import type { EvalResult, EvalTask } from './types';

export interface ReportOptions {
  /** Seed of the bootstrap; the same seed gives the same intervals. Default '0'. */
  seed?: string;
  resamples?: number;
  /** Resolve threshold to apply instead of the run's own. */
  threshold?: number;
  /** The two models whose paired difference is wanted; default the first model against each other one. */
  compare?: [string, string];
}

export interface ModelSummary {
  label: string;
  model: string;
  /** Tasks with a score (errors and pairs not run yet are left out). */
  tasks: number;
  errors: number;
  pending: number;
  recall: Estimate;
  f1: Estimate;
  resolved: Estimate;
  submitRate: number;
  tokensPerTask: number;
  stepsPerTask: number;
  secondsPerTask: number;
}

/** A minus B over the tasks both have a score on; resampling tasks keeps each pair together. */
export interface PairedDifference {
  a: string;
  b: string;
  tasks: number;
  recall: Estimate;
  f1: Estimate;
  resolved: Estimate;
}

export interface TaskRow {
  id: string;
  kind: 'run' | 'commit';
  /** The start function (run tasks) or the commit's subject line. */
  title: string;
  referenceLines: number;
  results: Record<string, { recall: number; f1: number; resolved: boolean; submitted: boolean } | { error: string } | null>;
}

export interface EvalReport {
  evalId: string;
  source: { kind: 'runs' | 'history'; tasks: number; heldOutFunctions: number | null; splitFraction: number | null; commitsConsidered: number | null; skipped: Record<string, number> | null };
  threshold: number;
  bootstrap: { seed: string; resamples: number; level: number };
  models: ModelSummary[];
  differences: PairedDifference[];
  tasks: TaskRow[];
}

/** Reads an eval run (finished or not) and summarises it; nothing is written. */
export function evalReport(dir: string, o: ReportOptions = {}): EvalReport {
  const state = readEvalState(dir);
  const { manifest, tasks } = state;
  const threshold = o.threshold ?? manifest.settings.threshold;
  if (!(threshold >= 0 && threshold <= 1)) throw new EvalError(`The resolve threshold must be a recall between 0 and 1; got ${threshold}.`);
  const seed = o.seed ?? '0';
  const resamples = o.resamples ?? 10_000;
  const labels = manifest.models.map((m) => m.label);
  for (const label of o.compare ?? []) if (!labels.includes(label)) throw new EvalError(`There is no model "${label}" in this eval (it has ${labels.join(', ')}); name two of those with --compare A,B.`);
  // Resolved under the threshold asked for, which may differ from the run's.
  const scored = (task: EvalTask, label: string): EvalResult | null => {
    const r = state.results.get(pairKey(task.id, label));
    return r && !r.error && r.score ? r : null;
  };
  const resolved = (r: EvalResult) => r.submitted && r.score!.recall >= threshold;
  const boot = (values: number[], what: string) => bootstrapMean(values, { seed: `${seed}:${what}`, resamples });

  const models: ModelSummary[] = manifest.models.map((m) => {
    const rs = tasks.map((t) => scored(t, m.label)).filter((r): r is EvalResult => r !== null);
    const all = tasks.map((t) => state.results.get(pairKey(t.id, m.label)));
    const n = rs.length || 1;
    return {
      label: m.label,
      model: m.model,
      tasks: rs.length,
      errors: all.filter((r) => r?.error).length,
      pending: all.filter((r) => !r).length,
      recall: boot(rs.map((r) => r.score!.recall), `${m.label}:recall`),
      f1: boot(rs.map((r) => r.score!.f1), `${m.label}:f1`),
      resolved: boot(rs.map((r) => (resolved(r) ? 1 : 0)), `${m.label}:resolved`),
      submitRate: rs.filter((r) => r.submitted).length / n,
      tokensPerTask: Math.round(rs.reduce((s, r) => s + r.usage.promptTokens + r.usage.completionTokens, 0) / n),
      stepsPerTask: Math.round((rs.reduce((s, r) => s + r.steps, 0) / n) * 10) / 10,
      secondsPerTask: Math.round(rs.reduce((s, r) => s + r.ms, 0) / n / 100) / 10,
    };
  });

  const pairs: [string, string][] = o.compare ? [o.compare] : labels.slice(1).map((b) => [labels[0], b]);
  const differences = pairs.map(([a, b]) => {
    const both = tasks.map((t) => [scored(t, a), scored(t, b)] as const).filter((p): p is readonly [EvalResult, EvalResult] => p[0] !== null && p[1] !== null);
    const diff = (f: (r: EvalResult) => number, what: string) => boot(both.map(([x, y]) => f(x) - f(y)), `${a}-${b}:${what}`);
    return {
      a,
      b,
      tasks: both.length,
      recall: diff((r) => r.score!.recall, 'recall'),
      f1: diff((r) => r.score!.f1, 'f1'),
      resolved: diff((r) => (resolved(r) ? 1 : 0), 'resolved'),
    };
  });

  const rows: TaskRow[] = tasks.map((t) => ({
    id: t.id,
    kind: t.origin.kind,
    title: t.origin.kind === 'run' ? `${t.origin.function.file}: ${t.origin.function.qualifiedName}` : t.origin.subject,
    referenceLines: t.referenceLines,
    results: Object.fromEntries(
      labels.map((label) => {
        const r = state.results.get(pairKey(t.id, label));
        if (!r) return [label, null];
        if (r.error || !r.score) return [label, { error: r.error ?? 'no score' }];
        return [label, { recall: r.score.recall, f1: r.score.f1, resolved: resolved(r), submitted: r.submitted }];
      }),
    ),
  }));

  const s = manifest.source;
  return {
    evalId: manifest.evalId,
    source: {
      kind: s.kind,
      tasks: tasks.length,
      heldOutFunctions: s.split ? s.split.heldOut.length : null,
      splitFraction: s.split ? s.split.fraction : null,
      commitsConsidered: s.history ? s.history.considered : null,
      skipped: s.history ? s.history.skipped : null,
    },
    threshold,
    bootstrap: { seed, resamples, level: 0.95 },
    models,
    differences,
    tasks: rows,
  };
}
