import { keyBodyLines, looksLikePlaceholder, looksLikeSecretValue, looksLikeUrlPassword, secretNameKind, shannonEntropy, TOKEN_RULES } from './secret-rules';

/** The typed placeholder a secret becomes; it names the kind of secret and nothing of its value. */
export function placeholder(type: string): string {
  return `<REDACTED:${type}>`;
}

export interface ScrubberConfig {
  /** Pattern-based detection (provider tokens, keys, assignments); off with --no-scrub. */
  patterns: boolean;
  /** Exact strings that must never appear (the teacher API key); always applied. */
  knownSecrets: string[];
  /** Absolute paths of the user's machine and what each becomes (e.g. the checkout -> /testbed); always applied. */
  paths: { from: string; to: string }[];
  /**
   * Secret values the patterns found anywhere in the runs being exported, with their types: each
   * is replaced wherever it occurs, also where nothing around it says it is a secret (the
   * teacher's prose repeating a password it read in a .env file).
   */
  runSecrets?: SecretValue[];
}

/** Types of what one call replaced, in order of appearance (duplicates kept: one entry per secret). */
export type Found = string[];

export interface SecretValue {
  value: string;
  type: string;
}

/** Secret values found by the patterns, value -> type; filled when a caller asks for them. */
export type FoundValues = Map<string, string>;

/** Shorter values are too likely to occur in ordinary text to be replaced wherever they appear. */
export const MIN_RUN_SECRET_CHARS = 8;

const KEYWORD = /passw(?:or)?d|passphrase|pwd|secret|token|api[_-]?key|apikey|[_-]key|Key\b|credential/gi;
const SECRET_ENDING = /(?:passw(?:or)?d|pwd|passphrase|secret|token|api[_-]?key|credentials?|key)$/i;
/** After a name: an optional closing quote, an assignment operator, then a quoted or bare value. */
const ASSIGNMENT = /(["']?)(?:[ \t]*:[ \t]*[A-Za-z_][\w.]*(?:\[[\w., |]*\])?(?:[ \t]*\|[ \t]*[A-Za-z_][\w.]*)*[ \t]*=(?!=)|[ \t]*(?::=|=>|==|=|:))[ \t]*(?:(["'`])((?:\\.|(?!\2)[^\\\n])*)\2|([^\s"'`,;()[\]{}<>]+))/y;
const FLAG_VALUE = /(?:=|[ \t]+)(?:(["'])((?:\\.|(?!\1)[^\\\n])*)\1|([^\s"'`;|&<>]+))/y;
const URL_USERINFO = /\b([a-z][a-z0-9+.-]{1,30}):\/\/([^\s:/@'"`<>]*):([^\s/@'"`<>]+)@(?=[^\s@'"`<>]*[A-Za-z0-9])/gi;
const AUTH_HEADER = /\b(Authorization["']?[ \t]*[:=][ \t]*["']?(?:Bearer|Token|Basic|token|bearer)[ \t]+)([A-Za-z0-9._~+/=-]{16,})/g;

/**
 * Replaces secrets in text with typed placeholders. Text without any secret comes back as the
 * very same string, so ordinary code is byte-identical by construction.
 */
export class Scrubber {
  private readonly known: string[];
  private readonly runSecrets: LiteralReplacer | null;
  private readonly paths: { from: string; to: string; re: RegExp }[];

  constructor(private readonly config: ScrubberConfig) {
    // Longest first, so a checkout inside the home folder becomes /testbed rather than ~/...
    this.known = [...new Set(config.knownSecrets.filter((s) => s.length >= 6))].sort((a, b) => b.length - a.length);
    const runSecrets = (config.runSecrets ?? []).filter((s) => s.value.length >= MIN_RUN_SECRET_CHARS);
    this.runSecrets = runSecrets.length ? new LiteralReplacer(runSecrets) : null;
    this.paths = config.paths
      .filter((p) => p.from.length > 1)
      .sort((a, b) => b.from.length - a.from.length)
      // Only whole path components: /home/al is not a prefix of /home/alice.
      .map((p) => ({ ...p, re: new RegExp(`${escapeRegExp(p.from)}(?![A-Za-z0-9_.-])`, 'g') }));
  }

  /** `values`, when given, receives every secret value the patterns found, for a run-wide pass. */
  scrub(text: string, found: Found, values?: FoundValues): string {
    if (!text) return text;
    let out = text;
    for (const secret of this.known) {
      if (out.includes(secret)) {
        const parts = out.split(secret);
        for (let i = 1; i < parts.length; i++) found.push('known-secret');
        out = parts.join(placeholder('known-secret'));
      }
    }
    if (this.runSecrets) out = this.runSecrets.replace(out, found);
    if (this.config.patterns) out = scrubPatterns(out, found, values);
    for (const { from, to, re } of this.paths) {
      if (out.includes(from)) {
        out = out.replace(re, () => {
          found.push('user-path');
          return to;
        });
      }
    }
    return out;
  }
}

/** Every rule's hint in one regex: one pass over the text says which rules need to run at all. */
const HINTS = new RegExp(TOKEN_RULES.map((r) => `(${r.hint})`).join('|'), 'g');

function rulesHinted(text: string): Set<number> {
  const hinted = new Set<number>();
  HINTS.lastIndex = 0;
  for (let m = HINTS.exec(text); m; m = HINTS.exec(text)) {
    for (let i = 1; i < m.length; i++) if (m[i] !== undefined) hinted.add(i - 1);
    // sk-ant- also contains sk-: both rules are worth running.
    if (m[1 + ANTHROPIC] !== undefined) hinted.add(OPENAI);
  }
  return hinted;
}

const ANTHROPIC = TOKEN_RULES.findIndex((r) => r.type === 'anthropic-key');
const OPENAI = TOKEN_RULES.findIndex((r) => r.type === 'openai-key');

export function scrubPatterns(text: string, found: Found, values?: FoundValues): string {
  const keep = (type: string, value: string) => {
    if (values && value.length >= MIN_RUN_SECRET_CHARS) values.set(value, type);
  };
  let out = text;
  const hinted = rulesHinted(text);
  for (let i = 0; i < TOKEN_RULES.length; i++) {
    if (!hinted.has(i)) continue;
    const rule = TOKEN_RULES[i];
    rule.re.lastIndex = 0;
    out = out.replace(rule.re, (m) => {
      if (rule.accept && !rule.accept(m)) return m;
      found.push(rule.type);
      keep(rule.type, m);
      // A key's body lines are kept one by one too: another view may show some of them alone.
      if (values && rule.type === 'private-key') for (const line of m.match(/[A-Za-z0-9+/]{40,}={0,2}/g) ?? []) keep(rule.type, line);
      return placeholder(rule.type);
    });
  }
  out = scrubKeyBodies(out, found, keep);
  if (out.includes('://') && out.includes('@')) {
    out = out.replace(URL_USERINFO, (m, scheme: string, user: string, password: string) => {
      if (!looksLikeUrlPassword(password)) return m;
      found.push('connection-password');
      keep('connection-password', password);
      return `${scheme}://${user}:${placeholder('connection-password')}@`;
    });
  }
  if (out.includes('uthorization')) {
    out = out.replace(AUTH_HEADER, (m, head: string, value: string) => {
      // A credential in an Authorization header is a secret whatever it looks like, unless it is a placeholder.
      if (looksLikePlaceholder(value) || shannonEntropy(value) < 3) return m;
      found.push('bearer-token');
      keep('bearer-token', value);
      return head + placeholder('bearer-token');
    });
  }
  return scrubAssignments(out, found, keep);
}

/** A private key's body lines without the BEGIN line (a view of the middle of a key file): each line goes. */
function scrubKeyBodies(text: string, found: Found, keep: (type: string, value: string) => void): string {
  const keys = keyBodyLines(text);
  if (!keys.length) return text;
  let out = '';
  let copied = 0;
  for (const lines of keys) {
    found.push('private-key');
    for (const { start, end } of lines) {
      keep('private-key', text.slice(start, end));
      out += text.slice(copied, start) + placeholder('private-key');
      copied = end;
    }
  }
  return out + text.slice(copied);
}

/** Replaces many literal values at once, each by its own typed placeholder. */
class LiteralReplacer {
  private readonly types: Map<string, string>;
  private readonly re: RegExp;

  constructor(values: SecretValue[]) {
    this.types = new Map(values.map((v) => [v.value, v.type]));
    // Longest first, so a value that contains another is replaced whole.
    const sorted = [...this.types.keys()].sort((a, b) => b.length - a.length);
    this.re = new RegExp(sorted.map(escapeRegExp).join('|'), 'g');
  }

  replace(text: string, found: Found): string {
    this.re.lastIndex = 0;
    if (!this.re.test(text)) return text;
    return text.replace(this.re, (m) => {
      const type = this.types.get(m)!;
      found.push(type);
      return placeholder(type);
    });
  }
}

/** `name = "value"` style assignments (code, JSON, YAML, .env, CLI flags) whose name is secret-like. */
function scrubAssignments(text: string, found: Found, keep: (type: string, value: string) => void): string {
  let out = '';
  let copied = 0;
  let searchFrom = 0;
  KEYWORD.lastIndex = 0;
  for (let hit = KEYWORD.exec(text); hit; hit = KEYWORD.exec(text)) {
    if (hit.index < searchFrom) continue;
    let end = hit.index + hit[0].length;
    while (end < text.length && isNameChar(text.charCodeAt(end), false)) end++;
    KEYWORD.lastIndex = end;
    // Most hits are words like `tokens` or `keyboard`: only names ending in a secret word go further.
    if (!SECRET_ENDING.test(text.slice(Math.max(hit.index, end - 12), end))) continue;
    let start = hit.index;
    while (start > 0 && isNameChar(text.charCodeAt(start - 1), true)) start--;
    const name = text.slice(start, end);
    const kind = secretNameKind(name.replace(/^-+/, ''));
    if (!kind) continue;
    const value = readValue(text, end, name.startsWith('-'));
    // NAME=value on a line of its own (.env files, shell exports) is a literal even without quotes.
    if (!value || !looksLikeSecretValue(value.text, kind, value.quoted || isEnvLine(text, start, end, value.start))) continue;
    const type = kind === 'password' ? 'password' : 'secret-value';
    found.push(type);
    keep(type, text.slice(value.start, value.end));
    out += text.slice(copied, value.start) + placeholder(type);
    copied = value.end;
    searchFrom = value.end;
    KEYWORD.lastIndex = value.end;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** An upper-case NAME at the start of a line (after an editor's line number, `export`), then `=` and the value. */
function isEnvLine(text: string, nameStart: number, nameEnd: number, valueStart: number): boolean {
  if (valueStart !== nameEnd + 1 || text[nameEnd] !== '=') return false;
  if (!/^[A-Z][A-Z0-9_]*$/.test(text.slice(nameStart, nameEnd))) return false;
  const lineStart = text.lastIndexOf('\n', nameStart - 1) + 1;
  return /^\s*(?:\d+\t)?\s*(?:export\s+)?$/.test(text.slice(lineStart, nameStart));
}

function readValue(text: string, at: number, isFlag: boolean): { text: string; start: number; end: number; quoted: boolean } | null {
  const re = isFlag ? FLAG_VALUE : ASSIGNMENT;
  re.lastIndex = at;
  const m = re.exec(text);
  if (!m) return null;
  const quotedText = isFlag ? m[2] : m[3];
  const bare = isFlag ? m[3] : m[4];
  const raw = quotedText ?? bare;
  if (raw === undefined) return null;
  const end = at + m[0].length;
  const quoteLen = quotedText !== undefined ? 1 : 0;
  // A JSON-escaped value (\" inside) is judged on its unescaped form, but replaced as written.
  return { text: raw.replace(/\\(.)/g, '$1'), start: end - raw.length - quoteLen, end: end - quoteLen, quoted: quotedText !== undefined };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Letters, digits, `_` and `-` (and `.` before the keyword, for dotted names such as `config.api_key`). */
function isNameChar(c: number, allowDot: boolean): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45 || (allowDot && c === 46);
}
