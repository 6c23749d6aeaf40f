/**
 * Every message between the extension host and the curation webview, in one place.
 *
 * Each direction is a map of message type -> payload; a message on the wire is `{ type, ...payload }`.
 * The runtime validators (protocol-validate.ts) are what the host runs on every incoming webview message
 * (and the webview on every host message): a webview is a browser page, so nothing it sends is
 * trusted until it has the exact shape named here. This file is bundled into both sides, so at run
 * time it imports only the exporter's defaults (a module with no imports of its own).
 */

import { DEFAULTS, FORMAT_INFO, FORMATS, type ExportFormat, type ResolvedOptions } from './core/dataset/options';
import type { ExportProgress } from './core/dataset/report';
import type { DecisionRecord, SampleStatus, VerificationRecord } from './core/store/records';

// Re-exported types: the webview names them without importing core.
export type { ExportFormat, SampleStatus };
export { FORMAT_INFO, FORMATS };
export type Decision = DecisionRecord['decision'];

/** One line of the sample list: small on purpose, so 20,000 of them travel and sort fast. */
export interface SampleRow {
  id: string;
  /** Function id (from the scan), for "open the panel filtered to this function". */
  fid: string;
  /** Qualified function name. */
  fn: string;
  file: string;
  lang: string;
  recall: number | null;
  precision: number | null;
  f1: number | null;
  status: SampleStatus;
  decision: Decision;
  /** Present only when the sample has a note. */
  note?: string;
  /** Prompt plus completion tokens of the whole sample. */
  tokens: number;
  ms: number;
  /** Changed lines of P1 (0 when there is no P1). */
  lines: number;
  /** Failure stage for failed samples. */
  stage?: string;
}

export interface RunInfo {
  runDir: string;
  runId: string;
  repository: string;
  baseCommit: string;
  model: string;
  threshold: number;
  createdAt: string;
  planned: number;
  finished: number;
  pending: number;
}

export type DiffLineKind = 'hunk' | 'ctx' | 'add' | 'del' | 'meta';

export interface DiffLine {
  k: DiffLineKind;
  /** Text without the sign. */
  t: string;
  /** Old and new line numbers, when the line has them. */
  o?: number;
  n?: number;
  /** Index of this line among the patch's changed lines (as src/core/verify's changedLines counts them). */
  c?: number;
}

export interface PatchFileView {
  path: string;
  oldPath: string | null;
  status: 'added' | 'deleted' | 'modified' | 'renamed' | 'binary';
  lines: DiffLine[];
}

export interface PatchView {
  files: PatchFileView[];
  changed: number;
  /** Set when the patch could not be parsed; `raw` then holds its text. */
  error?: string;
  raw?: string;
}

export interface ToolCallView {
  name: string;
  /** Pretty-printed arguments, clipped. */
  args: string;
}

export interface OutputView {
  text: string;
  /** Characters left out of `text` (0 when complete). */
  clipped: number;
}

export interface StepView {
  n: number;
  text: string;
  reasoning?: string;
  calls: ToolCallView[];
  outputs: OutputView[];
  tokens: number | null;
  ms: number | null;
}

export interface TrajectoryView {
  rollout: 1 | 2;
  task: string;
  steps: StepView[];
  tokens: { prompt: number; completion: number };
  ms: number;
  exit: { status: string; reason?: string } | null;
  /** Set when the trajectory file is missing or unreadable. */
  error?: string;
}

/** The record's verification as it is: scores and the line match map. */
export type VerificationView = VerificationRecord;

export interface RolloutSummary {
  exit: { status: string; reason?: string };
  steps: number;
  tokens: number;
  ms: number;
}

export interface SampleDetail {
  id: string;
  fn: { id: string; qualifiedName: string; file: string; language: string; startLine: number; endLine: number };
  status: SampleStatus;
  decision: Decision;
  note: string;
  instruction: { area: string; templateId: string; text: string };
  pr: string | null;
  judge: { verdict: string; raw: string } | null;
  failure: { stage: string; reason: string } | null;
  verification: VerificationView | null;
  p1: PatchView | null;
  p2: PatchView | null;
  rollouts: [RolloutSummary | null, RolloutSummary | null];
  trajectories: [TrajectoryView | null, TrajectoryView | null];
  tokens: number;
  ms: number;
  /** True when the run's base commit is in the repository, so whole-file before/after diffs can be shown. */
  canShowFiles: boolean;
}

/**
 * The export form's options: the exporter's own resolved options (same names, 0 = no limit;
 * threshold null = the run's own) plus where to write.
 */
export type ExportRequest = Omit<ResolvedOptions, 'tokenizer'> & { outDir: string; overwrite: boolean };

/** The export form's starting values: the exporter's defaults, written next to the run. */
export function defaultExportRequest(runDir: string): ExportRequest {
  return {
    ...DEFAULTS,
    threshold: null,
    onlyAccepted: false,
    includeUnsubmitted: false,
    truncate: false,
    dedupe: true,
    validation: 0,
    scrub: true,
    outDir: runDir ? `${runDir.replace(/[\\/]+$/, '')}/export` : '',
    overwrite: false,
  };
}

export interface DecisionChange {
  id: string;
  decision: Decision;
  note: string;
}

export type DiffMode = 'patches' | 'file-p1' | 'file-p2' | 'file-results';

/** Messages the host sends to the webview. */
export interface HostMessages {
  init: { run: RunInfo; rows: SampleRow[]; functionId: string | null; canUndo: boolean };
  rows: { rows: SampleRow[] };
  run: { run: RunInfo };
  decisions: { changes: DecisionChange[]; canUndo: boolean };
  detail: { detail: SampleDetail };
  detailError: { id: string; message: string };
  focusFunction: { functionId: string };
  /** `selected` trajectories (lines) from `samples` samples would be written; `total` trajectories were considered. */
  exportPreview: { requestId: number; selected: number; samples: number; total: number; removedBy: Record<string, number> };
  exportPreviewError: { requestId: number; message: string };
  exportProgress: ExportProgress;
  exportDone: { outDir: string; samples: number; trajectories: number; files: string[] };
  exportError: { message: string };
  exportFolder: { path: string };
  notice: { level: 'info' | 'warning' | 'error'; text: string };
}

/** Messages the webview sends to the host. */
export interface WebviewMessages {
  ready: Record<string, never>;
  openSample: { id: string };
  decide: { ids: string[]; decision: Decision };
  note: { id: string; note: string };
  undo: Record<string, never>;
  openDiff: { id: string; mode: DiffMode; file?: string };
  openTrajectory: { id: string; rollout: 1 | 2 };
  openSource: { id: string };
  exportPreview: { requestId: number; options: ExportRequest };
  exportRun: { options: ExportRequest };
  exportCancel: Record<string, never>;
  chooseExportFolder: { current: string };
  reveal: { path: string };
  log: { level: 'info' | 'warning' | 'error'; text: string };
}

export type Envelope<M> = { [K in keyof M]: { type: K } & M[K] }[keyof M];
export type HostMessage = Envelope<HostMessages>;
export type WebviewMessage = Envelope<WebviewMessages>;
export type HostMessageOf<K extends keyof HostMessages> = { type: K } & HostMessages[K];
export type WebviewMessageOf<K extends keyof WebviewMessages> = { type: K } & WebviewMessages[K];

// Runtime validators of these messages live in protocol-validate.ts.
export { parseHostMessage, parseWebviewMessage, type Parsed } from './protocol-validate';

/** The webview's persisted state (vscode.setState); the serializer reads `runDir` from it to revive the panel. */
export interface PanelState {
  runDir: string;
  tab: 'samples' | 'overview' | 'export';
  filters: ListFilters;
  sort: { key: SortKey; dir: 1 | -1 };
  selectedId: string | null;
  openId: string | null;
  scrollTop: number;
  previewThreshold: number | null;
  advance: boolean;
  exportOptions: ExportRequest | null;
}

export type SortKey = 'fn' | 'file' | 'recall' | 'precision' | 'f1' | 'status' | 'decision' | 'tokens' | 'ms' | 'lines';

export interface ListFilters {
  status: SampleStatus | 'all';
  decision: Decision | 'all';
  language: string;
  text: string;
  minRecall: number | null;
  maxRecall: number | null;
  functionId: string | null;
}
