import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTeacher, TeacherError, type ChatMessage, type TeacherConfig } from '../../src/core/teacher';
import {
  contextLengthError,
  deadUrl,
  destroy,
  hang,
  httpError,
  rateLimited,
  say,
  useScriptedTeachers,
} from '../support/scripted-teacher';

const TASK: ChatMessage[] = [{ role: 'user', content: 'Fix the bug.' }];
const KEY = 'sk-very-secret-key-0123456789';

const serve = useScriptedTeachers();

function config(urls: string[], extra: Partial<TeacherConfig> = {}): TeacherConfig {
  return { baseUrls: urls, model: 'test-model', timeoutMs: 2000, maxRetries: 3, retryBaseMs: 20, retryMaxMs: 100, ...extra };
}

async function failure(promise: Promise<unknown>): Promise<TeacherError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof TeacherError, `expected a TeacherError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the call to fail');
}

/** One sentence: no line breaks, no stack-like or JSON noise. */
function assertOneSentence(message: string) {
  assert.doesNotMatch(message, /\n/);
  assert.ok(message.length < 400, message);
  assert.doesNotMatch(message, /[{}]/, message);
}

describe('teacher retries and errors', () => {
  it('waits out a 429 with Retry-After in seconds, then succeeds', async () => {
    const server = await serve([rateLimited('1'), say('ok')]);
    const started = Date.now();
    const answer = await createTeacher(config([server.url])).complete(TASK, []);
    const waited = Date.now() - started;
    assert.equal(answer.message.content, 'ok');
    assert.equal(answer.attempts, 2);
    assert.ok(waited >= 950, `waited only ${waited} ms`);
    assert.ok(answer.ms >= 950);
  });

  it('honours Retry-After given as an HTTP date', async () => {
    const server = await serve([rateLimited(new Date(Date.now() + 2000).toUTCString()), say('ok')]);
    const started = Date.now();
    await createTeacher(config([server.url])).complete(TASK, []);
    // HTTP dates have whole seconds, so the wait is between 1 and 2 s.
    assert.ok(Date.now() - started >= 900, `waited ${Date.now() - started} ms`);
  });

  it('retries 500s with backoff, then succeeds', async () => {
    const server = await serve([httpError(500), httpError(503), say('ok')]);
    const answer = await createTeacher(config([server.url])).complete(TASK, []);
    assert.equal(answer.message.content, 'ok');
    assert.equal(answer.attempts, 3);
    assert.equal(server.chats.length, 3);
  });

  it('gives up with a server error after maxRetries', async () => {
    const server = await serve(() => httpError(500, 'CUDA out of memory'));
    const err = await failure(createTeacher(config([server.url], { maxRetries: 2 })).complete(TASK, []));
    assert.equal(err.kind, 'server');
    assert.equal(err.status, 500);
    assert.equal(err.endpoint, server.url);
    assert.match(err.message, /CUDA out of memory/);
    assertOneSentence(err.message);
    assert.equal(server.chats.length, 3, 'one attempt plus two retries');
  });

  it('retries a reset connection', async () => {
    const server = await serve([destroy(), say('ok')]);
    const answer = await createTeacher(config([server.url])).complete(TASK, []);
    assert.equal(answer.attempts, 2);
  });

  it('times out a hanging server, retries, then reports a timeout', async () => {
    const server = await serve(() => hang());
    const started = Date.now();
    const err = await failure(createTeacher(config([server.url], { timeoutMs: 150, maxRetries: 1 })).complete(TASK, []));
    assert.equal(err.kind, 'timeout');
    assert.match(err.message, /did not answer within 150 ms/);
    assertOneSentence(err.message);
    assert.equal(server.chats.length, 2);
    assert.ok(Date.now() - started < 1500);
  });

  it('times out a server that stalls after sending headers, streamed or not', async () => {
    for (const stream of [false, true]) {
      const server = await serve(() => say('never finished', { stall: true }));
      const err = await failure(createTeacher(config([server.url], { timeoutMs: 150, maxRetries: 0, stream })).complete(TASK, []));
      assert.equal(err.kind, 'timeout', `stream=${stream}: ${err.message}`);
    }
  });

  it('turns a 401 into one sentence without retrying and never repeats the key', async () => {
    const server = await serve([say('unreachable')], { apiKey: 'sk-the-right-one' });
    const err = await failure(createTeacher(config([server.url], { apiKey: KEY })).complete(TASK, []));
    assert.equal(err.kind, 'auth');
    assert.equal(err.status, 401);
    assert.equal(err.message, `the API key was rejected by ${server.url}; check the key`);
    assert.equal(server.chats.length, 1);
    assert.ok(!JSON.stringify(err).includes(KEY) && !String(err.stack).includes(KEY));
  });

  it('says a key is needed when none was given', async () => {
    const server = await serve([say('unreachable')], { apiKey: 'sk-the-right-one' });
    const err = await failure(createTeacher(config([server.url])).complete(TASK, []));
    assert.equal(err.kind, 'auth');
    assert.match(err.message, /asks for an API key and none was given/);
  });

  it('turns an unknown model into not-found without retrying', async () => {
    const server = await serve([say('unreachable')]);
    const err = await failure(createTeacher(config([server.url], { model: 'qwen-nope' })).complete(TASK, []));
    assert.equal(err.kind, 'not-found');
    assert.equal(err.message, `model "qwen-nope" is not served at ${server.url}; pick one of the models it lists`);
    assert.equal(server.requests.length, 1);
  });

  it('recognises a context-length error and does not retry it', async () => {
    const server = await serve([contextLengthError(), say('unreachable')]);
    const err = await failure(createTeacher(config([server.url])).complete(TASK, []));
    assert.equal(err.kind, 'context-length');
    assert.equal(err.status, 400);
    assert.match(err.message, /maximum context length is 32768 tokens/);
    assertOneSentence(err.message);
    assert.equal(server.chats.length, 1);
  });

  it('recognises context-length errors in the older vLLM error body and in plain text', async () => {
    const server = await serve([
      { status: 400, body: { object: 'error', message: 'This model\'s maximum context length is 4096 tokens.', type: 'BadRequestError', code: 400 } },
      { status: 400, body: 'the request exceeds the available context size, try increasing it' },
    ]);
    const teacher = createTeacher(config([server.url]));
    assert.equal((await failure(teacher.complete(TASK, []))).kind, 'context-length');
    assert.equal((await failure(teacher.complete(TASK, []))).kind, 'context-length');
  });

  it('handles an error event in the middle of a stream: context length ends, others are retried', async () => {
    const server = await serve([
      say('partial', { streamError: 'prompt is too long for this model' }),
      say('partial', { streamError: 'engine crashed' }),
      say('ok'),
    ]);
    const teacher = createTeacher(config([server.url], { stream: true }));
    const err = await failure(teacher.complete(TASK, []));
    assert.equal(err.kind, 'context-length');
    const answer = await teacher.complete(TASK, []);
    assert.equal(answer.message.content, 'ok');
    assert.equal(answer.attempts, 2);
  });

  it('retries a stream that is cut off without a finish reason, and a body that is not JSON', async () => {
    const server = await serve([
      { status: 200, body: 'data: {"id":"x","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"par"},"finish_reason":null}]}\n\n', headers: { 'content-type': 'text/event-stream' } },
      { status: 200, body: 'data: not json\n\n', headers: { 'content-type': 'text/event-stream' } },
      say('ok'),
    ]);
    const answer = await createTeacher(config([server.url], { stream: true })).complete(TASK, []);
    assert.equal(answer.message.content, 'ok');
    assert.equal(answer.attempts, 3);
    const single = await serve([{ status: 200, body: 'data: not json\n\n', headers: { 'content-type': 'text/event-stream' } }]);
    const err = await failure(createTeacher(config([single.url], { stream: true, maxRetries: 0 })).complete(TASK, []));
    assert.equal(err.kind, 'server');
    assert.match(err.message, /not valid JSON/);
  });

  it('keeps other 400s as bad-request with the server detail', async () => {
    const server = await serve([httpError(400, 'temperature must be at most 2')]);
    const err = await failure(createTeacher(config([server.url])).complete(TASK, []));
    assert.equal(err.kind, 'bad-request');
    assert.equal(err.message, `${server.url} rejected the request (400: temperature must be at most 2)`);
  });

  it('never puts the API key in any error message', async () => {
    const echo = (status: number) => httpError(status, `bad request from key ${KEY}`);
    const server = await serve([echo(400), echo(500), echo(403), contextLengthError()]);
    const teacher = createTeacher(config([server.url], { apiKey: KEY, maxRetries: 0 }));
    const dead = createTeacher(config([await deadUrl()], { apiKey: KEY, maxRetries: 0 }));
    const slow = await serve(() => hang());
    const timeout = createTeacher(config([slow.url], { apiKey: KEY, maxRetries: 0, timeoutMs: 50 }));
    const errors = [
      await failure(teacher.complete(TASK, [])),
      await failure(teacher.complete(TASK, [])),
      await failure(teacher.complete(TASK, [])),
      await failure(teacher.complete(TASK, [])),
      await failure(dead.complete(TASK, [])),
      await failure(timeout.complete(TASK, [])),
    ];
    assert.deepEqual(
      errors.map((e) => e.kind),
      ['bad-request', 'server', 'auth', 'context-length', 'unreachable', 'timeout'],
    );
    for (const e of errors) {
      assert.ok(!e.message.includes(KEY), e.message);
      assert.ok(!String(e.stack).includes(KEY));
      assertOneSentence(e.message);
    }
    assert.match(errors[0].message, /key \*\*\*/);
  });

  it('cancels a request in flight and closes its connection', async () => {
    const server = await serve(() => hang());
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 100);
    const err = await failure(createTeacher(config([server.url], { timeoutMs: 10_000 })).complete(TASK, [], controller.signal));
    assert.equal(err.kind, 'cancelled');
    assert.ok(Date.now() - started < 1000);
    assert.equal(server.chats.length, 1, 'no retry after a cancel');
    await waitFor(() => server.aborted === 1);
  });

  it('cancels a streamed request in flight', async () => {
    const server = await serve(() => say('x', { stall: true }));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const err = await failure(createTeacher(config([server.url], { stream: true, timeoutMs: 10_000 })).complete(TASK, [], controller.signal));
    assert.equal(err.kind, 'cancelled');
  });

  it('cancels during a backoff sleep and before a call starts', async () => {
    const server = await serve(() => httpError(503));
    const controller = new AbortController();
    const teacher = createTeacher(config([server.url], { retryBaseMs: 10_000, retryMaxMs: 10_000 }));
    const started = Date.now();
    setTimeout(() => controller.abort(), 100);
    const err = await failure(teacher.complete(TASK, [], controller.signal));
    assert.equal(err.kind, 'cancelled');
    assert.ok(Date.now() - started < 1000);
    assert.equal(server.chats.length, 1);
    assert.equal((await failure(teacher.complete(TASK, [], controller.signal))).kind, 'cancelled');
    assert.equal(server.chats.length, 1);
  });

  it('succeeds with one dead endpoint among several and sets the dead one aside', async () => {
    const dead = await deadUrl();
    const a = await serve(() => say('from a'));
    const b = await serve(() => say('from b'));
    const teacher = createTeacher(config([dead, a.url, b.url], { endpointFailureLimit: 1, endpointCooldownMs: 60_000, maxRetries: 2 }));
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await teacher.complete(TASK, []));
    assert.ok(answers.every((x) => x.endpoint !== dead));
    // Only the first call can have met the dead endpoint; afterwards it is set aside.
    assert.ok(answers.slice(1).every((x) => x.attempts === 1));
    assert.ok(answers[0].attempts <= 2);
    // The live endpoints share the work.
    assert.ok(a.chats.length >= 2 && b.chats.length >= 2, `a=${a.chats.length} b=${b.chats.length}`);
  });

  it('fails over at once to a healthy endpoint after a connection failure', async () => {
    const dead = await deadUrl();
    const live = await serve(() => say('ok'));
    const teacher = createTeacher(config([dead, live.url], { retryBaseMs: 5000, retryMaxMs: 5000 }));
    const started = Date.now();
    for (let i = 0; i < 3; i++) assert.equal((await teacher.complete(TASK, [])).endpoint, live.url);
    assert.ok(Date.now() - started < 1000, 'no backoff wait when another endpoint is healthy');
  });

  it('reports unreachable with the reason when the only endpoint is down', async () => {
    const dead = await deadUrl();
    const err = await failure(createTeacher(config([dead], { maxRetries: 1 })).complete(TASK, []));
    assert.equal(err.kind, 'unreachable');
    assert.equal(err.message, `could not reach ${dead} (connection refused); check that the server is running and the base URL is right`);
  });

  it('spreads concurrent requests over the endpoints', async () => {
    const a = await serve(() => say('a', { delayMs: 50 }));
    const b = await serve(() => say('b', { delayMs: 50 }));
    const teacher = createTeacher(config([a.url, b.url]));
    await Promise.all(Array.from({ length: 6 }, () => teacher.complete(TASK, [])));
    assert.equal(a.chats.length, 3);
    assert.equal(b.chats.length, 3);
  });
});

async function waitFor(condition: () => boolean, ms = 1000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) assert.fail('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
