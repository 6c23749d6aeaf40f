import type { AgentExit } from '../agent/types';
import type { SampleFunction, TokenUsage } from '../store';

/** Where an eval task came from: a held-out sample of a generation run, or a commit of the repository. */
export type TaskOrigin =
  | { kind: 'run'; runId: string; sampleId: string; function: SampleFunction }
  | { kind: 'commit'; commit: string; subject: string; issues: string[] };

/** One task: what the model is told, where its copy starts, and the patch it is measured against. */
export interface EvalTask {
  id: string;
  origin: TaskOrigin;
  /** The commit the copy is checked out at. */
  baseCommit: string;
  /** Object store holding `baseCommit` when it is a run's snapshot of uncommitted files. */
  snapshotStore: string | null;
  /** Given to the agent exactly as generation gives rollout 2 its PR text. */
  statement: string;
  reference: string;
  referenceLines: number;
}

/** A model under evaluation, as the run records it (never its API key). */
export interface EvalModel {
  /** Unique within the run; names results and trajectories. */
  label: string;
  model: string;
  baseUrls: string[];
}

/** The score of a model's patch against a task's reference (the verify module's metric). */
export interface EvalScore {
  recall: number;
  precision: number | null;
  f1: number;
  matched: number;
  referenceLines: number;
  patchLines: number;
}

/**
 * One task solved by one model, appended once to results.jsonl. A result with `error` set (the
 * endpoint failed, the copy could not be made) is kept as a record of why, and the pair is tried
 * again when the run is resumed; the latest record of a pair counts.
 */
export interface EvalResult {
  taskId: string;
  model: string;
  exit: AgentExit;
  submitted: boolean;
  /** Null for an error result. */
  score: EvalScore | null;
  /** Submitted with recall at or above the run's resolve threshold. */
  resolved: boolean;
  steps: number;
  usage: TokenUsage;
  ms: number;
  patch: string;
  /** Relative to the eval directory. */
  trajectory: string;
  error: string | null;
  finishedAt: string;
}

/** How the held-out functions of run tasks were chosen; the export records the same object. */
export interface SplitRecord {
  /** The export folder whose recorded split was used, or null when it was computed here. */
  export: string | null;
  fraction: number;
  /** Start functions the split divided, and the keys held out of training. */
  functions: number;
  heldOut: string[];
}

export interface TaskSourceRecord {
  kind: 'runs' | 'history';
  runs: { runId: string; baseCommit: string }[];
  split: SplitRecord | null;
  history: {
    since: string | null;
    limit: number;
    minLines: number;
    maxLines: number;
    minMessageChars: number;
    issues: string | null;
    /** Commits looked at and why each one left out was left out. */
    considered: number;
    skipped: Record<string, number>;
  } | null;
}

export interface EvalSettings {
  threshold: number;
  maxSteps: number;
  concurrency: number;
  sandbox: string;
  temperature: number;
  budgets: { maxTotalTokens: number | null; maxWallMs: number | null };
}

/** eval.json: what an eval run was made with. */
export interface EvalManifest {
  format: 1;
  kind: 'eval';
  evalId: string;
  createdAt: string;
  tool: { name: 'repo-specializer'; version: string };
  repository: { name: string; head: string };
  source: TaskSourceRecord;
  models: EvalModel[];
  settings: EvalSettings;
}
