import type { ChatMessage, TeacherConfig } from './types';

/** What an echoed credential becomes; the same placeholder the export uses for known secrets. */
export const ECHOED_SECRET = '<REDACTED:known-secret>';

const SECRET_HEADER = /auth|key|token|secret|cookie|session/i;

/**
 * The credentials this client sends: the API key and the values of headers that carry one. A
 * teacher may echo them (a proxy's error text, a model repeating its prompt); they must not be
 * kept in what the run writes, where an export made later without the key at hand would keep them.
 */
export function ownSecrets(config: Pick<TeacherConfig, 'apiKey' | 'extraHeaders'>): string[] {
  const secrets = [config.apiKey ?? ''];
  for (const [name, value] of Object.entries(config.extraHeaders ?? {})) {
    if (SECRET_HEADER.test(name)) secrets.push(value.replace(/^(Bearer|Basic|Token)\s+/i, ''));
  }
  // Short values would match ordinary text; the longest first, so one inside another goes whole.
  return [...new Set(secrets.map((s) => s.trim()).filter((s) => s.length >= 8))].sort((a, b) => b.length - a.length);
}

/** Replaces every occurrence of the secrets in an answer's text, reasoning and tool calls. */
export function withoutSecrets(message: ChatMessage, secrets: string[]): ChatMessage {
  if (!secrets.length) return message;
  const clean = (text: string) => {
    let out = text;
    for (const s of secrets) if (out.includes(s)) out = out.split(s).join(ECHOED_SECRET);
    return out;
  };
  const out: ChatMessage = { ...message };
  if (out.content) out.content = clean(out.content);
  if (out.reasoning_content) out.reasoning_content = clean(out.reasoning_content);
  if (out.tool_calls) {
    out.tool_calls = out.tool_calls.map((c) => ({ ...c, function: { name: clean(c.function.name), arguments: cleanArguments(c.function.arguments, clean, secrets) } }));
  }
  return out;
}

/** Arguments are JSON text: a secret with characters JSON escapes is looked for in its escaped form too. */
function cleanArguments(args: string, clean: (text: string) => string, secrets: string[]): string {
  let out = clean(args);
  for (const s of secrets) {
    const escaped = JSON.stringify(s).slice(1, -1);
    if (escaped !== s && out.includes(escaped)) out = out.split(escaped).join(ECHOED_SECRET);
  }
  return out;
}
