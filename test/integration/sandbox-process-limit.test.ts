/**
 * The process limit inside the sandbox (#13 item 7): a fork bomb from the teacher stays under the
 * limit while it lasts, dies with its command, and the rollout goes on; the limit also holds for
 * processes that leave the command's process group, in host mode, and for a user other than
 * root (RLIMIT_NPROC, played by a second local account through setpriv).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runAgent } from '../../src/core/agent';
import { listPids } from '../../src/core/platform/proc-stat';
import { bwrapAvailable, SandboxPool } from '../../src/core/sandbox';
import { processLimitKind } from '../../src/core/sandbox/process-limit';
import { createTeacher } from '../../src/core/teacher';
import { makeRepo, type TempRepo } from './sandbox-helpers';
import { toolCall, useScriptedTeachers } from '../support/scripted-teacher';

const LIMIT = 40;
const serve = useScriptedTeachers();
let repo: TempRepo;

/** Starts `count` background sleeps under dash, which gives up at the first failed fork; prints how many started. */
function spawnMany(count: number, seconds: string): string {
  return `sh -c 'i=0; while [ $i -lt ${count} ]; do sleep ${seconds} & i=$((i+1)); echo started $i; done'`;
}

function lastStarted(output: string): number {
  const all = [...output.matchAll(/started (\d+)/g)].map((m) => Number(m[1]));
  return all.length ? all[all.length - 1] : 0;
}

/** Processes on the whole machine whose command line (arguments joined by spaces) includes `text`. */
function countProcesses(text: string): number {
  let n = 0;
  for (const pid of listPids()) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').includes(text)) n++;
    } catch {
      // ended while we looked
    }
  }
  return n;
}

// As root without a pids cgroup of its own the engine can set no limit (docs/SECURITY.md says so);
// there a fork bomb would run to its timeout, so the root tests do not start one.
const noLimit = processLimitKind() === 'none' ? 'no process limit can be set here: root without a usable pids cgroup' : false;

before(() => {
  assert.ok(bwrapAvailable(), 'bubblewrap is needed for these tests: apt-get install -y bubblewrap');
  repo = makeRepo({ 'app.py': 'print("hi")\n' });
});

after(() => repo.cleanup());

describe('the process limit of agent commands', { skip: noLimit }, () => {
  test('a fork bomb from the teacher stays under the limit, ends with its command, and the rollout goes on', { timeout: 120_000 }, async () => {
    const pool = await SandboxPool.create({ repoRoot: repo.root, mode: 'bwrap', maxProcesses: LIMIT });
    // every copy of the bomb is a bash whose command line holds the command
    const BOMB = 'bomb() { bomb | bomb & }; bomb';
    let peak = 0;
    let seen = 0;
    const sampler = setInterval(() => {
      const now = countProcesses(BOMB);
      peak = Math.max(peak, now);
      seen += now;
    }, 10);
    try {
      const server = await serve([
        toolCall('bash', { command: `${BOMB}; sleep 3` }),
        toolCall('bash', { command: 'echo still here' }),
        toolCall('submit', {}),
      ]);
      const teacher = createTeacher({ baseUrls: [server.url], model: 'test-model', timeoutMs: 10_000, maxRetries: 0 });
      const copy = await pool.acquire();
      try {
        const result = await runAgent({ task: 'Tidy the module.', teacher, sandbox: copy, limits: { reviewOnSubmit: false, commandTimeoutMs: 4000 } });
        const observations = result.trajectory.messages.filter((m) => m.role === 'tool').map((m) => m.content ?? '');
        assert.equal(result.exit.status, 'submitted');
        assert.match(observations[1], /still here/);
      } finally {
        await copy.release();
      }
    } finally {
      clearInterval(sampler);
      await pool.dispose();
    }
    assert.ok(seen > 0, 'the sampler never saw the bomb');
    assert.ok(peak <= LIMIT, `${peak} copies of the bomb ran at once with a limit of ${LIMIT}`);
    assert.equal(countProcesses(BOMB), 0, 'copies of the bomb outlived their command');
  });

  for (const mode of ['bwrap', 'host'] as const) {
    test(`in ${mode} mode the limit counts what leaves the process group, and nothing of it outlives the command`, { timeout: 60_000 }, async () => {
      const pool = await SandboxPool.create({ repoRoot: repo.root, mode, maxProcesses: LIMIT });
      try {
        const copy = await pool.acquire();
        const r = await copy.run(`setsid -w ${spawnMany(100, '31.25')}`, { timeoutMs: 20_000, maxOutputBytes: 100_000 });
        await copy.release();
        const started = lastStarted(r.output);
        assert.ok(started > 5 && started < LIMIT, `started ${started} sleeps with a limit of ${LIMIT}:\n${r.output.slice(-400)}`);
        assert.equal(countProcesses('sleep 31.25'), 0, 'sleeps outlived their command');
      } finally {
        await pool.dispose();
      }
    });
  }
});

describe('the process limit for a user other than root', () => {
  const OTHER = 'rs-other';
  let home: string;
  before(() => {
    assert.equal(process.getuid?.(), 0, 'this test plays a second local user and needs root (useradd, setpriv)');
    if (spawnSync('id', [OTHER]).status !== 0) execFileSync('useradd', ['--no-create-home', '--shell', '/usr/sbin/nologin', OTHER]);
    home = mkdtempSync(join(tmpdir(), 'process-limit-other-'));
    chmodSync(home, 0o777);
  });
  after(() => rmSync(home, { recursive: true, force: true }));

  test('without a cgroup of its own, RLIMIT_NPROC bounds what its commands start', { timeout: 60_000 }, () => {
    const uid = execFileSync('id', ['-u', OTHER], { encoding: 'utf8' }).trim();
    const gid = execFileSync('id', ['-g', OTHER], { encoding: 'utf8' }).trim();
    const runner = join(__dirname, '../../src/core/sandbox/process-runner.ts');
    const limit = join(__dirname, '../../src/core/sandbox/process-limit.ts');
    const script = `
      const { runProcess } = require(${JSON.stringify(runner)});
      const { processLimitKind } = require(${JSON.stringify(limit)});
      runProcess({ argv: ['/bin/sh', '-c', ${JSON.stringify(spawnMany(100, '31.5'))}], cwd: '/', env: { PATH: process.env.PATH }, timeoutMs: 20000, maxOutputBytes: 100000, maxProcesses: ${LIMIT} })
        .then((r) => console.log(JSON.stringify({ kind: processLimitKind(), output: r.output })));`;
    const r = spawnSync('setpriv', [`--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', '--', process.execPath, '--import', 'tsx', '-e', script], {
      encoding: 'utf8',
      cwd: join(__dirname, '../..'),
      env: { PATH: process.env.PATH, HOME: home, TMPDIR: home },
      timeout: 60_000,
    });
    assert.equal(r.status, 0, r.stderr);
    const { kind, output } = JSON.parse(r.stdout.trim().split('\n').pop()!) as { kind: string; output: string };
    assert.equal(kind, 'rlimit');
    const started = lastStarted(output);
    assert.ok(started > 5 && started < LIMIT + 5, `started ${started} sleeps with a limit of ${LIMIT}:\n${output.slice(-400)}`);
    assert.equal(countProcesses('sleep 31.5'), 0, 'sleeps outlived their command');
  });
});
