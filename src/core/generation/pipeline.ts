import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runAgent } from '../agent/loop';
import type { AgentLimits, AgentResult, Trajectory } from '../agent/types';
import type { SandboxCopy, SandboxPool } from '../sandbox';
import { writeFileAtomicallyAsync, type JudgeRecord, type PlannedSample, type PrRecord, type RolloutRecord, type RunState, type RunWriter, type SampleRecord, type StageName, type TokenUsage } from '../store';
import { TeacherError, type Teacher } from '../teacher/types';
import { changedLines, passesThreshold, scoreOverlap } from '../verify';
import type { Demonstration } from './demonstration-bank';
import { judgePatch } from './judge';
import { PrRejected, writeSyntheticPr } from './synthetic-pr';

export interface SampleContext {
  runId: string;
  teacher: Teacher;
  pool: SandboxPool;
  writer: RunWriter;
  threshold: number;
  judge: boolean;
  limits: Partial<AgentLimits>;
  demonstrations: Map<string, Demonstration>;
  signal: AbortSignal;
}

type Stages = NonNullable<ReturnType<RunState['stages']['get']>>;

class Cancelled extends Error {}

class StageFailure extends Error {
  constructor(
    readonly stage: StageName,
    reason: string,
  ) {
    super(reason);
  }
}

const now = () => new Date().toISOString();

function addUsage(total: TokenUsage, more: TokenUsage | undefined): void {
  if (!more) return;
  total.promptTokens += more.promptTokens;
  total.completionTokens += more.completionTokens;
}

/**
 * Runs the stages a sample still needs, persisting each result before the next begins.
 * Returns the finished record, or null when the run was cancelled mid-sample (the sample then
 * stays pending and resumes from its last persisted stage). Whatever goes wrong inside a stage,
 * expected or not, becomes this sample's failure at that stage: one sample never ends a run.
 */
export async function runSample(ctx: SampleContext, planned: PlannedSample, prior: Stages = {}): Promise<SampleRecord | null> {
  const started = performance.now();
  const stages: Stages = { ...prior };
  const finish = (extra: Partial<SampleRecord>): SampleRecord => {
    const usage: TokenUsage = { promptTokens: 0, completionTokens: 0 };
    for (const part of [stages.rollout1, stages.pr, stages.judge, stages.rollout2]) addUsage(usage, part?.usage);
    return {
      id: planned.id,
      runId: ctx.runId,
      function: planned.function,
      instance: planned.instance,
      instruction: planned.instruction,
      rollout1: stages.rollout1 ?? null,
      syntheticPr: stages.pr ?? null,
      judge: stages.judge ?? null,
      rollout2: stages.rollout2 ?? null,
      verification: null,
      status: 'failed',
      failure: null,
      usage,
      ms: Math.round(performance.now() - started),
      finishedAt: now(),
      ...extra,
    };
  };
  // The stage under way, so that an error nobody expected is still filed where it happened.
  let stage: StageName = 'rollout1';
  try {
    if (!stages.rollout1) {
      stages.rollout1 = await rollout(ctx, planned.id, 1, planned.instruction.text);
      ctx.writer.stage({ sampleId: planned.id, stage: 'rollout1', at: now(), data: stages.rollout1 });
    }
    const r1 = stages.rollout1;
    if (r1.exit.status !== 'submitted') {
      throw new StageFailure('rollout1', `rollout 1 ended without submit (${r1.exit.status}${r1.exit.reason ? `: ${r1.exit.reason}` : ''})`);
    }
    if (!changedLines(r1.patch).length) throw new StageFailure('rollout1', 'empty P1: rollout 1 submitted no change');

    stage = 'pr';
    if (!stages.pr) {
      stages.pr = await syntheticPr(ctx, planned, r1);
      ctx.writer.stage({ sampleId: planned.id, stage: 'pr', at: now(), data: stages.pr });
    }
    if (ctx.judge) {
      stage = 'judge';
      if (!stages.judge) {
        stages.judge = await judge(ctx, planned, r1);
        ctx.writer.stage({ sampleId: planned.id, stage: 'judge', at: now(), data: stages.judge });
      }
      if (stages.judge.verdict === 'no') throw new StageFailure('judge', `the judge said no: ${stages.judge.raw.slice(0, 300)}`);
    }

    // Scoring belongs to rollout 2: it is what rollout 2's patch is for.
    stage = 'rollout2';
    if (!stages.rollout2) {
      stages.rollout2 = await rollout(ctx, planned.id, 2, stages.pr.text);
      ctx.writer.stage({ sampleId: planned.id, stage: 'rollout2', at: now(), data: stages.rollout2 });
    }
    const r2 = stages.rollout2;
    if (r2.exit.status === 'teacher-error' || r2.exit.status === 'context-length') {
      throw new StageFailure('rollout2', `rollout 2 stopped: ${r2.exit.status}${r2.exit.reason ? `: ${r2.exit.reason}` : ''}`);
    }
    if (!changedLines(r2.patch).length) throw new StageFailure('rollout2', `empty P2: rollout 2 changed nothing (${r2.exit.status})`);

    const score = scoreOverlap(r1.patch, r2.patch);
    const passed = passesThreshold(score, ctx.threshold);
    return finish({
      verification: {
        recall: score.recall,
        precision: score.precision,
        f1: score.f1,
        matched: score.matched,
        p1Lines: score.p1Lines,
        p2Lines: score.p2Lines,
        threshold: ctx.threshold,
        passed,
        matchMap: { p1: score.p1.map((l) => l.matchedBy), p2: score.p2.map((l) => l.matches) },
      },
      status: passed ? 'verified' : 'below-threshold',
    });
  } catch (error) {
    if (error instanceof Cancelled || ctx.signal.aborted) return null;
    if (error instanceof StageFailure) return finish({ failure: { stage: error.stage, reason: error.message } });
    return finish({ failure: { stage, reason: `unexpected error: ${(error as Error)?.message ?? String(error)}` } });
  }
}

/**
 * One rollout, start to end: acquire a copy, run the agent, save the trajectory, release the
 * copy. The caller persists the record.
 */
async function rollout(ctx: SampleContext, sampleId: string, which: 1 | 2, task: string): Promise<RolloutRecord> {
  const stage = which === 1 ? 'rollout1' : 'rollout2';
  const path = ctx.writer.trajectoryPath(sampleId, which);
  let copy: SandboxCopy;
  try {
    copy = await ctx.pool.acquire(ctx.signal);
  } catch (error) {
    if (ctx.signal.aborted) throw new Cancelled();
    throw new StageFailure(stage, `could not prepare a copy of the repository: ${(error as Error).message}`);
  }
  let result: AgentResult;
  try {
    result = await runAgent({ task, teacher: ctx.teacher, sandbox: copy, limits: ctx.limits, signal: ctx.signal });
    await writeFileAtomicallyAsync(path.absolute, JSON.stringify(result.trajectory));
  } finally {
    await copy.release();
  }
  if (result.exit.status === 'cancelled') throw new Cancelled();
  return { exit: result.exit, steps: result.steps, usage: result.usage, ms: result.ms, patch: result.patch, trajectory: path.relative };
}

/** Rollout 1's trajectory as saved; a run resumed without it cannot write the sample's PR. */
async function readTrajectory(ctx: SampleContext, r1: RolloutRecord): Promise<Trajectory> {
  let text: string;
  try {
    text = await readFile(join(ctx.writer.dir, r1.trajectory), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new StageFailure('pr', `rollout 1's trajectory ${r1.trajectory} is missing from the run directory, so no PR text can be written from it`);
  }
  try {
    return JSON.parse(text) as Trajectory;
  } catch {
    throw new StageFailure('pr', `rollout 1's trajectory ${r1.trajectory} is not valid JSON, so no PR text can be written from it`);
  }
}

async function syntheticPr(ctx: SampleContext, planned: PlannedSample, r1: RolloutRecord): Promise<PrRecord> {
  const demo = ctx.demonstrations.get(planned.demonstrationId) ?? ctx.demonstrations.values().next().value!;
  const trajectory = await readTrajectory(ctx, r1);
  try {
    const pr = await writeSyntheticPr(ctx.teacher, { instruction: planned.instruction.text, trajectory, patch: r1.patch, demo }, ctx.signal);
    return { text: pr.text, demonstrationId: demo.id, attempts: pr.attempts, cleaned: pr.cleaned, usage: pr.usage, ms: Math.round(pr.ms) };
  } catch (error) {
    throw stageError('pr', error);
  }
}

async function judge(ctx: SampleContext, planned: PlannedSample, r1: RolloutRecord): Promise<JudgeRecord> {
  try {
    return await judgePatch(ctx.teacher, planned.instruction.text, r1.patch, ctx.signal);
  } catch (error) {
    throw stageError('judge', error);
  }
}

function stageError(stage: StageName, error: unknown): Error {
  if (error instanceof TeacherError && error.kind === 'cancelled') return new Cancelled();
  if (error instanceof PrRejected) return new StageFailure(stage, error.message);
  if (error instanceof TeacherError) return new StageFailure(stage, `teacher error: ${error.message}`);
  return error as Error;
}
