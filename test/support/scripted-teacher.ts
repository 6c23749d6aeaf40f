/**
 * A real OpenAI-compatible HTTP server on 127.0.0.1 that answers from a script, for tests that
 * drive the real `openai` client: chat completions (plain and SSE streaming) and the model list.
 *
 *   const teacher = await startScriptedTeacher([toolCall('bash', { command: 'ls' }), say('done')]);
 *   ... createTeacher({ baseUrls: [teacher.url], model: 'test-model' }) ...
 *   assert.equal(teacher.requests[0].body.temperature, 0.6);
 *   await teacher.close();
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after } from 'node:test';

export interface RecordedRequest {
  method: string;
  path: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** The parsed JSON body (an empty object for GET). */
  body: ChatRequestBody;
}

/** What a chat completions request carries; extra body fields are kept too. */
export interface ChatRequestBody {
  model?: string;
  messages?: { role: string; content: string | null; tool_calls?: unknown[]; tool_call_id?: string; [key: string]: unknown }[];
  tools?: { type: string; function: { name: string; description?: string; parameters?: unknown } }[];
  temperature?: number;
  max_tokens?: number;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  [key: string]: unknown;
}

export interface MessageReply {
  message: {
    content?: string | null;
    /** `arguments` that are not a string are sent as JSON; a string is sent as given (malformed JSON included). */
    tool_calls?: { name: string; arguments: unknown }[];
    reasoning_content?: string;
  };
  /** Default: counted from the request and answer; null leaves usage out altogether. */
  usage?: { prompt_tokens: number; completion_tokens: number } | null;
  /** Sent as the usage object exactly as written, for counts JSON.stringify cannot make (1e400, "12"). */
  usageJson?: string;
  /** Default 'tool_calls' when there are tool calls, else 'stop'. */
  finishReason?: string;
  /** Send the headers (and when streaming, the first chunk), then never finish. */
  stall?: boolean;
  /** When streaming: send the text, then this error event instead of finishing (as vLLM does mid-stream). */
  streamError?: string;
  delayMs?: number;
}
export interface ErrorReply {
  status: number;
  /** JSON body; default an OpenAI-style error object. A string is sent as plain text. */
  body?: unknown;
  headers?: Record<string, string>;
  delayMs?: number;
}
export interface HangReply {
  hang: true;
}
export interface DestroyReply {
  destroy: true;
}
export type Reply = MessageReply | ErrorReply | HangReply | DestroyReply;

export type Script = Reply[] | ((req: RecordedRequest, index: number) => Reply | Promise<Reply>);

export interface ScriptedTeacherOptions {
  /** Models the server serves; others get a 404. Default ['test-model']. */
  models?: string[];
  /** When set, every call without `Authorization: Bearer <apiKey>` gets a 401 that echoes the key it got. */
  apiKey?: string;
  /** Added before every answer. */
  latencyMs?: number;
}

export interface ScriptedTeacher {
  /** Base URL ending in /v1. */
  url: string;
  /** Every request, models list included, in arrival order. */
  requests: RecordedRequest[];
  /** Only the chat completion requests. */
  readonly chats: RecordedRequest[];
  /** Requests whose connection the client closed before the answer was complete (cancellations, timeouts). */
  readonly aborted: number;
  close(): Promise<void>;
}

// ---- helpers for writing scripts ----

export function say(text: string, extra: Partial<MessageReply> = {}): MessageReply {
  return { ...extra, message: { content: text, ...extra.message } };
}

export function toolCall(name: string, args: unknown, extra: Partial<MessageReply> = {}): MessageReply {
  return { ...extra, message: { content: null, ...extra.message, tool_calls: [{ name, arguments: args }] } };
}

export function toolCalls(calls: { name: string; arguments: unknown }[], extra: Partial<MessageReply> = {}): MessageReply {
  return { ...extra, message: { content: null, ...extra.message, tool_calls: calls } };
}

/** A tool call the way a server without a tool parser returns it: hermes JSON in the content. */
export function hermesText(name: string, args: unknown): string {
  return `<tool_call>\n${JSON.stringify({ name, arguments: args })}\n</tool_call>`;
}

/** A tool call in the XML form (Qwen3-Coder style) in the content. */
export function xmlText(name: string, args: Record<string, unknown>): string {
  const params = Object.entries(args)
    .map(([k, v]) => `<parameter=${k}>\n${typeof v === 'string' ? v : JSON.stringify(v)}\n</parameter>`)
    .join('\n');
  return `<tool_call>\n<function=${name}>\n${params}\n</function>\n</tool_call>`;
}

export function httpError(status: number, message = `scripted error ${status}`, headers?: Record<string, string>): ErrorReply {
  return { status, headers, body: { error: { message, type: status >= 500 ? 'server_error' : 'invalid_request_error', code: status } } };
}

export function rateLimited(retryAfter: string): ErrorReply {
  return httpError(429, 'Rate limit reached, please slow down', { 'retry-after': retryAfter });
}

export function contextLengthError(): ErrorReply {
  return httpError(
    400,
    "This model's maximum context length is 32768 tokens. However, you requested 40123 tokens (36027 in the messages, 4096 in the completion). Please reduce the length of the messages or completion.",
  );
}

export const hang = (): HangReply => ({ hang: true });
export const destroy = (): DestroyReply => ({ destroy: true });

/** A port nothing listens on (bound then released), for "connection refused". */
export async function deadUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/v1`;
}

/** For a test file: `serve(script)` starts a server that is closed after the file's tests. */
export function useScriptedTeachers(): (script: Script, opts?: ScriptedTeacherOptions) => Promise<ScriptedTeacher> {
  const servers: ScriptedTeacher[] = [];
  after(() => Promise.all(servers.map((s) => s.close())));
  return async (script, opts) => {
    const server = await startScriptedTeacher(script, opts);
    servers.push(server);
    return server;
  };
}

// ---- the server ----

export async function startScriptedTeacher(script: Script, opts: ScriptedTeacherOptions = {}): Promise<ScriptedTeacher> {
  const models = opts.models ?? ['test-model'];
  const requests: RecordedRequest[] = [];
  let chatIndex = 0;
  let aborted = 0;

  const nextReply = async (req: RecordedRequest, index: number): Promise<Reply> => {
    if (typeof script === 'function') return script(req, index);
    return script[index] ?? httpError(500, `the scripted teacher has no reply number ${index + 1} (script has ${script.length})`);
  };

  const server = http.createServer(async (req, res) => {
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: (req.url ?? '/').split('?')[0],
      headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')])),
      body: {},
    };
    const text = await readBody(req);
    if (text) {
      try {
        record.body = JSON.parse(text);
      } catch {
        return sendJson(res, 400, { error: { message: 'the body is not JSON', type: 'invalid_request_error' } });
      }
    }
    requests.push(record);
    res.on('close', () => {
      if (!res.writableFinished) aborted++;
    });

    if (opts.apiKey !== undefined && record.headers.authorization !== `Bearer ${opts.apiKey}`) {
      const got = (record.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
      // Like some real servers, echo the key that was sent: clients must not repeat it.
      return sendJson(res, 401, { error: { message: `Incorrect API key provided: ${got}`, type: 'invalid_request_error', code: 'invalid_api_key' } });
    }
    if (record.method === 'GET' && record.path === '/v1/models') {
      return sendJson(res, 200, { object: 'list', data: models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'scripted' })) });
    }
    if (record.method !== 'POST' || record.path !== '/v1/chat/completions') {
      return sendJson(res, 404, { error: { message: `no route ${record.method} ${record.path}`, type: 'not_found' } });
    }
    if (!models.includes(String(record.body.model))) {
      return sendJson(res, 404, { error: { message: `The model \`${record.body.model}\` does not exist.`, type: 'NotFoundError', code: 404 } });
    }

    const n = chatIndex++;
    let reply: Reply;
    try {
      reply = await nextReply(record, n);
    } catch (err) {
      return sendJson(res, 500, { error: { message: `the script threw: ${(err as Error).message}`, type: 'server_error' } });
    }
    await delay((opts.latencyMs ?? 0) + ('delayMs' in reply ? (reply.delayMs ?? 0) : 0));
    if ('hang' in reply) return;
    if ('destroy' in reply) return req.socket.destroy();
    if ('status' in reply) {
      const body = reply.body ?? httpError(reply.status).body;
      res.writeHead(reply.status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json', ...reply.headers });
      return res.end(typeof body === 'string' ? body : JSON.stringify(body));
    }
    const answer = buildAnswer(reply, record.body, n);
    if (record.body.stream) streamAnswer(res, answer, reply, record.body);
    else if (reply.stall) res.writeHead(200, { 'content-type': 'application/json' }).write('{"id":');
    else sendJson(res, 200, answer.completion, reply.usageJson);
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    get chats() {
      return requests.filter((r) => r.path === '/v1/chat/completions');
    },
    get aborted() {
      return aborted;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface Answer {
  id: string;
  content: string | null;
  reasoning?: string;
  toolCalls: { id: string; type: 'function'; function: { name: string; arguments: string } }[];
  finishReason: string;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number } | null;
  completion: unknown;
}

function buildAnswer(reply: MessageReply, body: ChatRequestBody, n: number): Answer {
  const m = reply.message;
  const toolCalls = (m.tool_calls ?? []).map((c, i) => ({
    id: `call_${n}_${i}`,
    type: 'function' as const,
    function: { name: c.name, arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments) },
  }));
  const content = m.content === undefined ? (toolCalls.length ? null : '') : m.content;
  const finishReason = reply.finishReason ?? (toolCalls.length ? 'tool_calls' : 'stop');
  const counted = (s: string) => Math.max(1, Math.ceil(s.length / 4));
  const usage =
    reply.usage === null
      ? null
      : reply.usage
        ? { ...reply.usage, total_tokens: reply.usage.prompt_tokens + reply.usage.completion_tokens }
        : (() => {
            const prompt = counted(JSON.stringify(body.messages ?? []));
            const completion = counted((content ?? '') + (m.reasoning_content ?? '') + JSON.stringify(toolCalls));
            return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
          })();
  const id = `chatcmpl-scripted-${n}`;
  const message: Record<string, unknown> = { role: 'assistant', content };
  if (toolCalls.length) message.tool_calls = toolCalls;
  if (m.reasoning_content !== undefined) message.reasoning_content = m.reasoning_content;
  const completion: Record<string, unknown> = {
    id,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: body.model,
    choices: [{ index: 0, message, finish_reason: finishReason, logprobs: null }],
  };
  if (usage) completion.usage = usage;
  return { id, content, reasoning: m.reasoning_content, toolCalls, finishReason, usage, completion };
}

/** Sends the answer as SSE in small pieces, tool-call arguments split across chunks like real servers. */
function streamAnswer(res: http.ServerResponse, a: Answer, reply: MessageReply, body: ChatRequestBody): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const base = { id: a.id, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: body.model };
  const send = (delta: Record<string, unknown>, finish: string | null = null, extra: Record<string, unknown> = {}) =>
    res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }], ...extra })}\n\n`);

  send({ role: 'assistant', content: '' });
  if (reply.stall) return;
  for (const piece of pieces(a.reasoning ?? '', 7)) send({ reasoning_content: piece });
  for (const piece of pieces(a.content ?? '', 5)) send({ content: piece });
  if (reply.streamError !== undefined) {
    res.end(`data: ${JSON.stringify({ error: { message: reply.streamError, type: 'BadRequestError', code: 400 } })}\n\n`);
    return;
  }
  a.toolCalls.forEach((call, index) => {
    send({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }] });
    for (const piece of pieces(call.function.arguments, 6)) send({ tool_calls: [{ index, function: { arguments: piece } }] });
  });
  send({}, a.finishReason);
  if (reply.usageJson !== undefined && body.stream_options?.include_usage) res.write(`data: ${withRawUsage({ ...base, choices: [] }, reply.usageJson)}\n\n`);
  else if (a.usage && body.stream_options?.include_usage) res.write(`data: ${JSON.stringify({ ...base, choices: [], usage: a.usage })}\n\n`);
  res.end('data: [DONE]\n\n');
}

function pieces(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/** `usageJson`, when given, is spliced in as the body's `usage` field, verbatim. */
function sendJson(res: http.ServerResponse, status: number, body: unknown, usageJson?: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(usageJson === undefined ? JSON.stringify(body) : withRawUsage(body, usageJson));
}

function withRawUsage(body: unknown, usageJson: string): string {
  const { usage: _, ...rest } = body as Record<string, unknown>;
  return `${JSON.stringify(rest).slice(0, -1)},"usage":${usageJson}}`;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const delay = (ms: number) => (ms > 0 ? new Promise<void>((r) => setTimeout(r, ms)) : Promise.resolve());
