import { existsSync, mkdirSync, readdirSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { EXPORTS_FOLDER } from '../defaults';
import { makeSelfIgnoringFolder } from '../store/run-dir';
import { TOOL_VERSION } from '../generation/generate';
import { datasetCard } from './card';
import { EXPORT_FILE_LIST, EXPORT_FILES } from './files';
import { ExportError, resolveOptions, type ExportOptions, type ResolvedOptions } from './options';
import { privatePathRules } from './private-paths';
import type { ExportProgress, ExportReport, RunFacts } from './report';
import { defaultExportWorkers, RowPool } from './row-pool';
import type { RowSettings } from './row';
import { collectRunSecrets } from './run-secrets';
import { Scrubber } from './scrub';
import { openRuns, runLabel, selectRows, type RowTicket, type RunSource } from './select';
import { splitByFunction, type FunctionSplit } from './split';
import { ExportTally } from './tally';
import { RowSink } from './write-rows';

/** What previewExport counts: the lines an export would write and what each filter would leave out. */
export interface ExportPreview {
  selected: number;
  samples: number;
  removedBy: Record<string, number>;
  redactions: number;
}


/**
 * Writes OUT/data/train.jsonl (and data/validation.jsonl), OUT/README.md (the dataset card),
 * OUT/export.json (options and report) and OUT/redactions.jsonl (where secrets were replaced).
 * Samples are read and lines written one at a time, so memory stays flat however large the runs.
 */
export async function exportDataset(options: ExportOptions, onProgress?: (p: ExportProgress) => void, signal?: AbortSignal): Promise<ExportReport> {
  const out = resolve(options.out);
  const made = prepareOutDir(out, options.overwrite ?? false);
  ignoreExportsFolder(out);
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

/**
 * Selecting rows (select.ts), rendering them (row-pool.ts), writing them (write-rows.ts) and the
 * report (tally.ts). Selection runs twice over the samples: once to choose the validation split,
 * once to hand the chosen trajectories to the pool, which returns them in the order given.
 */
async function runExport(options: ExportOptions, target: Target): Promise<ExportReport> {
  const started = performance.now();
  const o = resolveOptions(options);
  const runs = openRuns(options.runDirs);
  const settings = rowSettings(options, o, runs);
  const checkCancel = () => {
    if (target.signal?.aborted) throw new ExportError('The export was cancelled.');
  };

  // A secret found anywhere in the runs is replaced everywhere in the export.
  if (o.scrub) settings.scrubber.runSecrets = await collectRunSecrets(runs, checkCancel);
  const { split, selectedSamples } = await splitByFunction(runs, o);
  checkCancel();
  const validationKeys = new Set(split.heldOut);
  const tally = new ExportTally(target.onProgress);
  const sink = new RowSink(target.out, validationKeys.size > 0, tally, o.dedupe);
  // Starting a worker (and its tokenizer) costs a few hundred milliseconds: not worth it for a handful of rows.
  const wanted = selectedSamples * (o.trajectories === 'both' ? 2 : 1);
  const pool = new RowPool<RowTicket>(settings, options.workers ?? (wanted < 200 ? 0 : defaultExportWorkers()), (outcome, ticket) => sink.place(outcome, ticket));
  try {
    let lastSample = '';
    for await (const ticket of selectRows(runs, o, validationKeys, tally, checkCancel)) {
      if (ticket.meta.sample_id !== lastSample) {
        lastSample = ticket.meta.sample_id;
        await sink.drained();
      }
      await pool.submit({ meta: ticket.meta, trajectoryPath: ticket.trajectoryPath }, ticket);
    }
    await pool.finish();
    checkCancel(); // a cancel that came while the last rows were rendered still wins: nothing is put in place
  } catch (error) {
    await pool.stop();
    await sink.abandon();
    throw error;
  }
  tally.handled(true);

  const report = tally.report(o, runs.map(runFacts), validationKeys.size, pool.threads);
  if (target.out) {
    report.bytes = await sink.finish();
    report.seconds = round((performance.now() - started) / 1000);
    writeSideFiles(target.out, report, options, settings, split);
  } else {
    report.seconds = round((performance.now() - started) / 1000);
  }
  return report;
}

/** What every row needs: the options, and what the scrubber must remove (known secrets, the user's paths). */
function rowSettings(options: ExportOptions, o: ResolvedOptions, runs: RunSource[]): RowSettings {
  const knownSecrets = [...(options.knownSecrets ?? []), process.env.SPECIALIZE_API_KEY, process.env.OPENAI_API_KEY].filter((s): s is string => !!s);
  const checkouts = [...(options.checkouts ?? []), ...runs.map((r) => r.checkout).filter((c): c is string => !!c)];
  return { options: o, scrubber: { patterns: o.scrub, knownSecrets, paths: privatePathRules(checkouts) } };
}

function writeSideFiles(out: string, report: ExportReport, options: ExportOptions, settings: RowSettings, split: FunctionSplit): void {
  const createdAt = new Date().toISOString();
  // The card and the report pass through the same scrubber: run ids and names come from the user's machine.
  const scrubber = new Scrubber(settings.scrubber);
  const clean = (text: string) => scrubber.scrub(text, []);
  const card = datasetCard(report, { name: options.name, license: options.license, createdAt, toolVersion: TOOL_VERSION });
  writeFileSync(join(out, EXPORT_FILES.card), clean(card));
  const llamaFactory = report.options.format === 'sharegpt';
  if (llamaFactory) writeFileSync(join(out, EXPORT_FILES.llamaFactory), JSON.stringify(llamaFactoryDatasets(report.written.validation > 0), null, 2) + '\n');
  const manifest = {
    format: 1,
    tool: { name: 'repo-specializer', version: TOOL_VERSION },
    createdAt,
    files: {
      train: EXPORT_FILES.train,
      validation: report.written.validation ? EXPORT_FILES.validation : null,
      card: EXPORT_FILES.card,
      redactions: EXPORT_FILES.redactions,
      ...(llamaFactory ? { llamaFactory: EXPORT_FILES.llamaFactory } : {}),
    },
    options: report.options,
    card: { name: options.name ?? null, license: options.license ?? 'other' },
    report: { ...report, options: undefined },
    // `specialize eval --split OUT` reads this, so the tasks it holds out are the functions never trained on.
    split,
  };
  writeFileSync(join(out, EXPORT_FILES.manifest), clean(JSON.stringify(manifest, null, 2)) + '\n');
}

/**
 * LLaMA-Factory's dataset registry for the sharegpt export: point its `dataset_dir` at the export
 * folder and name `specialized` (and `specialized_validation`) as the dataset.
 */
function llamaFactoryDatasets(validation: boolean): Record<string, unknown> {
  const entry = (file: string) => ({
    file_name: file,
    formatting: 'sharegpt',
    columns: { messages: 'conversations', system: 'system', tools: 'tools' },
    tags: { role_tag: 'from', content_tag: 'value', user_tag: 'human', assistant_tag: 'gpt', observation_tag: 'observation', function_tag: 'function_call' },
  });
  return { specialized: entry(EXPORT_FILES.train), ...(validation ? { specialized_validation: entry(EXPORT_FILES.validation) } : {}) };
}

/** Returns the first folder it had to make (the output folder or a parent of it), if any. */
/**
 * An export into REPO/.specializer/exports/<name> (the folder the extension proposes, beside the
 * runs) stays out of git status as runs do: the exports folder ignores itself, as each run
 * folder does. The .gitignore goes in the exports folder rather than the export, so the dataset
 * folder holds only the dataset (it is uploaded as it is).
 */
function ignoreExportsFolder(out: string): void {
  const parent = dirname(out);
  if (basename(parent) === EXPORTS_FOLDER[1] && basename(dirname(parent)) === EXPORTS_FOLDER[0]) makeSelfIgnoringFolder(parent);
}

function prepareOutDir(out: string, overwrite: boolean): string | undefined {
  if (existsSync(out)) {
    const isExport = existsSync(join(out, EXPORT_FILES.manifest)) || existsSync(join(out, EXPORT_FILES.train));
    if (isExport && !overwrite) throw new ExportError(`${out} already holds an export; pass --overwrite to replace it or choose another --out folder.`);
    // What a killed export leaves (files still named .partial) is ours to clear; anything else is the user's.
    if (!isExport && !onlyOwnFiles(out)) throw new ExportError(`${out} is not empty; choose a new or empty --out folder.`);
    for (const f of OWN_FILES) rmSync(join(out, f), { force: true });
  }
  return mkdirSync(join(out, 'data'), { recursive: true });
}

const OWN_FILES = [...EXPORT_FILE_LIST, ...EXPORT_FILE_LIST.map((f) => `${f}.partial`)];

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

function runFacts(run: RunSource): RunFacts {
  return {
    runId: runLabel(run),
    repository: run.manifest.repository.name,
    baseCommit: run.manifest.repository.baseCommit,
    teacherModel: run.manifest.settings.teacher.model,
    threshold: run.manifest.settings.threshold,
    maxP1Lines: run.manifest.settings.maxP1Lines ?? 0,
  };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

