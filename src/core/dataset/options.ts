/** What an export is asked to do; the CLI flags and the curation panel both fill this in. */

/**
 * sera-hermes / sera-xml: tool calls written into the assistant text (tools listed in the system prompt);
 * hf: structured calls with object arguments, for Hugging Face chat templates (TRL, transformers);
 * openai: structured calls with JSON-string arguments, for the OpenAI fine-tuning API;
 * sharegpt: LLaMA-Factory's tool-aware sharegpt (function_call / observation turns, system and tools columns);
 * sharegpt-text: from/value turns holding the sera-hermes text.
 */
export const FORMATS = ['sera-hermes', 'sera-xml', 'hf', 'openai', 'sharegpt', 'sharegpt-text'] as const;
export type ExportFormat = (typeof FORMATS)[number];

/** What each format is for, in the words the CLI, the Export Dataset command and the curation panel show. */
export const FORMAT_INFO: Record<ExportFormat, { label: string; detail: string }> = {
  'sera-hermes': { label: 'SERA hermes (<tool_call> JSON)', detail: 'tool calls as <tool_call> JSON blocks in the text, a train flag per message (axolotl)' },
  'sera-xml': { label: 'SERA XML (<function=…>)', detail: 'the same with <function=NAME><parameter=KEY> calls (Qwen3-Coder style)' },
  hf: { label: 'Hugging Face chat (messages + tools)', detail: 'structured tool_calls with object arguments, for the model\'s own chat template (TRL, transformers, axolotl)' },
  openai: { label: 'OpenAI messages + tools', detail: 'structured tool_calls with JSON-string arguments (the OpenAI fine-tuning API)' },
  sharegpt: { label: 'LLaMA-Factory sharegpt', detail: 'function_call / observation turns, system and tools columns, and a dataset_info.json (LLaMA-Factory)' },
  'sharegpt-text': { label: 'ShareGPT text', detail: 'from/value turns holding the sera-hermes text' },
};

export const THINK_MODES = ['keep', 'drop', 'wrap'] as const;
/** keep: `reasoning_content` beside the content; drop: left out; wrap: `<think>...</think>` before the content. */
export type ThinkMode = (typeof THINK_MODES)[number];

export const TRAJECTORY_CHOICES = ['t1', 't2', 'both'] as const;
export type TrajectoryChoice = (typeof TRAJECTORY_CHOICES)[number];

export interface ExportOptions {
  runDirs: string[];
  /** Created if missing; must not hold an earlier export unless `overwrite`. */
  out: string;
  format?: ExportFormat;
  trajectories?: TrajectoryChoice;
  think?: ThinkMode;
  /** Recall a sample nobody decided on needs; default: each run's own threshold. */
  threshold?: number;
  onlyAccepted?: boolean;
  /** Keep trajectories that ended by a limit or an error rather than by submit. Default false. */
  includeUnsubmitted?: boolean;
  /** Most changed lines (verify's changedLines) in a trajectory's own patch; 0 = no limit. Default 40, the paper's recipe. */
  maxPatchLines?: number;
  /** Most characters per tool output on average over a trajectory; 0 = no limit (default). */
  maxToolOutputChars?: number;
  /** Token budget per exported trajectory (cl100k_base BPE); 0 = no limit. Default 32768, the paper's 32K context. */
  maxTokens?: number;
  /** Clip the longest tool outputs (marked) to fit `maxTokens` instead of dropping the trajectory. */
  truncate?: boolean;
  /** Keep trajectories whose patch repeats one already exported. Default false (dedupe on). */
  keepDuplicatePatches?: boolean;
  /** Fraction of start functions held out in data/validation.jsonl; 0 = no split. */
  validation?: number;
  /** Pattern-based secret scrubbing (default true). Known secrets and user paths are scrubbed regardless. */
  scrub?: boolean;
  /** Exact strings that must never appear, e.g. the teacher API key; replaced by `<REDACTED:known-secret>`. */
  knownSecrets?: string[];
  /** Absolute paths of the user's checkouts, written as /testbed (a run inside its checkout is found without this). */
  checkouts?: string[];
  /** Dataset card fields. */
  name?: string;
  license?: string;
  overwrite?: boolean;
  /** Worker threads for rendering, scrubbing and counting tokens; default: one per core, at most 4 (0 = in this thread). */
  workers?: number;
}

/** Options with every default filled in: what export.json records. */
export interface ResolvedOptions {
  format: ExportFormat;
  trajectories: TrajectoryChoice;
  think: ThinkMode;
  threshold: number | null;
  onlyAccepted: boolean;
  includeUnsubmitted: boolean;
  maxPatchLines: number;
  maxToolOutputChars: number;
  maxTokens: number;
  truncate: boolean;
  dedupe: boolean;
  validation: number;
  scrub: boolean;
  tokenizer: 'cl100k_base';
}

export const DEFAULTS = {
  format: 'sera-hermes',
  trajectories: 'both',
  think: 'keep',
  maxPatchLines: 40,
  maxToolOutputChars: 0,
  maxTokens: 32768,
} as const;

/** An export that cannot run as asked; the message is one sentence saying what to do. */
export class ExportError extends Error {}

export function resolveOptions(o: ExportOptions): ResolvedOptions {
  const format = o.format ?? DEFAULTS.format;
  if (!FORMATS.includes(format)) throw new ExportError(`Unknown format "${format}"; use one of ${FORMATS.join(', ')}.`);
  const trajectories = o.trajectories ?? DEFAULTS.trajectories;
  if (!TRAJECTORY_CHOICES.includes(trajectories)) throw new ExportError(`Unknown trajectories choice "${trajectories}"; use t1, t2 or both.`);
  const think = o.think ?? DEFAULTS.think;
  if (!THINK_MODES.includes(think)) throw new ExportError(`Unknown think mode "${think}"; use keep, drop or wrap.`);
  if (o.threshold !== undefined && !(o.threshold >= 0 && o.threshold <= 1)) throw new ExportError(`The threshold must be a recall between 0 and 1, not ${o.threshold}.`);
  const validation = o.validation ?? 0;
  if (!(validation >= 0 && validation < 1)) throw new ExportError(`The validation fraction must be at least 0 and below 1, not ${validation}.`);
  const count = (name: string, value: number | undefined, fallback: number) => {
    const v = value ?? fallback;
    if (!Number.isInteger(v) || v < 0) throw new ExportError(`${name} must be a whole number of 0 or more (0 turns it off), not ${v}.`);
    return v;
  };
  const maxTokens = count('The token budget', o.maxTokens, DEFAULTS.maxTokens);
  if (o.truncate && maxTokens === 0) throw new ExportError('Truncation needs a token budget; give --max-tokens N as well.');
  if (!o.runDirs.length) throw new ExportError('Give at least one run directory to export.');
  return {
    format,
    trajectories,
    think,
    threshold: o.threshold ?? null,
    onlyAccepted: o.onlyAccepted ?? false,
    includeUnsubmitted: o.includeUnsubmitted ?? false,
    maxPatchLines: count('The patch line limit', o.maxPatchLines, DEFAULTS.maxPatchLines),
    maxToolOutputChars: count('The tool output limit', o.maxToolOutputChars, DEFAULTS.maxToolOutputChars),
    maxTokens,
    truncate: o.truncate ?? false,
    dedupe: !(o.keepDuplicatePatches ?? false),
    validation,
    scrub: o.scrub ?? true,
    tokenizer: 'cl100k_base',
  };
}
