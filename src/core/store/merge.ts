import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { readJsonl } from './jsonl';
import { FILES, isRunDir, readManifest, RunDirError, RunWriter } from './run-dir';
import type { DecisionRecord, PlannedSample, RunManifest, SampleRecord, StageRecord } from './records';
import { JsonlWriter } from './jsonl';

export interface MergeResult {
  out: string;
  samples: number;
  duplicates: number;
  sources: number;
}

/**
 * Joins run directories made from the same base commit (typically shards of one run) into a new
 * one. A sample id present in several inputs is kept once, from the first input that finished it.
 */
export function mergeRuns(inputs: string[], out: string): MergeResult {
  if (inputs.length < 1) throw new RunDirError('Give at least one run directory to merge.');
  const target = resolve(out);
  if (isRunDir(target)) throw new RunDirError(`${target} is already a run directory; choose a new --out folder.`);
  const manifests = inputs.map((dir) => readManifest(dir));
  const base = manifests[0].repository.baseCommit;
  const odd = inputs.find((_, i) => manifests[i].repository.baseCommit !== base);
  if (odd) throw new RunDirError(`${odd} was made from commit ${manifests[inputs.indexOf(odd)].repository.baseCommit.slice(0, 12)}, not ${base.slice(0, 12)}; only runs of the same base commit can be merged.`);

  const plan = new Map<string, PlannedSample>();
  for (const dir of inputs) for (const p of readJsonl<PlannedSample>(join(dir, FILES.plan))) if (!plan.has(p.id)) plan.set(p.id, p);
  const first = manifests[0];
  const manifest: RunManifest = {
    ...first,
    runId: basename(target),
    createdAt: new Date().toISOString(),
    settings: { ...first.settings, samples: plan.size, shard: null },
  };
  mkdirSync(target, { recursive: true });
  // a run of uncommitted changes starts from a snapshot commit whose objects only the run holds
  for (const dir of inputs) {
    const snapshot = join(dir, FILES.snapshot);
    if (existsSync(snapshot)) cpSync(snapshot, join(target, FILES.snapshot), { recursive: true, force: false });
  }
  const writer = RunWriter.open(target, manifest, [...plan.values()]);
  const seen = new Set<string>();
  let duplicates = 0;
  try {
    for (const dir of inputs) {
      for (const record of readJsonl<SampleRecord>(join(dir, FILES.samples))) {
        if (seen.has(record.id)) {
          duplicates++;
          continue;
        }
        seen.add(record.id);
        writer.finish(record);
        for (const rollout of [record.rollout1, record.rollout2]) {
          const from = rollout ? join(dir, rollout.trajectory) : '';
          if (rollout && existsSync(from)) copyFileSync(from, join(target, rollout.trajectory));
        }
      }
    }
    // Unfinished samples keep their stages, so the merged run can be resumed.
    for (const dir of inputs) {
      for (const stage of readJsonl<StageRecord>(join(dir, FILES.stages))) {
        if (seen.has(stage.sampleId)) continue;
        writer.stage(stage);
      }
      const trajDir = join(dir, FILES.trajectories);
      if (existsSync(trajDir)) {
        // only whole trajectories: a killed writer may have left the temporary file of a save
        for (const name of readdirSync(trajDir).filter((n) => n.endsWith('.json'))) {
          const id = name.split('.')[0];
          if (!seen.has(id) && !existsSync(join(target, FILES.trajectories, name))) copyFileSync(join(trajDir, name), join(target, FILES.trajectories, name));
        }
      }
    }
    writer.event('merged', { from: inputs.map((d) => resolve(d)), samples: seen.size, duplicates });
  } finally {
    writer.close();
  }
  const decisions = new JsonlWriter(join(target, FILES.decisions));
  try {
    for (const dir of inputs) for (const d of readJsonl<DecisionRecord>(join(dir, FILES.decisions))) decisions.append(d);
  } finally {
    decisions.close();
  }
  return { out: target, samples: seen.size, duplicates, sources: inputs.length };
}
