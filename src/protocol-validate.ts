/**
 * Runtime validation of the messages typed in protocol.ts: a check returns null when a value
 * fits, else what is wrong with it. Bundled into both sides, so it imports types and, at run time,
 * only the exporter's format list (from a module with no imports of its own).
 */
import type { Decision, DiffLineKind, DiffMode, Envelope, ExportFormat, HostMessage, HostMessages, SampleStatus, WebviewMessage, WebviewMessages } from './protocol';
import { FORMATS } from './core/dataset/options';

export type Check = (value: unknown, path: string) => string | null;
interface OptionalCheck {
  optional: Check;
}
type Field = Check | OptionalCheck;

const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

export const str =
  (max = 100_000, min = 0): Check =>
  (v, p) =>
    typeof v !== 'string' ? `${p} should be a string, not ${kind(v)}` : v.length > max || v.length < min ? `${p} should have ${min}..${max} characters` : null;

export const num =
  (min = -Infinity, max = Infinity): Check =>
  (v, p) =>
    typeof v !== 'number' || !Number.isFinite(v) ? `${p} should be a finite number` : v < min || v > max ? `${p} should be in ${min}..${max}` : null;

export const int =
  (min = -Infinity, max = Infinity): Check =>
  (v, p) =>
    typeof v !== 'number' || !Number.isInteger(v) ? `${p} should be an integer` : v < min || v > max ? `${p} should be in ${min}..${max}` : null;

export const bool: Check = (v, p) => (typeof v === 'boolean' ? null : `${p} should be true or false`);

export const oneOf =
  <T extends string | number>(...values: readonly T[]): Check =>
  (v, p) =>
    values.includes(v as T) ? null : `${p} should be one of ${values.join(', ')}`;

export const nullable =
  (check: Check): Check =>
  (v, p) =>
    v === null ? null : check(v, p);

export const optional = (check: Check): OptionalCheck => ({ optional: check });

export const arrayOf =
  (check: Check, max = 1_000_000): Check =>
  (v, p) => {
    if (!Array.isArray(v)) return `${p} should be an array, not ${kind(v)}`;
    if (v.length > max) return `${p} has ${v.length} items, more than ${max}`;
    for (let i = 0; i < v.length; i++) {
      const error = check(v[i], `${p}[${i}]`);
      if (error) return error;
    }
    return null;
  };

export const tuple =
  (...checks: Check[]): Check =>
  (v, p) => {
    if (!Array.isArray(v) || v.length !== checks.length) return `${p} should be an array of ${checks.length}`;
    for (let i = 0; i < checks.length; i++) {
      const error = checks[i](v[i], `${p}[${i}]`);
      if (error) return error;
    }
    return null;
  };

export const recordOf =
  (check: Check): Check =>
  (v, p) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return `${p} should be an object`;
    for (const [key, value] of Object.entries(v)) {
      const error = check(value, `${p}.${key}`);
      if (error) return error;
    }
    return null;
  };

/** An object with exactly these fields (unknown fields are an error: both sides are ours). */
export function shape(fields: Record<string, Field>): Check {
  const entries = Object.entries(fields);
  return (v, p) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return `${p} should be an object, not ${kind(v)}`;
    const obj = v as Record<string, unknown>;
    for (const [key, field] of entries) {
      const value = obj[key];
      if (typeof field === 'function') {
        const error = field(value, `${p}.${key}`);
        if (error) return error;
      } else if (value !== undefined) {
        const error = field.optional(value, `${p}.${key}`);
        if (error) return error;
      }
    }
    for (const key in obj) if (!(key in fields)) return `${p} has an unknown field "${key}"`;
    return null;
  };
}

// Ids are hex in practice; anything path-like or huge is refused, since ids name files on the host.
const sampleId = (v: unknown, p: string) =>
  typeof v === 'string' && /^[A-Za-z0-9_.-]{1,128}$/.test(v) && !v.startsWith('.') ? null : `${p} should be a sample id`;
const decision = oneOf<Decision>('accepted', 'rejected', 'undecided');
const status = oneOf<SampleStatus>('verified', 'below-threshold', 'failed');
const level = oneOf('info', 'warning', 'error');
const ratio = nullable(num(0, 1));

export const exportRequestCheck = shape({
  format: oneOf<ExportFormat>(...FORMATS),
  trajectories: oneOf('t1', 't2', 'both'),
  think: oneOf('keep', 'drop', 'wrap'),
  threshold: ratio,
  onlyAccepted: bool,
  includeUnsubmitted: bool,
  maxPatchLines: int(0, 1_000_000),
  maxToolOutputChars: int(0, 100_000_000),
  maxTokens: int(0, 100_000_000),
  truncate: bool,
  dedupe: bool,
  validation: num(0, 0.9),
  scrub: bool,
  outDir: str(4096, 1),
  overwrite: bool,
});

const webviewChecks: { [K in keyof WebviewMessages]: Record<string, Field> } = {
  ready: {},
  openSample: { id: sampleId },
  decide: { ids: arrayOf(sampleId, 1_000_000), decision },
  note: { id: sampleId, note: str(10_000) },
  undo: {},
  openDiff: { id: sampleId, mode: oneOf<DiffMode>('patches', 'file-p1', 'file-p2', 'file-results'), file: optional(str(4096, 1)) },
  openTrajectory: { id: sampleId, rollout: oneOf(1, 2) },
  openSource: { id: sampleId },
  exportPreview: { requestId: int(0), options: exportRequestCheck },
  exportRun: { options: exportRequestCheck },
  exportCancel: {},
  chooseExportFolder: { current: str(4096) },
  reveal: { path: str(4096, 1) },
  log: { level, text: str(20_000) },
};

export const rowCheck = shape({
  id: sampleId,
  fid: str(1024),
  fn: str(4096),
  file: str(4096),
  lang: str(64),
  recall: ratio,
  precision: ratio,
  f1: ratio,
  status,
  decision,
  note: optional(str(10_000)),
  tokens: num(0),
  ms: num(0),
  lines: int(0),
  stage: optional(str(64)),
});

const runInfo = shape({
  runDir: str(4096),
  runId: str(512),
  repository: str(512),
  baseCommit: str(128),
  model: str(512),
  threshold: num(0, 1),
  createdAt: str(64),
  planned: int(0),
  finished: int(0),
  pending: int(0),
});

const optionalLineNo = optional(int(0));
const diffLine = shape({ k: oneOf<DiffLineKind>('hunk', 'ctx', 'add', 'del', 'meta'), t: str(), o: optionalLineNo, n: optionalLineNo, c: optionalLineNo });
const patchView = shape({
  files: arrayOf(
    shape({
      path: str(4096),
      oldPath: nullable(str(4096)),
      status: oneOf('added', 'deleted', 'modified', 'renamed', 'binary'),
      lines: arrayOf(diffLine),
    }),
  ),
  changed: int(0),
  error: optional(str()),
  raw: optional(str(10_000_000)),
});
const exitView = shape({ status: str(64), reason: optional(str()) });
const trajectoryView = shape({
  rollout: oneOf(1, 2),
  task: str(1_000_000),
  steps: arrayOf(
    shape({
      n: int(0),
      text: str(1_000_000),
      reasoning: optional(str(1_000_000)),
      calls: arrayOf(shape({ name: str(256), args: str(1_000_000) })),
      outputs: arrayOf(shape({ text: str(1_000_000), clipped: int(0) })),
      tokens: nullable(num(0)),
      ms: nullable(num(0)),
    }),
  ),
  tokens: shape({ prompt: num(0), completion: num(0) }),
  ms: num(0),
  exit: nullable(exitView),
  error: optional(str()),
});
const indexOrNull = nullable(int(0));
const rolloutSummary = nullable(shape({ exit: exitView, steps: int(0), tokens: num(0), ms: num(0) }));

export const detailCheck = shape({
  id: sampleId,
  fn: shape({ id: str(1024), qualifiedName: str(4096), file: str(4096), language: str(64), startLine: int(0), endLine: int(0) }),
  status,
  decision,
  note: str(10_000),
  instruction: shape({ area: str(256), templateId: str(256), text: str(1_000_000) }),
  pr: nullable(str(1_000_000)),
  judge: nullable(shape({ verdict: str(32), raw: str(1_000_000) })),
  failure: nullable(shape({ stage: str(64), reason: str(100_000) })),
  verification: nullable(
    shape({
      recall: ratio,
      precision: ratio,
      f1: ratio,
      matched: int(0),
      p1Lines: int(0),
      p2Lines: int(0),
      threshold: num(0, 1),
      passed: bool,
      matchMap: shape({ p1: arrayOf(indexOrNull), p2: arrayOf(indexOrNull) }),
    }),
  ),
  p1: nullable(patchView),
  p2: nullable(patchView),
  rollouts: tuple(rolloutSummary, rolloutSummary),
  trajectories: tuple(nullable(trajectoryView), nullable(trajectoryView)),
  tokens: num(0),
  ms: num(0),
  canShowFiles: bool,
});

const decisionChange = shape({ id: sampleId, decision, note: str(10_000) });

const hostChecks: { [K in keyof HostMessages]: Record<string, Field> } = {
  init: { run: runInfo, rows: arrayOf(rowCheck), functionId: nullable(str(1024)), canUndo: bool },
  rows: { rows: arrayOf(rowCheck) },
  run: { run: runInfo },
  decisions: { changes: arrayOf(decisionChange), canUndo: bool },
  detail: { detail: detailCheck },
  detailError: { id: str(128), message: str() },
  focusFunction: { functionId: str(1024) },
  exportPreview: { requestId: int(0), selected: int(0), samples: int(0), total: int(0), removedBy: recordOf(int(0)) },
  exportPreviewError: { requestId: int(0), message: str() },
  exportProgress: { phase: oneOf('starting', 'selecting', 'exporting'), done: num(0), total: num(0), written: num(0) },
  exportDone: { outDir: str(4096), samples: int(0), trajectories: int(0), files: arrayOf(str(4096), 1000) },
  exportError: { message: str() },
  exportFolder: { path: str(4096) },
  notice: { level, text: str() },
};

export type Parsed<T> = { ok: true; message: T } | { ok: false; error: string };

function compile<M>(checks: { [K in keyof M]: Record<string, Field> }): (value: unknown) => Parsed<Envelope<M>> {
  const byType = new Map<string, Check>();
  for (const [type, fields] of Object.entries(checks) as [string, Record<string, Field>][]) {
    byType.set(type, shape({ type: oneOf(type), ...fields }));
  }
  return (value) => {
    if (typeof value !== 'object' || value === null) return { ok: false, error: `message should be an object, not ${kind(value)}` };
    const type = (value as { type?: unknown }).type;
    if (typeof type !== 'string') return { ok: false, error: 'message has no string "type"' };
    const check = byType.get(type);
    if (!check) return { ok: false, error: `unknown message type "${type.slice(0, 64)}"` };
    const error = check(value, type);
    return error ? { ok: false, error } : { ok: true, message: value as Envelope<M> };
  };
}

/** Validates a message from the webview; the host ignores (and logs) anything that is not ok. */
export const parseWebviewMessage: (value: unknown) => Parsed<WebviewMessage> = compile<WebviewMessages>(webviewChecks);

/** Validates a message from the host; the webview ignores (and reports) anything that is not ok. */
export const parseHostMessage: (value: unknown) => Parsed<HostMessage> = compile<HostMessages>(hostChecks);
