import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FILES } from '../defaults';
import { isTemporaryName, writeFileAtomically } from './atomic-write';
import { JsonlWriter, readJsonl } from './jsonl';
import type { DecisionRecord, PlannedSample, RunManifest, SampleRecord, StageRecord } from './records';

export { FILES } from '../defaults';

/** True when `dir` holds nothing but what a run writes, also before its run.json exists (a run stopped while starting). */
export function holdsOnlyRunFiles(dir: string): boolean {
  const own = new Set<string>(Object.values(FILES));
  return readdirSync(dir).every((name) => own.has(name) || isTemporaryName(name));
}

/**
 * Makes a run folder that ignores itself in git: the run lives inside the user's repository by
 * default and must never be committed by accident, nor seen by a snapshot of uncommitted files.
 */
export function makeRunFolder(dir: string): void {
  makeSelfIgnoringFolder(dir);
}

/** Makes `dir` (if need be) and gives it a `.gitignore` of `*` once: git then ignores the folder, that file included. */
export function makeSelfIgnoringFolder(dir: string): void {
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(dir, FILES.ignore))) writeFileSync(join(dir, FILES.ignore), '*\n');
}

/** A run directory that cannot be used as asked; the message says what to do. */
export class RunDirError extends Error {}

export function defaultRunId(now = new Date()): string {
  return now.toISOString().replace(/[:.]/g, '-').replace('T', '_').slice(0, 19);
}

export function isRunDir(dir: string): boolean {
  return existsSync(join(dir, FILES.manifest));
}

export function readManifest(dir: string): RunManifest {
  const path = join(dir, FILES.manifest);
  let manifest: RunManifest;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8')) as RunManifest;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new RunDirError(`${resolve(dir)} is not a run directory (it has no ${FILES.manifest}).`);
    throw new RunDirError(`${path} cannot be read: ${(error as Error).message}.`);
  }
  if (manifest.format !== 1) throw new RunDirError(`${path} has format ${String(manifest.format)}, which this version does not read; update Repo Specializer.`);
  return manifest;
}

/** What a run directory holds at one moment: finished samples and the stages of unfinished ones. */
export interface RunState {
  manifest: RunManifest;
  plan: PlannedSample[];
  finished: Map<string, SampleRecord>;
  stages: Map<string, Partial<{ [K in StageRecord['stage']]: Extract<StageRecord, { stage: K }>['data'] }>>;
}

export function readRunState(dir: string): RunState {
  const manifest = readManifest(dir);
  const plan = readJsonl<PlannedSample>(join(dir, FILES.plan));
  const finished = new Map<string, SampleRecord>();
  for (const record of readJsonl<SampleRecord>(join(dir, FILES.samples))) if (!finished.has(record.id)) finished.set(record.id, record);
  const stages: RunState['stages'] = new Map();
  for (const record of readJsonl<StageRecord>(join(dir, FILES.stages))) {
    if (finished.has(record.sampleId)) continue;
    const entry = stages.get(record.sampleId) ?? {};
    (entry as Record<string, unknown>)[record.stage] = record.data;
    stages.set(record.sampleId, entry);
  }
  return { manifest, plan, finished, stages };
}

/** Latest decision per sample, from the append-only decisions log. */
export function readDecisions(dir: string): Map<string, DecisionRecord> {
  const latest = new Map<string, DecisionRecord>();
  for (const d of readJsonl<DecisionRecord>(join(dir, FILES.decisions))) latest.set(d.sampleId, d);
  return latest;
}

/** The writers of one run in progress. */
export class RunWriter {
  readonly stages: JsonlWriter;
  readonly samples: JsonlWriter;
  readonly events: JsonlWriter;

  private constructor(readonly dir: string) {
    mkdirSync(join(dir, FILES.trajectories), { recursive: true });
    this.stages = new JsonlWriter(join(dir, FILES.stages));
    this.samples = new JsonlWriter(join(dir, FILES.samples));
    this.events = new JsonlWriter(join(dir, FILES.events));
  }

  /** Creates a new run directory, or reopens an existing one for resuming. */
  static open(dir: string, manifest: RunManifest, plan: PlannedSample[]): RunWriter {
    makeRunFolder(dir);
    if (!existsSync(join(dir, FILES.manifest))) {
      writeFileAtomically(join(dir, FILES.plan), plan.map((p) => JSON.stringify(p)).join('\n') + (plan.length ? '\n' : ''));
      writeFileAtomically(join(dir, FILES.manifest), JSON.stringify(manifest, null, 2) + '\n');
    }
    return new RunWriter(dir);
  }

  trajectoryPath(sampleId: string, rollout: 1 | 2): { absolute: string; relative: string } {
    const relative = `${FILES.trajectories}/${sampleId}.r${rollout}.json`;
    return { absolute: join(this.dir, relative), relative };
  }

  stage(record: StageRecord): void {
    this.stages.append(record);
  }

  finish(record: SampleRecord): void {
    this.samples.append(record);
  }

  event(kind: string, data: Record<string, unknown> = {}): void {
    this.events.append({ at: new Date().toISOString(), kind, ...data });
  }

  close(): void {
    this.stages.close();
    this.samples.close();
    this.events.close();
  }
}
