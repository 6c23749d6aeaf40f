import { isAbsolute, join, normalize } from 'node:path';
import type { DecisionRecord, RolloutRecord, SampleRecord } from '../../core/store';
import type { RolloutSummary, SampleDetail, TrajectoryView } from '../../protocol';
import { buildPatchView } from './patch-view';
import { readTrajectoryView } from './trajectory-view';

/** A trajectory path from a record, kept inside the run directory whatever the record says. */
export function trajectoryFile(runDir: string, relative: string): string | null {
  if (!relative || isAbsolute(relative)) return null;
  const clean = normalize(relative);
  if (clean.startsWith('..')) return null;
  return join(runDir, clean);
}

function rolloutSummary(r: RolloutRecord | null): RolloutSummary | null {
  if (!r) return null;
  return { exit: { status: r.exit?.status ?? 'unknown', ...(r.exit?.reason ? { reason: r.exit.reason } : {}) }, steps: r.steps ?? 0, tokens: (r.usage?.promptTokens ?? 0) + (r.usage?.completionTokens ?? 0), ms: r.ms ?? 0 };
}

function trajectory(runDir: string, r: RolloutRecord | null, rollout: 1 | 2): TrajectoryView | null {
  if (!r) return null;
  const file = trajectoryFile(runDir, r.trajectory);
  if (!file) return { rollout, task: '', steps: [], tokens: { prompt: 0, completion: 0 }, ms: 0, exit: null, error: `Rollout ${rollout}: the record names no trajectory file inside the run.` };
  return readTrajectoryView(file, rollout);
}

/** Everything the detail pane shows of one sample: loaded only when the sample is opened. */
export function buildSampleDetail(runDir: string, record: SampleRecord, decision: DecisionRecord | undefined, canShowFiles: boolean): SampleDetail {
  const v = record.verification;
  const f = record.function;
  return {
    id: record.id,
    fn: { id: f.id, qualifiedName: f.qualifiedName, file: f.file, language: f.language, startLine: f.startLine, endLine: f.endLine },
    status: record.status,
    decision: decision?.decision ?? 'undecided',
    note: decision?.note ?? '',
    instruction: { area: record.instruction?.area ?? '', templateId: record.instruction?.templateId ?? '', text: record.instruction?.text ?? '' },
    pr: record.syntheticPr?.text ?? null,
    judge: record.judge ? { verdict: record.judge.verdict, raw: record.judge.raw } : null,
    failure: record.failure ? { stage: record.failure.stage, reason: record.failure.reason } : null,
    verification: v
      ? { recall: v.recall, precision: v.precision, f1: v.f1, matched: v.matched, p1Lines: v.p1Lines, p2Lines: v.p2Lines, threshold: v.threshold, passed: v.passed, matchMap: v.matchMap ?? { p1: [], p2: [] } }
      : null,
    p1: record.rollout1 ? buildPatchView(record.rollout1.patch ?? '') : null,
    p2: record.rollout2 ? buildPatchView(record.rollout2.patch ?? '') : null,
    rollouts: [rolloutSummary(record.rollout1), rolloutSummary(record.rollout2)],
    trajectories: [trajectory(runDir, record.rollout1, 1), trajectory(runDir, record.rollout2, 2)],
    tokens: (record.usage?.promptTokens ?? 0) + (record.usage?.completionTokens ?? 0),
    ms: record.ms ?? 0,
    canShowFiles: canShowFiles && !!record.rollout1,
  };
}
