/**
 * The data the curation panel's messages carry, as schemas (zod/mini, small enough for the
 * webview bundle): protocol.ts derives both the TypeScript types and the run-time checks from
 * them. Every leaf carries the sentence a rejected message is logged with, so a log line says
 * which field was wrong and how.
 */
import * as z from 'zod/mini';
import { FORMATS, THINK_MODES, TRAJECTORY_CHOICES } from './core/dataset/options';

export const str = (max = 100_000, min = 0) => {
  const error = `should have ${min}..${max} characters`;
  return z.string({ error: 'should be a string' }).check(z.minLength(min, { error }), z.maxLength(max, { error }));
};

export const num = (min = -Infinity, max = Infinity) => {
  const error = `should be in ${min}..${max}`;
  return z.number({ error: 'should be a finite number' }).check(z.minimum(min, { error }), z.maximum(max, { error }));
};

export const int = (min = -Infinity, max = Infinity) => {
  const error = `should be in ${min}..${max}`;
  return z.int({ error: 'should be an integer' }).check(z.minimum(min, { error }), z.maximum(max, { error }));
};

export const bool = z.boolean({ error: 'should be true or false' });

export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { error: `should be one of ${values.join(', ')}` });

/** One of a few numbers (zod's enum takes strings only). */
export const oneOfNumbers = <const T extends readonly [number, ...number[]]>(values: T) =>
  z.union(values.map((v) => z.literal(v)) as unknown as [z.ZodMiniLiteral<T[number]>], { error: `should be one of ${values.join(', ')}` });

export const arrayOf = <T extends z.ZodMiniType>(item: T, max = 1_000_000) =>
  z.array(item, { error: 'should be an array' }).check(z.maxLength(max, { error: `should have at most ${max} items` }));

/** An object with exactly these fields: unknown fields are an error, since both sides are ours. */
export const shape = <T extends z.core.$ZodLooseShape>(fields: T) =>
  z.strictObject(fields, { error: (issue) => (issue.code === 'unrecognized_keys' ? `has an unknown field "${String(issue.keys[0])}"` : 'should be an object') });

export const recordOf = <T extends z.ZodMiniType>(value: T) => z.record(z.string(), value, { error: 'should be an object' });

// Ids are hex in practice; anything path-like or huge is refused, since ids name files on the host.
export const sampleId = z.string({ error: 'should be a sample id' }).check(z.regex(/^[A-Za-z0-9_.-]{1,128}$/, { error: 'should be a sample id' }), z.refine((v) => !v.startsWith('.'), { error: 'should be a sample id' }));

const ratio = z.nullable(num(0, 1));
export const sampleStatus = oneOf(['verified', 'below-threshold', 'failed', 'too-large']);
export const decision = oneOf(['accepted', 'rejected', 'undecided']);
export const level = oneOf(['info', 'warning', 'error']);
export const diffMode = oneOf(['patches', 'file-p1', 'file-p2', 'file-results']);

/** The export form's options: the exporter's resolved options (0 = no limit; threshold null = the run's own) plus where to write. */
export const exportRequest = shape({
  format: oneOf(FORMATS),
  trajectories: oneOf(TRAJECTORY_CHOICES),
  think: oneOf(THINK_MODES),
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

// One line of the sample list, field by field. `note` and `stage` are absent from most rows.
const rowFields = {
  id: sampleId,
  /** Function id (from the scan), for "open the panel filtered to this function". */
  fid: str(1024),
  /** Qualified function name. */
  fn: str(4096),
  file: str(4096),
  lang: str(64),
  recall: ratio,
  precision: ratio,
  f1: ratio,
  status: sampleStatus,
  decision,
  /** Present only when the sample has a note. */
  note: str(10_000),
  /** Prompt plus completion tokens of the whole sample. */
  tokens: num(0),
  ms: num(0),
  /** Changed lines of P1 (0 when there is no P1). */
  lines: int(0),
  /** Failure stage, present only for failed samples. */
  stage: str(64),
};
type RowFields = typeof rowFields;
type OptionalField = 'note' | 'stage';
const optionalFields = new Set<string>(['note', 'stage'] satisfies OptionalField[]);
const rowKeys = Object.keys(rowFields) as (keyof RowFields)[];

/** One line of the sample list: small on purpose, so 20,000 of them travel and sort fast. */
export const sampleRow = shape({ ...rowFields, note: z.optional(rowFields.note), stage: z.optional(rowFields.stage) });
type Row = z.infer<typeof sampleRow>;

/**
 * The sample list on the wire: one array per field, null where an optional field is absent.
 * Without its compiler (the webview's CSP forbids it) zod spends a call per object and field;
 * 15 arrays of plain values cost far fewer, which made a first render of 20,000 samples about
 * 20% faster, and the message is smaller. The check hands the webview ordinary rows.
 */
type Columns = { [K in keyof RowFields]: (z.infer<RowFields[K]> | (K extends OptionalField ? null : never))[] };
const columnFields = Object.fromEntries(
  Object.entries(rowFields).map(([key, field]) => [key, arrayOf(optionalFields.has(key) ? z.nullable(field) : field)]),
) as unknown as { [K in keyof RowFields]: z.ZodMiniType<Columns[K]> };

export const sampleRows = z.pipe(
  shape(columnFields).check(
    z.refine((c: Columns) => Object.values(c).every((column) => column.length === c.id.length), { error: 'should have columns of one length' }),
  ),
  z.transform((c: Columns): Row[] => {
    const columns = Object.entries(c).map(([key, values]) => ({ key, values: values as unknown[], optional: optionalFields.has(key) }));
    return c.id.map((_, i) => {
      const row: Record<string, unknown> = {};
      for (const { key, values, optional } of columns) if (!optional || values[i] !== null) row[key] = values[i];
      return row as Row;
    });
  }),
);

/** Rows as `sampleRows` expects them on the wire (the host's side; it trusts its own rows). */
export function sampleColumns(rows: readonly Row[]): Columns {
  return Object.fromEntries(rowKeys.map((key) => [key, rows.map((row) => row[key] ?? null)])) as Columns;
}

export const runInfo = shape({
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

const lineNo = z.optional(int(0));
export const diffLine = shape({
  k: oneOf(['hunk', 'ctx', 'add', 'del', 'meta']),
  /** Text without the sign. */
  t: str(),
  /** Old and new line numbers, when the line has them. */
  o: lineNo,
  n: lineNo,
  /** Index of this line among the patch's changed lines (as src/core/verify's changedLines counts them). */
  c: lineNo,
});

export const patchFileView = shape({
  path: str(4096),
  oldPath: z.nullable(str(4096)),
  status: oneOf(['added', 'deleted', 'modified', 'renamed', 'binary']),
  lines: arrayOf(diffLine),
});

export const patchView = shape({
  files: arrayOf(patchFileView),
  changed: int(0),
  /** Set when the patch could not be parsed; `raw` then holds its text. */
  error: z.optional(str()),
  raw: z.optional(str(10_000_000)),
});

export const exitView = shape({ status: str(64), reason: z.optional(str()) });

export const toolCallView = shape({
  name: str(256),
  /** Pretty-printed arguments, clipped. */
  args: str(1_000_000),
});

export const outputView = shape({
  text: str(1_000_000),
  /** Characters left out of `text` (0 when complete). */
  clipped: int(0),
});

export const stepView = shape({
  n: int(0),
  text: str(1_000_000),
  reasoning: z.optional(str(1_000_000)),
  calls: arrayOf(toolCallView),
  outputs: arrayOf(outputView),
  tokens: z.nullable(num(0)),
  ms: z.nullable(num(0)),
});

export const trajectoryView = shape({
  rollout: oneOfNumbers([1, 2]),
  task: str(1_000_000),
  steps: arrayOf(stepView),
  tokens: shape({ prompt: num(0), completion: num(0) }),
  ms: num(0),
  exit: z.nullable(exitView),
  /** Set when the trajectory file is missing or unreadable. */
  error: z.optional(str()),
});

export const rolloutSummary = shape({ exit: exitView, steps: int(0), tokens: num(0), ms: num(0) });

export const indexOrNull = z.nullable(int(0));

/** The record's verification as it is: scores and the line match map. */
export const verificationView = shape({
  recall: ratio,
  precision: ratio,
  f1: ratio,
  matched: int(0),
  p1Lines: int(0),
  p2Lines: int(0),
  threshold: num(0, 1),
  passed: bool,
  matchMap: shape({ p1: arrayOf(indexOrNull), p2: arrayOf(indexOrNull) }),
});

export const sampleDetail = shape({
  id: sampleId,
  fn: shape({ id: str(1024), qualifiedName: str(4096), file: str(4096), language: str(64), startLine: int(0), endLine: int(0) }),
  status: sampleStatus,
  decision,
  note: str(10_000),
  instruction: shape({ area: str(256), templateId: str(256), text: str(1_000_000) }),
  pr: z.nullable(str(1_000_000)),
  judge: z.nullable(shape({ verdict: str(32), raw: str(1_000_000) })),
  failure: z.nullable(shape({ stage: str(64), reason: str(100_000) })),
  verification: z.nullable(verificationView),
  p1: z.nullable(patchView),
  p2: z.nullable(patchView),
  rollouts: z.tuple([z.nullable(rolloutSummary), z.nullable(rolloutSummary)], { error: 'should be an array of 2' }),
  trajectories: z.tuple([z.nullable(trajectoryView), z.nullable(trajectoryView)], { error: 'should be an array of 2' }),
  tokens: num(0),
  ms: num(0),
  /** True when the run's base commit is in the repository, so whole-file before/after diffs can be shown. */
  canShowFiles: bool,
});

export const decisionChange = shape({ id: sampleId, decision, note: str(10_000) });
