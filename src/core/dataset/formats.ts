import type { ToolSpec } from '../teacher/types';
import type { ExportFormat, ThinkMode } from './options';
import { parseAssistantText, renderAssistantText, sameCalls, type CallStyle } from './tool-text';
import { toolResponseBlock, withToolsSection } from './tools-prompt';
import { renderLlamaFactory } from './sharegpt';

/** A trajectory message after checking and scrubbing, before it takes a format's shape. */
export interface PreparedMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
  reasoning?: string;
  calls?: PreparedCall[];
  toolCallId?: string;
}

export interface PreparedCall {
  id: string;
  name: string;
  args: Record<string, unknown>;
  /** The arguments as JSON text: the model's own text when nothing in it was redacted. */
  argsText: string;
}

/**
 * One exported trajectory in any format: `columns` are the line's own fields (the turns and the
 * tools, in the shape the format names them); `texts` is what its tokens are counted over, one
 * entry per turn. `toolsInPrompt`: the consumer's chat template prints the tool list into the
 * prompt, so it counts too.
 */
export interface Rendered {
  columns: Record<string, unknown>;
  texts: string[][];
  toolsInPrompt: boolean;
}

export class NotRepresentable extends Error {}

export function render(format: ExportFormat, messages: PreparedMessage[], tools: ToolSpec[], think: ThinkMode): Rendered {
  switch (format) {
    case 'sera-hermes':
      return renderText(messages, tools, think, 'hermes', false);
    case 'sera-xml':
      return renderText(messages, tools, think, 'xml', false);
    case 'sharegpt-text':
      return renderText(messages, tools, think, 'hermes', true);
    case 'sharegpt':
      return renderLlamaFactory(messages, tools, think);
    case 'openai':
      return renderStructured(messages, tools, think, 'text');
    case 'hf':
      return renderStructured(messages, tools, think, 'object');
  }
}

export function withThink(content: string, reasoning: string | undefined, think: ThinkMode): string {
  if (think !== 'wrap' || !reasoning) return content;
  return `<think>\n${reasoning}\n</think>\n\n${content}`;
}

const SHAREGPT_ROLE = { system: 'system', user: 'human', assistant: 'gpt' } as const;

/**
 * The text forms: tools listed in the system prompt, calls written into the assistant text,
 * consecutive tool results joined into one user turn of <tool_response> blocks.
 */
function renderText(messages: PreparedMessage[], tools: ToolSpec[], think: ThinkMode, style: CallStyle, sharegpt: boolean): Rendered {
  const out: Record<string, unknown>[] = [];
  const texts: string[][] = [];
  const push = (role: 'system' | 'user' | 'assistant', content: string, reasoning?: string) => {
    const keep = think === 'keep' && reasoning ? reasoning : undefined;
    const message: Record<string, unknown> = sharegpt ? { from: SHAREGPT_ROLE[role], value: content } : { role, content };
    if (keep) message.reasoning_content = keep;
    message.train = role === 'assistant';
    out.push(message);
    texts.push(keep ? [content, keep] : [content]);
  };
  if (messages[0]?.role !== 'system') push('system', withToolsSection('', tools, style));
  let pendingResults: string[] = [];
  const flushResults = () => {
    if (pendingResults.length) push('user', pendingResults.join('\n'));
    pendingResults = [];
  };
  for (const m of messages) {
    if (m.role === 'tool') {
      pendingResults.push(toolResponseBlock(m.content));
      continue;
    }
    flushResults();
    if (m.role === 'system') push('system', withToolsSection(m.content, tools, style));
    else if (m.role === 'user') push('user', m.content);
    else {
      const text = withThink(m.content, m.reasoning, think);
      const calls = (m.calls ?? []).map((c) => ({ name: c.name, arguments: c.args }));
      const content = renderAssistantText(text, calls, style);
      if (calls.length) {
        const back = parseAssistantText(content, style, tools);
        if (back.text !== text || !sameCalls(back.calls, calls)) throw new NotRepresentable(`a ${style} tool call does not read back unchanged`);
      }
      push('assistant', content, m.reasoning);
    }
  }
  flushResults();
  return { columns: sharegpt ? { conversations: out, tools } : { messages: out, tools }, texts, toolsInPrompt: false };
}

/**
 * Structured tool calls and tool messages. `text` arguments are a JSON string, as the OpenAI API
 * sends and its fine-tuning takes them; `object` arguments are the parsed object, as Hugging Face
 * chat templates expect (given a string, some raise and the rest print it quoted, teaching the
 * student to write its calls as a string). Tool messages also carry the called function's name,
 * which some templates print.
 */
function renderStructured(messages: PreparedMessage[], tools: ToolSpec[], think: ThinkMode, args: 'text' | 'object'): Rendered {
  const out: Record<string, unknown>[] = [];
  const texts: string[][] = [];
  const names = new Map<string, string>();
  for (const m of messages) {
    if (m.role === 'tool') {
      const message: Record<string, unknown> = { role: 'tool', tool_call_id: m.toolCallId ?? '' };
      if (args === 'object') message.name = names.get(m.toolCallId ?? '') ?? '';
      message.content = m.content;
      message.train = false;
      out.push(message);
      texts.push([m.content]);
      continue;
    }
    if (m.role !== 'assistant') {
      out.push({ role: m.role, content: m.content, train: false });
      texts.push([m.content]);
      continue;
    }
    const message: Record<string, unknown> = { role: 'assistant', content: withThink(m.content, m.reasoning, think) };
    const counted = [message.content as string];
    if (think === 'keep' && m.reasoning) {
      message.reasoning_content = m.reasoning;
      counted.push(m.reasoning);
    }
    if (m.calls?.length) {
      message.tool_calls = m.calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: args === 'text' ? c.argsText : c.args } }));
      for (const c of m.calls) {
        counted.push(c.name, c.argsText);
        names.set(c.id, c.name);
      }
    }
    message.train = true;
    out.push(message);
    texts.push(counted);
  }
  return { columns: { messages: out, tools }, texts, toolsInPrompt: true };
}
