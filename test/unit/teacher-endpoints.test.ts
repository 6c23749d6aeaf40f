import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EndpointPool } from '../../src/core/teacher/endpoints';
import { retryAfterMs } from '../../src/core/teacher/errors';
import { backoffMs, sleep } from '../../src/core/teacher/retry';

describe('EndpointPool', () => {
  it('takes turns among healthy endpoints and prefers the least busy', () => {
    const pool = new EndpointPool(['a', 'b', 'c'], 3, 1000);
    assert.deepEqual([1, 2, 3, 4].map(() => pool.pick(0).url), ['a', 'b', 'c', 'a']);
    const [a, b] = pool.endpoints;
    a.inFlight = 2;
    b.inFlight = 1;
    assert.equal(pool.pick(0).url, 'c');
  });

  it('sets an endpoint aside after consecutive failures and takes it back on probation after the cool-down', () => {
    const pool = new EndpointPool(['a', 'b'], 2, 1000);
    const [a] = pool.endpoints;
    pool.failed(a, 0);
    assert.equal(a.coolingUntil, 0, 'one failure is not enough');
    pool.failed(a, 0);
    assert.equal(a.coolingUntil, 1000);
    assert.deepEqual([1, 2, 3].map(() => pool.pick(500).url), ['b', 'b', 'b']);
    // Back in rotation after the cool-down...
    assert.deepEqual([1, 2].map(() => pool.pick(1000).url).sort(), ['a', 'b']);
    // ...but one more failure sets it aside again at once.
    pool.failed(a, 1000);
    assert.equal(a.coolingUntil, 2000);
    pool.succeeded(a);
    pool.failed(a, 2000);
    assert.equal(a.coolingUntil, 0, 'a success ends the probation');
  });

  it('never sets aside a lone endpoint, and with all set aside tries the first to come back', () => {
    const lone = new EndpointPool(['a'], 1, 1000);
    lone.failed(lone.endpoints[0], 0);
    assert.equal(lone.endpoints[0].coolingUntil, 0);
    const pool = new EndpointPool(['a', 'b'], 1, 1000);
    pool.failed(pool.endpoints[1], 0);
    pool.failed(pool.endpoints[0], 10);
    assert.equal(pool.pick(20).url, 'b');
  });

  it('avoids the endpoint that just failed and one that asked to wait', () => {
    const pool = new EndpointPool(['a', 'b'], 5, 1000);
    const [a, b] = pool.endpoints;
    assert.equal(pool.pick(0, a).url, 'b');
    pool.failed(b, 0, 5000);
    pool.failed(a, 0);
    assert.equal(pool.pick(100).url, 'a', 'b asked for 5 s');
  });
});

describe('retry timing', () => {
  it('doubles the backoff per retry, jittered between half and full, capped', () => {
    assert.equal(backoffMs(0, 100, 10_000, () => 1), 100);
    assert.equal(backoffMs(3, 100, 10_000, () => 1), 800);
    assert.equal(backoffMs(3, 100, 10_000, () => 0), 400);
    assert.equal(backoffMs(20, 100, 10_000, () => 1), 10_000);
  });

  it('reads Retry-After as seconds, as an HTTP date, and retry-after-ms', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    assert.equal(retryAfterMs(new Headers({ 'retry-after': '3' }), now), 3000);
    assert.equal(retryAfterMs(new Headers({ 'retry-after': '0.5' }), now), 500);
    assert.equal(retryAfterMs(new Headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:07 GMT' }), now), 7000);
    assert.equal(retryAfterMs(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }), now), 250);
    assert.equal(retryAfterMs(new Headers({ 'retry-after': 'soon' }), now), undefined);
    assert.equal(retryAfterMs(new Headers(), now), undefined);
  });

  it('sleep ends early when its signal aborts', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 20);
    await assert.rejects(sleep(5000, controller.signal));
    assert.ok(Date.now() - started < 1000);
  });
});
