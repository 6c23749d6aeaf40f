import { readDecisions, readRunState } from './run-dir';
import type { SampleRecord, SampleStatus } from './records';

export interface RunSummaryView {
  runId: string;
  model: string;
  baseCommit: string;
  threshold: number;
  counts: { planned: number; pending: number; verified: number; belowThreshold: number; failed: number; accepted: number; rejected: number };
  /** Ten bins of recall: [0,0.1), [0.1,0.2) ... [0.9,1.0]. */
  recallHistogram: number[];
  failuresByStage: Record<string, number>;
  /** Verdicts of the judge (--judge) on the samples that reached it. */
  judge: { yes: number; no: number; unclear: number };
  tokens: { prompt: number; completion: number };
  sampleMs: number;
  samples: { id: string; function: { file: string; qualifiedName: string }; status: SampleStatus; recall: number | null; failure: string | null }[];
}

export function recallBin(recall: number): number {
  return Math.min(9, Math.floor(recall * 10));
}

/** Counts, histogram and totals of a run directory, as the CLI, the Runs view and the panel show them. */
export function summarizeRun(dir: string): RunSummaryView {
  const state = readRunState(dir);
  const decisions = readDecisions(dir);
  const histogram = new Array<number>(10).fill(0);
  const failuresByStage: Record<string, number> = {};
  const counts = { planned: state.plan.length, pending: 0, verified: 0, belowThreshold: 0, failed: 0, accepted: 0, rejected: 0 };
  const tokens = { prompt: 0, completion: 0 };
  const judge = { yes: 0, no: 0, unclear: 0 };
  let sampleMs = 0;
  const samples: RunSummaryView['samples'] = [];
  const records: SampleRecord[] = [...state.finished.values()];
  for (const r of records) {
    if (r.status === 'verified') counts.verified++;
    else if (r.status === 'below-threshold') counts.belowThreshold++;
    else {
      counts.failed++;
      if (r.failure) failuresByStage[r.failure.stage] = (failuresByStage[r.failure.stage] ?? 0) + 1;
    }
    if (r.judge) judge[r.judge.verdict]++;
    const recall = r.verification?.recall ?? null;
    if (recall !== null) histogram[recallBin(recall)]++;
    tokens.prompt += r.usage.promptTokens;
    tokens.completion += r.usage.completionTokens;
    sampleMs += r.ms;
    const decision = decisions.get(r.id)?.decision;
    if (decision === 'accepted') counts.accepted++;
    if (decision === 'rejected') counts.rejected++;
    samples.push({ id: r.id, function: { file: r.function.file, qualifiedName: r.function.qualifiedName }, status: r.status, recall, failure: r.failure ? `${r.failure.stage}: ${r.failure.reason}` : null });
  }
  counts.pending = state.plan.filter((p) => !state.finished.has(p.id)).length;
  return {
    runId: state.manifest.runId,
    model: state.manifest.settings.teacher.model,
    baseCommit: state.manifest.repository.baseCommit,
    threshold: state.manifest.settings.threshold,
    counts,
    recallHistogram: histogram,
    failuresByStage,
    judge,
    tokens,
    sampleMs,
    samples,
  };
}
