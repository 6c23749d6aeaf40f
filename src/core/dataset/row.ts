import { readFileSync } from 'node:fs';
import type { Trajectory } from '../agent/types';
import type { ChatMessage, ToolSpec } from '../teacher/types';
import { NotRepresentable, render, type PreparedCall, type PreparedMessage } from './formats';
import type { ResolvedOptions } from './options';
import { Scrubber, type ScrubberConfig } from './scrub';
import { TokenCounter } from './tokens';
import { pythonJson } from './tool-text';

/**
 * One trajectory becoming one dataset line: check, scrub, render, count, and (if asked) clip.
 * Pure work on strings, so it runs the same in a worker thread or in the exporting thread.
 */

/** Facts about the trajectory that travel with every line. */
export interface RowMeta {
  id: string;
  sample_id: string;
  trajectory: 't1' | 't2';
  run_id: string;
  repository: string;
  function: string;
  file: string;
  language: string;
  recall: number | null;
  decision: 'accepted' | 'undecided';
}

export interface RowJob {
  meta: RowMeta;
  /** Absolute path of the trajectory file, read by whichever thread does the work. */
  trajectoryPath: string;
}

export interface RedactionNote {
  field: string;
  type: string;
}

export type RowDrop = 'missing-trajectory' | 'malformed-tool-call' | 'tool-output-length' | 'not-representable' | 'token-budget';

export type RowOutcome =
  | { kind: 'row'; line: string | Uint8Array; tokens: number; truncated: boolean; redactions: RedactionNote[] }
  | { kind: 'dropped'; reason: RowDrop; redactions: RedactionNote[] };

export interface RowSettings {
  options: ResolvedOptions;
  scrubber: ScrubberConfig;
}

const CLIP_FLOOR_CHARS = 200;

export class RowBuilder {
  private readonly scrubber: Scrubber;
  private readonly tokens = new TokenCounter();
  private lastTools: { text: string; tools: ToolSpec[]; notes: string[] } | null = null;

  constructor(private readonly settings: RowSettings) {
    this.scrubber = new Scrubber(settings.scrubber);
  }

  build(job: RowJob): RowOutcome {
    const o = this.settings.options;
    let trajectory: Trajectory;
    try {
      trajectory = JSON.parse(readFileSync(job.trajectoryPath, 'utf8')) as Trajectory;
      if (!Array.isArray(trajectory.messages)) throw new Error('no messages');
    } catch {
      // Missing, or torn by a run killed mid-write: either way there is nothing whole to export.
      return { kind: 'dropped', reason: 'missing-trajectory', redactions: [] };
    }
    const redactions: RedactionNote[] = [];
    const prepared = this.prepare(trajectory.messages, redactions);
    if (!prepared) return { kind: 'dropped', reason: 'malformed-tool-call', redactions };
    if (o.maxToolOutputChars > 0) {
      const outputs = prepared.filter((m) => m.role === 'tool');
      const mean = outputs.length ? outputs.reduce((n, m) => n + m.content.length, 0) / outputs.length : 0;
      if (mean > o.maxToolOutputChars) return { kind: 'dropped', reason: 'tool-output-length', redactions };
    }
    const tools = this.scrubTools(trajectory.tools ?? [], redactions);
    const meta = this.scrubMeta(job.meta, redactions);

    let truncated = false;
    for (let attempt = 0; ; attempt++) {
      let rendered;
      try {
        rendered = render(o.format, prepared, tools, o.think);
      } catch (error) {
        if (error instanceof NotRepresentable) return { kind: 'dropped', reason: 'not-representable', redactions };
        throw error;
      }
      // Chat templates with tool support print the tool list into the prompt: it counts too.
      const withTools = rendered.toolsInPrompt && tools.length > 0;
      const texts = withTools ? [[this.toolsText(tools)], ...rendered.texts] : rendered.texts;
      const limit = o.maxTokens && !o.truncate ? o.maxTokens : 0;
      const { total } = this.tokens.countMessages(texts, limit, withTools ? 1 : -1);
      if (!o.maxTokens || total <= o.maxTokens) {
        const line = JSON.stringify(row(meta, rendered.columns));
        return { kind: 'row', line, tokens: total, truncated, redactions };
      }
      if (!o.truncate || attempt >= 6 || !clipToolOutputs(prepared, total, o.maxTokens)) return { kind: 'dropped', reason: 'token-budget', redactions };
      truncated = true;
    }
  }

  /** Checks the calls and scrubs every text; null when a call's arguments are not a JSON object. */
  private prepare(messages: ChatMessage[], notes: RedactionNote[]): PreparedMessage[] | null {
    const out: PreparedMessage[] = [];
    for (let i = 0; i < messages.length; i++) {
      const m = messages[i];
      const found: string[] = [];
      const content = this.scrubber.scrub(m.content ?? '', found);
      note(notes, `messages[${i}].content`, found);
      const p: PreparedMessage = { role: m.role, content };
      if (m.reasoning_content) {
        const f: string[] = [];
        p.reasoning = this.scrubber.scrub(m.reasoning_content, f);
        note(notes, `messages[${i}].reasoning_content`, f);
      }
      if (m.role === 'tool') p.toolCallId = m.tool_call_id ?? '';
      if (m.role === 'assistant' && m.tool_calls?.length) {
        const calls: PreparedCall[] = [];
        for (let j = 0; j < m.tool_calls.length; j++) {
          const call = m.tool_calls[j];
          const args = parseArguments(call.function.arguments);
          if (!args) return null;
          const f: string[] = [];
          const scrubbed = this.scrubValue(args, f) as Record<string, unknown>;
          note(notes, `messages[${i}].tool_calls[${j}].arguments`, f);
          const name = this.scrubber.scrub(call.function.name, found);
          calls.push({ id: call.id, name, args: scrubbed, argsText: f.length || !call.function.arguments.trim() ? JSON.stringify(scrubbed) : call.function.arguments });
        }
        p.calls = calls;
      }
      out.push(p);
    }
    return out;
  }

  private scrubValue(value: unknown, found: string[]): unknown {
    if (typeof value === 'string') return this.scrubber.scrub(value, found);
    if (Array.isArray(value)) return value.map((v) => this.scrubValue(v, found));
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.scrubValue(v, found);
      return out;
    }
    return value;
  }

  /** Tool lists repeat from trajectory to trajectory; the last one is remembered. */
  private scrubTools(tools: ToolSpec[], notes: RedactionNote[]): ToolSpec[] {
    const text = JSON.stringify(tools);
    if (this.lastTools?.text !== text) {
      const found: string[] = [];
      const clean = this.scrubber.scrub(text, found);
      this.lastTools = { text, tools: found.length ? (JSON.parse(clean) as ToolSpec[]) : tools, notes: found };
    }
    note(notes, 'tools', this.lastTools.notes);
    return this.lastTools.tools;
  }

  private scrubMeta(meta: RowMeta, notes: RedactionNote[]): RowMeta {
    const out = { ...meta };
    for (const key of ['function', 'file', 'repository', 'run_id'] as const) {
      const found: string[] = [];
      out[key] = this.scrubber.scrub(meta[key], found);
      note(notes, key, found);
    }
    return out;
  }

  private toolsTextFor: { tools: ToolSpec[]; text: string } | null = null;

  private toolsText(tools: ToolSpec[]): string {
    if (this.toolsTextFor?.tools !== tools) this.toolsTextFor = { tools, text: tools.map((t) => pythonJson(t)).join('\n') };
    return this.toolsTextFor.text;
  }
}

function note(notes: RedactionNote[], field: string, found: string[]): void {
  for (const type of found) notes.push({ field, type });
}

/** The arguments object, or null when the model wrote something that is not a JSON object. */
export function parseArguments(text: string): Record<string, unknown> | null {
  if (!text.trim()) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function row(meta: RowMeta, columns: Record<string, unknown>): Record<string, unknown> {
  const { id, sample_id, trajectory, ...rest } = meta;
  return { id, sample_id, trajectory, ...columns, ...rest };
}

/**
 * Shortens the longest tool outputs (keeping their start and end, with a marker saying what was
 * left out) by about the share of characters that the excess tokens need. False when nothing
 * more can be cut.
 */
function clipToolOutputs(messages: PreparedMessage[], total: number, budget: number): boolean {
  const tools = messages.filter((m) => m.role === 'tool' && m.content.length > CLIP_FLOOR_CHARS);
  if (!tools.length) return false;
  const chars = messages.reduce((n, m) => n + m.content.length + (m.reasoning?.length ?? 0), 0);
  const charsPerToken = chars / total;
  const needChars = Math.ceil((total - budget) * charsPerToken * 1.1) + 120 * tools.length;
  const lengths = tools.map((m) => m.content.length).sort((a, b) => b - a);
  // The largest cap C such that cutting every output down to C frees enough characters.
  let lo = CLIP_FLOOR_CHARS;
  let hi = lengths[0];
  const freed = (cap: number) => lengths.reduce((n, len) => n + Math.max(0, len - cap), 0);
  if (freed(lo) < needChars) hi = lo;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (freed(mid) >= needChars) lo = mid;
    else hi = mid - 1;
  }
  let changed = false;
  for (const m of tools) {
    if (m.content.length <= lo) continue;
    const head = Math.floor(lo * 0.6);
    const tail = lo - head;
    const cut = m.content.length - head - tail;
    m.content = `${m.content.slice(0, head)}\n[... ${cut} characters left out by the export to fit the token budget ...]\n${m.content.slice(m.content.length - tail)}`;
    changed = true;
  }
  return changed;
}
