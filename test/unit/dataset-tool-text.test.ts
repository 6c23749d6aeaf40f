import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { agentTools } from '../../src/core/agent/tool-specs';
import { parseAssistantText, pythonJson, renderAssistantText, type CallStyle, type TextCall } from '../../src/core/dataset';
import { parseTextToolCalls } from '../../src/core/teacher';

const tools = agentTools(true);

/** Arguments that tend to break text forms: newlines at the edges, tags, quotes, unicode, numbers and lists. */
const TRICKY: TextCall[] = [
  { name: 'bash', arguments: { command: 'grep -rn "def parse" /testbed/src | head -20' } },
  { name: 'str_replace_editor', arguments: { command: 'view', path: '/testbed/app.py', view_range: [10, -1] } },
  { name: 'str_replace_editor', arguments: { command: 'insert', path: '/testbed/a.py', insert_line: 0, new_str: '\n\nimport os\n' } },
  { name: 'str_replace_editor', arguments: { command: 'str_replace', path: '/testbed/t.xml', old_str: '<tool_call>\n</parameter>', new_str: '  "quoted" \\ back\tslash — ünïcode 🚀\n' } },
  { name: 'str_replace_editor', arguments: { command: 'create', path: '/testbed/x.txt', file_text: '' } },
  { name: 'submit', arguments: {} },
];

describe('text-form tool calls', () => {
  for (const style of ['hermes', 'xml'] as CallStyle[]) {
    it(`${style}: every call reads back to the same name and arguments, with the text before it`, () => {
      for (const text of ['', 'Let me look at the parser first.', 'Two lines\nof thought.\n']) {
        const content = renderAssistantText(text, TRICKY, style);
        const back = parseAssistantText(content, style, tools);
        assert.equal(back.text, text);
        assert.deepEqual(back.calls, TRICKY);
      }
    });

    it(`${style}: the agent's own text tool-call parser reads the rendered calls the same way`, () => {
      // Its lazy matching stops at a literal closing tag inside a value, so those calls are left out here.
      const plain = TRICKY.filter((c) => !JSON.stringify(c).includes('</'));
      const content = renderAssistantText('Checking.', plain, style);
      const parsed = parseTextToolCalls(content, tools);
      assert.deepEqual(
        parsed.calls.map((c) => ({ name: c.function.name, arguments: JSON.parse(c.function.arguments) as unknown })),
        plain,
      );
    });
  }

  it('hermes blocks hold one line of JSON in the spacing Hugging Face chat templates produce', () => {
    const content = renderAssistantText('', [{ name: 'bash', arguments: { command: 'ls -la' } }], 'hermes');
    assert.equal(content, '<tool_call>\n{"name": "bash", "arguments": {"command": "ls -la"}}\n</tool_call>');
    assert.equal(pythonJson({ a: [1, { b: null }], c: 'x' }), '{"a": [1, {"b": null}], "c": "x"}');
  });

  it('xml blocks put each parameter on its own lines, strings raw and other types as JSON', () => {
    const content = renderAssistantText('', [{ name: 'str_replace_editor', arguments: { command: 'view', path: '/testbed/a.py', view_range: [1, 5] } }], 'xml');
    assert.equal(
      content,
      '<tool_call>\n<function=str_replace_editor>\n<parameter=command>\nview\n</parameter>\n<parameter=path>\n/testbed/a.py\n</parameter>\n<parameter=view_range>\n[1, 5]\n</parameter>\n</function>\n</tool_call>',
    );
  });

  it('a value that cannot be told apart from the framing is detected rather than silently changed', () => {
    // A string that looks like the end of a parameter followed by another one.
    const call = { name: 'str_replace_editor', arguments: { command: 'create', path: '/testbed/a', file_text: 'x\n</parameter>\n<parameter=y>\nz' } };
    const back = parseAssistantText(renderAssistantText('', [call], 'xml'), 'xml', tools);
    assert.notDeepEqual(back.calls, [call]);
  });
});
