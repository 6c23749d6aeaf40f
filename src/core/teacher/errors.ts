import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';

export type TeacherErrorKind =
  | 'auth'
  | 'not-found'
  | 'bad-request'
  | 'context-length'
  | 'rate-limited'
  | 'server'
  | 'timeout'
  | 'unreachable'
  | 'cancelled';

/** A failed teacher call. The message is one sentence for the user and never holds the API key. */
export class TeacherError extends Error {
  override readonly name = 'TeacherError';
  constructor(
    message: string,
    readonly kind: TeacherErrorKind,
    readonly status?: number,
    readonly endpoint?: string,
    /** What the server asked us to wait before trying again (Retry-After), in ms. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }

  /** Worth another attempt: the server or the network may recover. */
  get retryable(): boolean {
    return this.kind === 'rate-limited' || this.kind === 'server' || this.kind === 'timeout' || this.kind === 'unreachable';
  }
}

// Phrases servers use when the prompt does not fit (OpenAI, vLLM, llama.cpp, TGI, Anthropic-style proxies).
const CONTEXT_LENGTH = [
  /maximum context length/i,
  /context[_ ]length[_ ]exceeded/i,
  /context (length|window|size)/i,
  /too many tokens/i,
  /prompt is too long/i,
  /input is too long/i,
  /exceeds? the (available )?context/i,
  /reduce the length of the (messages|prompt|input)/i,
  /inputs?`? tokens \+ `?max_new_tokens/i,
];

export function isContextLengthMessage(text: string): boolean {
  return CONTEXT_LENGTH.some((re) => re.test(text));
}

export interface ErrorContext {
  endpoint: string;
  model: string;
  apiKey?: string;
  timeoutMs: number;
  /** The caller's signal fired. */
  cancelled: boolean;
  /** Our own per-attempt timer fired. */
  timedOut: boolean;
}

/** Turns whatever a call threw (openai errors, fetch errors, aborts) into a TeacherError. */
export function toTeacherError(err: unknown, ctx: ErrorContext): TeacherError {
  if (err instanceof TeacherError) return err;
  const url = ctx.endpoint;
  if (ctx.cancelled) return new TeacherError(`the request to ${url} was cancelled`, 'cancelled', undefined, url);
  if (ctx.timedOut || err instanceof APIConnectionTimeoutError) {
    return new TeacherError(
      `${url} did not answer within ${duration(ctx.timeoutMs)}; check the server or raise the request timeout`,
      'timeout',
      undefined,
      url,
    );
  }
  if (err instanceof APIError && typeof err.status === 'number') return fromStatus(err, ctx);
  if (err instanceof APIError && !(err instanceof APIConnectionError)) return midStream(err, ctx);
  if (err instanceof SyntaxError) {
    return new TeacherError(`${url} sent an answer that is not valid JSON; check that it speaks the OpenAI API`, 'server', undefined, url);
  }
  const reason = connectionReason(err);
  return new TeacherError(
    `could not reach ${url} (${reason}); check that the server is running and the base URL is right`,
    'unreachable',
    undefined,
    url,
  );
}

function fromStatus(err: APIError, ctx: ErrorContext): TeacherError {
  const status = err.status as number;
  const url = ctx.endpoint;
  const model = ctx.model;
  const detail = serverDetail(err, ctx.apiKey);
  const make = (message: string, kind: TeacherErrorKind, retryAfterMs?: number) =>
    new TeacherError(message, kind, status, url, retryAfterMs);

  if (detail && isContextLengthMessage(detail)) {
    return make(`the conversation is longer than model "${model}" accepts at ${url} (${detail})`, 'context-length');
  }
  if (status === 413) return make(`the conversation is longer than ${url} accepts (413 request too large)`, 'context-length');
  if (status === 401) {
    return ctx.apiKey
      ? make(`the API key was rejected by ${url}; check the key`, 'auth')
      : make(`${url} asks for an API key and none was given; set one`, 'auth');
  }
  if (status === 403) return make(`${url} refused access to model "${model}" (403); check the API key's permissions`, 'auth');
  if (status === 404) {
    return /model/i.test(detail)
      ? make(`model "${model}" is not served at ${url}; pick one of the models it lists`, 'not-found')
      : make(`${url} has no chat completions endpoint (404); check the base URL (it usually ends in /v1)`, 'not-found');
  }
  if (status === 429) return make(`${url} is rate limiting requests (429)`, 'rate-limited', retryAfterMs(err.headers));
  if (status === 408) return make(`${url} timed out on the request (408)`, 'timeout');
  if (status >= 500) return make(`${url} failed with a server error (${status}${detail ? `: ${detail}` : ''})`, 'server', retryAfterMs(err.headers));
  return make(`${url} rejected the request (${status}${detail ? `: ${detail}` : ''})`, 'bad-request');
}

/** An error event inside a streamed answer (the HTTP status was already 200). */
function midStream(err: APIError, ctx: ErrorContext): TeacherError {
  const detail = serverDetail(err, ctx.apiKey);
  const url = ctx.endpoint;
  if (isContextLengthMessage(detail)) {
    return new TeacherError(`the conversation is longer than model "${ctx.model}" accepts at ${url} (${detail})`, 'context-length', undefined, url);
  }
  return new TeacherError(`${url} reported an error while streaming the answer (${detail || 'no detail'})`, 'server', undefined, url);
}

/** The server's own words, on one line, short, with the key masked in case the server echoed it. */
function serverDetail(err: APIError, apiKey?: string): string {
  const body = err.error as unknown;
  let text = '';
  if (typeof body === 'string') text = body;
  else if (body && typeof body === 'object' && typeof (body as { message?: unknown }).message === 'string') {
    text = (body as { message: string }).message;
  } else text = err.message.replace(/^\d{3}\s*/, '').replace(/status code \(no body\)/, '');
  text = redact(text, apiKey).replace(/\s+/g, ' ').trim().replace(/[.\s]+$/, '');
  return text.length > 240 ? `${text.slice(0, 237)}...` : text;
}

export function redact(text: string, secret?: string): string {
  if (!secret || secret.length < 4) return text;
  return text.split(secret).join('***');
}

/** Retry-After as seconds or an HTTP date (plus the non-standard retry-after-ms), in ms. */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = headers.get('retry-after');
  if (!value) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.max(0, Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}

function connectionReason(err: unknown): string {
  const code = findCode(err);
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'the connection was reset';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable';
    case undefined:
      return innermostMessage(err) ?? 'connection failed';
    default:
      return code;
  }
}

/** undici says only "fetch failed"; its cause may say more (e.g. "bad port"). */
function innermostMessage(err: unknown): string | undefined {
  let message: string | undefined;
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 6; depth++) {
    const m = (e as { message?: unknown }).message;
    if (typeof m === 'string' && m && !/^(fetch failed|connection error\.?)$/i.test(m)) message = m;
    e = (e as { cause?: unknown }).cause;
  }
  return message && message.length < 80 && !message.includes('\n') ? message : undefined;
}

function findCode(err: unknown): string | undefined {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 6; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}
