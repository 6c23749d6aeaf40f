import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimateTokens, isContextLengthMessage, parseTextToolCalls, splitThinking, type ToolSpec } from '../../src/core/teacher';
import { StreamAccumulator } from '../../src/core/teacher/stream';
import { TEXT_CALL_LIMITS } from '../../src/core/teacher/text-tool-calls';

const args = (r: ReturnType<typeof parseTextToolCalls>) => r.calls.map((c) => [c.function.name, c.function.arguments]);

describe('parseTextToolCalls', () => {
  it('reads hermes calls with object or string arguments, and "parameters" as a synonym', () => {
    const r = parseTextToolCalls(
      'Let me check.\n<tool_call>\n{"name": "bash", "arguments": {"command": "ls"}}\n</tool_call>\n' +
        '<tool_call>{"name": "bash", "arguments": "{\\"command\\": \\"pwd\\"}"}</tool_call>' +
        '<tool_call>{"name": "submit", "parameters": {}}</tool_call>',
    );
    assert.deepEqual(args(r), [
      ['bash', '{"command":"ls"}'],
      ['bash', '{"command": "pwd"}'],
      ['submit', '{}'],
    ]);
    assert.equal(r.text, 'Let me check.');
    assert.equal(new Set(r.calls.map((c) => c.id)).size, 3);
  });

  it('reads an unclosed hermes call at the end, a list of calls, and a fenced body', () => {
    assert.deepEqual(args(parseTextToolCalls('<tool_call>{"name": "bash", "arguments": {"command": "ls"}}')), [['bash', '{"command":"ls"}']]);
    assert.deepEqual(args(parseTextToolCalls('<tool_call>[{"name": "a", "arguments": {}}, {"name": "b", "arguments": {"x": 1}}]</tool_call>')), [
      ['a', '{}'],
      ['b', '{"x":1}'],
    ]);
    assert.deepEqual(args(parseTextToolCalls('<tool_call>\n```json\n{"name": "a", "arguments": {}}\n```\n</tool_call>')), [['a', '{}']]);
  });

  it('keeps broken JSON as the arguments and still finds the name when it can', () => {
    const r = parseTextToolCalls('<tool_call>{"name": "bash", "arguments": {"command": "ls"</tool_call>');
    assert.deepEqual(args(r), [['bash', '{"name": "bash", "arguments": {"command": "ls"']]);
    assert.deepEqual(args(parseTextToolCalls('<tool_call>not json at all</tool_call>')), [['', 'not json at all']]);
  });

  it('reads the XML form, bare or wrapped, several calls, keeping values verbatim apart from one framing newline', () => {
    const file = '  indented\n\nlast line';
    const r = parseTextToolCalls(
      `Editing.\n<tool_call>\n<function=str_replace_editor>\n<parameter=command>\ncreate\n</parameter>\n<parameter=path>\n/testbed/x.py\n</parameter>\n<parameter=file_text>\n${file}\n</parameter>\n</function>\n</tool_call>\n` +
        '<function=bash><parameter=command>ls</parameter></function>',
    );
    assert.deepEqual(
      r.calls.map((c) => [c.function.name, JSON.parse(c.function.arguments)]),
      [
        ['str_replace_editor', { command: 'create', path: '/testbed/x.py', file_text: file }],
        ['bash', { command: 'ls' }],
      ],
    );
    assert.equal(r.text, 'Editing.');
  });

  it('types XML values only by the schema: integers and arrays parse, strings never do', () => {
    const tools: ToolSpec[] = [
      {
        type: 'function',
        function: {
          name: 'edit',
          description: '',
          parameters: {
            type: 'object',
            properties: { insert_line: { type: 'integer' }, view_range: { type: 'array' }, new_str: { type: 'string' }, flag: { type: ['boolean', 'null'] } },
          },
        },
      },
    ];
    const text = '<function=edit><parameter=insert_line>12</parameter><parameter=view_range>[1, -1]</parameter><parameter=new_str>42</parameter><parameter=flag>true</parameter></function>';
    assert.deepEqual(JSON.parse(parseTextToolCalls(text, tools).calls[0].function.arguments), { insert_line: 12, view_range: [1, -1], new_str: '42', flag: true });
    assert.deepEqual(JSON.parse(parseTextToolCalls(text).calls[0].function.arguments), { insert_line: '12', view_range: '[1, -1]', new_str: '42', flag: 'true' });
  });

  it('tolerates a missing </parameter> or </function>', () => {
    const r = parseTextToolCalls('<function=bash>\n<parameter=command>\nls -la\n<parameter=timeout>\n5\n');
    assert.deepEqual(JSON.parse(r.calls[0].function.arguments), { command: 'ls -la', timeout: '5' });
  });

  it('leaves content without calls untouched', () => {
    const content = '  I think the fix is done.\n';
    assert.deepEqual(parseTextToolCalls(content), { calls: [], text: content });
  });

  // Runs of half-written tags: each made the regular expressions look at the rest of the text again.
  const HOSTILE_UNITS = [
    '<function=',
    '<tool_call>',
    '<tool_call><function=',
    '<function=x><parameter=',
    '<function=x><parameter=y',
    '<function=a b',
    '<tool_call>{"name": "a"',
    '<tool_call>```json' + ' '.repeat(40),
    '<function=x>\n<parameter=v>\n</function',
  ];

  it('looks at each character a bounded number of times, whatever the tags (linear work)', () => {
    for (const unit of HOSTILE_UNITS) {
      const ratios = [20_000, 80_000, 320_000].map((size) => {
        const work = { scanned: 0 };
        parseTextToolCalls(unit.repeat(Math.ceil(size / unit.length)), undefined, work);
        return work.scanned / size;
      });
      // Quadratic work would grow sixteenfold from the first size to the last; linear work stays flat.
      assert.ok(ratios.every((r) => r >= 0.9), `${JSON.stringify(unit)}: the count missed part of the text (${ratios.join(", ")})`);
      assert.ok(ratios.every((r) => r < 8), `${JSON.stringify(unit)}: ${ratios.map((r) => r.toFixed(2)).join(', ')} characters looked at per character`);
      assert.ok(ratios[2] < ratios[0] * 1.5 + 0.5, `${JSON.stringify(unit)} grows: ${ratios.join(', ')}`);
    }
  });

  it('searches at most the first TEXT_CALL_LIMITS.maxChars characters and reads at most maxCalls calls', () => {
    const call = '<function=bash><parameter=command>ls</parameter></function>';
    const many = parseTextToolCalls(call.repeat(TEXT_CALL_LIMITS.maxCalls + 50) + 'after');
    assert.equal(many.calls.length, TEXT_CALL_LIMITS.maxCalls);
    assert.ok(many.text.startsWith(call) && many.text.endsWith('after'), 'calls past the limit stay in the text');

    const work = { scanned: 0 };
    const late = parseTextToolCalls('x'.repeat(TEXT_CALL_LIMITS.maxChars) + call, undefined, work);
    assert.deepEqual(late.calls, []);
    assert.ok(work.scanned <= TEXT_CALL_LIMITS.maxChars * 2);
  });
});

describe('splitThinking', () => {
  it('separates <think> blocks from the answer', () => {
    assert.deepEqual(splitThinking('<think>\nstep one\n</think>\n\nThe answer.'), { reasoning: 'step one', text: 'The answer.' });
    assert.deepEqual(splitThinking('<think>a</think>x<think>b</think>y'), { reasoning: 'a\n\nb', text: 'xy' });
  });

  it('takes everything before a lone </think> as reasoning (the template ate the opening tag)', () => {
    assert.deepEqual(splitThinking('planning...\n</think>\nDone.'), { reasoning: 'planning...', text: 'Done.' });
  });

  it('treats an unclosed <think> as reasoning to the end, and leaves plain text untouched', () => {
    assert.deepEqual(splitThinking('Hi <think>still thinking'), { reasoning: 'still thinking', text: 'Hi' });
    assert.deepEqual(splitThinking('  plain  '), { text: '  plain  ' });
  });
});

describe('estimateTokens', () => {
  it('counts about four ASCII characters per token and one per other character', () => {
    assert.equal(estimateTokens(''), 0);
    assert.equal(estimateTokens('abcd'), 1);
    assert.equal(estimateTokens('abcde'), 2);
    assert.equal(estimateTokens('日本語'), 3);
    assert.equal(estimateTokens('😀'), 1);
    const code = 'def parse(text):\n    return [line.strip() for line in text.splitlines()]\n';
    assert.ok(estimateTokens(code) >= 15 && estimateTokens(code) <= 25);
  });
});

describe('isContextLengthMessage', () => {
  it('knows the phrasing of common servers', () => {
    for (const m of [
      "This model's maximum context length is 8192 tokens",
      'context_length_exceeded',
      'prompt is too long: 210000 tokens > 200000 maximum',
      'the request exceeds the available context size',
      'Input validation error: `inputs` tokens + `max_new_tokens` must be <= 4096',
      'too many tokens in the request',
    ]) {
      assert.ok(isContextLengthMessage(m), m);
    }
    assert.ok(!isContextLengthMessage('temperature must be at most 2'));
  });
});

describe('StreamAccumulator', () => {
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({ choices: [{ index: 0, delta, finish_reason: finish }] });

  it('joins fragments, keeps ids, and takes usage from a choice-less last chunk', () => {
    const acc = new StreamAccumulator();
    acc.add(chunk({ role: 'assistant', reasoning: 'hm' }));
    acc.add(chunk({ tool_calls: [{ index: 0, id: 'c1', function: { name: 'bash', arguments: '{"comm' } }] }));
    acc.add(chunk({ tool_calls: [{ index: 0, function: { arguments: 'and": "ls"}' } }] }));
    acc.add(chunk({ tool_calls: [{ index: 1, id: 'c2', function: { name: 'submit', arguments: { done: true } } }] }));
    assert.equal(acc.complete, false);
    acc.add(chunk({}, 'tool_calls'));
    acc.add({ choices: [], usage: { prompt_tokens: 5, completion_tokens: 7 } });
    assert.deepEqual(acc.finish(), {
      content: null,
      reasoning: 'hm',
      toolCalls: [
        { id: 'c1', name: 'bash', arguments: '{"command": "ls"}' },
        { id: 'c2', name: 'submit', arguments: '{"done":true}' },
      ],
      finishReason: 'tool_calls',
      usage: { prompt_tokens: 5, completion_tokens: 7 },
    });
  });

  it('copes with servers that omit the index or repeat the name', () => {
    const acc = new StreamAccumulator();
    acc.add(chunk({ tool_calls: [{ id: 'a', function: { name: 'bash', arguments: '{"x":' } }] }));
    acc.add(chunk({ tool_calls: [{ function: { name: 'bash', arguments: '1}' } }] }));
    acc.add(chunk({ tool_calls: [{ id: 'b', function: { name: 'submit', arguments: '' } }] }, 'tool_calls'));
    assert.deepEqual(
      acc.finish().toolCalls.map((c) => [c.id, c.name, c.arguments]),
      [
        ['a', 'bash', '{"x":1}'],
        ['b', 'submit', ''],
      ],
    );
  });
});
