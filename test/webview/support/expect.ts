import type { RunInfo, SampleRow } from '../../../src/protocol';

/** What the list should show, worked out independently of the webview's store. */
export function expectedIds(
  rows: SampleRow[],
  keep: (r: SampleRow) => boolean,
  key: 'recall' | 'file' | 'fn' | 'tokens',
  dir: 1 | -1,
): string[] {
  const indexed = rows.map((r, i) => ({ r, i })).filter(({ r }) => keep(r));
  indexed.sort((a, b) => {
    const x = a.r[key];
    const y = b.r[key];
    if (x === null || y === null) return x === y ? a.i - b.i : x === null ? 1 : -1;
    const c = x < y ? -1 : x > y ? 1 : 0;
    return c * dir || a.i - b.i;
  });
  return indexed.map(({ r }) => r.id);
}

export function histogram(rows: SampleRow[], bins = 20): number[] {
  const out = new Array<number>(bins).fill(0);
  for (const r of rows) if (r.recall !== null) out[Math.min(bins - 1, Math.floor(r.recall * bins))]++;
  return out;
}

export function runInfo(rows: number, over: Partial<RunInfo> = {}): RunInfo {
  return { runDir: '/work/repo/.specializer/runs/r1', runId: '2026-11-24_17-30-00', repository: 'inventory-service', baseCommit: 'c8450afdc663d4c361a82201a72128c6f00f6acf', model: 'qwen2.5-coder:32b', threshold: 0.5, createdAt: '2026-11-24T17:30:00.000Z', planned: rows, finished: rows, pending: 0, ...over };
}
