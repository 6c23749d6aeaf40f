import { argumentsText, newCallId, parseTextToolCalls, splitThinking } from './text-tool-calls';
import { estimateTokens } from './tokens';
import type { ChatMessage, Completion, ToolCall, ToolSpec, Usage } from './types';

/** An answer as the server gave it, streamed or not, before normalisation. */
export interface RawAnswer {
  content: string | null;
  reasoning: string;
  toolCalls: { id?: string; name: string; arguments: unknown }[];
  finishReason: string | null;
  usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } | null;
}

/** Reads the first choice of a non-streamed chat completion, tolerating the fields local servers add. */
export function rawFromResponse(response: unknown): RawAnswer | undefined {
  const r = response as { choices?: unknown[]; usage?: RawAnswer['usage'] };
  const choice = r?.choices?.[0] as { message?: Record<string, unknown>; finish_reason?: string | null } | undefined;
  if (!choice?.message) return undefined;
  const m = choice.message;
  const calls = Array.isArray(m.tool_calls) ? (m.tool_calls as { id?: string; function?: { name?: string; arguments?: unknown } }[]) : [];
  return {
    content: typeof m.content === 'string' ? m.content : null,
    reasoning: reasoningField(m),
    toolCalls: calls.map((c) => ({ id: c.id, name: c.function?.name ?? '', arguments: c.function?.arguments })),
    finishReason: choice.finish_reason ?? null,
    usage: r.usage,
  };
}

/** Servers name it `reasoning_content` (vLLM, DeepSeek, llama.cpp) or `reasoning` (Ollama, OpenRouter). */
export function reasoningField(m: Record<string, unknown>): string {
  if (typeof m.reasoning_content === 'string') return m.reasoning_content;
  if (typeof m.reasoning === 'string') return m.reasoning;
  return '';
}

export function normaliseAnswer(
  raw: RawAnswer,
  request: { messages: ChatMessage[]; tools: ToolSpec[] },
): Pick<Completion, 'message' | 'usage' | 'finishReason' | 'toolCallSource'> {
  const thinking = splitThinking(raw.content ?? '');
  const reasoning = [raw.reasoning.trim(), thinking.reasoning ?? ''].filter(Boolean).join('\n\n');
  let text = thinking.text;
  let calls: ToolCall[] = raw.toolCalls.map((c) => ({
    id: c.id || newCallId(),
    type: 'function' as const,
    function: { name: c.name, arguments: argumentsText(c.arguments) },
  }));
  let source: Completion['toolCallSource'] = calls.length ? 'native' : 'none';
  if (!calls.length) {
    const parsed = parseTextToolCalls(text, request.tools);
    if (parsed.calls.length) {
      calls = parsed.calls;
      text = parsed.text;
      source = 'text';
    }
  }
  const message: ChatMessage = { role: 'assistant', content: text === '' ? null : text };
  if (calls.length) message.tool_calls = calls;
  if (reasoning) message.reasoning_content = reasoning;
  return { message, usage: usageOf(raw, message, request), finishReason: raw.finishReason, toolCallSource: source };
}

function usageOf(raw: RawAnswer, message: ChatMessage, request: { messages: ChatMessage[]; tools: ToolSpec[] }): Usage {
  const prompt = tokenCount(raw.usage?.prompt_tokens);
  const completion = tokenCount(raw.usage?.completion_tokens);
  if (prompt !== undefined && completion !== undefined) return { promptTokens: prompt, completionTokens: completion, estimated: false };
  // A count that is missing or makes no sense (negative, fractional, 1e400) is estimated instead.
  const answer =
    (raw.content ?? '') + raw.reasoning + (message.tool_calls ?? []).map((t) => t.function.name + t.function.arguments).join('');
  return {
    promptTokens: prompt ?? estimateTokens(JSON.stringify(request.messages)) + (request.tools.length ? estimateTokens(JSON.stringify(request.tools)) : 0),
    completionTokens: completion ?? estimateTokens(answer),
    estimated: true,
  };
}

/** A server's token count when it is a count: a non-negative safe integer. */
function tokenCount(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}
