import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runHolder } from '../store';
import { EVAL_FILES, isEvalDir, readEvalState } from './eval-dir';

/** What a list of eval runs shows of one: where its tasks come from, its models, how far it is. */
export interface EvalListing {
  evalDir: string;
  evalId: string;
  createdAt: string;
  repository: string;
  source: { kind: 'runs' | 'history'; runs: string[]; since: string | null };
  models: { label: string; model: string }[];
  tasks: number;
  /** Tasks every model has a result on (scored or failed). */
  tasksDone: number;
  pairs: { total: number; scored: number; errors: number };
  threshold: number;
  /** The process writing into the eval right now (`specialize eval`), if any. */
  holder: { pid: number; host: string } | null;
}

/** Reads one eval run's manifest, tasks and results into its listing. */
export function describeEval(evalDir: string): EvalListing {
  const { manifest, tasks, results } = readEvalState(evalDir);
  const labels = manifest.models.map((m) => m.label);
  let scored = 0;
  let errors = 0;
  for (const r of results.values()) {
    if (!labels.includes(r.model)) continue;
    if (r.error || !r.score) errors++;
    else scored++;
  }
  const done = new Map<string, number>();
  for (const r of results.values()) if (labels.includes(r.model)) done.set(r.taskId, (done.get(r.taskId) ?? 0) + 1);
  const holder = runHolder(evalDir);
  return {
    evalDir,
    evalId: manifest.evalId,
    createdAt: manifest.createdAt,
    repository: manifest.repository.name,
    source: { kind: manifest.source.kind, runs: manifest.source.runs.map((r) => r.runId), since: manifest.source.history?.since ?? null },
    models: manifest.models.map((m) => ({ label: m.label, model: m.model })),
    tasks: tasks.length,
    tasksDone: tasks.filter((t) => done.get(t.id) === labels.length).length,
    pairs: { total: tasks.length * labels.length, scored, errors },
    threshold: manifest.settings.threshold,
    holder: holder ? { pid: holder.pid, host: holder.host } : null,
  };
}

/**
 * The eval runs in a folder (REPO/.specializer/evals), newest first by name, as the default ids
 * are timestamps. A folder that is not an eval run, or one being created or damaged, is left out.
 */
export function listEvals(folder: string): EvalListing[] {
  if (!existsSync(folder)) return [];
  const out: EvalListing[] = [];
  for (const name of readdirSync(folder).sort().reverse()) {
    const dir = join(folder, name);
    try {
      if (isEvalDir(dir)) out.push(describeEval(dir));
    } catch {
      // left out until it can be read
    }
  }
  return out;
}

/**
 * Sizes and times of the files an eval's report is read from, and whether a writer holds its
 * lock (not the lock's heartbeat): equal keys mean nothing new to read.
 */
export function evalFilesKey(evalDir: string): string {
  return [EVAL_FILES.manifest, EVAL_FILES.tasks, EVAL_FILES.results, EVAL_FILES.lock]
    .map((name) => {
      try {
        const st = statSync(join(evalDir, name));
        return name === EVAL_FILES.lock ? 'locked' : `${st.size}:${st.mtimeMs}`;
      } catch {
        return '-';
      }
    })
    .join('|');
}
