import OpenAI from 'openai';
import { RUN_DEFAULTS } from '../defaults';
import { normaliseAnswer, rawFromResponse, type RawAnswer } from './answer';
import { EndpointPool, type Endpoint } from './endpoints';
import { TeacherError, toTeacherError } from './errors';
import { errorBodyFetch } from './fetch';
import { ownSecrets, withoutSecrets } from './own-secrets';
import { backoffMs, MAX_RETRY_AFTER_MS, sleep } from './retry';
import { StreamAccumulator } from './stream';
import type { ChatMessage, Completion, Teacher, TeacherConfig, ToolSpec } from './types';

const DEFAULTS = {
  temperature: RUN_DEFAULTS.temperature,
  timeoutMs: 600_000,
  maxRetries: 4,
  retryBaseMs: 1000,
  retryMaxMs: 30_000,
  endpointFailureLimit: 3,
  endpointCooldownMs: 60_000,
};

export function createTeacher(config: TeacherConfig): Teacher {
  return new OpenAITeacher(config);
}

/** Strips a trailing slash so URLs in messages and reports look the way the user typed them. */
export function normaliseBaseUrl(url: string): string {
  return url.trim().replace(/\/+$/, '');
}

export function openaiClient(baseURL: string, config: TeacherConfig, timeoutMs: number): OpenAI {
  return new OpenAI({
    baseURL,
    // The client insists on a key; local servers ignore this one.
    apiKey: config.apiKey || 'none',
    organization: null,
    project: null,
    maxRetries: 0, // the retry policy is ours (see complete), so it can be tested and cancelled
    logLevel: 'off', // OPENAI_LOG=debug would print bodies and custom headers, which may hold secrets
    timeout: timeoutMs,
    defaultHeaders: config.extraHeaders,
    fetch: errorBodyFetch,
  });
}

class OpenAITeacher implements Teacher {
  readonly model: string;
  private readonly pool: EndpointPool;
  private readonly clients = new Map<string, OpenAI>();
  private readonly settings: typeof DEFAULTS;
  private readonly secrets: string[];

  constructor(private readonly config: TeacherConfig) {
    if (!config.baseUrls.length) throw new TeacherError('no teacher base URL is configured; set at least one', 'bad-request');
    if (!config.model) throw new TeacherError('no teacher model is configured; set one', 'bad-request');
    this.model = config.model;
    this.secrets = ownSecrets(config);
    this.settings = { ...DEFAULTS };
    for (const key of Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[]) {
      const value = config[key];
      if (typeof value === 'number') this.settings[key] = value;
    }
    const urls = [...new Set(config.baseUrls.map(normaliseBaseUrl))];
    this.pool = new EndpointPool(urls, this.settings.endpointFailureLimit, this.settings.endpointCooldownMs);
    for (const url of urls) this.clients.set(url, openaiClient(url, config, this.settings.timeoutMs));
  }

  async complete(messages: ChatMessage[], tools: ToolSpec[], signal?: AbortSignal): Promise<Completion> {
    const started = Date.now();
    const body = this.requestBody(messages, tools);
    let previous: { endpoint: Endpoint; error: TeacherError } | undefined;
    for (let attempt = 1; ; attempt++) {
      const endpoint = this.pool.pick(Date.now(), previous?.endpoint);
      if (previous) await this.waitBeforeRetry(attempt - 2, endpoint, previous, signal);
      endpoint.inFlight++;
      try {
        const raw = await this.attempt(endpoint.url, body, signal);
        this.pool.succeeded(endpoint);
        const answer = normaliseAnswer(raw, { messages, tools });
        return {
          ...answer,
          // What the teacher says is kept in the run: our own credentials are taken out first.
          message: withoutSecrets(answer.message, this.secrets),
          ms: Date.now() - started,
          endpoint: endpoint.url,
          attempts: attempt,
        };
      } catch (err) {
        const error = err as TeacherError;
        if (!error.retryable) throw error;
        this.pool.failed(endpoint, Date.now(), error.retryAfterMs);
        if (attempt > this.settings.maxRetries) throw error;
        previous = { endpoint, error };
      } finally {
        endpoint.inFlight--;
      }
    }
  }

  private async waitBeforeRetry(
    retry: number,
    next: Endpoint,
    previous: { endpoint: Endpoint; error: TeacherError },
    signal?: AbortSignal,
  ): Promise<void> {
    const now = Date.now();
    let ms: number;
    if (next === previous.endpoint && previous.error.retryAfterMs !== undefined) {
      ms = Math.min(previous.error.retryAfterMs, MAX_RETRY_AFTER_MS);
    } else if (next !== previous.endpoint && next.consecutiveFailures === 0 && next.notBefore <= now) {
      ms = 0; // a healthy endpoint is free: fail over at once
    } else {
      ms = Math.max(backoffMs(retry, this.settings.retryBaseMs, this.settings.retryMaxMs), Math.min(next.notBefore - now, MAX_RETRY_AFTER_MS));
    }
    try {
      await sleep(ms, signal);
    } catch {
      throw new TeacherError(`the request to ${next.url} was cancelled`, 'cancelled', undefined, next.url);
    }
  }

  private requestBody(messages: ChatMessage[], tools: ToolSpec[]): Record<string, unknown> {
    const c = this.config;
    return {
      temperature: this.settings.temperature,
      ...(c.maxTokens ? { max_tokens: c.maxTokens } : {}),
      ...c.extraBody,
      model: c.model,
      messages: messages.map(wireMessage),
      ...(tools.length ? { tools } : {}),
      ...(c.stream ? { stream: true, stream_options: { include_usage: true } } : {}),
    };
  }

  /** One request to one endpoint, bounded by our own timer (the client's covers only the headers). */
  private async attempt(url: string, body: Record<string, unknown>, signal?: AbortSignal): Promise<RawAnswer> {
    const client = this.clients.get(url)!;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.settings.timeoutMs);
    const onAbort = () => controller.abort();
    if (signal?.aborted) controller.abort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const raw = this.config.stream
        ? await this.streamed(client, body, controller.signal)
        : rawFromResponse(await client.chat.completions.create(body as never, { signal: controller.signal }));
      // The client's stream ends quietly when aborted, so look at the signal, not only for a throw.
      if (controller.signal.aborted) throw new Error('aborted');
      if (!raw) throw new TeacherError(`${url} answered without any choices`, 'server', undefined, url);
      return raw;
    } catch (err) {
      throw toTeacherError(err, {
        endpoint: url,
        model: this.model,
        apiKey: this.config.apiKey,
        timeoutMs: this.settings.timeoutMs,
        cancelled: signal?.aborted ?? false,
        timedOut,
      });
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private async streamed(client: OpenAI, body: Record<string, unknown>, signal: AbortSignal): Promise<RawAnswer | undefined> {
    const stream = (await client.chat.completions.create(body as never, { signal })) as unknown as AsyncIterable<unknown>;
    const acc = new StreamAccumulator();
    for await (const chunk of stream) acc.add(chunk);
    if (signal.aborted) return undefined;
    if (!acc.complete) {
      throw new TeacherError(`the answer streamed by ${client.baseURL} ended before it was complete`, 'server', undefined, client.baseURL);
    }
    return acc.finish();
  }
}

/** Our messages as the wire wants them: reasoning stays in the trajectory, not in the prompt. */
function wireMessage(m: ChatMessage): Record<string, unknown> {
  const out: Record<string, unknown> = { role: m.role, content: m.content ?? '' };
  if (m.tool_calls?.length) out.tool_calls = m.tool_calls;
  if (m.tool_call_id) out.tool_call_id = m.tool_call_id;
  return out;
}
