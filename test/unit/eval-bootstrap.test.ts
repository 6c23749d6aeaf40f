import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bootstrapMean } from '../../src/core/eval';

describe('bootstrap intervals', () => {
  const half = (n: number) => Array.from({ length: n }, (_, i) => (i % 2 ? 1 : 0));

  test('the same seed gives the same interval; another seed another one close by', () => {
    const values = half(30).map((v, i) => v * ((i % 7) / 6));
    const a = bootstrapMean(values, { seed: 'x' });
    assert.deepEqual(bootstrapMean(values, { seed: 'x' }), a);
    const b = bootstrapMean(values, { seed: 'y' });
    assert.notDeepEqual(b, a);
    assert.equal(b.mean, a.mean);
    assert.ok(Math.abs(b.low - a.low) < 0.03 && Math.abs(b.high - a.high) < 0.03);
  });

  test('the interval holds the mean, shrinks as tasks grow about as 1/sqrt(n), and is a point when every task agrees', () => {
    const small = bootstrapMean(half(20));
    const large = bootstrapMean(half(320));
    for (const e of [small, large]) {
      assert.equal(e.mean, 0.5);
      assert.ok(e.low < 0.5 && e.high > 0.5);
    }
    const ratio = (small.high - small.low) / (large.high - large.low);
    assert.ok(ratio > 3 && ratio < 5, `width ratio ${ratio} for 16x the tasks`);
    // The normal approximation for a proportion: 1.96 * sqrt(p(1-p)/n) each side.
    assert.ok(Math.abs((small.high - small.low) / 2 - 1.96 * Math.sqrt(0.25 / 20)) < 0.04);
    assert.deepEqual(bootstrapMean([1, 1, 1, 1]), { mean: 1, low: 1, high: 1, n: 4 });
    const none = bootstrapMean([]);
    assert.equal(none.n, 0);
    assert.ok(Number.isNaN(none.mean));
  });

  test('a paired difference whose every task favours one side excludes zero; a tie is centred on it', () => {
    const diffs = Array.from({ length: 25 }, (_, i) => 0.2 + (i % 5) * 0.05);
    const d = bootstrapMean(diffs);
    assert.ok(d.low > 0);
    const tie = bootstrapMean(Array.from({ length: 40 }, (_, i) => (i % 2 ? 0.5 : -0.5)));
    assert.equal(tie.mean, 0);
    assert.ok(tie.low < 0 && tie.high > 0);
  });
});
