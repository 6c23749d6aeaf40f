import { existsSync, rmdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { defaultRunsFolder } from '../defaults';
import type { SandboxMode } from '../sandbox';
import type { Teacher, TeacherConfig } from '../teacher/types';
import { claimRunFolder, defaultRunId, holdsOnlyRunFiles, isRunDir, RunControl, type SampleRecord, type StopReason } from '../store';
import { GenerateError } from './errors';
import type { SampleContext } from './pipeline';
import type { TeacherAdvice } from './preflight';
import type { Shard } from './plan';
import { prepareRun, type PreparedRun } from './prepare-run';
import { ProgressTracker, type RunProgress } from './progress';
import { scheduleSamples } from './schedule';

export { defaultRunsFolder, TOOL_VERSION } from '../defaults';
export type { RunProgress } from './progress';

/** A rollout's wall-time budget unless told otherwise: 115 steps of a slow local model fit in it. */
export const DEFAULT_ROLLOUT_WALL_MS = 60 * 60_000;

export interface GenerateOptions {
  repo: string;
  /** Run directory; default `<repo>/.specializer/runs/<run-id>`. An existing run directory is resumed. */
  out?: string;
  teacher: TeacherConfig;
  samples?: number;
  concurrency?: number;
  threshold?: number;
  seed?: string;
  shard?: Shard | null;
  maxSteps?: number;
  sandbox?: SandboxMode;
  judge?: boolean;
  demonstrations?: string;
  instructionBank?: string;
  include?: string[];
  exclude?: string[];
  includeUncommitted?: boolean;
  perFileCap?: number;
  instancesPerFunction?: number;
  minFunctionLines?: number;
  maxTotalTokens?: number;
  maxWallMs?: number;
  /** A P1 with more changed lines stops its sample after rollout 1; default 40 (the export's patch filter), 0 for no limit. */
  maxP1Lines?: number;
  /** Wall time of one rollout (teacher calls and tools together); default 60 minutes. */
  rolloutWallMs?: number;
  /** Restrict start functions to these (matched by file and qualified name, which survive line drift). */
  onlyFunctions?: { file: string; qualifiedName: string }[];
  dockerImage?: string;
  /** Folder for the function scan cache. */
  scanCacheDir?: string;
  signal?: AbortSignal;
  onProgress?: (progress: RunProgress) => void;
  onEvent?: (kind: string, data: Record<string, unknown>) => void;
  /** For tests and benchmarks: a teacher other than the OpenAI client (still speaking to a real server). */
  teacherOverride?: Teacher;
  /** How the caller's user names an endpoint and a model, for the advice when the teacher cannot be reached; default the CLI's flags. */
  teacherAdvice?: TeacherAdvice;
}

export interface RunSummary {
  runDir: string;
  runId: string;
  resumed: boolean;
  progress: RunProgress;
  stoppedBy: StopReason;
}

/** Creates a run (or resumes the one in `out`) and generates its samples. */
export async function generate(options: GenerateOptions): Promise<RunSummary> {
  const repo = resolve(options.repo);
  if (!existsSync(repo)) throw new GenerateError(`${repo} does not exist; give the path of a git repository.`);
  const runDir = resolve(options.out ?? join(defaultRunsFolder(repo), defaultRunId()));
  const folder = claimRunFolder(runDir, { what: 'a run directory', isRun: isRunDir, holdsOnlyItsFiles: holdsOnlyRunFiles }, (message) => new GenerateError(message));
  const created = missingAncestors(runDir);
  let started = false;
  try {
    const summary = await generateLocked(options, repo, runDir, folder.lock);
    started = true;
    return summary;
  } finally {
    folder.release();
    if (!started && !isRunDir(runDir)) removeCreated(created);
  }
}

/** The folders of `dir` that do not exist yet, deepest first: what making the run folder would create. */
function missingAncestors(dir: string): string[] {
  const out: string[] = [];
  for (let d = dir; !existsSync(d) && dirname(d) !== d; d = dirname(d)) out.push(d);
  return out;
}

/**
 * A start that failed before the run existed (no teacher, no docker, no functions) leaves none of
 * the folders it made: an empty run folder would later be scanned as vendored code or offered as a run.
 */
function removeCreated(folders: string[]): void {
  const [runDir, ...parents] = folders;
  if (!runDir || !existsSync(runDir) || !holdsOnlyRunFiles(runDir)) return;
  rmSync(runDir, { recursive: true, force: true });
  for (const parent of parents) {
    try {
      rmdirSync(parent);
    } catch {
      return; // not empty: something else lives there now
    }
  }
}

/**
 * Copies for this many workers: one each, and a spare per eight workers, since a released copy
 * is reset in the background and the next acquire would otherwise often wait for that reset.
 */
function copiesFor(workers: number): number {
  return workers + Math.ceil(workers / 8);
}

async function generateLocked(options: GenerateOptions, repo: string, runDir: string, lock: () => void): Promise<RunSummary> {
  const run = await prepareRun(options, repo, runDir, lock);
  try {
    return await runSamples(run, options);
  } finally {
    run.writer.close();
    await run.pool.dispose();
  }
}

/** Runs the samples the plan still holds, with the run's concurrency, until done or stopped. */
async function runSamples(run: PreparedRun, options: GenerateOptions): Promise<RunSummary> {
  const { previous, settings, writer, manifest, plan, pool } = run;
  writer.event(previous ? 'resumed' : 'started', { samples: plan.length, concurrency: settings.concurrency });
  options.onEvent?.(previous ? 'resumed' : 'started', { runDir: run.runDir, samples: plan.length, shortfall: run.shortfall });

  const finished = previous?.finished ?? new Map<string, SampleRecord>();
  const pending = plan.filter((p) => !finished.has(p.id));
  const progress = new ProgressTracker(plan.length, finished.values(), options.onProgress);
  const control = new RunControl(settings.concurrency, options.signal, settings.budgets);
  const ctx: SampleContext = {
    runId: manifest.runId,
    teacher: run.teacher,
    pool,
    writer,
    threshold: settings.threshold,
    judge: settings.judge,
    maxP1Lines: settings.maxP1Lines ?? 0,
    limits: { maxSteps: settings.maxSteps, maxWallMs: options.rolloutWallMs ?? DEFAULT_ROLLOUT_WALL_MS },
    demonstrations: new Map(run.demonstrations.map((d) => [d.id, d])),
    signal: control.signal,
  };
  // Checking out every copy up front keeps the first rollouts from each paying for one.
  await pool.warm(copiesFor(Math.min(settings.concurrency, pending.length)), control.signal).catch(() => undefined);
  progress.start();
  await scheduleSamples(ctx, {
    pending,
    prior: previous?.stages ?? new Map(),
    concurrency: settings.concurrency,
    onStart: () => progress.sampleStarted(),
    onEnd: (record) => {
      if (record) {
        writer.finish(record);
        writer.event('sample', { id: record.id, status: record.status, recall: record.verification?.recall ?? null, failure: record.failure });
        options.onEvent?.('sample', { id: record.id, status: record.status, function: record.function.qualifiedName, failure: record.failure?.reason });
      }
      progress.sampleEnded(record);
      control.spent(progress.tokens);
    },
  });
  const stoppedBy = control.finish();
  writer.event('stopped', { reason: stoppedBy, ...progress.snapshot() });
  progress.report();
  return { runDir: run.runDir, runId: manifest.runId, resumed: Boolean(previous), progress: progress.snapshot(), stoppedBy };
}
