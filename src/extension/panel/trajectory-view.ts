import { readFileSync } from 'node:fs';
import type { OutputView, StepView, TrajectoryView } from '../../protocol';

/** What the panel shows of one long text; the rest is one click away ("Open trajectory"). */
export const CLIP = { output: 4_000, args: 4_000, text: 8_000, reasoning: 4_000, task: 8_000 } as const;

export function clip(text: string, max: number): OutputView {
  return text.length <= max ? { text, clipped: 0 } : { text: text.slice(0, max), clipped: text.length - max };
}

function clippedText(text: string, max: number): string {
  const c = clip(text, max);
  return c.clipped ? `${c.text}\n… ${c.clipped.toLocaleString('en-US')} more characters` : c.text;
}

interface RawMessage {
  role?: unknown;
  content?: unknown;
  tool_calls?: { function?: { name?: unknown; arguments?: unknown } }[];
  reasoning_content?: unknown;
}

interface RawStep {
  teacherMs?: unknown;
  toolMs?: unknown;
  promptTokens?: unknown;
  completionTokens?: unknown;
}

const asNumber = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const asText = (v: unknown): string => (typeof v === 'string' ? v : v == null ? '' : JSON.stringify(v));

function prettyArgs(args: unknown): string {
  const text = asText(args);
  try {
    return clippedText(JSON.stringify(JSON.parse(text), null, 2), CLIP.args);
  } catch {
    return clippedText(text, CLIP.args); // the model's own text when it was not valid JSON
  }
}

/**
 * One rollout's trajectory as steps: each assistant turn with its tool calls and the outputs that
 * came back, plus that step's tokens and time. Long texts are clipped so a 115-step trajectory
 * stays a message of a few hundred KB.
 */
export function buildTrajectoryView(json: unknown, rollout: 1 | 2): TrajectoryView {
  const t = (json ?? {}) as { task?: unknown; messages?: unknown; steps?: unknown; usage?: { promptTokens?: unknown; completionTokens?: unknown }; ms?: unknown; exit?: unknown };
  const messages = Array.isArray(t.messages) ? (t.messages as RawMessage[]) : [];
  const stats = Array.isArray(t.steps) ? (t.steps as RawStep[]) : [];
  const steps: StepView[] = [];
  let task = asText(t.task);
  for (const m of messages) {
    if (!m || typeof m !== 'object') continue;
    if (m.role === 'assistant') {
      const stat = stats[steps.length];
      const view: StepView = {
        n: steps.length + 1,
        text: clippedText(asText(m.content), CLIP.text),
        calls: (Array.isArray(m.tool_calls) ? m.tool_calls : []).map((c) => ({ name: asText(c?.function?.name) || '?', args: prettyArgs(c?.function?.arguments) })),
        outputs: [],
        tokens: stat ? asNumber(stat.promptTokens) + asNumber(stat.completionTokens) : null,
        ms: stat ? asNumber(stat.teacherMs) + asNumber(stat.toolMs) : null,
      };
      if (typeof m.reasoning_content === 'string' && m.reasoning_content) view.reasoning = clippedText(m.reasoning_content, CLIP.reasoning);
      steps.push(view);
    } else if (steps.length) {
      // tool results (or user turns carrying them, for text-form tool calls) belong to the step before
      steps[steps.length - 1].outputs.push(clip(asText(m.content), CLIP.output));
    } else if (m.role === 'user' && !task) {
      task = asText(m.content);
    }
  }
  const exit = t.exit && typeof t.exit === 'object' ? (t.exit as { status?: unknown; reason?: unknown }) : null;
  return {
    rollout,
    task: clippedText(task, CLIP.task),
    steps,
    tokens: { prompt: asNumber(t.usage?.promptTokens), completion: asNumber(t.usage?.completionTokens) },
    ms: asNumber(t.ms),
    exit: exit ? { status: asText(exit.status) || 'unknown', ...(typeof exit.reason === 'string' ? { reason: exit.reason } : {}) } : null,
  };
}

export function readTrajectoryView(path: string, rollout: 1 | 2): TrajectoryView {
  try {
    return buildTrajectoryView(JSON.parse(readFileSync(path, 'utf8')), rollout);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'the trajectory file is missing' : `the trajectory file cannot be read (${(error as Error).message})`;
    return { rollout, task: '', steps: [], tokens: { prompt: 0, completion: 0 }, ms: 0, exit: null, error: `Rollout ${rollout}: ${why}.` };
  }
}
