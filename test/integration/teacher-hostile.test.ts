import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTeacher, type ChatMessage, type ToolSpec } from '../../src/core/teacher';
import { TEXT_CALL_LIMITS } from '../../src/core/teacher/text-tool-calls';
import { say, toolCall, useScriptedTeachers, xmlText } from '../support/scripted-teacher';

// The teacher plays the attacker here: its answers are built to cost us time or to poison numbers.

const TOOLS: ToolSpec[] = [
  {
    type: 'function',
    function: { name: 'bash', description: 'Run a command.', parameters: { type: 'object', properties: { command: { type: 'string' } } } },
  },
];
const MESSAGES: ChatMessage[] = [{ role: 'user', content: 'Fix the bug.' }];
const serve = useScriptedTeachers();

describe('a hostile teacher', () => {
  it('sends 600 KB of unfinished <function= tags: the answer comes back as text, without tool calls', { timeout: 60_000 }, async () => {
    const flood = '<function='.repeat(60_000);
    const server = await serve([say(flood)]);
    const answer = await createTeacher({ baseUrls: [server.url], model: 'test-model' }).complete(MESSAGES, TOOLS);
    assert.equal(answer.toolCallSource, 'none');
    assert.equal(answer.message.content, flood);
  });

  it('sends 600 KB of tool calls in the text: at most TEXT_CALL_LIMITS.maxCalls are read, the rest stays text', { timeout: 60_000 }, async () => {
    const one = xmlText('bash', { command: 'sleep 120' });
    const server = await serve([say(one.repeat(Math.ceil(600_000 / one.length)))]);
    const answer = await createTeacher({ baseUrls: [server.url], model: 'test-model' }).complete(MESSAGES, TOOLS);
    assert.equal(answer.toolCallSource, 'text');
    assert.equal(answer.message.tool_calls?.length, TEXT_CALL_LIMITS.maxCalls);
    assert.ok((answer.message.content ?? '').length > 100_000, 'what was not read is kept as text');
  });

  it('sends token counts that are not counts (-5, 1e400, 1.5, "12", null): they are estimated, good ones kept', async () => {
    const bad = ['-5', '1e400', '1.5', '"12"', 'null', '9007199254740993'];
    for (const stream of [false, true]) {
      const script = [
        ...bad.map((n) => say('An answer of some length to estimate from.', { usageJson: `{"prompt_tokens": ${n}, "completion_tokens": ${n}}` })),
        say('Counted.', { usageJson: '{"prompt_tokens": 1e400, "completion_tokens": 7}' }),
        say('Counted.', { usageJson: '{"prompt_tokens": 40, "completion_tokens": 0}' }),
      ];
      const server = await serve(script);
      const teacher = createTeacher({ baseUrls: [server.url], model: 'test-model', stream });
      for (const n of bad) {
        const { usage } = await teacher.complete(MESSAGES, TOOLS);
        assert.equal(usage.estimated, true, `${n} (stream ${stream})`);
        for (const count of [usage.promptTokens, usage.completionTokens]) {
          assert.ok(Number.isSafeInteger(count) && count > 0 && count < 1000, `${n} became ${count}`);
        }
      }
      const half = await teacher.complete(MESSAGES, TOOLS);
      assert.equal(half.usage.completionTokens, 7, 'a good count beside a bad one is kept');
      assert.equal(half.usage.estimated, true);
      assert.ok(Number.isSafeInteger(half.usage.promptTokens));
      assert.deepEqual((await teacher.complete(MESSAGES, TOOLS)).usage, { promptTokens: 40, completionTokens: 0, estimated: false });
    }
  });

  it('echoes the API key and a custom auth header in text, reasoning and tool calls: none of it comes back', async () => {
    const key = 'sk-proj-Zq8wVt3Lm1Xc7Rb2Nd5Kp9Hs4Gf6Jy0';
    const header = 'tok-Ua7Qe2Wr9Ty4Io1Pz6';
    const echo = `I was called with ${key} and ${header}.`;
    const server = await serve([
      toolCall('bash', { command: `curl -H "Authorization: Bearer ${key}" x-token:${header}` }, { message: { content: echo, reasoning_content: `the key is ${key}` } }),
    ]);
    const teacher = createTeacher({ baseUrls: [server.url], model: 'test-model', apiKey: key, extraHeaders: { 'X-Auth-Token': header, 'X-Request-Source': 'tests-only' } });
    const answer = await teacher.complete(MESSAGES, TOOLS);
    const text = JSON.stringify(answer.message);
    assert.ok(!text.includes(key) && !text.includes(header), text);
    assert.match(answer.message.content ?? '', /called with <REDACTED:known-secret> and <REDACTED:known-secret>\./);
    assert.match(JSON.parse(answer.message.tool_calls![0].function.arguments).command, /Bearer <REDACTED:known-secret>/);
    assert.equal(server.chats[0].headers['x-request-source'], 'tests-only');
  });
});
