import assert from 'node:assert/strict';
import { homedir } from 'node:os';
import { after, before, describe, test } from 'node:test';
import { rmSync } from 'node:fs';
import { buildDockerCommand, SandboxPool, type SandboxCopy } from '../../src/core/sandbox';
import { makeRepo, processesMatching, tempDir, waitFor, type TempRepo } from './sandbox-helpers';

let repo: TempRepo;
let poolDir: string;
let pool: SandboxPool;
let copy: SandboxCopy;
const SECRET = 'sk-test-secret-value-4711';

before(async () => {
  process.env.OPENAI_API_KEY = SECRET;
  process.env.GITHUB_TOKEN = SECRET;
  repo = makeRepo({ 'main.py': 'print("hi")\n' });
  poolDir = tempDir('sandbox-runner-pool-');
  pool = await SandboxPool.create({ repoRoot: repo.root, poolDir, mode: 'host' });
  copy = await pool.acquire();
});

after(async () => {
  delete process.env.OPENAI_API_KEY;
  delete process.env.GITHUB_TOKEN;
  await pool.dispose();
  repo.cleanup();
  rmSync(poolDir, { recursive: true, force: true });
});

const run = (command: string, timeoutMs = 10_000, maxOutputBytes = 100_000, signal?: AbortSignal) => copy.run(command, { timeoutMs, maxOutputBytes, signal });

describe('command runner (mode host)', () => {
  test('runs in the copy, reports the exit code, interleaves stdout and stderr', async () => {
    const r = await run('echo one; echo two >&2; echo three; exit 3');
    assert.equal(r.exitCode, 3);
    assert.equal(r.output, 'one\ntwo\nthree\n');
    assert.equal(r.timedOut, false);
    assert.equal(r.truncated, false);
    const pwd = await run('pwd; cat main.py');
    assert.equal(pwd.output, '/testbed\nprint("hi")\n', 'the real path of the copy is shown as /testbed');
  });

  test('the environment is scrubbed: no keys or tokens, a neutral user, a private HOME', async () => {
    const r = await run('env');
    assert.ok(!r.output.includes(SECRET), 'an API key reached the command');
    assert.match(r.output, /^USER=testbed$/m);
    assert.match(r.output, /^LOGNAME=testbed$/m);
    const home = /^HOME=(.*)$/m.exec(r.output)?.[1];
    assert.ok(home && home !== homedir(), `HOME is ${home}`);
    assert.ok(!r.output.includes(repo.root) && !r.output.includes(copy.root));
  });

  test('a timeout kills the whole process tree, including a child in a session of its own', async () => {
    const started = Date.now();
    const r = await run('(sleep 351 &); setsid sleep 352 & sleep 353; echo never', 700);
    assert.equal(r.timedOut, true);
    assert.equal(r.exitCode, null);
    assert.ok(!r.output.includes('never'));
    assert.ok(Date.now() - started < 5000, 'the runner waited far past the timeout');
    for (const marker of ['sleep 351', 'sleep 352', 'sleep 353']) {
      assert.ok(await waitFor(() => processesMatching(marker).length === 0, 2000), `${marker} survived the timeout`);
    }
  });

  test('without the process limit (no cgroup to hold them), a timeout still finds and kills the whole tree', async () => {
    const own = await SandboxPool.create({ repoRoot: repo.root, mode: 'host', maxProcesses: 0 });
    try {
      const bare = await own.acquire();
      const r = await bare.run('(sleep 371 &); setsid sleep 372 & sleep 373; echo never', { timeoutMs: 700, maxOutputBytes: 10_000 });
      assert.equal(r.timedOut, true);
      for (const marker of ['sleep 371', 'sleep 372', 'sleep 373']) {
        assert.ok(await waitFor(() => processesMatching(marker).length === 0, 2000), `${marker} survived the timeout`);
      }
      await bare.release();
    } finally {
      await own.dispose();
    }
  });

  test('background jobs left behind by a finished command are killed', async () => {
    const started = Date.now();
    const r = await run('sleep 361 & echo started');
    assert.equal(r.output, 'started\n');
    assert.ok(Date.now() - started < 3000, 'a background job held the command open');
    assert.ok(await waitFor(() => processesMatching('sleep 361').length === 0, 2000), 'the background job survived');
  });

  test('output beyond the cap is clipped from the middle with a marker', async () => {
    const r = await run(`echo START; head -c 200000 /dev/zero | tr '\\0' a; echo; echo END`, 10_000, 1000);
    assert.equal(r.truncated, true);
    assert.ok(r.output.startsWith('START\n'));
    assert.ok(r.output.endsWith('END\n'));
    const omitted = Number(/\[output clipped: (\d+) bytes omitted\]/.exec(r.output)?.[1]);
    assert.equal(omitted, 6 + 200000 + 1 + 4 - 1000);
    assert.ok(r.output.length < 1100, `clipped output is ${r.output.length} chars`);
    const small = await run('echo small', 10_000, 1000);
    assert.equal(small.truncated, false);
    assert.ok(!small.output.includes('clipped'));
  });

  test('an abort signal kills the command and rejects with an AbortError', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    await assert.rejects(run('sleep 371', 10_000, 1000, controller.signal), { name: 'AbortError' });
    assert.ok(await waitFor(() => processesMatching('sleep 371').length === 0, 2000), 'the aborted command survived');
    const already = new AbortController();
    already.abort();
    await assert.rejects(run('echo no', 10_000, 1000, already.signal), { name: 'AbortError' });
  });

  test('release kills a command still running and the copy cannot be used afterwards', async () => {
    const other = await pool.acquire();
    const outcome = other.run('sleep 381', { timeoutMs: 20_000, maxOutputBytes: 1000 }).then(
      () => 'finished',
      (error: Error) => error.name,
    );
    await waitFor(() => processesMatching('sleep 381').length > 0, 2000);
    await other.release();
    assert.equal(await outcome, 'AbortError');
    assert.equal(processesMatching('sleep 381').length, 0);
    await assert.rejects(other.run('true', { timeoutMs: 1000, maxOutputBytes: 10 }), /released/);
    await other.release(); // twice is fine
  });
});

describe('docker command line', () => {
  test('no network, the copy at /testbed as the working folder, the command last', () => {
    const argv = buildDockerCommand('python:3.12-slim', '/pool/c0', 'pytest -q');
    assert.equal(argv[0], 'docker');
    assert.equal(argv[1], 'run');
    assert.ok(argv.includes('--rm'));
    const at = (flag: string) => argv[argv.indexOf(flag) + 1];
    assert.equal(at('--network'), 'none');
    assert.equal(at('-v'), '/pool/c0:/testbed');
    assert.equal(at('-w'), '/testbed');
    assert.ok(argv.includes('--read-only'));
    assert.equal(at('--cap-drop'), 'ALL');
    const image = argv.indexOf('python:3.12-slim');
    assert.ok(image > argv.indexOf('-w'), 'options come before the image');
    assert.equal(argv[argv.length - 1], 'pytest -q');
    assert.ok(!argv.join(' ').includes(SECRET), 'nothing of our environment is passed on');
  });

  test('extra mounts are read-only, a name and a user can be set', () => {
    const argv = buildDockerCommand('img', '/pool/c1', 'ls', {
      name: 'rs-1',
      user: '1000:1000',
      objectStore: '/pool/base-objects',
      env: { HOME: '/tmp' },
    });
    assert.ok(argv.includes('/pool/base-objects:/run/testbed/objects:ro'), 'the object store is mounted read-only outside /testbed');
    assert.ok(!argv.some((a) => a.includes(':/testbed/')), 'nothing is mounted inside the copy');
    assert.equal(argv[argv.indexOf('--name') + 1], 'rs-1');
    assert.equal(argv[argv.indexOf('--user') + 1], '1000:1000');
    assert.ok(argv.includes('HOME=/tmp'));
  });
});
