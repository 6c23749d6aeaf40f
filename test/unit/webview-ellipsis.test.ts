import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ellipsizeName, ellipsizePath } from '../../webview/ellipsis';

// One unit per character: what fits is easy to see.
const chars = (s: string) => s.length;

describe('names cut in the middle for the sample list', () => {
  test('a path keeps its file name and loses folders first', () => {
    assert.equal(ellipsizePath('src/requests/sessions.py', 40, chars), 'src/requests/sessions.py');
    assert.equal(ellipsizePath('src/requests/sessions.py', 18, chars), 'src/r…/sessions.py');
    assert.equal(ellipsizePath('src/requests/sessions.py', 13, chars), '…/sessions.py');
    const tiny = ellipsizePath('src/requests/sessions.py', 8, chars);
    assert.ok(tiny.length <= 8 && tiny.includes('…') && tiny.endsWith('py'), tiny);
  });

  test('a qualified name keeps its own last part', () => {
    assert.equal(ellipsizeName('SessionRedirectMixin.resolve_redirects', 28, chars), 'SessionRe….resolve_redirects');
    assert.equal(ellipsizeName('helper', 3, chars).length <= 3, true);
    assert.equal(ellipsizeName('short', 10, chars), 'short');
  });

  test('the result always fits', () => {
    for (let max = 1; max < 40; max++) {
      assert.ok(ellipsizePath('a/very/long/folder/chain/to/the_file_name.py', max, chars).length <= Math.max(1, max));
      assert.ok(ellipsizeName('Outer.Inner.method_with_a_long_name', max, chars).length <= Math.max(1, max));
    }
  });
});
