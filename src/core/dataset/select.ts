import { createReadStream, existsSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { createInterface } from 'node:readline';
import { FILES, readDecisions, readManifest, RunDirError, type DecisionRecord, type RunManifest, type SampleRecord } from '../store';
import { changedLines, PatchParseError } from '../verify';
import { ExportError, type ResolvedOptions } from './options';
import type { RowMeta } from './row';
import type { ExportTally } from './tally';

/** A run directory as the exporter sees it. */
export interface RunSource {
  dir: string;
  manifest: RunManifest;
  decisions: Map<string, DecisionRecord>;
  /** The checkout the run was made in, when the run lives in its default place inside it. */
  checkout: string | null;
}

export function openRuns(dirs: string[]): RunSource[] {
  return dirs.map((d) => {
    const dir = resolve(d);
    let manifest: RunManifest;
    try {
      manifest = readManifest(dir);
    } catch (error) {
      if (error instanceof RunDirError) throw new ExportError(error.message);
      throw error;
    }
    return { dir, manifest, decisions: readDecisions(dir), checkout: checkoutOf(dir) };
  });
}

/** Runs default to REPO/.specializer/runs/<id>; the part before that is the user's checkout. */
function checkoutOf(dir: string): string | null {
  const marker = `${sep}.specializer${sep}runs${sep}`;
  const at = dir.indexOf(marker);
  return at > 0 ? dir.slice(0, at) : null;
}

/** Finished samples, one at a time, so 100k samples never sit in memory together. */
export async function* readSamples(run: RunSource): AsyncGenerator<SampleRecord> {
  const path = join(run.dir, FILES.samples);
  if (!existsSync(path)) return;
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 }), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    let record: SampleRecord;
    try {
      record = JSON.parse(line) as SampleRecord;
    } catch {
      continue; // the torn last line of a killed writer
    }
    yield record;
  }
}

export type SampleDrop = 'duplicate-sample' | 'rejected' | 'not-accepted' | 'p1-too-large' | 'unverified' | 'below-threshold';

/** Decisions first (accepted always in, rejected always out), then the recall threshold for the rest. */
export function selectSample(record: SampleRecord, run: RunSource, o: ResolvedOptions): { decision: 'accepted' | 'undecided' } | { drop: SampleDrop } {
  const decision = run.decisions.get(record.id)?.decision;
  if (decision === 'rejected') return { drop: 'rejected' };
  if (decision === 'accepted') return { decision: 'accepted' };
  if (o.onlyAccepted) return { drop: 'not-accepted' };
  // stopped on purpose after rollout 1 (its P1 was over the run's --max-p1-lines): told apart from failures, which the card explains
  if (record.status === 'too-large') return { drop: 'p1-too-large' };
  const recall = record.verification?.recall ?? null;
  if (recall === null) return { drop: 'unverified' };
  const threshold = o.threshold ?? run.manifest.settings.threshold;
  return recall >= threshold ? { decision: 'undecided' } : { drop: 'below-threshold' };
}

export type TrajectoryDrop = 'no-rollout' | 'not-submitted' | 'patch-lines' | 'unreadable-patch';

export interface Candidate {
  which: 't1' | 't2';
  patch: string;
  trajectoryPath: string;
}

/** The trajectories of a selected sample that pass the checks needing no trajectory file. */
export function candidates(record: SampleRecord, run: RunSource, o: ResolvedOptions, onDrop: (reason: TrajectoryDrop) => void): Candidate[] {
  const out: Candidate[] = [];
  const wanted: ('t1' | 't2')[] = o.trajectories === 'both' ? ['t1', 't2'] : [o.trajectories];
  for (const which of wanted) {
    const rollout = which === 't1' ? record.rollout1 : record.rollout2;
    if (!rollout) {
      onDrop('no-rollout');
      continue;
    }
    if (rollout.exit.status !== 'submitted' && !o.includeUnsubmitted) {
      onDrop('not-submitted');
      continue;
    }
    if (o.maxPatchLines > 0) {
      let lines: number;
      try {
        lines = changedLines(rollout.patch).length;
      } catch (error) {
        if (!(error instanceof PatchParseError)) throw error;
        onDrop('unreadable-patch');
        continue;
      }
      if (lines > o.maxPatchLines) {
        onDrop('patch-lines');
        continue;
      }
    }
    out.push({ which, patch: rollout.patch, trajectoryPath: join(run.dir, rollout.trajectory) });
  }
  return out;
}

/** The start function as the split sees it: the same function in two runs is one function. */
export function functionKey(record: SampleRecord, run: RunSource): string {
  return `${run.manifest.repository.name}\u0000${record.function.file}\u0000${record.function.qualifiedName}`;
}

export function runLabel(run: RunSource): string {
  return run.manifest.runId || basename(run.dir) || basename(dirname(run.dir));
}

/** A trajectory chosen for export, before it is rendered. */
export interface RowTicket {
  meta: RowMeta;
  trajectoryPath: string;
  patch: string;
  validation: boolean;
}

/**
 * Every selected sample's trajectories (after split.ts's splitByFunction chose the split), in run and file order. What the selection
 * leaves out is counted in `tally` here; `checkCancel` runs before each sample.
 */
export async function* selectRows(runs: RunSource[], o: ResolvedOptions, validationKeys: Set<string>, tally: ExportTally, checkCancel: () => void): AsyncGenerator<RowTicket> {
  const perSample = o.trajectories === 'both' ? 2 : 1;
  const seenIds = new Set<string>();
  for (const run of runs) {
    for await (const record of readSamples(run)) {
      checkCancel();
      const chosen = seenIds.has(record.id) ? ({ drop: 'duplicate-sample' } as const) : selectSample(record, run, o);
      seenIds.add(record.id);
      if (!('decision' in chosen)) {
        tally.drop(chosen.drop, perSample);
        tally.consider(perSample, true);
        continue;
      }
      const kept = candidates(record, run, o, (reason) => {
        tally.drop(reason);
        tally.consider(1, true);
      });
      const validation = validationKeys.has(functionKey(record, run));
      for (const c of kept) {
        tally.consider(1, false);
        const meta: RowMeta = {
          id: `${record.id}-${c.which}`,
          sample_id: record.id,
          trajectory: c.which,
          run_id: runLabel(run),
          repository: run.manifest.repository.name,
          function: record.function.qualifiedName,
          file: record.function.file,
          language: record.function.language,
          recall: record.verification?.recall ?? null,
          decision: chosen.decision,
        };
        yield { meta, trajectoryPath: c.trajectoryPath, patch: c.patch, validation };
      }
    }
  }
}
