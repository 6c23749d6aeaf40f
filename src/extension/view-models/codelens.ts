import type { DecisionRecord, SampleRecord } from '../../core/store/records';

/** What a CodeLens above one function says about its samples across runs. */
export interface FunctionSampleStats {
  functionKey: string;
  file: string;
  qualifiedName: string;
  startLine: number;
  samples: { id: string; runDir: string; status: SampleRecord['status']; recall: number | null; decision: DecisionRecord['decision'] | null }[];
  bestRecall: number | null;
  accepted: number;
}

/** Samples are matched to functions by file and qualified name: line numbers drift as code is edited. */
export function functionKey(file: string, qualifiedName: string): string {
  return `${file}\0${qualifiedName}`;
}

export function collectStats(runs: { runDir: string; samples: SampleRecord[]; decisions: Map<string, DecisionRecord> }[]): Map<string, FunctionSampleStats> {
  const out = new Map<string, FunctionSampleStats>();
  for (const run of runs) {
    for (const s of run.samples) {
      const key = functionKey(s.function.file, s.function.qualifiedName);
      let stats = out.get(key);
      if (!stats) {
        stats = { functionKey: key, file: s.function.file, qualifiedName: s.function.qualifiedName, startLine: s.function.startLine, samples: [], bestRecall: null, accepted: 0 };
        out.set(key, stats);
      }
      const recall = s.verification?.recall ?? null;
      const decision = run.decisions.get(s.id)?.decision ?? null;
      stats.samples.push({ id: s.id, runDir: run.runDir, status: s.status, recall, decision });
      if (recall !== null && (stats.bestRecall === null || recall > stats.bestRecall)) stats.bestRecall = recall;
      if (decision === 'accepted') stats.accepted++;
    }
  }
  return out;
}

export function lensTitle(stats: FunctionSampleStats): string {
  const n = stats.samples.length;
  const parts = [`${n} sample${n === 1 ? '' : 's'}`];
  parts.push(stats.bestRecall === null ? 'no recall yet' : `best recall ${stats.bestRecall.toFixed(2)}`);
  if (stats.accepted) parts.push(`${stats.accepted} accepted`);
  return parts.join(' · ');
}

/** A markdown table for the hover: one row per sample. */
export function hoverMarkdown(stats: FunctionSampleStats): string {
  const rows = stats.samples.map((s) => `| ${s.id} | ${s.status} | ${s.recall === null ? '–' : s.recall.toFixed(2)} | ${s.decision ?? 'undecided'} |`);
  return [`**${stats.qualifiedName}**: ${lensTitle(stats)}`, '', '| sample | status | recall | decision |', '|---|---|---|---|', ...rows].join('\n');
}
