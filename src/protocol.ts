/**
 * Every message between the extension host and the curation webview, in one place.
 *
 * Each direction is a map of message type -> payload schema; a message on the wire is
 * `{ type, ...payload }`. The TypeScript types and the run-time checks both come from these
 * schemas (the data shapes are in protocol-shapes.ts), so adding a message is one entry below.
 * The host checks every incoming webview message (and the webview every host message): a webview
 * is a browser page, so nothing it sends is trusted until it has the exact shape named here. This
 * file is bundled into both sides, so at run time it imports only zod/mini and the exporter's
 * options (a module with no imports of its own).
 */
import * as z from 'zod/mini';
import { DEFAULTS, FORMAT_INFO, FORMATS, type ExportFormat, type ResolvedOptions } from './core/dataset/options';
import type { ExportProgress } from './core/dataset/report';
import type { SampleStatus as RecordStatus, VerificationRecord } from './core/store/records';
import * as s from './protocol-shapes';
import * as e from './protocol-eval-shapes';
import type { Estimate } from './core/eval/bootstrap';
import type { EvalReport as CoreEvalReport, ModelSummary, PairedDifference, TaskRow } from './core/eval/report';

// The webview's Content-Security-Policy forbids eval, which zod would otherwise try (and the
// browser report) to compile its checks; both sides run the same plain checks.
z.config({ jitless: true });

/** Messages the host sends to the webview. */
const hostMessages = {
  init: s.shape({ run: s.runInfo, rows: s.sampleRows, functionId: z.nullable(s.str(1024)), canUndo: s.bool }),
  rows: s.shape({ rows: s.sampleRows }),
  run: s.shape({ run: s.runInfo }),
  decisions: s.shape({ changes: s.arrayOf(s.decisionChange), canUndo: s.bool }),
  detail: s.shape({ detail: s.sampleDetail }),
  detailError: s.shape({ id: s.str(128), message: s.str() }),
  focusFunction: s.shape({ functionId: s.str(1024) }),
  /** `selected` trajectories (lines) from `samples` samples would be written; `total` trajectories were considered. */
  exportPreview: s.shape({ requestId: s.int(0), selected: s.int(0), samples: s.int(0), total: s.int(0), removedBy: s.recordOf(s.int(0)) }),
  exportPreviewError: s.shape({ requestId: s.int(0), message: s.str() }),
  exportProgress: s.shape({ phase: s.oneOf(['starting', 'selecting', 'exporting']), done: s.num(0), total: s.num(0), written: s.num(0) }),
  exportDone: s.shape({ outDir: s.str(4096), samples: s.int(0), trajectories: s.int(0), files: s.arrayOf(s.str(4096), 1000) }),
  exportError: s.shape({ message: s.str() }),
  exportFolder: s.shape({ path: s.str(4096) }),
  notice: s.shape({ level: s.level, text: s.str() }),
  /** The eval view: the run and its report, first and again whenever results arrive. */
  evalReport: s.shape({ eval: e.evalInfo, report: e.evalReport }),
  evalTask: s.shape({ detail: e.evalTaskDetail }),
  evalTaskError: s.shape({ taskId: e.evalTaskId, model: e.modelLabel, message: s.str() }),
};

/** Messages the webview sends to the host. */
const webviewMessages = {
  ready: s.shape({}),
  openSample: s.shape({ id: s.sampleId }),
  decide: s.shape({ ids: s.arrayOf(s.sampleId, 1_000_000), decision: s.decision }),
  note: s.shape({ id: s.sampleId, note: s.str(10_000) }),
  undo: s.shape({}),
  openDiff: s.shape({ id: s.sampleId, mode: s.diffMode, file: z.optional(s.str(4096, 1)) }),
  openTrajectory: s.shape({ id: s.sampleId, rollout: s.oneOfNumbers([1, 2]) }),
  openSource: s.shape({ id: s.sampleId }),
  exportPreview: s.shape({ requestId: s.int(0), options: s.exportRequest }),
  exportRun: s.shape({ options: s.exportRequest }),
  exportCancel: s.shape({}),
  chooseExportFolder: s.shape({ current: s.str(4096) }),
  reveal: s.shape({ path: s.str(4096, 1) }),
  log: s.shape({ level: s.level, text: s.str(20_000) }),
  /** The eval view: one task with one model's attempt, and that attempt's trajectory in an editor. */
  openEvalTask: s.shape({ taskId: e.evalTaskId, model: e.modelLabel }),
  openEvalTrajectory: s.shape({ taskId: e.evalTaskId, model: e.modelLabel }),
  /** The report under another resolve threshold, as `eval-report --threshold`; null: the run's own. */
  evalThreshold: s.shape({ threshold: z.nullable(s.num(0, 1)) }),
};

type Payloads<M extends Record<string, z.ZodMiniType>> = { [K in keyof M]: z.infer<M[K]> };
export type HostMessages = Payloads<typeof hostMessages>;
export type WebviewMessages = Payloads<typeof webviewMessages>;
export type Envelope<M> = { [K in keyof M]: { type: K } & M[K] }[keyof M];
/** A host message as the webview handles it, once checked (the sample list as rows). */
export type HostMessage = Envelope<HostMessages>;
/** A host message as the host posts it (the sample list as columns: `sampleColumns`). */
export type HostPost = Envelope<{ [K in keyof typeof hostMessages]: z.input<(typeof hostMessages)[K]> }>;
export type WebviewMessage = Envelope<WebviewMessages>;
export type HostMessageOf<K extends keyof HostMessages> = { type: K } & HostMessages[K];
export type WebviewMessageOf<K extends keyof WebviewMessages> = { type: K } & WebviewMessages[K];

export type SampleStatus = z.infer<typeof s.sampleStatus>;
export type Decision = z.infer<typeof s.decision>;
export type SampleRow = z.infer<typeof s.sampleRow>;
export type RunInfo = z.infer<typeof s.runInfo>;
export type DiffLine = z.infer<typeof s.diffLine>;
export type DiffLineKind = DiffLine['k'];
export type PatchFileView = z.infer<typeof s.patchFileView>;
export type PatchView = z.infer<typeof s.patchView>;
export type ToolCallView = z.infer<typeof s.toolCallView>;
export type OutputView = z.infer<typeof s.outputView>;
export type StepView = z.infer<typeof s.stepView>;
export type TrajectoryView = z.infer<typeof s.trajectoryView>;
export type RolloutSummary = z.infer<typeof s.rolloutSummary>;
export type VerificationView = z.infer<typeof s.verificationView>;
export type SampleDetail = z.infer<typeof s.sampleDetail>;
export type DecisionChange = z.infer<typeof s.decisionChange>;
export type DiffMode = z.infer<typeof s.diffMode>;
export type ExportRequest = z.infer<typeof s.exportRequest>;
export type EvalInfo = z.infer<typeof e.evalInfo>;
export type EvalReportView = z.infer<typeof e.evalReport>;
export type EstimateView = z.infer<typeof e.estimate>;
export type EvalModelView = z.infer<typeof e.modelSummary>;
export type EvalDifferenceView = z.infer<typeof e.pairedDifference>;
export type EvalTaskRow = z.infer<typeof e.taskRow>;
export type EvalTaskDetail = z.infer<typeof e.evalTaskDetail>;
export type { ExportFormat };
// The export form lists the formats the exporter knows, with their labels.
export { FORMAT_INFO, FORMATS };
export { sampleColumns } from './protocol-shapes';

// What the panel shows is what core writes: a field added on one side and not the other stops the build.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const agreesWithCore: [Same<HostMessages['exportProgress'], ExportProgress>, Same<SampleStatus, RecordStatus>, Same<VerificationView, VerificationRecord>, Same<ExportRequest, Omit<ResolvedOptions, 'tokenizer'> & { outDir: string; overwrite: boolean }>] = [true, true, true, true];
void agreesWithCore;
// The eval view shows core's report field for field; only a mean over nothing (NaN) becomes null.
type Nullable<T> = { [K in keyof T]: T[K] extends number ? (K extends 'n' ? number : number | null) : T[K] };
const reportAgrees: [Same<EstimateView, Nullable<Estimate>>, Same<keyof EvalModelView, keyof ModelSummary>, Same<keyof EvalDifferenceView, keyof PairedDifference>, Same<EvalTaskRow, TaskRow>, Same<keyof EvalReportView, keyof CoreEvalReport>] = [true, true, true, true, true];
void reportAgrees;

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

export type Parsed<T> = { ok: true; message: T } | { ok: false; error: string };

const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** `exportRun.options.outDir`, `rows.rows[2].recall`: where in the message a problem is. */
function where(type: string, path: readonly PropertyKey[]): string {
  return type + path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('');
}

function parser<M extends Record<string, z.ZodMiniObject>>(messages: M): (value: unknown) => Parsed<Envelope<Payloads<M>>> {
  const byType = new Map<string, z.ZodMiniType>();
  for (const [type, payload] of Object.entries(messages)) byType.set(type, z.extend(payload, { type: z.literal(type) }));
  return (value) => {
    if (typeof value !== 'object' || value === null) return { ok: false, error: `message should be an object, not ${kind(value)}` };
    const type = (value as { type?: unknown }).type;
    if (typeof type !== 'string') return { ok: false, error: 'message has no string "type"' };
    const schema = Object.hasOwn(messages, type) ? byType.get(type) : undefined;
    if (!schema) return { ok: false, error: `unknown message type "${type.slice(0, 64)}"` };
    const result = schema.safeParse(value);
    if (result.success) return { ok: true, message: result.data as Envelope<Payloads<M>> };
    const issue = result.error.issues[0];
    return { ok: false, error: `${where(type, issue.path)} ${issue.message}` };
  };
}

/** Validates a message from the webview; the host ignores (and logs) anything that is not ok. */
export const parseWebviewMessage: (value: unknown) => Parsed<WebviewMessage> = parser(webviewMessages);

/** Validates a message from the host; the webview ignores (and reports) anything that is not ok. */
export const parseHostMessage: (value: unknown) => Parsed<HostMessage> = parser(hostMessages);

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

/** The eval view's persisted state; the serializer reads `evalDir` from it to revive the view. */
export interface EvalPanelState {
  view: 'eval';
  evalDir: string;
  taskId: string | null;
  model: string | null;
  scrollTop: number;
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
