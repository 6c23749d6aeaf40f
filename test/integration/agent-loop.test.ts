import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runAgent } from '../../src/core/agent';
import { SandboxPool } from '../../src/core/sandbox';
import { createTeacher } from '../../src/core/teacher';
import { makeRepo, type FixtureRepo } from '../support/fixture-repo';
import { contextLengthError, hang, hermesText, httpError, say, toolCall, toolCalls, useScriptedTeachers, xmlText } from '../support/scripted-teacher';

const serve = useScriptedTeachers();

const SOURCE = `def total(items):
    """Sum the prices of items."""
    result = 0
    for item in items:
        result += item.price
    return result
`;

let repo: FixtureRepo;
let pool: SandboxPool;
let scratch: string;

before(async () => {
  repo = await makeRepo({ 'shop/cart.py': SOURCE, 'README.md': '# shop\n' });
  pool = await SandboxPool.create({ repoRoot: repo.root, mode: 'host' });
  scratch = mkdtempSync(join(tmpdir(), 'agent-loop-'));
});

after(async () => {
  await pool.dispose();
  await repo.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

const FIX = { command: 'str_replace', path: '/testbed/shop/cart.py', old_str: '    result = 0\n', new_str: '    if items is None:\n        return 0\n    result = 0\n' };

async function rollout(script: Parameters<typeof serve>[0], limits = {}, extra: { signal?: AbortSignal; timeoutMs?: number } = {}) {
  const server = await serve(script);
  const teacher = createTeacher({ baseUrls: [server.url], model: 'test-model', timeoutMs: extra.timeoutMs ?? 10_000, maxRetries: 0 });
  const copy = await pool.acquire();
  try {
    const result = await runAgent({ task: 'Handle a missing list of items in `total`.', teacher, sandbox: copy, limits, signal: extra.signal });
    return { result, server, copyRoot: copy.root };
  } finally {
    await copy.release();
  }
}

describe('agent loop', () => {
  test('a clean edit and submit: review on the first submit, final on the second', async () => {
    const { result, server, copyRoot } = await rollout([
      toolCall('str_replace_editor', { command: 'view', path: '/testbed/shop/cart.py' }),
      toolCall('str_replace_editor', FIX),
      toolCall('submit', {}),
      toolCall('submit', {}),
    ]);
    assert.equal(result.exit.status, 'submitted');
    assert.equal(result.steps, 4);
    assert.match(result.patch, /^\+    if items is None:$/m);
    assert.match(result.patch, /^diff --git a\/shop\/cart.py b\/shop\/cart.py$/m);
    // The first submit shows the diff and asks for a clean-up.
    const review = result.trajectory.messages.filter((m) => m.role === 'tool')[2];
    assert.match(review.content ?? '', /review your change/);
    assert.match(review.content ?? '', /\+    if items is None:/);
    // The view shows cat -n numbered lines.
    assert.match(result.trajectory.messages.filter((m) => m.role === 'tool')[0].content ?? '', /^\s+1\tdef total\(items\):$/m);
    // Every tool call got exactly one tool answer with its id.
    const callIds = result.trajectory.messages.flatMap((m) => m.tool_calls?.map((c) => c.id) ?? []);
    const answered = result.trajectory.messages.filter((m) => m.role === 'tool').map((m) => m.tool_call_id);
    assert.deepEqual(answered, callIds);
    // The teacher got the SWE-agent tools, and never the copy's real path.
    const tools = server.chats[0].body.tools!.map((t) => t.function.name).sort();
    assert.deepEqual(tools, ['bash', 'str_replace_editor', 'submit']);
    for (const req of server.chats) assert.ok(!JSON.stringify(req.body).includes(copyRoot), 'real path reached the teacher');
    // The trajectory returned is the final one, with per-step usage and timing.
    const saved = result.trajectory;
    assert.equal(saved.exit?.status, 'submitted');
    assert.equal(saved.steps.length, 4);
    assert.ok(saved.steps.every((s) => s.promptTokens > 0 && s.teacherMs >= 0));
    assert.ok(!JSON.stringify(saved).includes(repo.root));
  });

  test('tool calls written as text, in hermes and XML form, are executed', async () => {
    const { result } = await rollout([
      say(`Let me look.\n${hermesText('str_replace_editor', { command: 'view', path: '/testbed/shop/cart.py', view_range: [1, 2] })}`),
      say(xmlText('str_replace_editor', FIX)),
      say(hermesText('submit', {})),
      say(xmlText('submit', {})),
    ]);
    assert.equal(result.exit.status, 'submitted');
    const observations = result.trajectory.messages.filter((m) => m.role === 'tool').map((m) => m.content ?? '');
    assert.match(observations[0], /lines 1-2/);
    assert.match(result.patch, /if items is None/);
  });

  test('recoverable problems go back to the model as observations', async () => {
    const { result } = await rollout([
      toolCall('str_replace_editor', '{"command": "view", "path": '),
      say('I think I am done.'),
      toolCall('launch_rockets', { count: 3 }),
      toolCall('str_replace_editor', { command: 'view', path: '/etc/passwd' }),
      toolCall('str_replace_editor', { command: 'view', path: '/testbed/../../etc/passwd' }),
      toolCall('str_replace_editor', { command: 'str_replace', path: '/testbed/shop/cart.py', old_str: 'nope', new_str: 'x' }),
      toolCall('str_replace_editor', { command: 'create', path: '/testbed/shop/cart.py', file_text: 'x' }),
      toolCall('bash', { command: 'echo failing >&2; exit 3' }),
      toolCalls([
        { name: 'submit', arguments: {} },
        { name: 'submit', arguments: {} },
      ]),
    ]);
    assert.equal(result.exit.status, 'submitted');
    const texts = result.trajectory.messages.filter((m) => m.role === 'tool' || m.role === 'user').map((m) => m.content ?? '');
    assert.ok(texts.some((t) => /not a JSON object/.test(t)), 'malformed arguments');
    assert.ok(texts.some((t) => /had no tool call/.test(t)), 'no tool call');
    assert.ok(texts.some((t) => /no tool named "launch_rockets"/.test(t)), 'unknown tool');
    assert.equal(texts.filter((t) => /outside|escape|not inside|refused/i.test(t)).length >= 2, true, 'jail refusals');
    assert.ok(texts.some((t) => /old_str was not found/.test(t)));
    assert.ok(texts.some((t) => /already exists/.test(t)));
    assert.ok(texts.some((t) => /failing[\s\S]*\[exit code 3\]/.test(t)), 'failing command');
    // Both submits in one reply: the second one is final, after the review.
    assert.equal(result.patch.trim(), '');
  });

  test('the step limit ends a rollout that never submits', async () => {
    const { result } = await rollout(() => toolCall('bash', { command: 'true' }), { maxSteps: 3 });
    assert.equal(result.exit.status, 'step-limit');
    assert.equal(result.steps, 3);
  });

  test('the token budget ends the rollout', async () => {
    const { result } = await rollout(() => toolCall('bash', { command: 'true' }, { usage: { prompt_tokens: 600, completion_tokens: 10 } }), { maxTokens: 1500 });
    assert.equal(result.exit.status, 'token-budget');
    assert.equal(result.steps, 3);
  });

  test('a context-length error ends the rollout with its own status', async () => {
    const { result } = await rollout([toolCall('bash', { command: 'ls' }), contextLengthError()]);
    assert.equal(result.exit.status, 'context-length');
  });

  test('a rejected API key ends the rollout with a one-sentence teacher error', async () => {
    const { result } = await rollout([httpError(401, 'Incorrect API key provided')]);
    assert.equal(result.exit.status, 'teacher-error');
    assert.match(result.exit.reason ?? '', /asks for an API key/);
    assert.equal(result.exit.reason?.split('. ').length, 1);
  });

  test('cancellation stops a rollout waiting on the teacher', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const { result } = await rollout([toolCall('bash', { command: 'ls' }), hang()], {}, { signal: controller.signal });
    assert.equal(result.exit.status, 'cancelled');
  });

  test('a command that runs too long is stopped and reported', async () => {
    const { result } = await rollout([toolCall('bash', { command: 'sleep 30' }), toolCall('submit', {}), toolCall('submit', {})], { commandTimeoutMs: 500 });
    assert.equal(result.exit.status, 'submitted');
    const observation = result.trajectory.messages.find((m) => m.role === 'tool')?.content ?? '';
    assert.match(observation, /timed out/);
  });

  test('long outputs are clipped with a marker', async () => {
    const { result } = await rollout([toolCall('bash', { command: 'seq 1 20000' }), toolCall('submit', {}), toolCall('submit', {})], { maxObservationChars: 2000 });
    const observation = result.trajectory.messages.find((m) => m.role === 'tool')?.content ?? '';
    assert.ok(observation.length < 2200);
    assert.match(observation, /\[output clipped: \d+ characters omitted\]/);
    assert.match(observation, /^1\n2\n/);
    assert.match(observation, /20000\n?$/);
  });

  test('with the sandbox off, no bash tool is offered', async () => {
    const offPool = await SandboxPool.create({ repoRoot: repo.root, mode: 'off' });
    const server = await serve([toolCall('bash', { command: 'ls' }), toolCall('submit', {}), toolCall('submit', {})]);
    const copy = await offPool.acquire();
    try {
      const result = await runAgent({ task: 't', teacher: createTeacher({ baseUrls: [server.url], model: 'test-model', maxRetries: 0 }), sandbox: copy });
      assert.deepEqual(server.chats[0].body.tools!.map((t) => t.function.name).sort(), ['str_replace_editor', 'submit']);
      assert.match(result.trajectory.messages.find((m) => m.role === 'tool')?.content ?? '', /no tool named "bash"/);
    } finally {
      await copy.release();
      await offPool.dispose();
    }
  });

});
