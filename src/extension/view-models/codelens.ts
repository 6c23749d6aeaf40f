import type { DecisionRecord, SampleRecord } from '../../core/store/records';

/** One sample as the CodeLens, its hover and the Functions view tell of it. */
export interface SampleSummary {
  id: string;
  runDir: string;
  /** The start function's scan id in its run (file:qualifiedName:startLine at the run's base commit). */
  fid: string;
  startLine: number;
  endLine: number;
  status: SampleRecord['status'];
  recall: number | null;
  decision: DecisionRecord['decision'] | null;
}

/** What a CodeLens above one definition says about the samples that belong to it, across runs. */
export interface FunctionSampleStats {
  file: string;
  qualifiedName: string;
  /** The definition's start line in the document as it is now. */
  startLine: number;
  /** Newest run first (the order runs are given in). */
  samples: SampleSummary[];
  bestRecall: number | null;
  accepted: number;
  rejected: number;
  /** The run the panel opens for this definition (the newest holding one of its samples) and the function id it filters by. */
  runDir: string;
  functionId: string;
}

/** The samples of each (file, qualified name); several definitions may share that pair (overloads, redefinitions). */
export type SampleGroups = Map<string, SampleSummary[]>;

export function functionKey(file: string, qualifiedName: string): string {
  return `${file}\0${qualifiedName}`;
}

/** Groups every finished sample of the given runs (newest run first) by file and qualified name. */
export function groupSamples(runs: { runDir: string; samples: SampleRecord[]; decisions: Map<string, DecisionRecord> }[]): SampleGroups {
  const out: SampleGroups = new Map();
  for (const run of runs) {
    for (const s of run.samples) {
      const key = functionKey(s.function.file, s.function.qualifiedName);
      let list = out.get(key);
      if (!list) out.set(key, (list = []));
      list.push({
        id: s.id,
        runDir: run.runDir,
        fid: s.function.id,
        startLine: s.function.startLine,
        endLine: s.function.endLine,
        status: s.status,
        recall: s.verification?.recall ?? null,
        decision: run.decisions.get(s.id)?.decision ?? null,
      });
    }
  }
  return out;
}

export interface Definition {
  qualifiedName: string;
  startLine: number;
  endLine: number;
}

/**
 * The stats of each definition of one file (same order as `defs`; undefined: no samples). A
 * sample belongs to exactly one definition: among those with its qualified name, the one whose
 * line range is nearest the range the sample was made at (start and end lines together), so
 * three definitions of one name split their samples instead of each showing all of them, and a
 * function that moved since the run (lines added above it) keeps its samples.
 */
export function statsForDefinitions(file: string, defs: readonly Definition[], groups: SampleGroups): (FunctionSampleStats | undefined)[] {
  const owned: SampleSummary[][] = defs.map(() => []);
  const byName = new Map<string, number[]>();
  defs.forEach((d, i) => {
    const list = byName.get(d.qualifiedName);
    if (list) list.push(i);
    else byName.set(d.qualifiedName, [i]);
  });
  for (const [name, indexes] of byName) {
    for (const s of groups.get(functionKey(file, name)) ?? []) {
      let best = indexes[0];
      let bestCost = Infinity;
      for (const i of indexes) {
        const cost = Math.abs(defs[i].startLine - s.startLine) + Math.abs(defs[i].endLine - s.endLine);
        if (cost < bestCost) [best, bestCost] = [i, cost];
      }
      owned[best].push(s);
    }
  }
  return defs.map((d, i) => (owned[i].length ? summarize(file, d, owned[i]) : undefined));
}

function summarize(file: string, def: Definition, samples: SampleSummary[]): FunctionSampleStats {
  let bestRecall: number | null = null;
  let accepted = 0;
  let rejected = 0;
  for (const s of samples) {
    if (s.recall !== null && (bestRecall === null || s.recall > bestRecall)) bestRecall = s.recall;
    if (s.decision === 'accepted') accepted++;
    if (s.decision === 'rejected') rejected++;
  }
  return { file, qualifiedName: def.qualifiedName, startLine: def.startLine, samples, bestRecall, accepted, rejected, runDir: samples[0].runDir, functionId: samples[0].fid };
}

const STATUS_TEXT: Record<SampleRecord['status'], string> = { verified: 'verified', 'below-threshold': 'below threshold', failed: 'failed', 'too-large': 'P1 too large' };

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "3 samples · best recall 0.82 · 1 accepted · 1 rejected"; one sample says its own decision ("1 sample · recall 1.00 · rejected"). */
export function lensTitle(stats: FunctionSampleStats): string {
  const n = stats.samples.length;
  const parts = [plural(n, 'sample')];
  parts.push(stats.bestRecall === null ? 'no recall yet' : `${n === 1 ? 'recall' : 'best recall'} ${stats.bestRecall.toFixed(2)}`);
  if (n === 1) {
    const only = stats.samples[0];
    // a failed or too-large sample has nothing to curate, so its status says more than "undecided"
    parts.push(only.status === 'failed' || only.status === 'too-large' ? STATUS_TEXT[only.status] : (only.decision ?? 'undecided'));
    return parts.join(' · ');
  }
  if (stats.accepted) parts.push(`${stats.accepted} accepted`);
  if (stats.rejected) parts.push(`${stats.rejected} rejected`);
  const undecided = n - stats.accepted - stats.rejected;
  if (undecided && (stats.accepted || stats.rejected)) parts.push(`${undecided} undecided`);
  return parts.join(' · ');
}

function sampleLine(s: SampleSummary): string {
  return `${s.id} · ${STATUS_TEXT[s.status]} · recall ${s.recall === null ? '–' : s.recall.toFixed(2)} · ${s.decision ?? 'undecided'}`;
}

/** The CodeLens tooltip (plain text: VS Code shows a lens's tooltip as it is): one line per sample. */
export function lensTooltip(stats: FunctionSampleStats, limit = 12): string {
  const lines = stats.samples.slice(0, limit).map(sampleLine);
  if (stats.samples.length > limit) lines.push(`… and ${stats.samples.length - limit} more`);
  return [...lines, '', 'Click to open them in the curation panel.'].join('\n');
}

const escapeMd = (s: string) => s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');

/** The hover over a definition: a markdown list, one item per sample, with status, recall and decision. */
export function hoverMarkdown(stats: FunctionSampleStats, openCommand?: string): string {
  const items = stats.samples.map((s) => `- \`${s.id}\`: ${STATUS_TEXT[s.status]}, recall ${s.recall === null ? '–' : s.recall.toFixed(2)}, ${s.decision ?? 'undecided'}`);
  const head = `**${escapeMd(stats.qualifiedName)}**: ${escapeMd(lensTitle(stats))}`;
  const link = openCommand ? ['', `[Open in the curation panel](command:${openCommand}?${encodeURIComponent(JSON.stringify([stats]))})`] : [];
  return [head, '', ...items, ...link].join('\n');
}
