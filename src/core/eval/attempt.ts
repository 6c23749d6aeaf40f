import { runAgent } from '../agent/loop';
import type { AgentLimits, AgentResult } from '../agent/types';
import type { Teacher } from '../teacher/types';
import { PatchParseError, scoreOverlap } from '../verify';
import type { BasePools } from './base-pools';
import type { EvalWriter } from './eval-dir';
import type { EvalResult, EvalScore, EvalTask } from './types';

export interface AttemptContext {
  pools: BasePools;
  writer: EvalWriter;
  threshold: number;
  limits: Partial<AgentLimits>;
  signal: AbortSignal;
}

export interface ModelUnderTest {
  label: string;
  teacher: Teacher;
}

class CopyUnavailable extends Error {}

/**
 * One model on one task, exactly as rollout 2 runs in generation: the task text as the agent's
 * task, the same tools, prompts, limits and sandbox, in a fresh copy at the task's base. The copy
 * is taken once `previous` (the worker's last copy) is back, while the first model call runs.
 * Returns null when the run was cancelled (the pair stays pending); `released` settles when the
 * copy is back in its pool.
 */
export async function attemptTask(ctx: AttemptContext, task: EvalTask, model: ModelUnderTest, previous: Promise<void>): Promise<{ result: EvalResult | null; released: Promise<void> }> {
  const path = ctx.writer.trajectoryPath(task.id, model.label);
  const acquiring = previous.then(() => ctx.pools.acquire(task, ctx.signal));
  const ready = acquiring.catch((error: unknown) => {
    throw new CopyUnavailable((error as Error).message);
  });
  ready.catch(() => undefined); // the agent may end before it needs a copy
  // Only once the agent is done: the copy goes back to be reset while the worker moves on.
  const release = () => acquiring.then((copy) => copy.release()).catch(() => undefined);
  const started = performance.now();
  const base = { taskId: task.id, model: model.label, trajectory: path.relative };
  let run: AgentResult;
  try {
    run = await runAgent({ task: task.statement, teacher: model.teacher, sandbox: { mode: ctx.pools.mode, ready }, limits: ctx.limits, signal: ctx.signal, trajectoryPath: path.absolute });
  } catch (error) {
    const released = release();
    if (ctx.signal.aborted) return { result: null, released };
    const why = error instanceof CopyUnavailable ? `could not prepare a copy of the repository at ${task.baseCommit.slice(0, 12)}: ${error.message}` : `the rollout failed: ${(error as Error).message}`;
    return { result: errorResult(base, why, Math.round(performance.now() - started)), released };
  }
  const released = release();
  if (run.exit.status === 'cancelled') return { result: null, released };
  if (run.exit.status === 'teacher-error') {
    return { result: { ...errorResult(base, `the endpoint failed: ${run.exit.reason ?? 'no answer'}`, run.ms), exit: run.exit, steps: run.steps, usage: run.usage }, released };
  }
  const submitted = run.exit.status === 'submitted';
  const score = scoreAgainst(task, run.patch);
  return {
    result: {
      ...base,
      exit: run.exit,
      submitted,
      score,
      resolved: submitted && score.recall >= ctx.threshold,
      steps: run.steps,
      usage: run.usage,
      ms: run.ms,
      patch: run.patch,
      error: null,
      finishedAt: new Date().toISOString(),
    },
    released,
  };
}

/** The generation metric with the reference as P1 and the model's patch as P2. */
export function scoreAgainst(task: EvalTask, patch: string): EvalScore {
  try {
    const s = scoreOverlap(task.reference, patch);
    return { recall: s.recall ?? 0, precision: s.precision, f1: s.f1 ?? 0, matched: s.matched, referenceLines: s.p1Lines, patchLines: s.p2Lines };
  } catch (error) {
    // A patch git wrote but the parser refuses reproduces nothing we can count.
    if (!(error instanceof PatchParseError)) throw error;
    return { recall: 0, precision: null, f1: 0, matched: 0, referenceLines: task.referenceLines, patchLines: 0 };
  }
}

function errorResult(base: Pick<EvalResult, 'taskId' | 'model' | 'trajectory'>, error: string, ms: number): EvalResult {
  return {
    ...base,
    exit: { status: 'teacher-error', reason: error },
    submitted: false,
    score: null,
    resolved: false,
    steps: 0,
    usage: { promptTokens: 0, completionTokens: 0 },
    ms,
    patch: '',
    error,
    finishedAt: new Date().toISOString(),
  };
}
