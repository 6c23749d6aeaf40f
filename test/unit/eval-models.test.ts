import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { apiKeyFor, checkLabels, EvalError, parseModelSpec } from '../../src/core/eval';

describe('--model NAME@URL', () => {
  test('names, labels and several endpoints are read; anything else is refused with the form to use', () => {
    assert.deepEqual(parseModelSpec('qwen2.5-coder:7b@http://localhost:11434/v1/'), { label: 'qwen2.5-coder:7b', model: 'qwen2.5-coder:7b', baseUrls: ['http://localhost:11434/v1'] });
    assert.deepEqual(parseModelSpec('student=Org/Model-7B@http://a:8000/v1,http://b:8000/v1'), { label: 'student', model: 'Org/Model-7B', baseUrls: ['http://a:8000/v1', 'http://b:8000/v1'] });
    for (const bad of ['just-a-name', '@http://x/v1', 'm@ftp://x', 'm@http://x/v1,nonsense']) {
      assert.throws(() => parseModelSpec(bad), (e: Error) => e instanceof EvalError && /NAME@URL|not an http/.test(e.message), bad);
    }
    assert.throws(() => checkLabels([parseModelSpec('m@http://a/v1'), parseModelSpec('m@http://b/v1')]), /LABEL=NAME@URL/);
    assert.throws(() => checkLabels([]), /at least one model/);
  });

  test("each label may have its own key, else the shared one", () => {
    const env = { SPECIALIZE_API_KEY: 'shared', SPECIALIZE_API_KEY_OPENAI_4O: 'own' };
    assert.equal(apiKeyFor('openai-4o', env), 'own');
    assert.equal(apiKeyFor('student', env), 'shared');
    assert.equal(apiKeyFor('student', {}), undefined);
  });
});
