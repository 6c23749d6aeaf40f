import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { scanRepository } from '../functions/scan';
import type { FunctionRecord } from '../functions/types';
import { bwrapAvailable, SandboxPool, type SandboxMode } from '../sandbox';
import { createTeacher } from '../teacher';
import type { Teacher, TeacherConfig } from '../teacher/types';
import { RUN_DEFAULTS, TOOL_NAME, TOOL_VERSION } from '../defaults';
import { FILES, makeRunFolder, readRunState, RunWriter, type PlannedSample, type RunManifest, type RunSettings, type RunState } from '../store';
import type { Demonstration } from './demonstration-bank';
import { loadDemonstrations } from './demonstrations';
import { GenerateError } from './errors';
import type { GenerateOptions } from './generate';
import { instructionBank } from './instructions';
import { explainShortfall, planSamples } from './plan';
import { checkTeacherReachable } from './preflight';


/** Everything a run's samples need, made or reread before the first one starts. */
export interface PreparedRun {
  runDir: string;
  /** The run's state as a stopped session left it; undefined for a new run. */
  previous: RunState | undefined;
  settings: RunSettings;
  teacher: Teacher;
  pool: SandboxPool;
  manifest: RunManifest;
  plan: PlannedSample[];
  demonstrations: Demonstration[];
  writer: RunWriter;
  /** Why a new run planned fewer samples than asked for; empty when it did not. */
  shortfall: string;
}

/**
 * Settings (a resumed run keeps its own), the teacher (checked reachable), the run folder and its
 * lock, the pool of copies, and for a new run the scan and plan at the base commit. `lock` takes
 * the run's lock once its folder exists. What it made is undone when a later step fails.
 */
export async function prepareRun(options: GenerateOptions, repo: string, runDir: string, lock: () => void): Promise<PreparedRun> {
  const previous = existsSync(join(runDir, FILES.manifest)) ? readRunState(runDir) : undefined;
  const settings = runSettings(options, previous);
  const teacher = await connectTeacher(options, settings);
  // The run folder ignores itself before anything (a snapshot of uncommitted files included) can see it.
  if (!previous) makeRunFolder(runDir);
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
  try {
    const demonstrations = await loadDemonstrations(settings.demonstrations, repo);
    const { manifest, plan, shortfall } = previous ? { ...previous, shortfall: '' } : await planNewRun(options, repo, runDir, settings, pool, demonstrations);
    const writer = RunWriter.open(runDir, manifest, plan);
    return { runDir, previous, settings, teacher, pool, manifest, plan, demonstrations, writer, shortfall };
  } catch (error) {
    await pool.dispose();
    throw error;
  }
}

/**
 * A new run's settings from the options; a resumed run's own, where only what leaves the plan
 * alone may change: concurrency, budgets, the P1 size limit, and the threshold that scores the
 * samples finished from now on (endpoints change in connectTeacher).
 */
function runSettings(options: GenerateOptions, previous: RunState | undefined): RunSettings {
  const settings: RunSettings = previous ? previous.manifest.settings : settingsFrom(options);
  if (previous) {
    const checked = settingsFrom(options);
    if (options.threshold !== undefined) settings.threshold = checked.threshold;
    if (options.maxP1Lines !== undefined) settings.maxP1Lines = checked.maxP1Lines;
  }
  settings.concurrency = options.concurrency ?? settings.concurrency;
  settings.budgets = { maxTotalTokens: options.maxTotalTokens ?? null, maxWallMs: options.maxWallMs ?? null };
  return settings;
}

/** The teacher of the options, falling back to the run's; the model it serves goes into the settings. */
async function connectTeacher(options: GenerateOptions, settings: RunSettings): Promise<Teacher> {
  const config: TeacherConfig = {
    ...options.teacher,
    baseUrls: options.teacher.baseUrls.length ? options.teacher.baseUrls : settings.teacher.baseUrls,
    model: options.teacher.model || settings.teacher.model,
    temperature: options.teacher.temperature ?? settings.teacher.temperature,
  };
  if (!options.teacherOverride) config.model = await checkTeacherReachable(config, options.signal, options.teacherAdvice);
  settings.teacher = { ...settings.teacher, baseUrls: config.baseUrls, model: config.model };
  return options.teacherOverride ?? createTeacher(config);
}

/** Scans a copy at the base commit (so line numbers match what rollouts see) and plans the samples. */
async function planNewRun(options: GenerateOptions, repo: string, runDir: string, settings: RunSettings, pool: SandboxPool, demonstrations: Demonstration[]): Promise<{ manifest: RunManifest; plan: PlannedSample[]; shortfall: string }> {
  const copy = await pool.acquire(options.signal);
  let functions: FunctionRecord[];
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
  const planOptions = {
    samples: settings.samples,
    seed: settings.seed,
    shard: settings.shard,
    perFileCap: settings.perFileCap,
    instancesPerFunction: settings.instancesPerFunction,
    minFunctionLines: settings.minFunctionLines,
    bank: instructionBank(settings.instructionBank ?? undefined),
    demonstrations,
  };
  const plan = planSamples(functions, planOptions);
  const shortfall = explainShortfall(functions, planOptions, plan.length);
  const manifest: RunManifest = {
    format: 1,
    runId: basename(runDir),
    createdAt: new Date().toISOString(),
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    repository: { name: basename(repo), baseCommit: pool.baseCommit, snapshotOfUncommitted: settings.includeUncommitted },
    settings,
  };
  return { manifest, plan, shortfall };
}

function settingsFrom(o: GenerateOptions): RunSettings {
  const d = RUN_DEFAULTS;
  const threshold = o.threshold ?? d.threshold;
  if (!(threshold >= 0 && threshold <= 1)) throw new GenerateError(`The threshold must be between 0 and 1 (1 = hard verification, 0 = keep all); got ${threshold}.`);
  const positive = (name: string, value: number | undefined, fallback: number) => {
    const v = value ?? fallback;
    if (!Number.isInteger(v) || v < 1) throw new GenerateError(`${name} must be a whole number of at least 1; got ${value}.`);
    return v;
  };
  const whole = (name: string, value: number | undefined, fallback: number) => {
    const v = value ?? fallback;
    if (!Number.isInteger(v) || v < 0) throw new GenerateError(`${name} must be a whole number of 0 or more; got ${value}.`);
    return v;
  };
  return {
    threshold,
    maxSteps: positive('max steps', o.maxSteps, d.maxSteps),
    concurrency: positive('concurrency', o.concurrency, d.concurrency),
    samples: positive('samples', o.samples, d.samples),
    seed: o.seed ?? d.seed,
    sandbox: o.sandbox ?? (bwrapAvailable() ? 'bwrap' : 'off'),
    judge: o.judge ?? false,
    demonstrations: o.demonstrations ?? d.demonstrations,
    instructionBank: o.instructionBank ? resolve(o.instructionBank) : null,
    include: o.include ?? [],
    exclude: o.exclude ?? [],
    includeUncommitted: o.includeUncommitted ?? false,
    perFileCap: positive('per-file cap', o.perFileCap, d.perFileCap),
    instancesPerFunction: positive('instances per function', o.instancesPerFunction, d.instancesPerFunction),
    minFunctionLines: positive('minimum function lines', o.minFunctionLines, d.minFunctionLines),
    shard: o.shard ?? null,
    maxP1Lines: whole('P1 line limit', o.maxP1Lines, 40),
    budgets: { maxTotalTokens: o.maxTotalTokens ?? null, maxWallMs: o.maxWallMs ?? null },
    teacher: { baseUrls: o.teacher.baseUrls, model: o.teacher.model, temperature: o.teacher.temperature ?? d.temperature, maxTokens: o.teacher.maxTokens ?? null },
  };
}
