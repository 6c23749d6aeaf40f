import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runAgent } from '../../src/core/agent';
import { DEFAULT_LIMITS, type AgentLimits } from '../../src/core/agent/types';
import { SandboxPool } from '../../src/core/sandbox';
import { processLimitKind } from '../../src/core/sandbox/process-limit';
import { createTeacher } from '../../src/core/teacher';
import { makeRepo, type FixtureRepo } from '../support/fixture-repo';
import { hang, toolCall, toolCalls, useScriptedTeachers, type Script } from '../support/scripted-teacher';

// The teacher plays the attacker: its tool calls try to reach past the copy or to damage bytes.

const serve = useScriptedTeachers();

// "café" and "naïve" in Latin-1, and a file whose second line holds bytes that are not UTF-8.
const LATIN1 = Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\nx = "na'), Buffer.from([0xef]), Buffer.from('ve"\n')]);
const BROKEN = Buffer.concat([Buffer.from('a = 1\nb = "'), Buffer.from([0xff, 0xc3, 0x28, 0x80]), Buffer.from('"\nc = 3')]);

let repo: FixtureRepo;
let elsewhere: FixtureRepo;
let pool: SandboxPool;

before(async () => {
  repo = await makeRepo({ 'legacy.py': LATIN1, 'broken.py': BROKEN, 'ok.py': 'print("ok")\n' });
  elsewhere = await makeRepo({ 'private/notes.txt': 'not for the teacher\n' }, { prefix: 'elsewhere-' });
  pool = await SandboxPool.create({ repoRoot: repo.root, mode: 'host' });
});

after(async () => {
  await pool.dispose();
  await repo.cleanup();
  await elsewhere.cleanup();
});

/** Runs one rollout and hands back its observations and the bytes of the named files in the copy. */
async function rollout(script: Script, files: string[], apiKey?: string, limits: Partial<AgentLimits> = {}) {
  const server = await serve(script, { apiKey });
  const teacher = createTeacher({ baseUrls: [server.url], model: 'test-model', timeoutMs: 10_000, maxRetries: 0, apiKey });
  const copy = await pool.acquire();
  try {
    const result = await runAgent({ task: 'Tidy the module.', teacher, sandbox: copy, limits: { reviewOnSubmit: false, ...limits } });
    const observations = result.trajectory.messages.filter((m) => m.role === 'tool').map((m) => m.content ?? '');
    const bytes = Object.fromEntries(files.map((f) => [f, readFileSync(join(copy.root, f))]));
    // What the run keeps of the rollout: the trajectory as the agent returns it.
    return { result, observations, bytes, saved: JSON.stringify(result.trajectory), server };
  } finally {
    await copy.release();
  }
}

describe('the editor against a hostile teacher', () => {
  test('links the agent made to the host (/etc, another repository) are listed as links, never followed', async () => {
    const { observations } = await rollout(
      [
        toolCall('bash', { command: `ln -s /etc hostetc && ln -s ${elsewhere.root} theirs && ln -s /etc/passwd pw` }),
        toolCall('str_replace_editor', { command: 'view', path: '/testbed' }),
        toolCall('str_replace_editor', { command: 'view', path: '/testbed/theirs' }),
        toolCall('submit', {}),
      ],
      [],
    );
    const listing = observations[1];
    assert.match(listing, /^\/testbed\/hostetc@$/m);
    assert.match(listing, /^\/testbed\/theirs@$/m);
    assert.match(listing, /^\/testbed\/pw@$/m);
    assert.match(listing, /^\/testbed\/ok\.py$/m);
    for (const leak of ['passwd', 'hostname', 'private', 'notes.txt', '/testbed/hostetc/']) assert.ok(!listing.includes(leak), `the listing shows ${leak}:\n${listing}`);
    assert.match(observations[2], /leads outside the repository/);
    assert.ok(!observations[2].includes('notes.txt'));
  });

  test('edits of a Latin-1 file and of a file with invalid UTF-8 change only the bytes they touch', async () => {
    const { observations, bytes } = await rollout(
      [
        toolCall('str_replace_editor', { command: 'view', path: '/testbed/legacy.py' }),
        toolCall('str_replace_editor', { command: 'insert', path: '/testbed/legacy.py', insert_line: 1, new_str: 'import os' }),
        toolCall('str_replace_editor', { command: 'str_replace', path: '/testbed/legacy.py', old_str: '# café', new_str: '# Café à la carte' }),
        toolCall('str_replace_editor', { command: 'insert', path: '/testbed/legacy.py', insert_line: 0, new_str: 'price = "5 €"' }),
        toolCall('str_replace_editor', { command: 'str_replace', path: '/testbed/broken.py', old_str: 'a = 1', new_str: 'a = 2' }),
        toolCall('str_replace_editor', { command: 'insert', path: '/testbed/broken.py', insert_line: 3, new_str: 'd = 4' }),
        toolCall('submit', {}),
      ],
      ['legacy.py', 'broken.py'],
    );
    assert.match(observations[0], /not UTF-8, so shown and edited as Latin-1/);
    assert.match(observations[0], /# café\n.*x = "naïve"/);
    const latin1 = (s: string) => Buffer.from(s, 'latin1');
    assert.deepEqual(bytes['legacy.py'], Buffer.concat([latin1('# Café à la carte\nimport os\nx = "na'), Buffer.from([0xef]), Buffer.from('ve"\n')]));
    // A character Latin-1 cannot hold is refused, and the file is left as it was.
    assert.match(observations[3], /cannot store "€" \(U\+20AC\).*The file was not changed/);
    // The bytes that are not UTF-8 are still there; the file keeps lacking a final newline.
    assert.deepEqual(bytes['broken.py'], Buffer.concat([Buffer.from('a = 2\nb = "'), Buffer.from([0xff, 0xc3, 0x28, 0x80]), Buffer.from('"\nc = 3\nd = 4')]));
  });

  test('the API key the teacher echoes, in prose and in a command, is not in the trajectory the run keeps', async () => {
    const key = 'sk-proj-Zq8wVt3Lm1Xc7Rb2Nd5Kp9Hs4Gf6Jy0';
    const { observations, saved } = await rollout(
      [
        toolCall('bash', { command: `echo ${key} > key.txt && cat key.txt` }, { message: { content: `My key is ${key}.` } }),
        toolCall('submit', {}),
      ],
      [],
      key,
    );
    assert.ok(!saved.includes(key), 'the key is in the saved trajectory');
    assert.ok(saved.includes('My key is <REDACTED:known-secret>.'));
    assert.ok(!observations.join('\n').includes(key));
  });

});

describe('bounds on what a hostile teacher can make the agent do', () => {
  test('a message with 200 tool calls: only maxToolCallsPerMessage run, the rest are answered "not run"', { timeout: 120_000 }, async () => {
    const cap = DEFAULT_LIMITS.maxToolCallsPerMessage;
    const flood = Array.from({ length: 200 }, (_, i) => ({ name: 'bash', arguments: { command: `echo run-${i} >> ran.txt` } }));
    const { result, observations } = await rollout([toolCalls(flood), toolCall('bash', { command: 'wc -l < ran.txt' }), toolCall('submit', {})], []);
    assert.equal(result.exit.status, 'submitted');
    // Every call is answered, in order, with its own id.
    const ids = result.trajectory.messages[2].tool_calls!.map((c) => c.id);
    assert.deepEqual(result.trajectory.messages.slice(3, 203).map((m) => m.tool_call_id), ids);
    const notRun = observations.slice(0, 200).filter((o) => /^Not run: at most \d+ tool calls run per message/.test(o));
    assert.equal(notRun.length, 200 - cap);
    assert.equal(observations[200].trim(), String(cap), 'the commands past the cap were never run');
  });

  test('a teacher that never answers and a command that never ends are stopped by the rollout\'s wall-time budget', { timeout: 120_000 }, async () => {
    const hanging = await rollout(() => hang(), [], undefined, { maxWallMs: 1500 });
    assert.equal(hanging.result.exit.status, 'time-limit');
    assert.match(hanging.result.exit.reason ?? '', /wall-time budget of 1.5 s ran out/);
    assert.equal(hanging.server.aborted, 1, 'the request was abandoned');

    const slow = await rollout([toolCall('bash', { command: 'sleep 600' }), toolCall('submit', {})], [], undefined, { maxWallMs: 2500 });
    assert.equal(slow.result.exit.status, 'time-limit');
    assert.match(slow.observations[0], /Not finished: the rollout's wall-time budget/);
  });
});

// In host mode only a cgroup catches a process that left its command's session (docs/SECURITY.md, 7).
const noCgroup = processLimitKind() === 'cgroup' ? false : 'host mode holds a detached process only with a pids cgroup, which this machine does not give';

describe('what a command leaves running cannot change a patch or a later rollout', { skip: noCgroup }, () => {
  // A writer that detaches itself (a new session, no terminal; the pause lets it leave the
  // command's process group) and writes a second later: if it outlived its command it would
  // change the copy after the review, or the next rollout's copy.
  const LATE_WRITER = "setsid sh -c 'sleep 1; echo planted >> \"$0/late.py\"' \"$PWD\" >/dev/null 2>&1 < /dev/null & sleep 0.3";

  test('the reviewed diff used as the patch is still the copy as it stands after a detached writer would have written', { timeout: 60_000 }, async () => {
    const server = await serve([
      toolCall('bash', { command: `echo 'x = 1' > ok.py && ${LATE_WRITER}` }),
      toolCall('submit', {}),
      toolCall('submit', {}),
    ]);
    const teacher = createTeacher({ baseUrls: [server.url], model: 'test-model', timeoutMs: 10_000, maxRetries: 0 });
    const copy = await pool.acquire();
    try {
      const result = await runAgent({ task: 'Tidy the module.', teacher, sandbox: copy });
      assert.equal(result.exit.status, 'submitted');
      await sleep(1500);
      assert.ok(!existsSync(join(copy.root, 'late.py')), 'the detached writer outlived its command');
      assert.equal(result.patch, await copy.diff(), 'the patch is not the copy as it stands');
    } finally {
      await copy.release();
    }
  });

  test('a copy handed on while its reset runs in the background is clean, and stays clean', { timeout: 60_000 }, async () => {
    const own = await SandboxPool.create({ repoRoot: repo.root, mode: 'host' });
    try {
      const server = await serve([toolCall('bash', { command: `echo 'x = 2' > ok.py && ${LATE_WRITER}` }), toolCall('submit', {})]);
      const teacher = createTeacher({ baseUrls: [server.url], model: 'test-model', timeoutMs: 10_000, maxRetries: 0 });
      const first = await own.acquire();
      await runAgent({ task: 'Tidy the module.', teacher, sandbox: first, limits: { reviewOnSubmit: false } });
      await first.release();
      const next = await own.acquire(); // the pool's only copy: acquire waits for its reset
      assert.equal(next.root, first.root);
      assert.equal(await next.diff(), '', 'the next rollout starts from a changed copy');
      await sleep(1500);
      assert.equal(await next.diff(), '', 'something of the last rollout wrote into the next one');
      await next.release();
    } finally {
      await own.dispose();
    }
  });
});

