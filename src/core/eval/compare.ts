import { changedLines, scoreOverlap } from '../verify';
import { pairKey, readEvalState } from './eval-dir';
import { EvalError } from './errors';

/** One changed line of the reference or of a model's patch, with whether the other side has it. */
export interface MarkedLine {
  file: string;
  sign: '+' | '-';
  text: string;
  /** Reference line: the model reproduced it. Model line: it is in the reference (else it is extra). */
  matched: boolean;
}

export interface TaskComparison {
  taskId: string;
  statement: string;
  models: { label: string; recall: number | null; resolved: boolean; submitted: boolean; error: string | null; reference: MarkedLine[]; patch: MarkedLine[] }[];
}

/**
 * A task's reference next to each model's patch, line by line as the metric matched them: which
 * reference lines a model reproduced or missed, and which of its lines are extra.
 */
export function compareTask(dir: string, taskId: string, only?: string): TaskComparison {
  const state = readEvalState(dir);
  const task = state.tasks.find((t) => t.id === taskId);
  if (!task) throw new EvalError(`This eval has no task "${taskId}"; the per-task table of eval-report lists the ids.`);
  const labels = state.manifest.models.map((m) => m.label).filter((l) => !only || l === only);
  if (!labels.length) throw new EvalError(`This eval has no model "${only}" (it has ${state.manifest.models.map((m) => m.label).join(', ')}).`);
  const ref = changedLines(task.reference);
  return {
    taskId,
    statement: task.statement,
    models: labels.map((label) => {
      const r = state.results.get(pairKey(task.id, label));
      const patch = r?.patch ? changedLines(r.patch) : [];
      const s = scoreOverlap(ref, patch);
      return {
        label,
        recall: r?.score?.recall ?? null,
        resolved: r?.resolved ?? false,
        submitted: r?.submitted ?? false,
        error: r ? r.error : 'not run yet',
        reference: ref.map((l, i) => ({ file: l.file, sign: l.sign, text: l.text, matched: s.p1[i].matchedBy !== null })),
        patch: patch.map((l, i) => ({ file: l.file, sign: l.sign, text: l.text, matched: s.p2[i].matches !== null })),
      };
    }),
  };
}
