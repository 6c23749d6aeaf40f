import { createTeacher, normaliseBaseUrl, openaiClient } from './client';
import { TeacherError, toTeacherError } from './errors';
import type { ConnectionReport, EndpointReport, TeacherConfig, ToolSpec } from './types';

const PING_TOOL: ToolSpec = {
  type: 'function',
  function: {
    name: 'ping',
    description: 'Answers a connection check. Call it with the word you are asked to send.',
    parameters: { type: 'object', properties: { word: { type: 'string' } }, required: ['word'] },
  },
};

const RANK = { none: 0, text: 1, native: 2 } as const;

/**
 * Checks every endpoint: lists its models, then asks the model for one tiny tool call and reports
 * whether it came back natively or only as text in the content.
 */
export async function checkConnection(config: TeacherConfig, signal?: AbortSignal): Promise<ConnectionReport> {
  const started = Date.now();
  const urls = [...new Set(config.baseUrls.map(normaliseBaseUrl))];
  const endpoints: EndpointReport[] = [];
  for (const url of urls) endpoints.push(await checkEndpoint(url, config, signal));
  const models = [...new Set(endpoints.flatMap((e) => e.models))];
  const failed = endpoints.find((e) => !e.ok);
  const report: ConnectionReport = {
    ok: endpoints.length > 0 && !failed,
    models,
    modelServed: endpoints.length > 0 && endpoints.every((e) => e.modelServed),
    toolCalls: endpoints.reduce<ConnectionReport['toolCalls']>(
      (weakest, e) => (RANK[e.toolCalls] < RANK[weakest] ? e.toolCalls : weakest),
      endpoints.length ? 'native' : 'none',
    ),
    ms: Date.now() - started,
    endpoints,
  };
  if (!endpoints.length) report.error = 'no teacher base URL is configured; set at least one';
  else if (failed) report.error = failed.error;
  return report;
}

async function checkEndpoint(url: string, config: TeacherConfig, signal?: AbortSignal): Promise<EndpointReport> {
  const started = Date.now();
  const timeoutMs = config.timeoutMs ?? 60_000;
  const report: EndpointReport = { url, ok: false, models: [], modelServed: false, toolCalls: 'none', ms: 0 };
  const done = (error?: string) => ({ ...report, ms: Date.now() - started, ...(error ? { error } : {}) });

  try {
    report.models = await listModels(url, config, timeoutMs, signal);
  } catch (err) {
    const error = err as TeacherError;
    // Some servers have no model list; the round trip below still tells whether they work.
    if (error.kind !== 'not-found') return done(error.message);
  }
  report.modelServed = report.models.includes(config.model);

  const teacher = createTeacher({ ...config, baseUrls: [url], maxRetries: 0, timeoutMs, maxTokens: config.maxTokens ?? 2048 });
  try {
    const answer = await teacher.complete(
      [
        { role: 'system', content: 'You are checking that tool calling works. Answer only with a tool call.' },
        { role: 'user', content: 'Call the ping tool with word set to "pong".' },
      ],
      [PING_TOOL],
      signal,
    );
    report.toolCalls = answer.toolCallSource;
    report.modelServed ||= true; // it answered, so it serves the model even if it lists none
  } catch (err) {
    return done((err as TeacherError).message);
  }
  if (report.toolCalls === 'none') {
    return done(`model "${config.model}" at ${url} answered without calling the offered tool; it may not support tool calling`);
  }
  report.ok = true;
  return done();
}

/**
 * Lists the models every endpoint serves, without asking any of them for a completion: what
 * a settings dialog needs before a model is chosen. Endpoints that fail or have no list add none.
 */
export async function listTeacherModels(config: Omit<TeacherConfig, 'model'>, signal?: AbortSignal): Promise<string[]> {
  const urls = [...new Set(config.baseUrls.map(normaliseBaseUrl))];
  const timeoutMs = config.timeoutMs ?? 60_000;
  const lists = await Promise.all(urls.map((url) => listModels(url, { ...config, model: '' }, timeoutMs, signal).catch(() => [])));
  return [...new Set(lists.flat())];
}

async function listModels(url: string, config: TeacherConfig, timeoutMs: number, signal?: AbortSignal): Promise<string[]> {
  const client = openaiClient(url, config, timeoutMs);
  const ids: string[] = [];
  try {
    for await (const model of client.models.list({ signal, timeout: timeoutMs })) {
      if (model && typeof model.id === 'string') ids.push(model.id);
    }
  } catch (err) {
    const error = toTeacherError(err, {
      endpoint: url,
      model: config.model,
      apiKey: config.apiKey,
      timeoutMs,
      cancelled: signal?.aborted ?? false,
      timedOut: false,
    });
    // A 404 here is about the model list, not the model.
    if (error.kind === 'not-found') throw new TeacherError(`${url} has no model list`, 'not-found', 404, url);
    throw error;
  }
  return ids;
}
