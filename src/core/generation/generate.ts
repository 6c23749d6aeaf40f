import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { scanRepository } from '../functions/scan';
import { bwrapAvailable, SandboxPool, type SandboxMode } from '../sandbox';
import { createTeacher } from '../teacher';
import type { Teacher, TeacherConfig } from '../teacher/types';
import { defaultRunId, FILES, holdsOnlyRunFiles, isRunDir, lazyRunLock, readRunState, RunControl, RunWriter, type RunManifest, type RunSettings, type SampleRecord } from '../store';
import { loadDemonstrations } from './demonstrations';
import { instructionBank } from './instructions';
import { runSample, type CopyHandOff, type SampleContext } from './pipeline';
import { planSamples, type Shard } from './plan';
import { GenerateError } from './errors';
import { checkTeacherReachable } from './preflight';

export const TOOL_VERSION = '0.1.0';

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

export interface RunProgress {
  total: number;
  done: number;
  verified: number;
  below: number;
  failed: number;
  inFlight: number;
  tokens: number;
  elapsedMs: number;
  etaMs: number | null;
}

export interface RunSummary {
  runDir: string;
  runId: string;
  resumed: boolean;
  progress: RunProgress;
  stoppedBy: 'completed' | 'cancelled' | 'token-budget' | 'time-budget';
}


export function defaultRunsFolder(repo: string): string {
  return join(resolve(repo), '.specializer', 'runs');
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
  const resumed = isRunDir(runDir);
  const previous = resumed ? readRunState(runDir) : undefined;
  const settings: RunSettings = previous ? previous.manifest.settings : settingsFrom(options);
  // Concurrency and budgets may change on resume; what defines the samples may not.
  settings.concurrency = options.concurrency ?? settings.concurrency;
  settings.budgets = {
    maxTotalTokens: options.maxTotalTokens ?? null,
    maxWallMs: options.maxWallMs ?? null,
  };

  const teacherConfig: TeacherConfig = {
    ...options.teacher,
    baseUrls: options.teacher.baseUrls.length ? options.teacher.baseUrls : settings.teacher.baseUrls,
    model: options.teacher.model || settings.teacher.model,
    temperature: options.teacher.temperature ?? settings.teacher.temperature,
  };
  if (!options.teacherOverride) teacherConfig.model = await checkTeacherReachable(teacherConfig, options.signal);
  settings.teacher = { ...settings.teacher, baseUrls: teacherConfig.baseUrls, model: teacherConfig.model };
  const teacher = options.teacherOverride ?? createTeacher(teacherConfig);

  if (!previous) {
    // The run folder ignores itself before anything (a snapshot of uncommitted files included) can see it.
    mkdirSync(runDir, { recursive: true });
    if (!existsSync(join(runDir, FILES.ignore))) writeFileSync(join(runDir, FILES.ignore), '*\n');
  }
  lock();
  const pool = await SandboxPool.create({
    repoRoot: repo,
    baseRef: previous?.manifest.repository.baseCommit ?? 'HEAD',
    includeUncommitted: previous ? false : settings.includeUncommitted,
    snapshotStore: settings.includeUncommitted ? join(runDir, FILES.snapshot) : undefined,
    mode: settings.sandbox as SandboxMode,
    dockerImage: options.dockerImage,
  }).catch((error: unknown) => {
    throw new GenerateError(`Cannot prepare copies of ${repo}: ${(error as Error).message}`);
  });
  const events = options.onEvent;
  let writer: RunWriter | undefined;
  try {
    let manifest: RunManifest;
    let plan = previous?.plan ?? [];
    const demonstrations = await loadDemonstrations(settings.demonstrations, repo);
    if (!previous) {
      const copy = await pool.acquire(options.signal);
      let functions;
      try {
        functions = (await scanRepository(copy.root, { include: settings.include, exclude: settings.exclude, cacheDir: options.scanCacheDir })).functions;
      } finally {
        await copy.release();
      }
      if (options.onlyFunctions) {
        const wanted = new Set(options.onlyFunctions.map((f) => `${f.file}\0${f.qualifiedName}`));
        functions = functions.filter((f) => wanted.has(`${f.file}\0${f.qualifiedName}`));
        if (!functions.length) throw new GenerateError(`None of the chosen functions exists at commit ${pool.baseCommit.slice(0, 12)}; commit them first, or use --include-uncommitted.`);
      }
      if (!functions.length) throw new GenerateError(`No functions were found in ${repo} at ${pool.baseCommit.slice(0, 12)}; check --include/--exclude, or run \`specialize scan\` to see what is skipped.`);
      plan = planSamples(functions, {
        samples: settings.samples,
        seed: settings.seed,
        shard: settings.shard,
        perFileCap: settings.perFileCap,
        instancesPerFunction: settings.instancesPerFunction,
        minFunctionLines: settings.minFunctionLines,
        bank: instructionBank(settings.instructionBank ?? undefined),
        demonstrations,
      });
      manifest = {
        format: 1,
        runId: basename(runDir),
        createdAt: new Date().toISOString(),
        tool: { name: 'repo-specializer', version: TOOL_VERSION },
        repository: { name: basename(repo), baseCommit: pool.baseCommit, snapshotOfUncommitted: settings.includeUncommitted },
        settings,
      };
    } else {
      manifest = previous.manifest;
    }
    writer = RunWriter.open(runDir, manifest, plan);
    writer.event(previous ? 'resumed' : 'started', { samples: plan.length, concurrency: settings.concurrency });
    events?.(previous ? 'resumed' : 'started', { runDir, samples: plan.length });

    const finished = previous?.finished ?? new Map<string, SampleRecord>();
    const pending = plan.filter((p) => !finished.has(p.id));
    const progress: RunProgress = { total: plan.length, done: 0, verified: 0, below: 0, failed: 0, inFlight: 0, tokens: 0, elapsedMs: 0, etaMs: null };
    for (const record of finished.values()) count(progress, record);

    const control = new RunControl(settings.concurrency, options.signal, settings.budgets);
    const signal = control.signal;

    const ctx: SampleContext = {
      runId: manifest.runId,
      teacher,
      pool,
      writer,
      threshold: settings.threshold,
      judge: settings.judge,
      limits: { maxSteps: settings.maxSteps },
      demonstrations: new Map(demonstrations.map((d) => [d.id, d])),
      signal,
    };
    // Checking out every copy up front keeps the first rollouts from each paying for one.
    await pool.warm(Math.min(settings.concurrency, pending.length), signal).catch(() => undefined);
    const started = performance.now();
    let doneThisSession = 0;
    const report = () => {
      progress.elapsedMs = Math.round(performance.now() - started);
      const remaining = progress.total - progress.done;
      progress.etaMs = doneThisSession > 0 ? Math.round((progress.elapsedMs / doneThisSession) * remaining) : null;
      options.onProgress?.({ ...progress });
    };
    report();

    let next = 0;
    const worker = async () => {
      const handOff: CopyHandOff = { returned: Promise.resolve() };
      while (!signal.aborted && next < pending.length) {
        const planned = pending[next++];
        progress.inFlight++;
        report();
        let record: SampleRecord | null;
        try {
          record = await runSample(ctx, planned, previous?.stages.get(planned.id), handOff);
        } finally {
          progress.inFlight--;
        }
        if (record) {
          writer!.finish(record);
          writer!.event('sample', { id: record.id, status: record.status, recall: record.verification?.recall ?? null, failure: record.failure });
          events?.('sample', { id: record.id, status: record.status, function: record.function.qualifiedName, failure: record.failure?.reason });
          count(progress, record);
          doneThisSession++;
          control.spent(progress.tokens);
        }
        report();
      }
      await handOff.returned;
    };
    await Promise.all(Array.from({ length: Math.max(1, settings.concurrency) }, worker));
    const stoppedBy = control.finish();
    writer.event('stopped', { reason: stoppedBy, ...progress });
    report();
    return { runDir, runId: manifest.runId, resumed: Boolean(previous), progress, stoppedBy };
  } finally {
    writer?.close();
    await pool.dispose();
  }
}

function count(progress: RunProgress, record: SampleRecord): void {
  progress.done++;
  if (record.status === 'verified') progress.verified++;
  else if (record.status === 'below-threshold') progress.below++;
  else progress.failed++;
  progress.tokens += record.usage.promptTokens + record.usage.completionTokens;
}

function settingsFrom(o: GenerateOptions): RunSettings {
  const threshold = o.threshold ?? 0.5;
  if (!(threshold >= 0 && threshold <= 1)) throw new GenerateError(`The threshold must be between 0 and 1 (1 = hard verification, 0 = keep all); got ${threshold}.`);
  const positive = (name: string, value: number | undefined, fallback: number) => {
    const v = value ?? fallback;
    if (!Number.isInteger(v) || v < 1) throw new GenerateError(`${name} must be a whole number of at least 1; got ${value}.`);
    return v;
  };
  return {
    threshold,
    maxSteps: positive('max steps', o.maxSteps, 115),
    concurrency: positive('concurrency', o.concurrency, 8),
    samples: positive('samples', o.samples, 100),
    seed: o.seed ?? '0',
    sandbox: o.sandbox ?? (bwrapAvailable() ? 'bwrap' : 'off'),
    judge: o.judge ?? false,
    demonstrations: o.demonstrations ?? 'builtin',
    instructionBank: o.instructionBank ? resolve(o.instructionBank) : null,
    include: o.include ?? [],
    exclude: o.exclude ?? [],
    includeUncommitted: o.includeUncommitted ?? false,
    perFileCap: positive('per-file cap', o.perFileCap, 5),
    instancesPerFunction: positive('instances per function', o.instancesPerFunction, 1),
    minFunctionLines: positive('minimum function lines', o.minFunctionLines, 3),
    shard: o.shard ?? null,
    budgets: { maxTotalTokens: o.maxTotalTokens ?? null, maxWallMs: o.maxWallMs ?? null },
    teacher: { baseUrls: o.teacher.baseUrls, model: o.teacher.model, temperature: o.teacher.temperature ?? 0.6, maxTokens: o.teacher.maxTokens ?? null },
  };
}
