import { join } from 'node:path';
import { FILES, readJsonl, readManifest, type DecisionRecord, type PlannedSample, type RunManifest, type SampleRecord } from '../../core/store';
import type { DecisionChange, RunInfo, SampleRow } from '../../protocol';
import { JsonlTail, readLineAt } from './jsonl-tail';

/** The list row of a finished sample. */
export function buildRow(record: SampleRecord, decision: DecisionRecord | undefined): SampleRow {
  const v = record.verification;
  const row: SampleRow = {
    id: record.id,
    fid: record.function.id,
    fn: record.function.qualifiedName,
    file: record.function.file,
    lang: record.function.language,
    recall: v?.recall ?? null,
    precision: v?.precision ?? null,
    f1: v?.f1 ?? null,
    status: record.status,
    decision: decision?.decision ?? 'undecided',
    tokens: (record.usage?.promptTokens ?? 0) + (record.usage?.completionTokens ?? 0),
    ms: record.ms ?? 0,
    lines: v?.p1Lines ?? 0,
  };
  if (decision?.note) row.note = decision.note;
  if (record.failure) row.stage = record.failure.stage;
  return row;
}

function isSampleRecord(value: unknown): value is SampleRecord {
  const r = value as SampleRecord;
  return typeof r === 'object' && r !== null && typeof r.id === 'string' && typeof r.function === 'object' && r.function !== null && typeof r.status === 'string';
}

function isDecisionRecord(value: unknown): value is DecisionRecord {
  const d = value as DecisionRecord;
  return typeof d === 'object' && d !== null && typeof d.sampleId === 'string' && ['accepted', 'rejected', 'undecided'].includes(d.decision);
}

export interface RunChanges {
  /** New samples and samples whose decision or note changed. */
  rows: SampleRow[];
  decisions: DecisionChange[];
  /** samples.jsonl was replaced; the whole list must be sent again. */
  reset: boolean;
}

/**
 * One run directory as the panel sees it: list rows of the finished samples and the latest
 * decision of each, kept current by reading only what was appended since the last look. Full
 * records are not kept in memory (20,000 of them with patches would be hundreds of MB); the
 * byte range of each is, so a sample's detail is one read away.
 */
export class RunModel {
  readonly manifest: RunManifest;
  private planIds = new Set<string>();
  private readonly rows = new Map<string, SampleRow>();
  private readonly where = new Map<string, { offset: number; length: number }>();
  readonly decisions = new Map<string, DecisionRecord>();
  private readonly samplesTail: JsonlTail;
  private readonly decisionsTail: JsonlTail;

  constructor(readonly dir: string) {
    this.manifest = readManifest(dir);
    this.samplesTail = new JsonlTail(join(dir, FILES.samples));
    this.decisionsTail = new JsonlTail(join(dir, FILES.decisions));
    this.readPlan();
    this.poll();
  }

  private readPlan(): void {
    this.planIds = new Set(readJsonl<PlannedSample>(join(this.dir, FILES.plan)).map((p) => p.id));
  }

  /** Reads what was appended to samples.jsonl and decisions.jsonl since the last call. */
  poll(): RunChanges {
    const changed = new Map<string, SampleRow>();
    const decisionChanges: DecisionChange[] = [];
    const decisionsRead = this.decisionsTail.read();
    if (decisionsRead.reset) this.decisions.clear();
    // Only the latest new line per sample counts; lines this process wrote itself then match
    // what it already holds and are not reported back.
    const latest = new Map<string, DecisionRecord>();
    for (const line of decisionsRead.lines) {
      let d: unknown;
      try {
        d = JSON.parse(line.text);
      } catch {
        continue; // torn tail of a killed writer
      }
      if (isDecisionRecord(d)) latest.set(d.sampleId, d);
    }
    for (const d of latest.values()) {
      const before = this.decisions.get(d.sampleId);
      this.decisions.set(d.sampleId, d);
      if ((before?.decision ?? 'undecided') === d.decision && (before?.note ?? '') === (d.note ?? '')) continue;
      const row = this.rows.get(d.sampleId);
      if (row) {
        row.decision = d.decision;
        if (d.note) row.note = d.note;
        else delete row.note;
        changed.set(row.id, row);
      }
      decisionChanges.push({ id: d.sampleId, decision: d.decision, note: d.note ?? '' });
    }

    const samplesRead = this.samplesTail.read();
    if (samplesRead.reset) {
      this.rows.clear();
      this.where.clear();
      this.readPlan();
    }
    for (const line of samplesRead.lines) {
      let record: unknown;
      try {
        record = JSON.parse(line.text);
      } catch {
        continue;
      }
      // First record of an id wins, as in readRunState (a merged run may repeat one).
      if (!isSampleRecord(record) || this.rows.has(record.id)) continue;
      const row = buildRow(record, this.decisions.get(record.id));
      this.rows.set(row.id, row);
      this.where.set(row.id, { offset: line.offset, length: line.length });
      changed.set(row.id, row);
    }
    return { rows: [...changed.values()], decisions: decisionChanges, reset: samplesRead.reset };
  }

  allRows(): SampleRow[] {
    return [...this.rows.values()];
  }

  row(id: string): SampleRow | undefined {
    return this.rows.get(id);
  }

  has(id: string): boolean {
    return this.rows.has(id);
  }

  /** The full record of a finished sample, read back from samples.jsonl. */
  record(id: string): SampleRecord | undefined {
    const at = this.where.get(id);
    if (!at) return undefined;
    const record: unknown = JSON.parse(readLineAt(join(this.dir, FILES.samples), at.offset, at.length));
    return isSampleRecord(record) ? record : undefined;
  }

  info(): RunInfo {
    let pending = 0;
    for (const id of this.planIds) if (!this.rows.has(id)) pending++;
    const m = this.manifest;
    return {
      runDir: this.dir,
      runId: m.runId,
      repository: m.repository?.name ?? '',
      baseCommit: m.repository?.baseCommit ?? '',
      model: m.settings?.teacher?.model ?? '',
      threshold: m.settings?.threshold ?? 0.5,
      createdAt: m.createdAt ?? '',
      planned: this.planIds.size,
      finished: this.rows.size,
      pending,
    };
  }

  /** Keeps the in-memory view in step with a decision this process wrote itself. */
  noteDecision(record: DecisionRecord): void {
    this.decisions.set(record.sampleId, record);
    const row = this.rows.get(record.sampleId);
    if (!row) return;
    row.decision = record.decision;
    if (record.note) row.note = record.note;
    else delete row.note;
  }
}
