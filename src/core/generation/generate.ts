import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defaultRunsFolder } from '../defaults';
import type { SandboxMode } from '../sandbox';
import type { Teacher, TeacherConfig } from '../teacher/types';
import { defaultRunId, holdsOnlyRunFiles, isRunDir, lazyRunLock, RunControl, type SampleRecord, type StopReason } from '../store';
import { GenerateError } from './errors';
import type { SampleContext } from './pipeline';
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
  const folder = lazyRunLock(runDir, (message) => new GenerateError(message));
  if (existsSync(runDir)) {
    // A run never shares its folder: a folder of other files (the repository itself, say) is refused.
    if (!isRunDir(runDir) && !holdsOnlyRunFiles(runDir)) {
      throw new GenerateError(`${runDir} is neither a run directory nor empty; give --out a new or empty folder, or a run directory to resume.`);
    }
    folder.lock();
  }
  try {
    return await generateLocked(options, repo, runDir, folder.lock);
  } finally {
    folder.release();
  }
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
  options.onEvent?.(previous ? 'resumed' : 'started', { runDir: run.runDir, samples: plan.length });

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
    limits: { maxSteps: settings.maxSteps, maxWallMs: options.rolloutWallMs ?? DEFAULT_ROLLOUT_WALL_MS },
    demonstrations: new Map(run.demonstrations.map((d) => [d.id, d])),
    signal: control.signal,
  };
  // Checking out every copy up front keeps the first rollouts from each paying for one.
  await pool.warm(Math.min(settings.concurrency, pending.length), control.signal).catch(() => undefined);
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
