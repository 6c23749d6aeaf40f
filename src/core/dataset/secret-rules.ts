/**
 * What counts as a secret. Provider tokens are recognised by their published shapes; everything
 * else (passwords, generic keys) only when a secret-like name is assigned a value that looks
 * random, so ordinary code, hashes, UUIDs and test data pass through untouched.
 */

export interface TokenRule {
  type: string;
  /** Regex source of a literal-like part every match contains; all hints are searched in one pass. */
  hint: string;
  re: RegExp;
  /** Extra test on the match (e.g. that a `sk-` value is not a CSS class name). */
  accept?: (match: string) => boolean;
}

const hasDigitAndUpper = (s: string) => /\d/.test(s) && /[A-Z]/.test(s);

/** Ordered: more specific shapes first, so an Anthropic key is not reported as an OpenAI one. */
export const TOKEN_RULES: TokenRule[] = [
  { type: 'private-key', hint: 'PRIVATE KEY', re: /-----BEGIN[A-Z ]{0,30}PRIVATE KEY(?: BLOCK)?-----(?:[\s\S]{0,20000}?-----END[A-Z ]{0,30}PRIVATE KEY(?: BLOCK)?-----|(?:\\[rn]|[\s:,A-Za-z0-9+/=-]){40,})/g, accept: (m) => /[A-Za-z0-9+/]{40}/.test(m.replace(/\\[rn]|\s/g, '')) },
  { type: 'anthropic-key', hint: 'sk-ant-', re: /\bsk-ant-[a-z]{2,8}\d{2}-[A-Za-z0-9_-]{32,}/g },
  { type: 'openai-key', hint: 'sk-', re: /\bsk-(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_-]{20,}/g, accept: (m) => hasDigitAndUpper(m.slice(3)) },
  { type: 'aws-access-key', hint: 'A(?:KIA|SIA|BIA|CCA|ROA|IDA)', re: /\b(?:AKIA|ASIA|ABIA|ACCA|AROA|AIDA)[A-Z0-9]{16}\b/g },
  { type: 'github-token', hint: 'gh[pousr]_', re: /\bgh[pousr]_[A-Za-z0-9]{36,255}\b/g },
  { type: 'github-token', hint: 'github_pat_', re: /\bgithub_pat_[A-Za-z0-9_]{60,255}\b/g },
  { type: 'gitlab-token', hint: 'gl(?:pat|dt|rt|ptt|ft|imt|agent|oas|cbt|soat)-', re: /\bgl(?:pat|dt|rt|ptt|ft|imt|agent|oas|cbt|soat)-[A-Za-z0-9_-]{20,}\b/g },
  { type: 'slack-token', hint: 'xox', re: /\bxox[abposr]-(?:\d+-)?[A-Za-z0-9-]{10,}\b/g, accept: (m) => /\d/.test(m) },
  { type: 'slack-token', hint: 'xapp-', re: /\bxapp-\d-[A-Z0-9]+-\d+-[a-f0-9]{20,}\b/g },
  { type: 'slack-webhook', hint: 'hooks\\.slack\\.com', re: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9/_-]{20,}/g },
  { type: 'google-api-key', hint: 'AIza', re: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g },
  { type: 'stripe-key', hint: '[sr]k_(?:live|test)_', re: /\b(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{16,}\b/g },
  { type: 'stripe-key', hint: 'whsec_', re: /\bwhsec_[0-9A-Za-z]{24,}\b/g },
  { type: 'huggingface-token', hint: 'hf_', re: /\bhf_[A-Za-z0-9]{34,40}\b/g, accept: (m) => /[A-Z]/.test(m) && /[a-z]/.test(m.slice(3)) },
  { type: 'npm-token', hint: 'npm_', re: /\bnpm_[A-Za-z0-9]{36}\b/g, accept: (m) => hasDigitAndUpper(m) },
  { type: 'pypi-token', hint: 'pypi-', re: /\bpypi-AgE[A-Za-z0-9_-]{50,}/g },
  { type: 'sendgrid-key', hint: 'SG\\.', re: /\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b/g },
  { type: 'azure-storage-key', hint: 'AccountKey=', re: /AccountKey=[A-Za-z0-9+/]{60,}={0,2}/g },
  { type: 'jwt', hint: 'eyJ', re: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g },
];

/** Words that make a name secret-like when they end it (after splitting snake, kebab and camel case). */
const SECRET_LAST_WORDS = new Set(['password', 'passwd', 'pwd', 'passphrase', 'secret', 'token', 'apikey', 'credential', 'credentials']);
/** `key` alone is too common (dict keys, cache keys); it is secret-like after one of these. */
const KEY_QUALIFIERS = new Set(['api', 'secret', 'access', 'private', 'auth', 'client', 'master', 'signing', 'encryption', 'app', 'account', 'storage', 'service', 'license', 'session', 'subscription', 'admin', 'webhook']);
const PASSWORD_WORDS = new Set(['password', 'passwd', 'pwd', 'passphrase']);

export type SecretNameKind = 'password' | 'secret' | null;

export function splitWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

export function secretNameKind(name: string): SecretNameKind {
  const words = splitWords(name);
  const last = words[words.length - 1];
  if (!last) return null;
  if (PASSWORD_WORDS.has(last)) return 'password';
  if (SECRET_LAST_WORDS.has(last)) return 'secret';
  if (last === 'key' && words.length > 1 && KEY_QUALIFIERS.has(words[words.length - 2])) return 'secret';
  return null;
}

const PLACEHOLDER = /^(?:x+|\*+|\.+|-+|#+|_+|0+|your|my|some|an?|the|example|sample|dummy|fake|mock|test|testing|changeme|change|placeholder|redacted|secret|password|passwd|token|key|value|default|none|null|nil|undefined|true|false|foo|bar|baz|todo|fixme|xxx|abc|admin|guest|user|pass)(?:[^A-Za-z0-9].*|\d{0,3})?$/i;

export function looksLikePlaceholder(value: string): boolean {
  if (/^[$%{<[(@&]|\{\{|\$\{|<[A-Za-z]|\\[nt]/.test(value)) return true;
  if (/^(.)\1*$/.test(value)) return true;
  return PLACEHOLDER.test(value);
}

export function shannonEntropy(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/**
 * Mean length of the pieces a value falls into when split at case changes, letter/digit changes
 * and punctuation: identifiers (`getApiToken`, `sha256_digest`) give long pieces, random strings
 * give pieces of one to three characters.
 */
export function meanPieceLength(value: string): number {
  const pieces = value
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1 $2')
    .replace(/([A-Za-z])(\d)/g, '$1 $2')
    .replace(/(\d)([A-Za-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  if (!pieces.length) return Infinity;
  return pieces.reduce((n, p) => n + p.length, 0) / pieces.length;
}

/** Whether a value assigned to a secret-like name looks like a real secret rather than code or a placeholder. */
export function looksLikeSecretValue(value: string, kind: Exclude<SecretNameKind, null>, quoted: boolean): boolean {
  if (value.length > 4096 || /\s/.test(value) || looksLikePlaceholder(value)) return false;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return false; // a URL; its userinfo is checked by the connection-string rule
  if (kind === 'password' && quoted) {
    if (value.length < 8) return false;
    const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(value)).length;
    return classes >= 2 && shannonEntropy(value) >= 2.5 && meanPieceLength(value) <= 4;
  }
  if (value.length < 16) return false;
  if (!/\d/.test(value) || !/[A-Za-z]/.test(value)) return false;
  const hex = /^[0-9a-fA-F-]+$/.test(value);
  const needed = hex ? 3.0 : Math.max(3.0, Math.min(4.0, Math.log2(value.length) - 1));
  return shannonEntropy(value) >= needed && meanPieceLength(value) <= 3.2;
}

/** Passwords in URLs that are documentation, not secrets. */
const URL_PASSWORD_PLACEHOLDER = /^(?:password|passwd|pass|pwd|pw|secret|changeme|test|example|bar|baz|admin|guest|user|root|x+|\*+)$/i;

export function looksLikeUrlPassword(value: string): boolean {
  if (value.length < 6 || URL_PASSWORD_PLACEHOLDER.test(value) || looksLikePlaceholder(value)) return false;
  return !/^(.)\1*$/.test(value);
}

/** One line of base64 as PEM (64 columns) or OpenSSH (70 columns) write a key's body. */
const BODY_WIDTHS = new Set([64, 70]);
/** A line's framing around its content: editor line numbers, indentation, quotes, a trailing comma. */
const LINE_FRAME = /^(\s*(?:\d+\t)?\s*["'`]?)([A-Za-z0-9+/]+={0,2})(["'`]?,?\s*)$/;
const PUBLIC_BEGIN = /-----BEGIN (?:CERTIFICATE|PUBLIC KEY|RSA PUBLIC KEY|PGP PUBLIC KEY BLOCK|X509 CRL|CERTIFICATE REQUEST|NEW CERTIFICATE REQUEST)-----/;
const PRIVATE_EDGE = /-----(?:BEGIN|END)[A-Z ]{0,30}PRIVATE KEY(?: BLOCK)?-----/;

/** Where a key body's lines are in `text`: [start, end) of each line's base64, grouped by key. */
export function keyBodyLines(text: string): { start: number; end: number }[][] {
  if (!hasBase64Run(text, 64)) return [];
  const keys: { start: number; end: number }[][] = [];
  let block: { start: number; end: number; full: boolean }[] = [];
  let before = '';
  const close = (after: string) => {
    const full = block.filter((l) => l.full).length;
    const nextToKey = PRIVATE_EDGE.test(before) || PRIVATE_EDGE.test(after);
    // Two full lines in a row are a key's body unless a public block's header says otherwise; one is, next to a key's edge.
    if (block.length && (nextToKey || (full >= 2 && !PUBLIC_BEGIN.test(before))) && mixedBase64(block.map((l) => text.slice(l.start, l.end)).join(''))) {
      keys.push(block.map(({ start, end }) => ({ start, end })));
    }
    block = [];
  };
  let lineStart = 0;
  for (;;) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? text.length : newline;
    const line = text.slice(lineStart, lineEnd);
    const m = line.length >= 4 && line.length < 120 ? LINE_FRAME.exec(line) : null;
    const content = m?.[2] ?? '';
    const full = BODY_WIDTHS.has(content.length);
    const last = block.length > 0 && block[block.length - 1].full;
    if (m && (full || (last && content.length >= 4 && content.length < 70))) {
      block.push({ start: lineStart + m[1].length, end: lineStart + m[1].length + content.length, full });
      // A shorter line ends a body.
      if (!full) {
        close(nextLine(text, lineEnd));
        before = line;
      }
    } else {
      if (block.length) close(line);
      before = line;
    }
    if (newline === -1) break;
    lineStart = newline + 1;
  }
  if (block.length) close('');
  return keys;
}

function nextLine(text: string, at: number): string {
  if (at >= text.length) return '';
  const end = text.indexOf('\n', at + 1);
  return text.slice(at + 1, end === -1 ? text.length : end);
}

/** Upper and lower case letters and digits, as random base64 has and text or hex does not. */
function mixedBase64(s: string): boolean {
  return /[A-Z]/.test(s) && /[a-z]/.test(s) && /\d/.test(s);
}

/** A cheap first look: whether the text holds `n` base64 characters in a row at all. */
function hasBase64Run(text: string, n: number): boolean {
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47) {
      if (++run >= n) return true;
    } else run = 0;
  }
  return false;
}
