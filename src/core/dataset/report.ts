import type { ResolvedOptions } from './options';

/** How far an export is, for progress bars (the CLI's line, the notification, the curation panel). */
export interface ExportProgress {
  /** starting: before the exporter's first report (the panel shows it the moment the export is asked for). */
  phase: 'starting' | 'selecting' | 'exporting';
  /** Trajectories handled so far (exported or left out). */
  done: number;
  /** Trajectories to handle (known once selection is over). */
  total: number;
  written: number;
}

/** One input run, as export.json and the dataset card name it (never by its path on disk). */
export interface RunFacts {
  runId: string;
  repository: string;
  baseCommit: string;
  teacherModel: string;
  threshold: number;
  /** The run's --max-p1-lines (samples over it stopped after rollout 1 as too-large); 0: no limit, or a run older than the limit. */
  maxP1Lines: number;
}

export interface TokenStats {
  total: number;
  mean: number;
  median: number;
  p95: number;
  max: number;
}

/** What an export did; also what previewExport counts without writing. */
export interface ExportReport {
  options: ResolvedOptions;
  runs: RunFacts[];
  /** Trajectories considered (each selected-or-not sample offers one or two). */
  candidates: number;
  /** Exported lines (trajectories) per split. */
  written: { train: number; validation: number; total: number };
  /** Distinct samples with at least one exported trajectory. */
  samples: number;
  bytes: number;
  /** Trajectories left out, by the filter or rule that left them out. */
  removedBy: Record<string, number>;
  /** Exported trajectories whose tool outputs were clipped to fit the token budget (--truncate). */
  truncated: number;
  tokens: TokenStats;
  /** Exported samples by recall, ten bins [0,0.1) ... [0.9,1.0]; accepted samples without a score are counted in `unscored`. */
  recallHistogram: number[];
  unscored: number;
  languages: Record<string, number>;
  trajectories: { t1: number; t2: number };
  decisions: { accepted: number; undecided: number };
  validationFunctions: number;
  redactions: { total: number; byType: Record<string, number> };
  seconds: number;
  workers: number;
}

export function tokenStats(values: number[]): TokenStats {
  if (!values.length) return { total: 0, mean: 0, median: 0, p95: 0, max: 0 };
  const sorted = Float64Array.from(values).sort();
  const total = sorted.reduce((n, v) => n + v, 0);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { total, mean: Math.round(total / sorted.length), median: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] };
}
