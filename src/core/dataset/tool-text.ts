import type { ToolSpec } from '../teacher/types';

/**
 * Tool calls written into assistant text, for students trained without a chat template's tool
 * support. Two forms:
 *   hermes: <tool_call>\n{"name": "bash", "arguments": {"command": "ls"}}\n</tool_call>
 *   xml:    <tool_call>\n<function=bash>\n<parameter=command>\nls\n</parameter>\n</function>\n</tool_call>
 * The parser here reads exactly what the renderer writes, so every exported call can be checked
 * to come back unchanged before it is written.
 */

export type CallStyle = 'hermes' | 'xml';

export interface TextCall {
  name: string;
  arguments: Record<string, unknown>;
}

/** JSON as Python's json.dumps writes it (", " and ": "), which is what Hugging Face chat templates' tojson produce. */
export function pythonJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}: ${pythonJson(v)}`).join(', ')}}`;
}

export function renderCall(call: TextCall, style: CallStyle): string {
  if (style === 'hermes') return `<tool_call>\n${pythonJson({ name: call.name, arguments: call.arguments })}\n</tool_call>`;
  const params = Object.entries(call.arguments).map(([key, value]) => `<parameter=${key}>\n${typeof value === 'string' ? value : pythonJson(value)}\n</parameter>\n`);
  return `<tool_call>\n<function=${call.name}>\n${params.join('')}</function>\n</tool_call>`;
}

/** The assistant turn as text: what it said, then one block per call. */
export function renderAssistantText(text: string, calls: TextCall[], style: CallStyle): string {
  const blocks = calls.map((c) => renderCall(c, style)).join('\n');
  if (!blocks) return text;
  return text ? `${text}\n${blocks}` : blocks;
}

const HERMES_BLOCK = /<tool_call>\n([^\n]*)\n<\/tool_call>/g;
const XML_BLOCK = /<tool_call>\n<function=([^>\n]+)>\n([\s\S]*?)<\/function>\n<\/tool_call>/g;

/**
 * Reads the calls back out of an assistant turn. XML parameter values are typed by the tool
 * schema: a string property keeps its text, anything else is read as JSON.
 */
export function parseAssistantText(content: string, style: CallStyle, tools: ToolSpec[] = []): { text: string; calls: TextCall[] } {
  const calls: TextCall[] = [];
  let first = -1;
  const pattern = style === 'hermes' ? HERMES_BLOCK : XML_BLOCK;
  pattern.lastIndex = 0;
  for (let m = pattern.exec(content); m; m = pattern.exec(content)) {
    if (first < 0) first = m.index;
    if (style === 'hermes') {
      const parsed = JSON.parse(m[1]) as { name: string; arguments: Record<string, unknown> };
      calls.push({ name: parsed.name, arguments: parsed.arguments });
    } else {
      calls.push({ name: m[1], arguments: parseXmlParameters(m[2], schemaOf(tools, m[1])) });
    }
  }
  if (first < 0) return { text: content, calls };
  return { text: content.slice(0, first).replace(/\n$/, ''), calls };
}

function schemaOf(tools: ToolSpec[], name: string): Record<string, { type?: unknown }> {
  const props = tools.find((t) => t.function.name === name)?.function.parameters?.properties;
  return (props ?? {}) as Record<string, { type?: unknown }>;
}

function parseXmlParameters(body: string, props: Record<string, { type?: unknown }>): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  // A value ends at the "\n</parameter>\n" that is followed by the next parameter or the end of the call.
  const param = /<parameter=([^>\n]+)>\n([\s\S]*?)\n<\/parameter>\n(?=<parameter=|$)/g;
  for (const m of body.matchAll(param)) {
    const type = props[m[1]]?.type;
    const raw = m[2];
    if (type === 'string' || type === undefined) {
      args[m[1]] = raw;
    } else {
      try {
        args[m[1]] = JSON.parse(raw);
      } catch {
        args[m[1]] = raw;
      }
    }
  }
  return args;
}

/** Same calls: names, and arguments equal as JSON values (key order included). */
export function sameCalls(a: TextCall[], b: TextCall[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((call, i) => call.name === b[i].name && JSON.stringify(call.arguments) === JSON.stringify(b[i].arguments));
}
