import { runAgent } from '../agent/loop';
import type { AgentLimits, AgentResult } from '../agent/types';
import type { SandboxCopy } from '../sandbox';
import { writeFileAtomicallyAsync } from '../store';
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

/**
 * One model on one task, exactly as rollout 2 runs in generation: the task text as the agent's
 * task, the same tools, prompts, limits and sandbox, in a fresh copy at the task's base. In a
 * straight line: acquire a copy, run the agent, save the trajectory, release the copy. Returns
 * null when the run was cancelled (the pair stays pending).
 */
export async function attemptTask(ctx: AttemptContext, task: EvalTask, model: ModelUnderTest): Promise<EvalResult | null> {
  const path = ctx.writer.trajectoryPath(task.id, model.label);
  const started = performance.now();
  const base = { taskId: task.id, model: model.label, trajectory: path.relative };
  const failed = (why: string) => (ctx.signal.aborted ? null : errorResult(base, why, Math.round(performance.now() - started)));
  let copy: SandboxCopy;
  try {
    copy = await ctx.pools.acquire(task, ctx.signal);
  } catch (error) {
    return failed(`could not prepare a copy of the repository at ${task.baseCommit.slice(0, 12)}: ${(error as Error).message}`);
  }
  let run: AgentResult;
  try {
    run = await runAgent({ task: task.statement, teacher: model.teacher, sandbox: copy, limits: ctx.limits, signal: ctx.signal });
    await writeFileAtomicallyAsync(path.absolute, JSON.stringify(run.trajectory));
  } catch (error) {
    return failed(`the rollout failed: ${(error as Error).message}`);
  } finally {
    await copy.release();
  }
  if (run.exit.status === 'cancelled') return null;
  if (run.exit.status === 'teacher-error') {
    return { ...errorResult(base, `the endpoint failed: ${run.exit.reason ?? 'no answer'}`, run.ms), exit: run.exit, steps: run.steps, usage: run.usage };
  }
  const submitted = run.exit.status === 'submitted';
  const score = scoreAgainst(task, run.patch);
  return {
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
