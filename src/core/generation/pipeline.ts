import { readFile } from 'node:fs/promises';
import { runAgent } from '../agent/loop';
import type { AgentLimits, AgentResult, Trajectory } from '../agent/types';
import type { SandboxPool } from '../sandbox';
import type { JudgeRecord, PlannedSample, PrRecord, RolloutRecord, RunState, RunWriter, SampleRecord, StageName, TokenUsage } from '../store';
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
 * A worker's samples run one after another; each sample's last copy is reset while the next
 * sample's first model call runs, and that next rollout takes a copy once the reset is done.
 * A worker thus holds at most one copy at a time, and the pool never grows past the concurrency.
 */
export interface CopyHandOff {
  /** Settles when the previous sample's last copy is back in the pool; never rejects. */
  returned: Promise<void>;
}

/**
 * Runs the stages a sample still needs, persisting each result before the next begins.
 * Returns the finished record, or null when the run was cancelled mid-sample (the sample then
 * stays pending and resumes from its last persisted stage). With a hand-off, the sample waits
 * for the previous one's copy to come back before it takes one, and leaves its own last
 * copy's return to the next sample; without, it returns once its copies are back.
 */
export async function runSample(ctx: SampleContext, planned: PlannedSample, prior: Stages = {}, handOff?: CopyHandOff): Promise<SampleRecord | null> {
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
  // Rollout 1's copy is reset while the PR is written; rollout 2 takes a copy only once it is back,
  // so the pool never needs more copies than there are samples in flight.
  let releasing: Promise<void> = handOff?.returned ?? Promise.resolve();
  // Rollout 1's trajectory as it ran in this process; after a resume it is read back from its file.
  let r1Trajectory: Trajectory | undefined;
  try {
    if (!stages.rollout1) {
      const r1 = await rollout(ctx, planned.id, 1, planned.instruction.text, releasing);
      releasing = r1.released;
      r1Trajectory = r1.trajectory;
      stages.rollout1 = r1.record;
      ctx.writer.stage({ sampleId: planned.id, stage: 'rollout1', at: now(), data: stages.rollout1 });
    }
    const r1 = stages.rollout1;
    if (r1.exit.status !== 'submitted') {
      throw new StageFailure('rollout1', `rollout 1 ended without submit (${r1.exit.status}${r1.exit.reason ? `: ${r1.exit.reason}` : ''})`);
    }
    if (!changedLines(r1.patch).length) throw new StageFailure('rollout1', 'empty P1: rollout 1 submitted no change');

    if (!stages.pr) {
      stages.pr = await syntheticPr(ctx, planned, r1, r1Trajectory);
      ctx.writer.stage({ sampleId: planned.id, stage: 'pr', at: now(), data: stages.pr });
    }
    if (ctx.judge) {
      if (!stages.judge) {
        stages.judge = await judge(ctx, planned, r1);
        ctx.writer.stage({ sampleId: planned.id, stage: 'judge', at: now(), data: stages.judge });
      }
      if (stages.judge.verdict === 'no') throw new StageFailure('judge', `the judge said no: ${stages.judge.raw.slice(0, 300)}`);
    }

    if (!stages.rollout2) {
      const r2 = await rollout(ctx, planned.id, 2, stages.pr.text, releasing);
      releasing = r2.released;
      stages.rollout2 = r2.record;
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
    throw error;
  } finally {
    if (handOff) handOff.returned = releasing.catch(() => undefined);
    else await releasing;
  }
}

/** The copy for a rollout could not be had; `cause` says why. */
class CopyUnavailable extends Error {}

/**
 * One rollout in a copy of its own, taken once `previous` (the sample's last copy) is back in the
 * pool. The agent's first model call does not wait for it: the copy is ready by the time a tool
 * needs it. Its reset starts as soon as the agent is done; `released` settles when it is back.
 */
async function rollout(ctx: SampleContext, sampleId: string, which: 1 | 2, task: string, previous: Promise<void>): Promise<{ record: RolloutRecord; trajectory: Trajectory; released: Promise<void> }> {
  const path = ctx.writer.trajectoryPath(sampleId, which);
  const acquiring = previous.then(() => ctx.pool.acquire(ctx.signal));
  const ready = acquiring.catch((error: unknown) => {
    throw new CopyUnavailable((error as Error).message);
  });
  ready.catch(() => undefined); // the agent may end before it needs a copy
  let result: AgentResult;
  try {
    result = await runAgent({ task, teacher: ctx.teacher, sandbox: { mode: ctx.pool.mode, ready }, limits: ctx.limits, signal: ctx.signal, trajectoryPath: path.absolute });
  } catch (error) {
    await acquiring.then((copy) => copy.release()).catch(() => undefined);
    if (ctx.signal.aborted) throw new Cancelled();
    if (error instanceof CopyUnavailable) throw new StageFailure(which === 1 ? 'rollout1' : 'rollout2', `could not prepare a copy of the repository: ${error.message}`);
    throw error;
  }
  const released = acquiring.then((copy) => copy.release());
  released.catch(() => undefined); // awaited later; a rejection must not go unhandled meanwhile
  if (result.exit.status === 'cancelled') {
    await released.catch(() => undefined);
    throw new Cancelled();
  }
  return {
    record: { exit: result.exit, steps: result.steps, usage: result.usage, ms: result.ms, patch: result.patch, trajectory: path.relative },
    trajectory: result.trajectory,
    released,
  };
}

async function syntheticPr(ctx: SampleContext, planned: PlannedSample, r1: RolloutRecord, inMemory?: Trajectory): Promise<PrRecord> {
  const demo = ctx.demonstrations.get(planned.demonstrationId) ?? ctx.demonstrations.values().next().value!;
  const trajectory = inMemory ?? (JSON.parse(await readFile(`${ctx.writer.dir}/${r1.trajectory}`, 'utf8')) as Trajectory);
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
