import type { ToolSpec } from '../teacher/types';
import { NotRepresentable, type PreparedMessage, type Rendered } from './formats';
import type { ThinkMode } from './options';

/**
 * LLaMA-Factory's sharegpt with tools. Its loader takes the system prompt and the tool list
 * (a JSON string) from their own columns, then wants turns that alternate strictly: `human` or
 * `observation`, then `gpt` or `function_call`, ending on the model's turn. A `function_call`
 * turn is JSON only (one call object, or a list for several); the only text it keeps beside the
 * JSON is a thought in `<think>` tags, so the assistant's own words before a call go there.
 * Consecutive tool results become one `observation`, joined the way LLaMA-Factory joins them
 * itself, so its templates print one `<tool_response>` block per result.
 */

const THOUGHT_OPEN = '<think>\n';
const THOUGHT_CLOSE = '\n</think>\n\n';
const RESULT_SEPARATOR = '\n</tool_response>\n<tool_response>\n';

type From = 'human' | 'gpt' | 'function_call' | 'observation';
const MODEL_TURNS: From[] = ['gpt', 'function_call'];

export function renderLlamaFactory(messages: PreparedMessage[], tools: ToolSpec[], think: ThinkMode): Rendered {
  const turns: Record<string, unknown>[] = [];
  const texts: string[][] = [];
  let system = '';
  const push = (from: From, value: string, reasoning?: string) => {
    const model = MODEL_TURNS.includes(from);
    if (model !== (turns.length % 2 === 1)) throw new NotRepresentable(`a ${from} turn where LLaMA-Factory expects the other side`);
    const turn: Record<string, unknown> = { from, value };
    if (think === 'keep' && reasoning) turn.reasoning_content = reasoning;
    turns.push(turn);
    texts.push(think === 'keep' && reasoning ? [value, reasoning] : [value]);
  };
  let results: string[] = [];
  const flushResults = () => {
    if (results.length) push('observation', results.join(RESULT_SEPARATOR));
    results = [];
  };
  for (const m of messages) {
    if (m.role === 'tool') {
      results.push(m.content);
      continue;
    }
    flushResults();
    if (m.role === 'system') {
      if (turns.length) throw new NotRepresentable('a system message after the conversation started');
      system = system ? `${system}\n\n${m.content}` : m.content;
    } else if (m.role === 'user') {
      push('human', m.content);
    } else if (m.calls?.length) {
      const calls = m.calls.map((c) => ({ name: c.name, arguments: c.args }));
      const thought = [think === 'wrap' ? m.reasoning : undefined, m.content].filter((t): t is string => !!t).join('\n\n');
      const json = JSON.stringify(calls.length === 1 ? calls[0] : calls);
      push('function_call', thought ? `${THOUGHT_OPEN}${thought}${THOUGHT_CLOSE}${json}` : json, m.reasoning);
    } else {
      const content = think === 'wrap' && m.reasoning ? `${THOUGHT_OPEN}${m.reasoning}${THOUGHT_CLOSE}${m.content}` : m.content;
      push('gpt', content, m.reasoning);
    }
  }
  // Results after the last model turn (the answer to submit) train nothing, and the loader wants the model's turn last.
  results = [];
  if (!turns.length || turns.length % 2) throw new NotRepresentable('a conversation that does not end on the model\'s turn');
  const toolsText = JSON.stringify(tools);
  return { columns: { conversations: turns, system, tools: toolsText }, texts: [[system], ...texts], toolsInPrompt: true };
}
