import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTeacher, type ChatMessage, type TeacherConfig, type ToolSpec } from '../../src/core/teacher';
import {
  hermesText,
  say,
  useScriptedTeachers,
  toolCall,
  toolCalls,
  xmlText,
  type ScriptedTeacher,
} from '../support/scripted-teacher';

const TOOLS: ToolSpec[] = [
  {
    type: 'function',
    function: {
      name: 'bash',
      description: 'Run a command.',
      parameters: { type: 'object', properties: { command: { type: 'string' } }, required: ['command'] },
    },
  },
  {
    type: 'function',
    function: {
      name: 'str_replace_editor',
      description: 'View and edit files.',
      parameters: {
        type: 'object',
        properties: {
          command: { type: 'string' },
          path: { type: 'string' },
          view_range: { type: 'array', items: { type: 'integer' } },
          file_text: { type: 'string' },
        },
        required: ['command', 'path'],
      },
    },
  },
];
const TASK: ChatMessage[] = [
  { role: 'system', content: 'You fix bugs.' },
  { role: 'user', content: 'Fix the bug in parse().' },
];

const serve = useScriptedTeachers();

function config(server: ScriptedTeacher, extra: Partial<TeacherConfig> = {}): TeacherConfig {
  return { baseUrls: [server.url], model: 'test-model', timeoutMs: 5000, retryBaseMs: 10, ...extra };
}

describe('teacher client over HTTP', () => {
  it('returns a native tool call with usage, timing and the endpoint that answered', async () => {
    const server = await serve([toolCall('bash', { command: 'ls -la' }, { usage: { prompt_tokens: 120, completion_tokens: 17 } })]);
    const teacher = createTeacher(config(server));
    const answer = await teacher.complete(TASK, TOOLS);
    assert.equal(answer.toolCallSource, 'native');
    assert.equal(answer.message.role, 'assistant');
    assert.equal(answer.message.content, null);
    assert.equal(answer.message.tool_calls?.length, 1);
    const call = answer.message.tool_calls![0];
    assert.equal(call.type, 'function');
    assert.equal(call.id, 'call_0_0');
    assert.equal(call.function.name, 'bash');
    assert.deepEqual(JSON.parse(call.function.arguments), { command: 'ls -la' });
    assert.deepEqual(answer.usage, { promptTokens: 120, completionTokens: 17, estimated: false });
    assert.equal(answer.finishReason, 'tool_calls');
    assert.equal(answer.endpoint, server.url);
    assert.equal(answer.attempts, 1);
    assert.ok(answer.ms >= 0 && answer.ms < 5000);
  });

  it('sends the model, messages, tools, temperature, max tokens, extra body fields and headers', async () => {
    const server = await serve([say('ok')]);
    const teacher = createTeacher(
      config(server, {
        apiKey: 'sk-test-123456',
        maxTokens: 512,
        extraBody: { top_k: 20, chat_template_kwargs: { enable_thinking: false } },
        extraHeaders: { 'x-team': 'svg' },
      }),
    );
    const history: ChatMessage[] = [
      ...TASK,
      {
        role: 'assistant',
        content: null,
        reasoning_content: 'I should look around first.',
        tool_calls: [{ id: 'call_a', type: 'function', function: { name: 'bash', arguments: '{"command":"ls"}' } }],
      },
      { role: 'tool', tool_call_id: 'call_a', content: 'README.md\nsrc' },
    ];
    await teacher.complete(history, TOOLS);
    const [req] = server.chats;
    assert.equal(req.body.model, 'test-model');
    assert.equal(req.body.temperature, 0.6);
    assert.equal(req.body.max_tokens, 512);
    assert.equal(req.body.top_k, 20);
    assert.deepEqual(req.body.chat_template_kwargs, { enable_thinking: false });
    assert.equal(req.body.stream, undefined);
    assert.deepEqual(req.body.tools, TOOLS);
    assert.equal(req.headers['x-team'], 'svg');
    assert.equal(req.headers.authorization, 'Bearer sk-test-123456');
    const sent = req.body.messages!;
    assert.equal(sent.length, 4);
    assert.equal(sent[2].content, '', 'null content goes out as an empty string');
    assert.equal(sent[2].reasoning_content, undefined, 'reasoning stays out of the prompt');
    assert.deepEqual(sent[2].tool_calls, history[2].tool_calls);
    assert.equal(sent[3].tool_call_id, 'call_a');
  });

  it('sends a dummy key to local servers and leaves tools out when there are none', async () => {
    const server = await serve([say('hi')]);
    await createTeacher(config(server, { temperature: 0 })).complete(TASK, []);
    const [req] = server.chats;
    assert.equal(req.headers.authorization, 'Bearer none');
    assert.equal(req.body.temperature, 0);
    assert.equal('tools' in req.body, false);
  });

  it('reads hermes tool calls from the content, several of them, keeping the text around them', async () => {
    const content = `I will look first.\n${hermesText('bash', { command: 'ls' })}\n${hermesText('str_replace_editor', { command: 'view', path: '/testbed/a.py' })}`;
    const server = await serve([say(content)]);
    const answer = await createTeacher(config(server)).complete(TASK, TOOLS);
    assert.equal(answer.toolCallSource, 'text');
    assert.equal(answer.message.content, 'I will look first.');
    const calls = answer.message.tool_calls!;
    assert.deepEqual(
      calls.map((c) => [c.function.name, JSON.parse(c.function.arguments)]),
      [
        ['bash', { command: 'ls' }],
        ['str_replace_editor', { command: 'view', path: '/testbed/a.py' }],
      ],
    );
    assert.notEqual(calls[0].id, calls[1].id);
    assert.match(calls[0].id, /^call_/);
  });

  it('reads XML tool calls from the content and types values by the tool schema', async () => {
    const content = xmlText('str_replace_editor', { command: 'view', path: '/testbed/a.py', view_range: [3, 9] });
    const server = await serve([say(content)]);
    const answer = await createTeacher(config(server)).complete(TASK, TOOLS);
    assert.equal(answer.toolCallSource, 'text');
    assert.equal(answer.message.content, null);
    const [call] = answer.message.tool_calls!;
    assert.equal(call.function.name, 'str_replace_editor');
    assert.deepEqual(JSON.parse(call.function.arguments), { command: 'view', path: '/testbed/a.py', view_range: [3, 9] });
  });

  it('keeps malformed arguments as the model wrote them, natively and as text, without throwing', async () => {
    const broken = '{"command": "ls -la", ';
    const server = await serve([
      toolCall('bash', broken),
      say('<tool_call>\n{"name": "bash", "arguments": {"command": "echo "hi""}}\n</tool_call>'),
    ]);
    const teacher = createTeacher(config(server));
    const native = await teacher.complete(TASK, TOOLS);
    assert.equal(native.message.tool_calls![0].function.arguments, broken);
    assert.equal(native.message.tool_calls![0].function.name, 'bash');
    const text = await teacher.complete(TASK, TOOLS);
    assert.equal(text.toolCallSource, 'text');
    const [call] = text.message.tool_calls!;
    assert.equal(call.function.name, 'bash');
    assert.equal(call.function.arguments, '{"name": "bash", "arguments": {"command": "echo "hi""}}');
    assert.throws(() => JSON.parse(call.function.arguments));
  });

  it('keeps reasoning from the reasoning field and from <think> blocks', async () => {
    const server = await serve([
      toolCall('bash', { command: 'pytest' }, { message: { reasoning_content: 'Tests first.' } }),
      say(`<think>\nThe bug is an off-by-one.\n</think>\n\n${hermesText('bash', { command: 'cat a.py' })}`),
    ]);
    const teacher = createTeacher(config(server));
    const first = await teacher.complete(TASK, TOOLS);
    assert.equal(first.message.reasoning_content, 'Tests first.');
    const second = await teacher.complete(TASK, TOOLS);
    assert.equal(second.message.reasoning_content, 'The bug is an off-by-one.');
    assert.equal(second.message.content, null);
    assert.equal(second.toolCallSource, 'text');
    assert.deepEqual(JSON.parse(second.message.tool_calls![0].function.arguments), { command: 'cat a.py' });
  });

  it('estimates usage when the server sends none', async () => {
    const server = await serve([say('A fairly long answer that explains the change in some detail.', { usage: null })]);
    const answer = await createTeacher(config(server)).complete(TASK, TOOLS);
    assert.equal(answer.usage.estimated, true);
    assert.ok(answer.usage.promptTokens > 20, `prompt ${answer.usage.promptTokens}`);
    assert.ok(answer.usage.completionTokens >= 10 && answer.usage.completionTokens <= 30, `completion ${answer.usage.completionTokens}`);
  });

  it('accumulates a streamed answer: reasoning, text, several tool calls in fragments, and usage from the last chunk', async () => {
    const server = await serve([
      toolCalls(
        [
          { name: 'str_replace_editor', arguments: { command: 'create', path: '/testbed/new.py', file_text: 'def f():\n    return "ünïcode"\n' } },
          { name: 'bash', arguments: { command: 'python new.py' } },
        ],
        { message: { content: 'Creating the file.', reasoning_content: 'A new helper is simplest.' }, usage: { prompt_tokens: 300, completion_tokens: 45 } },
      ),
    ]);
    const answer = await createTeacher(config(server, { stream: true })).complete(TASK, TOOLS);
    const [req] = server.chats;
    assert.equal(req.body.stream, true);
    assert.deepEqual(req.body.stream_options, { include_usage: true });
    assert.equal(answer.toolCallSource, 'native');
    assert.equal(answer.message.content, 'Creating the file.');
    assert.equal(answer.message.reasoning_content, 'A new helper is simplest.');
    assert.deepEqual(
      answer.message.tool_calls!.map((c) => [c.id, c.function.name, JSON.parse(c.function.arguments)]),
      [
        ['call_0_0', 'str_replace_editor', { command: 'create', path: '/testbed/new.py', file_text: 'def f():\n    return "ünïcode"\n' }],
        ['call_0_1', 'bash', { command: 'python new.py' }],
      ],
    );
    assert.deepEqual(answer.usage, { promptTokens: 300, completionTokens: 45, estimated: false });
    assert.equal(answer.finishReason, 'tool_calls');
  });

  it('streams text tool calls and estimates usage when the stream carries none', async () => {
    const server = await serve([say(`<think>plan</think>${xmlText('bash', { command: 'ls' })}`, { usage: null })]);
    const answer = await createTeacher(config(server, { stream: true })).complete(TASK, TOOLS);
    assert.equal(answer.toolCallSource, 'text');
    assert.equal(answer.message.reasoning_content, 'plan');
    assert.deepEqual(JSON.parse(answer.message.tool_calls![0].function.arguments), { command: 'ls' });
    assert.equal(answer.usage.estimated, true);
  });

  it('returns plain text with no tool calls as source none', async () => {
    const server = await serve([say('I am done.')]);
    const answer = await createTeacher(config(server)).complete(TASK, TOOLS);
    assert.equal(answer.toolCallSource, 'none');
    assert.equal(answer.message.content, 'I am done.');
    assert.equal(answer.message.tool_calls, undefined);
    assert.equal(answer.finishReason, 'stop');
  });
});
