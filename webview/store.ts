import type { DecisionChange, ListFilters, SampleRow, SortKey } from '../src/protocol';

export const DEFAULT_FILTERS: ListFilters = { status: 'all', decision: 'all', language: 'all', text: '', minRecall: null, maxRecall: null, functionId: null };

const STATUS_ORDER = { verified: 0, 'below-threshold': 1, 'too-large': 2, failed: 3 } as const;
const DECISION_ORDER = { accepted: 0, undecided: 1, rejected: 2 } as const;

type Compare = (a: SampleRow, b: SampleRow) => number;

const byText = (key: 'fn' | 'file'): Compare => (a, b) => (a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : 0);
const byNumber = (key: 'tokens' | 'ms' | 'lines'): Compare => (a, b) => a[key] - b[key];

const COMPARE: Record<SortKey, Compare> = {
  fn: byText('fn'),
  file: byText('file'),
  recall: (a, b) => (a.recall as number) - (b.recall as number),
  precision: (a, b) => (a.precision as number) - (b.precision as number),
  f1: (a, b) => (a.f1 as number) - (b.f1 as number),
  status: (a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status],
  decision: (a, b) => DECISION_ORDER[a.decision] - DECISION_ORDER[b.decision],
  tokens: byNumber('tokens'),
  ms: byNumber('ms'),
  lines: byNumber('lines'),
};

const NULLABLE = new Set<SortKey>(['recall', 'precision', 'f1']);

/** Does the row belong to the function the panel was opened for (a scan id or the CodeLens `file\0name` key)? */
export function matchesFunction(row: SampleRow, functionId: string): boolean {
  return row.fid === functionId || `${row.file}\0${row.fn}` === functionId;
}

/**
 * All rows of the run and the filtered, sorted view of them. The view is an array of row
 * positions, recomputed in one pass (20,000 rows filter and sort in a few milliseconds); rows
 * keep their arrival order as the tie-breaker, so equal keys never jump around.
 */
export class Store {
  rows: SampleRow[] = [];
  private search: string[] = [];
  private readonly index = new Map<string, number>();
  filters: ListFilters = { ...DEFAULT_FILTERS };
  sort: { key: SortKey; dir: 1 | -1 } = { key: 'recall', dir: -1 };
  view: number[] = [];
  languages: string[] = [];

  reset(rows: SampleRow[]): void {
    this.rows = [];
    this.search = [];
    this.index.clear();
    this.upsert(rows);
  }

  /** Adds new rows and replaces known ones; returns how many were new. */
  upsert(rows: SampleRow[]): number {
    let added = 0;
    const langs = new Set(this.languages);
    for (const row of rows) {
      const at = this.index.get(row.id);
      if (at === undefined) {
        this.index.set(row.id, this.rows.length);
        this.rows.push(row);
        this.search.push(`${row.fn}\n${row.file}`.toLowerCase());
        added++;
      } else {
        this.rows[at] = row;
        this.search[at] = `${row.fn}\n${row.file}`.toLowerCase();
      }
      langs.add(row.lang);
    }
    this.languages = [...langs].sort();
    return added;
  }

  applyDecisions(changes: DecisionChange[]): void {
    for (const c of changes) {
      const at = this.index.get(c.id);
      if (at === undefined) continue;
      const row = this.rows[at];
      row.decision = c.decision;
      if (c.note) row.note = c.note;
      else delete row.note;
    }
  }

  get(id: string): SampleRow | undefined {
    const at = this.index.get(id);
    return at === undefined ? undefined : this.rows[at];
  }

  /** Recomputes the view from the filters and the sort. */
  compute(): void {
    const f = this.filters;
    const text = f.text.trim().toLowerCase();
    const min = f.minRecall;
    const max = f.maxRecall;
    const ranged = min !== null || max !== null;
    const out: number[] = [];
    const rows = this.rows;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      if (f.status !== 'all' && r.status !== f.status) continue;
      if (f.decision !== 'all' && r.decision !== f.decision) continue;
      if (f.language !== 'all' && r.lang !== f.language) continue;
      if (ranged) {
        if (r.recall === null) continue;
        if (min !== null && r.recall < min) continue;
        if (max !== null && r.recall > max) continue;
      }
      if (f.functionId !== null && !matchesFunction(r, f.functionId)) continue;
      if (text && !this.search[i].includes(text)) continue;
      out.push(i);
    }
    const cmp = COMPARE[this.sort.key];
    const dir = this.sort.dir;
    const nullable = NULLABLE.has(this.sort.key);
    const key = this.sort.key as 'recall';
    out.sort((ia, ib) => {
      const a = rows[ia];
      const b = rows[ib];
      if (nullable) {
        const an = a[key] === null;
        const bn = b[key] === null;
        // Samples without a score sit at the end whichever way the column is sorted.
        if (an || bn) return an === bn ? ia - ib : an ? 1 : -1;
      }
      return cmp(a, b) * dir || ia - ib;
    });
    this.view = out;
  }

  /** Position of a sample in the view, or -1. */
  position(id: string): number {
    const at = this.index.get(id);
    return at === undefined ? -1 : this.view.indexOf(at);
  }

  rowAt(position: number): SampleRow | undefined {
    const i = this.view[position];
    return i === undefined ? undefined : this.rows[i];
  }

  /** The samples the view shows, e.g. for a bulk action. */
  viewRows(): SampleRow[] {
    return this.view.map((i) => this.rows[i]);
  }
}
