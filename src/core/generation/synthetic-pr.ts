import type { Trajectory } from '../agent/types';
import type { ChatMessage, Teacher } from '../teacher/types';
import { changedLines } from '../verify';
import type { Demonstration } from './demonstration-bank';

const MAX_PATCH_CHARS = 12_000;
const MAX_STEPS_CHARS = 6_000;
const MIN_PR_CHARS = 60;

/** The edit steps of rollout 1, in a compact form the PR writer can read. */
export function summariseEditSteps(trajectory: Trajectory): string {
  const lines: string[] = [];
  for (const message of trajectory.messages) {
    for (const call of message.tool_calls ?? []) {
      let args: Record<string, unknown> = {};
      try {
        args = JSON.parse(call.function.arguments) as Record<string, unknown>;
      } catch {
        continue;
      }
      if (call.function.name === 'str_replace_editor' && args.command !== 'view') {
        lines.push(`- ${String(args.command)} ${String(args.path ?? '')}`);
      } else if (call.function.name === 'bash' && typeof args.command === 'string') {
        lines.push(`- ran: ${args.command.split('\n')[0].slice(0, 160)}`);
      }
    }
  }
  const text = lines.join('\n');
  return text.length > MAX_STEPS_CHARS ? `${text.slice(0, MAX_STEPS_CHARS)}\n- ...` : text || '- (no edit steps recorded)';
}

export function prWriterMessages(instruction: string, steps: string, patch: string, demo: Demonstration, feedback?: string): ChatMessage[] {
  const clippedPatch = patch.length > MAX_PATCH_CHARS ? `${patch.slice(0, MAX_PATCH_CHARS)}\n[patch clipped]` : patch;
  const system = [
    'You write issue reports for a software project, the kind a user or a colleague files before anyone has looked at the code.',
    'You will be shown a change a developer made and must write the issue that would have led to it.',
    'Rules:',
    '- Describe the problem as it shows from the outside: what someone did, what happened, what they expected. For a non-bug change (refactoring, documentation, logging, types), describe the need or the shortcoming instead.',
    '- Say how to reproduce or observe it when that makes sense, with names of the functions, classes or files involved.',
    '- Do NOT describe the fix, do NOT include the changed code or a diff, and do NOT say that anything has been fixed or changed already.',
    '- Write in the style of the example issue (tone, length, structure), but about this change only.',
    '- Reply with the issue text only, between <issue> and </issue>.',
  ].join('\n');
  const user = [
    `Example issue (style only; "${demo.style}"):`,
    '<example>',
    demo.text,
    '</example>',
    '',
    'What the developer was asked to look into:',
    instruction,
    '',
    'The steps they took:',
    steps,
    '',
    'Their change:',
    '```diff',
    clippedPatch,
    '```',
    '',
    'Write the issue that this change resolves.',
    ...(feedback ? ['', feedback] : []),
  ].join('\n');
  return [
    { role: 'system', content: system },
    { role: 'user', content: user },
  ];
}

export interface LeakReport {
  leaked: boolean;
  reasons: string[];
}

const FIX_CLAIM = /\b(?:this (?:pr|pull request|patch|change|commit) (?:fixes|resolves|adds|implements|updates|changes)|(?:i|we) (?:have |'ve )?(?:fixed|resolved|patched|changed|updated)|the fix (?:is|was)|has been fixed|is now fixed|now correctly)\b/i;
const DIFF_MARKERS = /^(?:diff --git |@@ -\d|--- a\/|\+\+\+ b\/)/m;

/** Lines the change introduced (not merely moved), long enough that quoting them gives the fix away. */
function revealingLines(patch: string): string[] {
  const lines = changedLines(patch);
  const removed = new Set(lines.filter((l) => l.sign === '-').map((l) => l.text.trim()));
  return [...new Set(lines.filter((l) => l.sign === '+').map((l) => l.text.trim()))].filter((t) => t.length >= 20 && !removed.has(t));
}

export function detectLeak(text: string, patch: string): LeakReport {
  const reasons: string[] = [];
  if (DIFF_MARKERS.test(text)) reasons.push('contains diff markers');
  const claim = text.match(FIX_CLAIM);
  if (claim) reasons.push(`claims the change is made ("${claim[0]}")`);
  const quoted = revealingLines(patch).filter((line) => text.includes(line));
  if (quoted.length) reasons.push(`quotes ${quoted.length} line(s) of the change, e.g. "${quoted[0].slice(0, 80)}"`);
  return { leaked: reasons.length > 0, reasons };
}

/** Removes what gives the change away: code blocks quoting it or holding a diff, and sentences claiming a fix. */
export function cleanLeak(text: string, patch: string): string {
  const revealing = revealingLines(patch);
  let cleaned = text.replace(/```[\s\S]*?```/g, (block) => (DIFF_MARKERS.test(block) || revealing.some((l) => block.includes(l)) || /^[+-]\S/m.test(block) ? '' : block));
  cleaned = cleaned
    .split('\n')
    .map((line) => line.split(/(?<=[.!?])\s+/).filter((sentence) => !FIX_CLAIM.test(sentence)).join(' '))
    .filter((line) => !revealing.some((l) => line.includes(l)))
    .join('\n');
  return cleaned.replace(/\n{3,}/g, '\n\n').trim();
}

export function extractIssueText(content: string): string {
  const withoutThinking = content.replace(/<think>[\s\S]*?<\/think>/g, '');
  const tagged = withoutThinking.match(/<issue>([\s\S]*?)(?:<\/issue>|$)/i);
  return (tagged ? tagged[1] : withoutThinking).trim();
}

export interface SyntheticPrResult {
  text: string;
  attempts: number;
  cleaned: boolean;
  usage: { promptTokens: number; completionTokens: number };
  ms: number;
}

export class PrRejected extends Error {}

/**
 * Asks the teacher for the issue text; a text that gives the change away is cleaned, and if
 * cleaning leaves too little, the teacher is asked once more with the reasons.
 */
export async function writeSyntheticPr(
  teacher: Teacher,
  input: { instruction: string; trajectory: Trajectory; patch: string; demo: Demonstration },
  signal?: AbortSignal,
): Promise<SyntheticPrResult> {
  const steps = summariseEditSteps(input.trajectory);
  const usage = { promptTokens: 0, completionTokens: 0 };
  let ms = 0;
  let feedback: string | undefined;
  let lastReasons: string[] = [];
  for (let attempt = 1; attempt <= 2; attempt++) {
    const completion = await teacher.complete(prWriterMessages(input.instruction, steps, input.patch, input.demo, feedback), [], signal);
    usage.promptTokens += completion.usage.promptTokens;
    usage.completionTokens += completion.usage.completionTokens;
    ms += completion.ms;
    const text = extractIssueText(completion.message.content ?? '');
    const leak = detectLeak(text, input.patch);
    if (!leak.leaked && text.length >= MIN_PR_CHARS) return { text, attempts: attempt, cleaned: false, usage, ms };
    if (leak.leaked) {
      const cleaned = cleanLeak(text, input.patch);
      if (cleaned.length >= MIN_PR_CHARS && !detectLeak(cleaned, input.patch).leaked) return { text: cleaned, attempts: attempt, cleaned: true, usage, ms };
      lastReasons = leak.reasons;
    } else {
      lastReasons = [`too short (${text.length} characters)`];
    }
    feedback = `Your previous answer was not usable: it ${lastReasons.join('; ')}. Write it again following the rules: describe the problem, never the fix or the changed code.`;
  }
  throw new PrRejected(`the PR text gave the change away or was unusable twice (${lastReasons.join('; ')})`);
}
