import type { EvalReport } from '../../core/eval/report';
import { pairKey, type EvalState } from '../../core/eval/eval-dir';
import { scoreOverlap } from '../../core/verify';
import type { EvalTaskDetail } from '../../protocol';
import { trajectoryFile } from './detail';
import { buildPatchView } from './patch-view';
import { readTrajectoryView } from './trajectory-view';

/**
 * One task with one model's attempt, for the eval view's patch pane: the reference on the left
 * and the model's final patch on the right, with the line match map of the same metric that
 * scored it (src/core/verify), so the pane marks exactly the lines the score counted. Whether
 * the task is resolved comes from the report, under the report's threshold.
 */
export function buildEvalTaskDetail(evalDir: string, state: EvalState, report: EvalReport, taskId: string, label: string): EvalTaskDetail | string {
  const task = state.tasks.find((t) => t.id === taskId);
  if (!task) return `This eval has no task ${taskId}.`;
  const model = state.manifest.models.find((m) => m.label === label);
  if (!model) return `This eval has no model ${label}.`;
  const o = task.origin;
  const row = report.tasks.find((t) => t.id === taskId)?.results[label];
  const r = state.results.get(pairKey(taskId, label)) ?? null;
  let matchMap: EvalTaskDetail['matchMap'] = null;
  if (r && !r.error && r.patch) {
    try {
      const s = scoreOverlap(task.reference, r.patch);
      matchMap = { p1: s.p1.map((x) => x.matchedBy), p2: s.p2.map((x) => x.matches) };
    } catch {
      // a patch the parser refuses scored 0; the pane shows its text without marks
    }
  }
  const file = r ? trajectoryFile(evalDir, r.trajectory) : null;
  return {
    taskId,
    model: label,
    task: {
      kind: o.kind,
      title: o.kind === 'run' ? `${o.function.file}: ${o.function.qualifiedName}` : o.subject,
      origin: o.kind === 'run' ? `sample ${o.sampleId} of run ${o.runId}` : `commit ${o.commit.slice(0, 12)}${o.issues.length ? ` (issues ${o.issues.map((n) => `#${n}`).join(', ')})` : ''}`,
      baseCommit: task.baseCommit,
      statement: task.statement,
      referenceLines: task.referenceLines,
    },
    reference: buildPatchView(task.reference),
    patch: r && !r.error ? buildPatchView(r.patch) : null,
    result: r
      ? {
          exit: { status: r.exit.status, ...(r.exit.reason ? { reason: r.exit.reason } : {}) },
          submitted: r.submitted,
          resolved: !!row && !('error' in row) && row.resolved,
          recall: r.score?.recall ?? null,
          precision: r.score?.precision ?? null,
          f1: r.score?.f1 ?? null,
          matched: r.score?.matched ?? 0,
          patchLines: r.score?.patchLines ?? 0,
          steps: r.steps,
          tokens: r.usage.promptTokens + r.usage.completionTokens,
          ms: r.ms,
          error: r.error,
        }
      : null,
    matchMap,
    threshold: report.threshold,
    // An error result may still have left a trajectory; a missing file shows as the view's own error.
    trajectory: file && (r?.steps ?? 0) > 0 ? readTrajectoryView(file, 2) : null,
  };
}
