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
 * Bounds on what an answer's text is searched for tool calls. A teacher is untrusted: without them
 * a long answer of half-written tags costs time in proportion to its size times the calls in it.
 */
export const TEXT_CALL_LIMITS = {
  /** Characters searched; the rest of a longer answer is kept as text. */
  maxChars: 512 * 1024,
  /** Calls read from one answer; the text after the last one read is kept as text. */
  maxCalls: 100,
};

/** Characters the parser looked at; for tests that hold it to linear work. */
export interface ParseWork {
  scanned: number;
}

/**
 * Finds tool calls written into the content by servers that do not parse them: the hermes form
 * `<tool_call>{"name": ..., "arguments": {...}}</tool_call>` and the XML form
 * `<function=NAME><parameter=KEY>value</parameter></function>` (bare or inside <tool_call>).
 * A call whose JSON does not parse is still returned, its text kept as the arguments, so the agent
 * can show the model what it wrote. `tools`, when given, types XML parameter values by their schema.
 *
 * Every search only moves forward and remembers where each tag next occurs, so the work is linear
 * in the text however the tags are arranged (the regular expressions this replaces backtracked
 * quadratically on a long run of unfinished tags).
 */
export function parseTextToolCalls(content: string, tools?: ToolSpec[], work?: ParseWork): { calls: ToolCall[]; text: string } {
  const calls: ToolCall[] = [];
  const searched = content.length > TEXT_CALL_LIMITS.maxChars ? content.slice(0, TEXT_CALL_LIMITS.maxChars) : content;
  const find = new Finder(searched, work);
  const text: string[] = [];
  let pos = 0;
  while (calls.length < TEXT_CALL_LIMITS.maxCalls) {
    const wrapped = find.next(TOOL_CALL, pos);
    const bare = find.next(FUNCTION, pos);
    if (wrapped === -1 && bare === -1) break;
    const start = bare === -1 || (wrapped !== -1 && wrapped < bare) ? wrapped : bare;
    let body: string;
    let end: number;
    if (start === wrapped) {
      // A hermes call ends at its closing tag, at the next opening tag, or at the end.
      const from = wrapped + TOOL_CALL.length;
      const close = find.next(TOOL_CALL_END, from);
      const reopen = find.next(TOOL_CALL, from);
      const stop = earliest(close, reopen, searched.length);
      body = searched.slice(from, stop);
      end = stop === close ? close + TOOL_CALL_END.length : stop;
    } else {
      const close = find.next(FUNCTION_END, bare + FUNCTION.length);
      end = close === -1 ? searched.length : close + FUNCTION_END.length;
      body = searched.slice(bare, end);
    }
    text.push(searched.slice(pos, start));
    pos = end;
    body = body.trim();
    if (body.startsWith(FUNCTION)) calls.push(...parseXmlFunctions(body, tools, work));
    else if (body) calls.push(...parseHermes(body));
  }
  if (!calls.length) return { calls, text: content };
  text.push(content.slice(pos));
  return { calls: calls.slice(0, TEXT_CALL_LIMITS.maxCalls), text: text.join('').replace(/\n{3,}/g, '\n\n').trim() };
}

const TOOL_CALL = '<tool_call>';
const TOOL_CALL_END = '</tool_call>';
const FUNCTION = '<function=';
const FUNCTION_END = '</function>';
const PARAMETER = '<parameter=';
const PARAMETER_END = '</parameter>';

/** The first of the positions found (-1 is not found), or `none`. */
function earliest(a: number, b: number, none: number): number {
  const found = [a, b].filter((n) => n !== -1);
  return found.length ? Math.min(...found) : none;
}

/**
 * indexOf that remembers each tag's next occurrence. Callers search from positions that only grow,
 * so each tag's text is looked at once: a search starts after the previous hit.
 */
class Finder {
  private readonly seen = new Map<string, { from: number; at: number }>();

  constructor(
    private readonly text: string,
    private readonly work?: ParseWork,
  ) {}

  next(tag: string, from: number): number {
    const known = this.seen.get(tag);
    if (known && known.from <= from && (known.at === -1 || known.at >= from)) return known.at;
    const at = this.text.indexOf(tag, from);
    if (this.work) this.work.scanned += (at === -1 ? this.text.length : at) - from;
    this.seen.set(tag, { from, at });
    return at;
  }

  /**
   * Reads `<TAG=NAME>` at `at` (NAME has no `>` or white space; white space may precede `>`).
   * Returns the name and where the content starts, or where the next attempt may start: a tag
   * before that point would stop at the same character and fail the same way.
   */
  header(at: number, tag: string): { name: string; contentStart: number } | { retryFrom: number } {
    const text = this.text;
    const nameStart = at + tag.length;
    let i = nameStart;
    while (i < text.length && text[i] !== '>' && !isSpace(text.charCodeAt(i))) i++;
    const nameEnd = i;
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    if (this.work) this.work.scanned += i - nameStart + 1;
    if (nameEnd === nameStart || text[i] !== '>') return { retryFrom: Math.max(i, at + 1) };
    return { name: text.slice(nameStart, nameEnd), contentStart: i + 1 };
  }
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0xfeff || c === 0x2028 || c === 0x2029 || (c >= 0x2000 && c <= 0x200a) || c === 0x1680 || c === 0x202f || c === 0x205f || c === 0x3000;
}

function parseHermes(body: string): ToolCall[] {
  const json = unfence(body);
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    // Keep what the model wrote: the agent reports the bad JSON back to it.
    const name = /"name"\s*:\s*"([^"]*)"/.exec(json.slice(0, 4096))?.[1] ?? '';
    return [makeCall(name, json)];
  }
  const items = Array.isArray(parsed) ? parsed : [parsed];
  return items.map((item) => hermesCall(item, json));
}

/** Strips a ```json fence; string methods rather than `\s*```$`, which backtracks on long white space. */
function unfence(body: string): string {
  let json = body;
  if (json.startsWith('```')) {
    json = json.slice(3);
    if (json.startsWith('json')) json = json.slice(4);
    json = json.trimStart();
  }
  if (json.endsWith('```')) json = json.slice(0, -3).trimEnd();
  return json;
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

/**
 * `<TAG=NAME>content` items in `text`, each ending at `</TAG>`, at the next `<TAG=` or at the end.
 * Items whose header is malformed are skipped, as the regular expression did.
 */
function taggedItems(text: string, tag: string, endTag: string, work: ParseWork | undefined, max: number): { name: string; content: string }[] {
  const find = new Finder(text, work);
  const items: { name: string; content: string }[] = [];
  let pos = 0;
  while (items.length < max) {
    const at = find.next(tag, pos);
    if (at === -1) break;
    const header = find.header(at, tag);
    if ('retryFrom' in header) {
      pos = header.retryFrom;
      continue;
    }
    const close = find.next(endTag, header.contentStart);
    const reopen = find.next(tag, header.contentStart);
    const stop = earliest(close, reopen, text.length);
    items.push({ name: header.name.trim(), content: text.slice(header.contentStart, stop) });
    pos = stop === close ? close + endTag.length : stop;
  }
  return items;
}

function parseXmlFunctions(body: string, tools: ToolSpec[] | undefined, work: ParseWork | undefined): ToolCall[] {
  return taggedItems(body, FUNCTION, FUNCTION_END, work, TEXT_CALL_LIMITS.maxCalls).map(({ name, content }) => {
    const schema = tools?.find((t) => t.function.name === name)?.function.parameters;
    const args: Record<string, unknown> = {};
    for (const p of taggedItems(content, PARAMETER, PARAMETER_END, work, Infinity)) {
      args[p.name] = typedValue(stripOneNewline(p.content), propertyType(schema, p.name));
    }
    return makeCall(name, JSON.stringify(args));
  });
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
