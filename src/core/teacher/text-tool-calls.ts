import { randomBytes } from 'node:crypto';
import type { ToolCall, ToolSpec } from './types';

export function newCallId(): string {
  return `call_${randomBytes(9).toString('base64url')}`;
}

/**
 * Separates reasoning from the answer: every <think>...</think> block, and, when a server's chat
 * template already swallowed the opening tag, everything before a lone </think>.
 */
export function splitThinking(content: string): { reasoning?: string; text: string } {
  if (!content.includes('<think>') && !content.includes('</think>')) return { text: content };
  const parts: string[] = [];
  let text = content;
  const close = text.indexOf('</think>');
  const open = text.indexOf('<think>');
  if (close !== -1 && (open === -1 || close < open)) {
    parts.push(text.slice(0, close));
    text = text.slice(close + '</think>'.length);
  }
  text = text.replace(/<think>([\s\S]*?)(<\/think>|$)/g, (_, inner: string) => {
    parts.push(inner);
    return '';
  });
  const reasoning = parts.map((p) => p.trim()).filter(Boolean).join('\n\n');
  return reasoning ? { reasoning, text: text.trim() } : { text: text.trim() };
}

/**
 * Finds tool calls written into the content by servers that do not parse them: the hermes form
 * `<tool_call>{"name": ..., "arguments": {...}}</tool_call>` and the XML form
 * `<function=NAME><parameter=KEY>value</parameter></function>` (bare or inside <tool_call>).
 * A call whose JSON does not parse is still returned, its text kept as the arguments, so the agent
 * can show the model what it wrote. `tools`, when given, types XML parameter values by their schema.
 */
export function parseTextToolCalls(content: string, tools?: ToolSpec[]): { calls: ToolCall[]; text: string } {
  const calls: ToolCall[] = [];
  const pattern = /<tool_call>([\s\S]*?)(?:<\/tool_call>|(?=<tool_call>)|$)|<function=[\s\S]*?(?:<\/function>|$)/g;
  const text = content.replace(pattern, (whole: string, inner: string | undefined) => {
    const body = (inner ?? whole).trim();
    if (body.startsWith('<function=')) {
      calls.push(...parseXmlFunctions(body, tools));
    } else if (body) {
      calls.push(...parseHermes(body));
    }
    return '';
  });
  return { calls, text: calls.length ? text.replace(/\n{3,}/g, '\n\n').trim() : content };
}

function parseHermes(body: string): ToolCall[] {
  const json = body.replace(/^```(?:json)?\s*/, '').replace(/\s*```$/, '');
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    // Keep what the model wrote: the agent reports the bad JSON back to it.
    const name = /"name"\s*:\s*"([^"]*)"/.exec(json)?.[1] ?? '';
    return [makeCall(name, json)];
  }
  const items = Array.isArray(parsed) ? parsed : [parsed];
  return items.map((item) => hermesCall(item, json));
}

function hermesCall(parsed: unknown, raw: string): ToolCall {
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return makeCall('', raw);
  const record = parsed as Record<string, unknown>;
  const fn = record.function && typeof record.function === 'object' ? (record.function as Record<string, unknown>) : record;
  const name = typeof fn.name === 'string' ? fn.name : '';
  const args = fn.arguments ?? fn.parameters ?? {};
  return makeCall(name, argumentsText(args));
}

/** Arguments as JSON text: strings are kept as given, objects are serialised. */
export function argumentsText(args: unknown): string {
  if (typeof args === 'string') return args.trim() === '' ? '{}' : args;
  return JSON.stringify(args ?? {});
}

function parseXmlFunctions(body: string, tools?: ToolSpec[]): ToolCall[] {
  const calls: ToolCall[] = [];
  const fnPattern = /<function=([^>\s]+)\s*>([\s\S]*?)(?:<\/function>|(?=<function=)|$)/g;
  for (const m of body.matchAll(fnPattern)) {
    const name = m[1].trim();
    const schema = tools?.find((t) => t.function.name === name)?.function.parameters;
    const args: Record<string, unknown> = {};
    const paramPattern = /<parameter=([^>\s]+)\s*>([\s\S]*?)(?:<\/parameter>|(?=<parameter=)|$)/g;
    for (const p of m[2].matchAll(paramPattern)) {
      const key = p[1].trim();
      args[key] = typedValue(stripOneNewline(p[2]), propertyType(schema, key));
    }
    calls.push(makeCall(name, JSON.stringify(args)));
  }
  return calls;
}

// The XML form puts each value on its own lines; exactly one newline on each side is framing.
function stripOneNewline(value: string): string {
  return value.replace(/^\r?\n/, '').replace(/\r?\n$/, '');
}

function propertyType(schema: Record<string, unknown> | undefined, key: string): string | undefined {
  const props = schema?.properties as Record<string, { type?: unknown }> | undefined;
  const type = props?.[key]?.type;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return type.find((t) => t !== 'null' && t !== 'string') ?? 'string';
  return undefined;
}

/** Without a schema a value stays a string: "123" may well be file content. */
function typedValue(raw: string, type: string | undefined): unknown {
  if (!type || type === 'string') return raw;
  try {
    return JSON.parse(raw.trim());
  } catch {
    return raw;
  }
}

function makeCall(name: string, args: string): ToolCall {
  return { id: newCallId(), type: 'function', function: { name, arguments: args } };
}
