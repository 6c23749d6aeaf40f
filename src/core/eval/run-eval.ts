import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { simpleGit } from 'simple-git';
import { GenerateError } from '../generation/errors';
import { DEFAULT_ROLLOUT_WALL_MS, TOOL_VERSION } from '../generation/generate';
import { checkTeacherReachable, EVAL_ADVICE } from '../generation/preflight';
import { bwrapAvailable, type SandboxMode } from '../sandbox';
import { claimRunFolder, defaultRunId, RunControl, type StopReason } from '../store';
import { createTeacher } from '../teacher';
import type { Teacher } from '../teacher/types';
import { attemptTask, type ModelUnderTest } from './attempt';
import { BasePools } from './base-pools';
import { defaultEvalsFolder, EVAL_FILES, EvalWriter, holdsOnlyEvalFiles, isEvalDir, pairKey, readEvalState } from './eval-dir';
import { EvalError } from './errors';
import { commitOf, historyTasks, type HistoryOptions } from './history-tasks';
import { checkLabels, type ModelSpec } from './models';
import { runTasks, type RunTaskOptions } from './run-tasks';
import type { EvalManifest, EvalModel, EvalResult, EvalSettings, EvalTask, TaskSourceRecord } from './types';

export interface EvalOptions {
  repo: string;
  /** Eval directory; default REPO/.specializer/evals/<id>. An existing one is resumed. */
  out?: string;
  /** Where tasks come from; needed for a new eval, ignored on resume. */
  tasks?: { runs: RunTaskOptions } | { history: Omit<HistoryOptions, 'repo'> };
  /** Needed for a new eval. On resume, a model given again (by label) may point at other endpoints. */
  models?: ModelSpec[];
  /** Recall a submitted patch needs for the task to count as resolved. Default 0.5. */
  threshold?: number;
  maxSteps?: number;
  concurrency?: number;
  sandbox?: SandboxMode;
  temperature?: number;
  /** Longest wait for one model answer before it is abandoned and retried; the client's default otherwise. */
  requestTimeoutMs?: number;
  /** Wall-time budget of one rollout (status time-limit past it); default that of generation. */
  rolloutWallMs?: number;
  maxTotalTokens?: number;
  maxWallMs?: number;
  dockerImage?: string;
  signal?: AbortSignal;
  onProgress?: (p: EvalProgress) => void;
  onEvent?: (kind: string, data: Record<string, unknown>) => void;
  /** For benchmarks: models other than the OpenAI client (still speaking to a real server). */
  teacherOverride?: (model: EvalModel) => Teacher;
}

export interface EvalProgress {
  /** Pairs of task and model. */
  total: number;
  done: number;
  resolved: number;
  submitted: number;
  errors: number;
  inFlight: number;
  tokens: number;
  elapsedMs: number;
  etaMs: number | null;
}

export interface EvalSummary {
  evalDir: string;
  resumed: boolean;
  tasks: number;
  models: string[];
  source: TaskSourceRecord;
  progress: EvalProgress;
  stoppedBy: StopReason;
}

/** Creates an eval run (or resumes the one in `out`) and runs every model on every task. */
export async function runEval(o: EvalOptions): Promise<EvalSummary> {
  const repo = resolve(o.repo);
  if (!existsSync(repo)) throw new EvalError(`${repo} does not exist; give the path of a git repository.`);
  const dir = resolve(o.out ?? join(defaultEvalsFolder(repo), defaultRunId()));
  const folder = claimRunFolder(dir, { what: 'an eval run', isRun: isEvalDir, holdsOnlyItsFiles: holdsOnlyEvalFiles }, (message, why) => new EvalError(message, why === 'locked' ? 'cannot-start' : undefined));
  try {
    return await evalLocked(o, repo, dir, folder.lock);
  } finally {
    folder.release();
  }
}

async function evalLocked(o: EvalOptions, repo: string, dir: string, lock: () => void): Promise<EvalSummary> {
  const previous = isEvalDir(dir) ? readEvalState(dir) : undefined;
  const settings: EvalSettings = previous ? previous.manifest.settings : settingsFrom(o);
  settings.concurrency = o.concurrency ?? settings.concurrency;
  settings.budgets = { maxTotalTokens: o.maxTotalTokens ?? null, maxWallMs: o.maxWallMs ?? null };
  const specs = modelsFor(o, previous?.manifest.models);
  const models: (EvalModel & { teacher: Teacher })[] = [];
  for (const spec of specs) {
    let name = spec.model;
    if (!o.teacherOverride) {
      try {
        name = await checkTeacherReachable({ baseUrls: spec.baseUrls, model: spec.model, apiKey: spec.apiKey }, o.signal, EVAL_ADVICE);
      } catch (error) {
        if (error instanceof GenerateError) throw new EvalError(`Model ${spec.label}: ${error.message}`, 'cannot-start');
        throw error;
      }
    }
    const record: EvalModel = { label: spec.label, model: name, baseUrls: spec.baseUrls };
    const teacher = o.teacherOverride?.(record) ?? createTeacher({ baseUrls: spec.baseUrls, model: name, apiKey: spec.apiKey, temperature: settings.temperature, timeoutMs: o.requestTimeoutMs });
    models.push({ ...record, teacher });
  }

  let manifest: EvalManifest;
  let tasks: EvalTask[];
  if (previous) {
    manifest = previous.manifest;
    tasks = previous.tasks;
  } else {
    const made = await makeTasks(o, repo);
    tasks = made.tasks;
    if (!tasks.length) throw new EvalError(noTasksMessage(made.source), 'no-tasks');
    await checkBases(repo, tasks);
    manifest = {
      format: 1,
      kind: 'eval',
      evalId: basename(dir),
      createdAt: new Date().toISOString(),
      tool: { name: 'repo-specializer', version: TOOL_VERSION },
      repository: { name: basename(repo), head: (await simpleGit({ baseDir: repo }).revparse(['HEAD'])).trim() },
      source: made.source,
      models: models.map(({ label, model, baseUrls }) => ({ label, model, baseUrls })),
      settings,
    };
    mkdirSync(dir, { recursive: true });
    if (!existsSync(join(dir, EVAL_FILES.ignore))) writeFileSync(join(dir, EVAL_FILES.ignore), '*\n');
  }
  lock();
  const writer = EvalWriter.open(dir, manifest, tasks);
  const pools = new BasePools({ repo, mode: settings.sandbox as SandboxMode, dockerImage: o.dockerImage });
  try {
    return await runPairs({ o, dir, manifest, tasks, models, settings, writer, pools, previous: previous?.results ?? new Map(), resumed: Boolean(previous) });
  } finally {
    writer.close();
    await pools.disposeAll();
  }
}

interface PairsRun {
  o: EvalOptions;
  dir: string;
  manifest: EvalManifest;
  tasks: EvalTask[];
  models: (EvalModel & { teacher: Teacher })[];
  settings: EvalSettings;
  writer: EvalWriter;
  pools: BasePools;
  previous: Map<string, EvalResult>;
  resumed: boolean;
}

async function runPairs(r: PairsRun): Promise<EvalSummary> {
  const { o, settings, writer, pools } = r;
  const progress: EvalProgress = { total: r.tasks.length * r.models.length, done: 0, resolved: 0, submitted: 0, errors: 0, inFlight: 0, tokens: 0, elapsedMs: 0, etaMs: null };
  // Task-major order: the models of one task run side by side, so its base's pool is made once and goes soon.
  const pending: { task: EvalTask; model: ModelUnderTest }[] = [];
  for (const task of r.tasks) {
    for (const model of r.models) {
      const before = r.previous.get(pairKey(task.id, model.label));
      if (before && !before.error) count(progress, before);
      else {
        pending.push({ task, model: { label: model.label, teacher: model.teacher } });
        pools.expect(task);
      }
    }
  }
  writer.event(r.resumed ? 'resumed' : 'started', { tasks: r.tasks.length, models: r.models.map((m) => m.label), pending: pending.length, concurrency: settings.concurrency });
  o.onEvent?.(r.resumed ? 'resumed' : 'started', { evalDir: r.dir, tasks: r.tasks.length, models: r.models.length, pending: pending.length });

  const control = new RunControl(settings.concurrency, o.signal, settings.budgets);
  const signal = control.signal;
  const started = performance.now();
  let doneNow = 0;
  const report = () => {
    progress.elapsedMs = Math.round(performance.now() - started);
    progress.etaMs = doneNow > 0 ? Math.round((progress.elapsedMs / doneNow) * (progress.total - progress.done)) : null;
    o.onProgress?.({ ...progress });
  };
  report();

  const ctx = { pools, writer, threshold: settings.threshold, limits: { maxSteps: settings.maxSteps, maxWallMs: o.rolloutWallMs ?? DEFAULT_ROLLOUT_WALL_MS }, signal };
  let next = 0;
  const worker = async () => {
    while (!signal.aborted && next < pending.length) {
      const { task, model } = pending[next++];
      progress.inFlight++;
      report();
      let result: EvalResult | null;
      try {
        result = await attemptTask(ctx, task, model);
      } finally {
        progress.inFlight--;
      }
      if (result) {
        writer.result(result);
        writer.event('result', { task: task.id, model: model.label, recall: result.score?.recall ?? null, resolved: result.resolved, error: result.error });
        o.onEvent?.('result', { task: task.id, model: model.label, recall: result.score?.recall ?? null, resolved: result.resolved, error: result.error });
        count(progress, result);
        doneNow++;
        // The pool of this base may go: the copy is back.
        pools.done(task);
        control.spent(progress.tokens);
      }
      report();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(settings.concurrency, pending.length)) }, worker));
  const stoppedBy = control.finish();
  writer.event('stopped', { reason: stoppedBy, ...progress });
  report();
  return { evalDir: r.dir, resumed: r.resumed, tasks: r.tasks.length, models: r.models.map((m) => m.label), source: r.manifest.source, progress, stoppedBy };
}

function count(progress: EvalProgress, result: EvalResult): void {
  progress.tokens += result.usage.promptTokens + result.usage.completionTokens;
  if (result.error) {
    progress.errors++;
    return;
  }
  progress.done++;
  if (result.resolved) progress.resolved++;
  if (result.submitted) progress.submitted++;
}

function modelsFor(o: EvalOptions, recorded: EvalModel[] | undefined): ModelSpec[] {
  if (!recorded) {
    const specs = o.models ?? [];
    checkLabels(specs);
    return specs;
  }
  const given = new Map((o.models ?? []).map((m) => [m.label, m]));
  for (const label of given.keys()) {
    if (!recorded.some((m) => m.label === label)) throw new EvalError(`This eval run has no model "${label}" (it has ${recorded.map((m) => m.label).join(', ')}); start a new eval to add a model.`);
  }
  return recorded.map((m) => given.get(m.label) ?? { label: m.label, model: m.model, baseUrls: m.baseUrls });
}

async function makeTasks(o: EvalOptions, repo: string): Promise<{ tasks: EvalTask[]; source: TaskSourceRecord }> {
  if (!o.tasks) throw new EvalError('Say where the tasks come from: --tasks RUN_DIR... (held-out samples of generation runs) or --history (commits of the repository).');
  if ('runs' in o.tasks) {
    const made = await runTasks(o.tasks.runs);
    return { tasks: made.tasks, source: { kind: 'runs', runs: made.runs, split: made.split, history: null } };
  }
  const made = await historyTasks({ ...o.tasks.history, repo });
  return { tasks: made.tasks, source: { kind: 'history', runs: [], split: null, history: made.record } };
}

function noTasksMessage(source: TaskSourceRecord): string {
  if (source.kind === 'runs') return `No sample of the given runs is in the held-out split (${source.split?.heldOut.length ?? 0} functions held out); use runs with more verified samples, or a larger --validation.`;
  const h = source.history!;
  const why = Object.entries(h.skipped).map(([k, n]) => `${n} ${k}`).join(', ');
  return `None of the ${h.considered} commits looked at makes a task${why ? ` (${why})` : ''}; widen --max-lines, lower --min-message-chars or move --since back.`;
}

/** Every task's base must be in this repository: a run made on another repository is refused here. */
async function checkBases(repo: string, tasks: EvalTask[]): Promise<void> {
  const git = simpleGit({ baseDir: repo });
  for (const base of new Set(tasks.filter((t) => !t.snapshotStore).map((t) => t.baseCommit))) {
    if (!(await commitOf(git, base))) {
      throw new EvalError(`Commit ${base.slice(0, 12)}, a run's base, is not in ${repo}; give the repository the runs were generated on.`, 'cannot-start');
    }
  }
}

function settingsFrom(o: EvalOptions): EvalSettings {
  const threshold = o.threshold ?? 0.5;
  if (!(threshold >= 0 && threshold <= 1)) throw new EvalError(`The resolve threshold must be a recall between 0 and 1; got ${threshold}.`);
  const positive = (name: string, value: number | undefined, fallback: number) => {
    const v = value ?? fallback;
    if (!Number.isInteger(v) || v < 1) throw new EvalError(`${name} must be a whole number of at least 1; got ${value}.`);
    return v;
  };
  return {
    threshold,
    maxSteps: positive('--max-steps', o.maxSteps, 115),
    concurrency: positive('--concurrency', o.concurrency, 4),
    sandbox: o.sandbox ?? (bwrapAvailable() ? 'bwrap' : 'off'),
    temperature: o.temperature ?? 0.6,
    budgets: { maxTotalTokens: o.maxTotalTokens ?? null, maxWallMs: o.maxWallMs ?? null },
  };
}
