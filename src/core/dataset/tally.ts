import type { ResolvedOptions } from './options';
import { tokenStats, type ExportProgress, type ExportReport, type RunFacts } from './report';
import type { RowMeta } from './row';
import { recallBin } from '../store/summary';

/**
 * The export's counts as rows are selected and placed, and the report made from them: what was
 * left out and why, what was written where, tokens, recall, languages and redactions.
 */
export class ExportTally {
  /** Trajectories handled so far (exported or left out) and trajectories considered. */
  done = 0;
  candidates = 0;
  train = 0;
  validation = 0;
  private truncated = 0;
  private readonly tokens: number[] = [];
  private readonly histogram = new Array<number>(10).fill(0);
  private unscored = 0;
  private readonly languages: Record<string, number> = {};
  private readonly trajectories = { t1: 0, t2: 0 };
  private readonly decisions = { accepted: 0, undecided: 0 };
  private readonly removedBy: Record<string, number> = {};
  private readonly redactionTypes: Record<string, number> = {};
  private redactions = 0;
  private readonly samples = new Set<string>();

  constructor(private readonly onProgress?: (p: ExportProgress) => void) {}

  /** Trajectories left out, by the filter or rule that left them out. */
  drop(reason: string, n = 1): void {
    this.removedBy[reason] = (this.removedBy[reason] ?? 0) + n;
  }

  /** Trajectories considered and, when they need no rendering, already handled. */
  consider(n: number, handled: boolean): void {
    this.candidates += n;
    if (handled) this.done += n;
  }

  redaction(type: string): void {
    this.redactionTypes[type] = (this.redactionTypes[type] ?? 0) + 1;
    this.redactions++;
  }

  /** A rendered trajectory that was written (or, for a preview, would be). */
  written(meta: RowMeta, split: 'train' | 'validation', tokens: number, truncated: boolean): void {
    this[split]++;
    if (truncated) this.truncated++;
    this.tokens.push(tokens);
    this.trajectories[meta.trajectory]++;
    this.languages[meta.language] = (this.languages[meta.language] ?? 0) + 1;
    if (this.samples.has(meta.sample_id)) return;
    this.samples.add(meta.sample_id);
    this.decisions[meta.decision]++;
    if (meta.recall === null) this.unscored++;
    else this.histogram[recallBin(meta.recall)]++;
  }

  /** One rendered trajectory handled; progress goes out every 200 (and once at the end, `force`). */
  handled(force = false): void {
    if (!force) this.done++;
    if (this.onProgress && (force || this.done % 200 === 0)) this.onProgress({ phase: 'exporting', done: this.done, total: this.candidates, written: this.train + this.validation });
  }

  report(options: ResolvedOptions, runs: RunFacts[], validationFunctions: number, workers: number): ExportReport {
    return {
      options,
      runs,
      candidates: this.candidates,
      written: { train: this.train, validation: this.validation, total: this.train + this.validation },
      samples: this.samples.size,
      bytes: 0,
      removedBy: sortedCounts(this.removedBy),
      truncated: this.truncated,
      tokens: tokenStats(this.tokens),
      recallHistogram: this.histogram,
      unscored: this.unscored,
      languages: sortedCounts(this.languages),
      trajectories: this.trajectories,
      decisions: this.decisions,
      validationFunctions,
      redactions: { total: this.redactions, byType: sortedCounts(this.redactionTypes) },
      seconds: 0,
      workers,
    };
  }
}

function sortedCounts(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
}
