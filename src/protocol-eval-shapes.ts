/**
 * The data of the eval view's messages (an eval run's report and one task next to one model's
 * patch), as schemas like protocol-shapes.ts. The report is core's EvalReport as it is, except
 * that a mean over no tasks (NaN in core) travels as null: JSON has no NaN.
 */
import * as z from 'zod/mini';
import { arrayOf, bool, exitView, indexOrNull, int, num, oneOf, patchView, recordOf, shape, str, trajectoryView } from './protocol-shapes';

// Task ids are `c-<hash>` or `r-<sample id>`; labels are the user's own words, kept short.
export const evalTaskId = z.string({ error: 'should be a task id' }).check(z.regex(/^[A-Za-z0-9_.-]{1,160}$/, { error: 'should be a task id' }));
export const modelLabel = str(256, 1);

const ratio = z.nullable(num(0, 1));
// Bootstrap means are left unbounded: summing floats can land a hair past 0 or 1.
const mean = z.nullable(num());
export const estimate = shape({ mean, low: mean, high: mean, n: int(0) });

export const modelSummary = shape({
  label: modelLabel,
  model: str(512),
  tasks: int(0),
  errors: int(0),
  pending: int(0),
  recall: estimate,
  f1: estimate,
  resolved: estimate,
  submitRate: num(0, 1),
  tokensPerTask: num(0),
  stepsPerTask: num(0),
  secondsPerTask: num(0),
});

export const pairedDifference = shape({ a: modelLabel, b: modelLabel, tasks: int(0), recall: estimate, f1: estimate, resolved: estimate });

export const taskResult = z.nullable(z.union([shape({ recall: num(0, 1), f1: num(0, 1), resolved: bool, submitted: bool }), shape({ error: str() })], { error: 'should be a result, an error or null' }));

export const taskRow = shape({
  id: evalTaskId,
  kind: oneOf(['run', 'commit']),
  title: str(4096),
  referenceLines: int(0),
  results: recordOf(taskResult),
});

export const evalReport = shape({
  evalId: str(512),
  source: shape({
    kind: oneOf(['runs', 'history']),
    tasks: int(0),
    heldOutFunctions: z.nullable(int(0)),
    splitFraction: z.nullable(num(0, 1)),
    commitsConsidered: z.nullable(int(0)),
    skipped: z.nullable(recordOf(int(0))),
  }),
  threshold: num(0, 1),
  bootstrap: shape({ seed: str(256), resamples: int(1), level: num(0, 1) }),
  models: arrayOf(modelSummary, 1000),
  differences: arrayOf(pairedDifference, 1000),
  tasks: arrayOf(taskRow),
});

/** The eval run around its report: where it is and whether `specialize eval` is still writing it. */
export const evalInfo = shape({
  evalDir: str(4096),
  evalId: str(512),
  repository: str(512),
  createdAt: str(64),
  /** "commits after v1.2 (50 looked at)", "held-out samples of 2 runs": the task source in words. */
  source: str(1024),
  /** The process writing the eval, as "pid 123 on host", or null when nothing is. */
  writer: z.nullable(str(512)),
  /** The run's own resolve threshold (the report may be under another one, as `eval-report --threshold`). */
  threshold: num(0, 1),
});

/** One task with one model's attempt at it: what the eval view's patch pane shows. */
export const evalTaskDetail = shape({
  taskId: evalTaskId,
  model: modelLabel,
  task: shape({ kind: oneOf(['run', 'commit']), title: str(4096), origin: str(1024), baseCommit: str(128), statement: str(1_000_000), referenceLines: int(0) }),
  reference: patchView,
  /** Null when the model has no result on the task yet, or its attempt failed before a patch. */
  patch: z.nullable(patchView),
  result: z.nullable(
    shape({
      exit: exitView,
      submitted: bool,
      /** As the report counts it, under the report's threshold. */
      resolved: bool,
      recall: ratio,
      precision: ratio,
      f1: ratio,
      matched: int(0),
      patchLines: int(0),
      steps: int(0),
      tokens: num(0),
      ms: num(0),
      error: z.nullable(str()),
    }),
  ),
  /** Reference line i is reproduced by patch line p1[i]; patch line j reproduces reference line p2[j]. */
  matchMap: z.nullable(shape({ p1: arrayOf(indexOrNull), p2: arrayOf(indexOrNull) })),
  threshold: num(0, 1),
  trajectory: z.nullable(trajectoryView),
});
