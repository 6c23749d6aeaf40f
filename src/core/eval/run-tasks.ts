import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ExportError, resolveOptions, type ResolvedOptions } from '../dataset/options';
import { functionKey, openRuns, readSamples, runLabel, selectSample, type RunSource } from '../dataset/select';
import { splitByFunction, type FunctionSplit } from '../dataset/split';
import { FILES } from '../store';
import { changedLines } from '../verify';
import { EvalError } from './errors';
import type { EvalTask, SplitRecord, TaskSourceRecord } from './types';

export interface RunTaskOptions {
  runDirs: string[];
  /** An export folder: its recorded split (and selection options) are used as they are. */
  split?: string;
  /** Otherwise the split is computed here, as `specialize export --validation F` with default options makes it. */
  validation?: number;
}

export interface RunTasks {
  tasks: EvalTask[];
  runs: TaskSourceRecord['runs'];
  split: SplitRecord;
}

/**
 * The held-out samples of generation runs as tasks: the samples an export selects whose start
 * function the split held out of training, i.e. what data/validation.jsonl holds. The task is the
 * sample's synthetic PR text, the reference its P1, the copy starts at the run's base commit.
 */
export async function runTasks(o: RunTaskOptions): Promise<RunTasks> {
  let runs: RunSource[];
  try {
    runs = openRuns(o.runDirs);
  } catch (error) {
    if (error instanceof ExportError) throw new EvalError(error.message);
    throw error;
  }
  const { split, options } = o.split ? recordedSplit(o.split) : await computedSplit(runs, o);
  if (!split.heldOut.length) throw new EvalError('The split holds no start function out of training, so no run sample is unseen; export with --validation above 0 (or pass a larger --validation).');
  const heldOut = new Set(split.heldOut);
  const tasks: EvalTask[] = [];
  const seen = new Set<string>();
  for (const run of runs) {
    for await (const record of readSamples(run)) {
      if (seen.has(record.id) || !heldOut.has(functionKey(record, run))) continue;
      if (!('decision' in selectSample(record, run, options))) continue;
      const reference = record.rollout1?.patch ?? '';
      const text = record.syntheticPr?.text;
      if (!text || record.rollout1?.exit.status !== 'submitted') continue;
      const lines = changedLines(reference).length;
      if (!lines) continue;
      seen.add(record.id);
      tasks.push({
        id: `r-${record.id}`.replace(/[^\w.-]/g, '_'),
        origin: { kind: 'run', runId: runLabel(run), sampleId: record.id, function: record.function },
        baseCommit: run.manifest.repository.baseCommit,
        snapshotStore: run.manifest.repository.snapshotOfUncommitted ? join(run.dir, FILES.snapshot) : null,
        statement: text,
        reference,
        referenceLines: lines,
      });
    }
  }
  return {
    tasks,
    runs: runs.map((r) => ({ runId: runLabel(r), baseCommit: r.manifest.repository.baseCommit })),
    split,
  };
}

function recordedSplit(dir: string): { split: SplitRecord; options: ResolvedOptions } {
  const path = join(resolve(dir), 'export.json');
  let manifest: { options?: ResolvedOptions; split?: FunctionSplit };
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new EvalError(`--split ${dir} is not an export folder (it has no readable export.json); give the folder \`specialize export\` wrote.`);
  }
  if (!manifest.split || !Array.isArray(manifest.split.heldOut) || !manifest.options) {
    throw new EvalError(`${path} records no split by function (an older export); export again with --validation, or pass --validation here instead of --split.`);
  }
  return { split: { export: resolve(dir), ...manifest.split }, options: manifest.options };
}

async function computedSplit(runs: RunSource[], o: RunTaskOptions): Promise<{ split: SplitRecord; options: ResolvedOptions }> {
  if (!o.validation) {
    throw new EvalError('Tasks from runs need the split the training data was made with: give --split EXPORT_DIR (the export the model was trained on) or --validation FRACTION (as given to export).');
  }
  let options: ResolvedOptions;
  try {
    options = resolveOptions({ runDirs: runs.map((r) => r.dir), out: '', validation: o.validation });
  } catch (error) {
    if (error instanceof ExportError) throw new EvalError(error.message);
    throw error;
  }
  const { split } = await splitByFunction(runs, options);
  return { split: { export: null, ...split }, options };
}
