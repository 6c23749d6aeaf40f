import type { AgentExit } from '../agent/types';
import type { FunctionRecord } from '../functions/types';
import type { OverlapScore } from '../verify/overlap';

export type SampleStatus = 'verified' | 'below-threshold' | 'failed';
/** A sample's stages, in order; each is persisted to stages.jsonl, and a failure names the one it happened in. */
export type StageName = 'rollout1' | 'pr' | 'judge' | 'rollout2';

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
}

/** The start function as the sample keeps it: the scan's record without signature and call edges. */
export type SampleFunction = Pick<FunctionRecord, 'id' | 'file' | 'name' | 'qualifiedName' | 'language' | 'startLine' | 'endLine'>;

/** One planned sample: a start function, its instance number and the instruction it gets. */
export interface PlannedSample {
  id: string;
  function: SampleFunction;
  instance: number;
  instruction: { templateId: string; area: string; text: string };
  demonstrationId: string;
}

export interface RolloutRecord {
  exit: AgentExit;
  steps: number;
  usage: TokenUsage;
  ms: number;
  patch: string;
  /** Relative to the run directory. */
  trajectory: string;
}

export interface PrRecord {
  text: string;
  demonstrationId: string;
  attempts: number;
  cleaned: boolean;
  usage: TokenUsage;
  ms: number;
}

export interface JudgeRecord {
  verdict: 'yes' | 'no' | 'unclear';
  raw: string;
  usage: TokenUsage;
}

/** The overlap scores (see the verify module) with the decision they led to. */
export interface VerificationRecord extends Pick<OverlapScore, 'recall' | 'precision' | 'f1' | 'matched' | 'p1Lines' | 'p2Lines'> {
  threshold: number;
  passed: boolean;
  /** For each P1 changed line, the P2 line that reproduced it (null: missed); for each P2 line, the P1 line it matched (null: extra). */
  matchMap: { p1: (number | null)[]; p2: (number | null)[] };
}

/** A stage's persisted result; replaying these resumes a sample where it stopped. */
export type StageRecord =
  | { sampleId: string; stage: 'rollout1'; at: string; data: RolloutRecord }
  | { sampleId: string; stage: 'pr'; at: string; data: PrRecord }
  | { sampleId: string; stage: 'judge'; at: string; data: JudgeRecord }
  | { sampleId: string; stage: 'rollout2'; at: string; data: RolloutRecord };

/** The finished sample, appended once to samples.jsonl and never rewritten. */
export interface SampleRecord {
  id: string;
  runId: string;
  function: SampleFunction;
  instance: number;
  instruction: PlannedSample['instruction'];
  rollout1: RolloutRecord | null;
  syntheticPr: PrRecord | null;
  judge: JudgeRecord | null;
  rollout2: RolloutRecord | null;
  verification: VerificationRecord | null;
  status: SampleStatus;
  failure: { stage: StageName; reason: string } | null;
  usage: TokenUsage;
  ms: number;
  finishedAt: string;
}

export interface RunSettings {
  threshold: number;
  maxSteps: number;
  concurrency: number;
  samples: number;
  seed: string;
  sandbox: string;
  judge: boolean;
  demonstrations: string;
  instructionBank: string | null;
  include: string[];
  exclude: string[];
  includeUncommitted: boolean;
  perFileCap: number;
  instancesPerFunction: number;
  minFunctionLines: number;
  shard: { index: number; count: number } | null;
  budgets: { maxTotalTokens: number | null; maxWallMs: number | null };
  teacher: { baseUrls: string[]; model: string; temperature: number; maxTokens: number | null };
}

/** run.json: what a run was made with. No secrets: the API key is never written. */
export interface RunManifest {
  format: 1;
  runId: string;
  createdAt: string;
  tool: { name: 'repo-specializer'; version: string };
  repository: { name: string; baseCommit: string; snapshotOfUncommitted: boolean };
  settings: RunSettings;
}

/** A curation decision; the latest one per sample wins. */
export interface DecisionRecord {
  sampleId: string;
  decision: 'accepted' | 'rejected' | 'undecided';
  note?: string;
  at: string;
}
