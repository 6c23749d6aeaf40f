import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { changedLines, passesThreshold, scoreKeys, scoreOverlap } from '../../src/core/verify';

/** A one-file patch whose hunk header counts match its body lines (' ' context, '+' added, '-' removed). */
function patch(body: string[], file = 'm.py'): string {
  const old = body.filter((l) => l[0] !== '+').length;
  const neu = body.filter((l) => l[0] !== '-').length;
  return [`diff --git a/${file} b/${file}`, 'index 1111111..2222222 100644', `--- a/${file}`, `+++ b/${file}`, `@@ -1,${old} +1,${neu} @@`, ...body, ''].join('\n');
}

describe('scoreOverlap: recall, precision, F1', () => {
  const p1 = patch([' def f(x):', '-    return x', '+    if x is None:', '+        raise ValueError(x)', '+    return x + 1']);

  it('gives recall 1 when P2 reproduces every changed line, even inside a larger patch', () => {
    const p2 = patch([' def f(x):', '-    return x', '+    if x is None:', '+        raise ValueError(x)', '+    return x + 1', '+    # extra']);
    const s = scoreOverlap(p1, p2);
    assert.equal(s.recall, 1);
    assert.equal(s.matched, 4);
    assert.equal(s.p1Lines, 4);
    assert.equal(s.p2Lines, 5);
    assert.equal(s.precision, 4 / 5);
    assert.equal(s.f1, (2 * 4) / (4 + 5));
  });

  it('gives recall 0.5 when half the lines come back', () => {
    const p2 = patch([' def f(x):', '-    return x', '+    if x is None:', '+        raise TypeError(x)', '+    return x - 1']);
    const s = scoreOverlap(p1, p2);
    assert.equal(s.recall, 0.5);
    assert.equal(s.precision, 0.5);
    assert.equal(s.f1, 0.5);
    assert.ok(passesThreshold(s, 0.5), 'recall equal to the threshold passes');
    assert.ok(!passesThreshold(s, 0.51));
  });

  it('gives recall 0 when P2 edits something else entirely', () => {
    const s = scoreOverlap(p1, patch(['-import os', '+import sys'], 'other.py'));
    assert.equal(s.recall, 0);
    assert.equal(s.precision, 0);
    assert.equal(s.f1, 0);
    assert.equal(s.matched, 0);
  });

  it('gives no score (null) when P1 has no changed lines, and such a score never passes', () => {
    for (const empty of ['', patch([' only context']), patch(['+   ', '-\t'])]) {
      const s = scoreOverlap(empty, p1);
      assert.equal(s.recall, null);
      assert.equal(s.f1, null);
      assert.equal(s.p1Lines, 0);
      assert.equal(s.precision, 0, 'P2 lines exist but none can match');
      assert.equal(passesThreshold(s, 0), false);
    }
  });

  it('leaves precision null when P2 is empty, with recall 0 and F1 0', () => {
    const s = scoreOverlap(p1, '');
    assert.deepEqual([s.recall, s.precision, s.f1, s.p2Lines], [0, null, 0, 0]);
  });

  it('matches lines as a multiset: each P2 line claims at most one equal P1 line', () => {
    const three = patch(['+pass', '+pass', '+pass']);
    const one = patch(['+pass']);
    assert.equal(scoreOverlap(three, one).recall, 1 / 3);
    assert.equal(scoreOverlap(one, three).recall, 1);
    assert.equal(scoreOverlap(one, three).precision, 1 / 3);
    assert.equal(scoreOverlap(three, patch(['+pass', '+pass', '+pass', '+pass'])).matched, 3);
  });

  it('keeps the sign: an added line does not reproduce the same text removed', () => {
    const s = scoreOverlap(patch(['-x = 1']), patch(['+x = 1']));
    assert.equal(s.recall, 0);
  });

  it('drops changed lines that are empty or whitespace only', () => {
    const p = patch(['+', '+   ', '-\t', '+\u00a0', '+x = 1', ' ctx']);
    assert.deepEqual(changedLines(p).map((l) => l.sign + l.text), ['+x = 1']);
    assert.equal(scoreOverlap(p, patch(['+x = 1'])).recall, 1);
  });

  it('compares text exactly: indentation and trailing spaces are differences', () => {
    const p = patch(['+    x = 1']);
    assert.equal(scoreOverlap(p, patch(['+  x = 1'])).recall, 0);
    assert.equal(scoreOverlap(p, patch(['+    x = 1 '])).recall, 0);
    assert.equal(scoreOverlap(p, patch(['+\tx = 1'])).recall, 0);
    assert.equal(scoreOverlap(p, patch(['+    x = 1'])).recall, 1);
  });

  it('ignores file names: a line reproduced in another file still counts', () => {
    assert.equal(scoreOverlap(patch(['+retry = 3'], 'a.py'), patch(['+retry = 3'], 'b/c.py')).recall, 1);
  });
});

describe('scoreOverlap: the match map', () => {
  it('pairs each P2 line with the first unmatched equal P1 line, in order', () => {
    const p1 = patch(['-a', '+b', '+a', '+b', '+c']); // indices 0..4
    const p2 = patch(['+b', '+z', '+b', '+b', '-a', '+c']); // indices 0..5
    const s = scoreOverlap(p1, p2);
    assert.deepEqual(s.p1, [
      { index: 0, matchedBy: 4 },
      { index: 1, matchedBy: 0 },
      { index: 2, matchedBy: null },
      { index: 3, matchedBy: 2 },
      { index: 4, matchedBy: 5 },
    ]);
    assert.deepEqual(s.p2, [
      { index: 0, matches: 1 },
      { index: 1, matches: null },
      { index: 2, matches: 3 },
      { index: 3, matches: null },
      { index: 4, matches: 0 },
      { index: 5, matches: 4 },
    ]);
    assert.equal(s.matched, 4);
    // The indices are those of changedLines, so the UI can show the text next to the map.
    const lines = changedLines(p1);
    assert.deepEqual(lines.map((l) => l.index), [0, 1, 2, 3, 4]);
    assert.equal(lines[3].sign + lines[3].text, '+b');
  });

  it('pairs the same way with the hash map used for large patches as with the small-patch scan', () => {
    // 40 x 40 lines is above the scan limit; a prefix of 10 x 10 is below it.
    const rand = (() => {
      let a = 7;
      return () => ((a = (a * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    })();
    const key = () => ['+', '-'][Math.floor(rand() * 2)] + 'v' + Math.floor(rand() * 6);
    const k1 = Array.from({ length: 40 }, key);
    const k2 = Array.from({ length: 40 }, key);
    const large = scoreKeys(k1, k2);
    // The scan, applied by hand: first unmatched equal P1 line for each P2 line in turn.
    const used = new Set<number>();
    const expected = k2.map((k) => {
      const i = k1.findIndex((x, n) => x === k && !used.has(n));
      if (i === -1) return null;
      used.add(i);
      return i;
    });
    assert.deepEqual(large.p2.map((e) => e.matches), expected);
    const small = scoreKeys(k1.slice(0, 10), k2.slice(0, 10));
    const usedSmall = new Set<number>();
    const expectedSmall = k2.slice(0, 10).map((k) => {
      const i = k1.slice(0, 10).findIndex((x, n) => x === k && !usedSmall.has(n));
      if (i === -1) return null;
      usedSmall.add(i);
      return i;
    });
    assert.deepEqual(small.p2.map((e) => e.matches), expectedSmall);
  });

  it('accepts changed-line lists as well as patch text, with the same result', () => {
    const p1 = patch(['-a', '+b', '+c']);
    const p2 = patch(['+c', '+b']);
    assert.deepEqual(scoreOverlap(changedLines(p1), changedLines(p2)), scoreOverlap(p1, p2));
  });
});

describe('passesThreshold', () => {
  const withRecall = (matched: number, of: number) => scoreKeys(Array.from({ length: of }, (_, i) => `+${i}`), Array.from({ length: matched }, (_, i) => `+${i}`));

  it('threshold 1 is hard verification, 0 keeps everything that has a score', () => {
    assert.ok(passesThreshold(withRecall(5, 5), 1));
    assert.ok(!passesThreshold(withRecall(4, 5), 1));
    assert.ok(passesThreshold(withRecall(0, 5), 0));
    assert.ok(!passesThreshold(withRecall(0, 0), 0));
  });

  it('compares the ratio itself, so 7 of 100 passes at 0.07 despite floating point', () => {
    assert.ok(0.07 * 100 > 7, 'the trap this test guards against');
    assert.ok(passesThreshold(withRecall(7, 100), 0.07));
    assert.ok(passesThreshold(withRecall(7, 10), 0.7));
    assert.ok(passesThreshold(withRecall(1, 3), 1 / 3));
    assert.ok(!passesThreshold(withRecall(6, 10), 0.7));
  });

  it('rejects thresholds outside 0..1', () => {
    for (const bad of [-0.1, 1.5, Number.NaN]) assert.throws(() => passesThreshold(withRecall(1, 1), bad), RangeError);
  });
});
