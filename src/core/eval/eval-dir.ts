import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { JsonlWriter, readJsonl, RunDirError, writeFileAtomically, isTemporaryName } from '../store';
import type { EvalManifest, EvalResult, EvalTask } from './types';

/** An eval run's files. The lock, trajectories and .gitignore are named as a generation run's, so the run lock works on both. */
export const EVAL_FILES = {
  manifest: 'eval.json',
  tasks: 'tasks.jsonl',
  results: 'results.jsonl',
  events: 'events.jsonl',
  trajectories: 'trajectories',
  lock: 'lock.json',
  ignore: '.gitignore',
  /** Written by eval-report next to the records it reads. */
  plot: 'recall.svg',
} as const;

export function defaultEvalsFolder(repo: string): string {
  return join(resolve(repo), '.specializer', 'evals');
}

export function isEvalDir(dir: string): boolean {
  return existsSync(join(dir, EVAL_FILES.manifest));
}

/** True when `dir` holds nothing but what an eval run writes (an eval stopped while starting). */
export function holdsOnlyEvalFiles(dir: string): boolean {
  const own = new Set<string>(Object.values(EVAL_FILES));
  return readdirSync(dir).every((name) => own.has(name) || isTemporaryName(name));
}

/** The key of one task solved by one model. */
export const pairKey = (taskId: string, model: string) => `${taskId}\u0000${model}`;

export interface EvalState {
  manifest: EvalManifest;
  tasks: EvalTask[];
  /** The latest result of each pair (see pairKey). */
  results: Map<string, EvalResult>;
}

export function readEvalManifest(dir: string): EvalManifest {
  const path = join(dir, EVAL_FILES.manifest);
  let manifest: EvalManifest;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8')) as EvalManifest;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new RunDirError(`${resolve(dir)} is not an eval run (it has no ${EVAL_FILES.manifest}); give the folder \`specialize eval\` wrote.`);
    throw new RunDirError(`${path} cannot be read: ${(error as Error).message}.`);
  }
  if (manifest.format !== 1 || manifest.kind !== 'eval') throw new RunDirError(`${path} is not an eval manifest this version reads; update Repo Specializer.`);
  return manifest;
}

export function readEvalState(dir: string): EvalState {
  const manifest = readEvalManifest(dir);
  const tasks = readJsonl<EvalTask>(join(dir, EVAL_FILES.tasks));
  const results = new Map<string, EvalResult>();
  for (const r of readJsonl<EvalResult>(join(dir, EVAL_FILES.results))) results.set(pairKey(r.taskId, r.model), r);
  return { manifest, tasks, results };
}

/** A file-name-safe form of a model label. */
export function labelSlug(label: string): string {
  return label.replace(/[^\w.-]/g, '_').slice(0, 80) || 'model';
}

/** The writers of one eval run in progress; tasks and manifest are written once, results appended. */
export class EvalWriter {
  private readonly results: JsonlWriter;
  private readonly events: JsonlWriter;

  private constructor(readonly dir: string) {
    mkdirSync(join(dir, EVAL_FILES.trajectories), { recursive: true });
    this.results = new JsonlWriter(join(dir, EVAL_FILES.results));
    this.events = new JsonlWriter(join(dir, EVAL_FILES.events));
  }

  /** Creates the eval run (tasks first, the manifest last: its presence means the run is whole), or reopens it. */
  static open(dir: string, manifest: EvalManifest, tasks: EvalTask[]): EvalWriter {
    mkdirSync(dir, { recursive: true });
    if (!existsSync(join(dir, EVAL_FILES.ignore))) writeFileSync(join(dir, EVAL_FILES.ignore), '*\n');
    if (!isEvalDir(dir)) {
      writeFileAtomically(join(dir, EVAL_FILES.tasks), tasks.map((t) => JSON.stringify(t)).join('\n') + (tasks.length ? '\n' : ''));
      writeFileAtomically(join(dir, EVAL_FILES.manifest), JSON.stringify(manifest, null, 2) + '\n');
    }
    return new EvalWriter(dir);
  }

  trajectoryPath(taskId: string, label: string): { absolute: string; relative: string } {
    const relative = `${EVAL_FILES.trajectories}/${taskId}.${labelSlug(label)}.json`;
    return { absolute: join(this.dir, relative), relative };
  }

  result(record: EvalResult): void {
    this.results.append(record);
  }

  event(kind: string, data: Record<string, unknown> = {}): void {
    this.events.append({ at: new Date().toISOString(), kind, ...data });
  }

  close(): void {
    this.results.close();
    this.events.close();
  }
}
