import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { chunkEnd, countTokensWhole, TokenCounter, TOKENS_PER_MESSAGE } from '../../src/core/dataset/tokens';

const PROJECT = resolve(__dirname, '../..');

function sources(): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    if (!existsSync(d)) return;
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ts|js|py|md|json)$/.test(p) && out.length < 400) out.push(readFileSync(p, 'utf8'));
    }
  };
  walk(join(PROJECT, 'src'));
  walk(join(PROJECT, 'node_modules/openai/src/resources'));
  walk('/usr/lib/python3.11/email');
  return out;
}

describe('token counting', () => {
  it('counting line by line through the cache gives exactly the tokenizer\'s count for the whole text', () => {
    const counter = new TokenCounter();
    const texts = sources();
    assert.ok(texts.length > 100);
    for (const text of texts) assert.equal(counter.count(text), countTokensWhole(text));
    // And the second time, from the cache.
    for (const text of texts.slice(0, 50)) assert.equal(counter.count(text), countTokensWhole(text));
  });

  it('is exact where whitespace and newlines meet, for CRLF, tabs and unicode', () => {
    const cases = ['a\n\n   b', 'x\n   \ny', 'foo   \nbar', 'a\r\n  b\r\n\r\nc', '\n\n\nx', 'x\n\t\tfoo\n', 'a\n\u00a0b\n c', '    1\tdef f():\n    2\t    return 1\n    3\t\n    4\tx = 2', 'tail\n  ', 'end\n', 'emoji 🚀\n  ünïcode\n<|endoftext|>\n', "it's 'LL we'VE x'd\n", '1234567 89 0.5e10\n', 'a  \t b   \r\n\t\n  ', '  x  y\u3000z  \n'];
    for (const c of cases) {
      const text = c.repeat(30);
      assert.equal(new TokenCounter().count(text), countTokensWhole(text), JSON.stringify(c));
      assert.equal(new TokenCounter().count(c), countTokensWhole(c), `short: ${JSON.stringify(c)}`);
      const ends: number[] = [];
      for (let start = 0; start < text.length; start = ends[ends.length - 1]) ends.push(chunkEnd(text, start));
      assert.ok(ends.every((end, i) => end > (ends[i - 1] ?? 0)), 'every chunk holds text');
      assert.equal(ends[ends.length - 1], text.length);
    }
  });

  it('counts special-token text as text, and stops early past a limit', () => {
    assert.ok(countTokensWhole('<|endoftext|>') > 1);
    const counter = new TokenCounter();
    const messages = [['hello world'], ['x '.repeat(5000)], ['never counted']];
    const full = counter.countMessages(messages);
    assert.equal(full.perMessage.length, 3);
    assert.equal(full.perMessage[0], countTokensWhole('hello world') + TOKENS_PER_MESSAGE);
    const limited = counter.countMessages(messages, 100);
    assert.equal(limited.perMessage.length, 2);
    assert.ok(limited.total > 100);
  });
});
