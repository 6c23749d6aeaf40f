import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { TOOL_VERSION } from '../generation/generate';
import { datasetCard } from './card';
import { LineWriter } from './line-writer';
import { ExportError, resolveOptions, type ExportOptions } from './options';
import { privatePathRules } from './private-paths';
import { tokenStats, type ExportReport, type RunFacts } from './report';
import { defaultExportWorkers, RowPool } from './row-pool';
import type { RowMeta, RowOutcome, RowSettings } from './row';
import { Scrubber } from './scrub';
import { candidates, functionKey, openRuns, readSamples, runLabel, selectSample, type RunSource } from './select';
import { splitByFunction, type FunctionSplit } from './split';
import { recallBin } from '../store/summary';

export interface ExportProgress {
  phase: 'selecting' | 'exporting';
  /** Trajectories handled so far (exported or left out). */
  done: number;
  /** Trajectories to handle (known once selection is over). */
  total: number;
  written: number;
}

/** What previewExport counts: the lines an export would write and what each filter would leave out. */
export interface ExportPreview {
  selected: number;
  samples: number;
  removedBy: Record<string, number>;
  redactions: number;
}

const EXPORT_FILES = ['data/train.jsonl', 'data/validation.jsonl', 'README.md', 'export.json', 'redactions.jsonl'];

/**
 * Writes OUT/data/train.jsonl (and data/validation.jsonl), OUT/README.md (the dataset card),
 * OUT/export.json (options and report) and OUT/redactions.jsonl (where secrets were replaced).
 * Samples are read and lines written one at a time, so memory stays flat however large the runs.
 */
export async function exportDataset(options: ExportOptions, onProgress?: (p: ExportProgress) => void, signal?: AbortSignal): Promise<ExportReport> {
  const out = resolve(options.out);
  const made = prepareOutDir(out, options.overwrite ?? false);
  try {
    return await runExport(options, { out, onProgress, signal });
  } catch (error) {
    // A failed or cancelled export leaves no empty folders behind, so the same folder can be chosen again.
    removeEmptyFolders(join(out, 'data'), made);
    throw error;
  }
}

/** Counts what exportDataset would write, for the curation panel, without writing anything. */
export async function previewExport(options: Omit<ExportOptions, 'out'>, signal?: AbortSignal): Promise<ExportPreview> {
  const report = await runExport({ ...options, out: '' }, { out: null, signal });
  return { selected: report.written.total, samples: report.samples, removedBy: report.removedBy, redactions: report.redactions.total };
}

interface Target {
  out: string | null;
  onProgress?: (p: ExportProgress) => void;
  signal?: AbortSignal;
}

async function runExport(options: ExportOptions, target: Target): Promise<ExportReport> {
  const started = performance.now();
  const o = resolveOptions(options);
  const runs = openRuns(options.runDirs);
  const knownSecrets = [...(options.knownSecrets ?? []), process.env.SPECIALIZE_API_KEY, process.env.OPENAI_API_KEY].filter((s): s is string => !!s);
  const checkouts = [...(options.checkouts ?? []), ...runs.map((r) => r.checkout).filter((c): c is string => !!c)];
  const settings: RowSettings = { options: o, scrubber: { patterns: o.scrub, knownSecrets, paths: privatePathRules(checkouts) } };

  const removedBy: Record<string, number> = {};
  const drop = (reason: string, n = 1) => (removedBy[reason] = (removedBy[reason] ?? 0) + n);
  const wantedPerSample = o.trajectories === 'both' ? 2 : 1;
  const abort = () => {
    if (target.signal?.aborted) throw new ExportError('The export was cancelled.');
  };

  // Pass 1: which samples are in, and so which start functions the split divides.
  const { split, selectedSamples } = await splitByFunction(runs, o);
  abort();
  const validationKeys = new Set(split.heldOut);

  const writers = target.out
    ? {
        train: new LineWriter(join(target.out, 'data', 'train.jsonl')),
        validation: validationKeys.size ? new LineWriter(join(target.out, 'data', 'validation.jsonl')) : null,
        redactions: new LineWriter(join(target.out, 'redactions.jsonl')),
      }
    : null;

  const stats = {
    candidates: 0,
    train: 0,
    validation: 0,
    truncated: 0,
    tokens: [] as number[],
    histogram: new Array<number>(10).fill(0),
    unscored: 0,
    languages: {} as Record<string, number>,
    trajectories: { t1: 0, t2: 0 },
    decisions: { accepted: 0, undecided: 0 },
    redactionTypes: {} as Record<string, number>,
    redactions: 0,
  };
  const seenPatches = new Set<string>();
  const exportedSamples = new Set<string>();
  let lastSample = '';
  // What the pool needs to place each outcome, in submission order.
  const pending: { meta: RowMeta; patch: string; validation: boolean }[] = [];
  let pendingHead = 0;
  let done = 0;
  const progress = (force = false) => {
    if (target.onProgress && (force || done % 200 === 0)) target.onProgress({ phase: 'exporting', done, total: stats.candidates, written: stats.train + stats.validation });
  };

  const onOutcome = (outcome: RowOutcome) => {
    const job = pending[pendingHead];
    pending[pendingHead++] = undefined as never;
    if (pendingHead > 4096) {
      pending.splice(0, pendingHead);
      pendingHead = 0;
    }
    done++;
    const { meta } = job;
    if (outcome.redactions.length && outcome.kind === 'row') {
      for (const r of outcome.redactions) {
        stats.redactionTypes[r.type] = (stats.redactionTypes[r.type] ?? 0) + 1;
        stats.redactions++;
        writers?.redactions.write(JSON.stringify({ id: meta.id, sample_id: meta.sample_id, trajectory: meta.trajectory, field: r.field, type: r.type }));
      }
    }
    if (outcome.kind === 'dropped') {
      drop(outcome.reason);
      progress();
      return;
    }
    if (o.dedupe) {
      const key = createHash('sha1').update(meta.trajectory).update('\0').update(job.patch).digest('base64');
      if (seenPatches.has(key)) {
        drop('duplicate-patch');
        progress();
        return;
      }
      seenPatches.add(key);
    }
    if (job.validation) {
      stats.validation++;
      writers?.validation?.write(outcome.line);
    } else {
      stats.train++;
      writers?.train.write(outcome.line);
    }
    if (outcome.truncated) stats.truncated++;
    stats.tokens.push(outcome.tokens);
    stats.trajectories[meta.trajectory]++;
    stats.languages[meta.language] = (stats.languages[meta.language] ?? 0) + 1;
    if (!exportedSamples.has(meta.sample_id)) {
      exportedSamples.add(meta.sample_id);
      stats.decisions[meta.decision]++;
      if (meta.recall === null) stats.unscored++;
      else stats.histogram[recallBin(meta.recall)]++;
    }
    progress();
  };

  // Starting a worker (and its tokenizer) costs a few hundred milliseconds: not worth it for a handful of rows.
  const workers = options.workers ?? (selectedSamples * wantedPerSample < 200 ? 0 : defaultExportWorkers());
  const pool = new RowPool(settings, workers, onOutcome);
  const seenIds = new Set<string>();
  try {
    // Pass 2: every selected sample's trajectories, in run and file order.
    await forEachSampleAsync(runs, async (record, run) => {
      abort();
      if (seenIds.has(record.id)) {
        drop('duplicate-sample', wantedPerSample);
        stats.candidates += wantedPerSample;
        done += wantedPerSample;
        return;
      }
      seenIds.add(record.id);
      const chosen = selectSample(record, run, o);
      if (!('decision' in chosen)) {
        drop(chosen.drop, wantedPerSample);
        stats.candidates += wantedPerSample;
        done += wantedPerSample;
        return;
      }
      const kept = candidates(record, run, o, (reason) => {
        drop(reason);
        stats.candidates++;
        done++;
      });
      const validation = validationKeys.has(functionKey(record, run));
      for (const c of kept) {
        stats.candidates++;
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
        pending.push({ meta, patch: c.patch, validation });
        await pool.submit({ meta, trajectoryPath: c.trajectoryPath });
      }
      if (writers && record.id !== lastSample) {
        lastSample = record.id;
        await writers.train.drained();
        await writers.validation?.drained();
        await writers.redactions.drained();
      }
    });
    await pool.finish();
    abort(); // a cancel that came while the last rows were rendered still wins: nothing is put in place
  } catch (error) {
    await pool.stop();
    if (writers) await Promise.all([writers.train.abandon(), writers.validation?.abandon(), writers.redactions.abandon()]);
    throw error;
  }
  progress(true);

  const report: ExportReport = {
    options: o,
    runs: runs.map(runFacts),
    candidates: stats.candidates,
    written: { train: stats.train, validation: stats.validation, total: stats.train + stats.validation },
    samples: exportedSamples.size,
    bytes: 0,
    removedBy: sortedCounts(removedBy),
    truncated: stats.truncated,
    tokens: tokenStats(stats.tokens),
    recallHistogram: stats.histogram,
    unscored: stats.unscored,
    languages: sortedCounts(stats.languages),
    trajectories: stats.trajectories,
    decisions: stats.decisions,
    validationFunctions: validationKeys.size,
    redactions: { total: stats.redactions, byType: sortedCounts(stats.redactionTypes) },
    seconds: 0,
    workers: pool.threads,
  };
  if (writers && target.out) {
    await Promise.all([writers.train.finish(), writers.validation?.finish(), writers.redactions.finish()]);
    report.bytes = writers.train.bytes + (writers.validation?.bytes ?? 0);
    report.seconds = round((performance.now() - started) / 1000);
    writeSideFiles(target.out, report, options, settings, split);
  } else {
    report.seconds = round((performance.now() - started) / 1000);
  }
  return report;
}

function writeSideFiles(out: string, report: ExportReport, options: ExportOptions, settings: RowSettings, split: FunctionSplit): void {
  const createdAt = new Date().toISOString();
  // The card and the report pass through the same scrubber: run ids and names come from the user's machine.
  const scrubber = new Scrubber(settings.scrubber);
  const clean = (text: string) => scrubber.scrub(text, []);
  const card = datasetCard(report, { name: options.name, license: options.license, createdAt, toolVersion: TOOL_VERSION });
  writeFileSync(join(out, 'README.md'), clean(card));
  const manifest = {
    format: 1,
    tool: { name: 'repo-specializer', version: TOOL_VERSION },
    createdAt,
    files: { train: 'data/train.jsonl', validation: report.written.validation ? 'data/validation.jsonl' : null, card: 'README.md', redactions: 'redactions.jsonl' },
    options: report.options,
    card: { name: options.name ?? null, license: options.license ?? 'other' },
    report: { ...report, options: undefined },
    // `specialize eval --split OUT` reads this, so the tasks it holds out are the functions never trained on.
    split,
  };
  writeFileSync(join(out, 'export.json'), clean(JSON.stringify(manifest, null, 2)) + '\n');
}

/** Returns the first folder it had to make (the output folder or a parent of it), if any. */
function prepareOutDir(out: string, overwrite: boolean): string | undefined {
  if (existsSync(out)) {
    const isExport = existsSync(join(out, 'export.json')) || existsSync(join(out, 'data', 'train.jsonl'));
    if (isExport && !overwrite) throw new ExportError(`${out} already holds an export; pass --overwrite to replace it or choose another --out folder.`);
    // What a killed export leaves (files still named .partial) is ours to clear; anything else is the user's.
    if (!isExport && !onlyOwnFiles(out)) throw new ExportError(`${out} is not empty; choose a new or empty --out folder.`);
    for (const f of OWN_FILES) rmSync(join(out, f), { force: true });
  }
  return mkdirSync(join(out, 'data'), { recursive: true });
}

const OWN_FILES = [...EXPORT_FILES, ...EXPORT_FILES.map((f) => `${f}.partial`)];

/** True when the folder holds nothing but files an export writes (finished or not) and its data/ folder. */
function onlyOwnFiles(out: string): boolean {
  const own = new Set(OWN_FILES);
  const top = readdirSync(out, { withFileTypes: true });
  const dataDir = top.find((e) => e.name === 'data');
  if (dataDir && !dataDir.isDirectory()) return false;
  const inData = dataDir ? readdirSync(join(out, 'data')).map((name) => `data/${name}`) : [];
  return [...top.filter((e) => e !== dataDir).map((e) => e.name), ...inData].every((e) => own.has(e));
}

/** Removes `from`, then its parents up to `upTo`, while they are empty; without `upTo`, only `from`. */
function removeEmptyFolders(from: string, upTo: string | undefined): void {
  const last = upTo ?? from;
  for (let dir = from; ; dir = dirname(dir)) {
    try {
      rmdirSync(dir);
    } catch {
      return; // not empty, or gone
    }
    if (dir === last || dirname(dir) === dir) return;
  }
}

async function forEachSampleAsync(runs: RunSource[], visit: (record: Parameters<typeof selectSample>[0], run: RunSource) => Promise<void>): Promise<void> {
  for (const run of runs) for await (const record of readSamples(run)) await visit(record, run);
}

function runFacts(run: RunSource): RunFacts {
  return {
    runId: runLabel(run),
    repository: run.manifest.repository.name,
    baseCommit: run.manifest.repository.baseCommit,
    teacherModel: run.manifest.settings.teacher.model,
    threshold: run.manifest.settings.threshold,
  };
}

function sortedCounts(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

