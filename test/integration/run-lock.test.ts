import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { lockRun, runHolder, RunLockedError } from '../../src/core/store';
import { generate, GenerateError } from '../../src/core/generation';
import { useScriptedTeachers } from '../support/scripted-teacher';
import { makeScenarioRepo } from '../support/svg-fixture';
import { svgTeacher } from '../support/svg-teacher';

const serve = useScriptedTeachers();
const scratch = mkdtempSync(join(tmpdir(), 'run-lock-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

let n = 0;
function runFolder(): string {
  const dir = join(scratch, `run-${n++}`);
  mkdirSync(join(dir, 'trajectories'), { recursive: true });
  return dir;
}

/** The pid of a process that has exited. */
function deadPid(): number {
  return Number(execFileSync('sh', ['-c', 'sh -c "echo \\$\\$" ']).toString().trim());
}

describe('the run lock', () => {
  test('a killed holder that is still a zombie (its parent never reaped it) counts as gone', async () => {
    const dir = runFolder();
    const script = join(scratch, 'holder.ts');
    writeFileSync(script, `import { lockRun } from ${JSON.stringify(join(__dirname, '../../src/core/store'))};\nlockRun(process.argv[2]);\nsetInterval(() => undefined, 1000);\n`);
    // the shell becomes \`sleep\`, which never waits for its child: the killed holder stays a zombie
    const parent = spawn('sh', ['-c', `"${process.execPath}" --import tsx "${script}" "${dir}" & exec sleep 120`], { stdio: 'ignore' });
    try {
      const deadline = Date.now() + 60_000;
      while (!runHolder(dir) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const holder = runHolder(dir)!.pid;
      assert.throws(() => lockRun(dir), RunLockedError, 'the live holder keeps the run');
      process.kill(holder, 'SIGKILL');
      const state = () => readFileSync(`/proc/${holder}/stat`, 'utf8').split(') ')[1][0];
      while (state() !== 'Z' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.equal(state(), 'Z', 'the holder should be a zombie now');
      assert.equal(runHolder(dir), null);
      lockRun(dir).release();
    } finally {
      parent.kill('SIGKILL');
    }
  });

  test('a second writer is refused with who holds the run; after release it may go on', () => {
    const dir = runFolder();
    const lock = lockRun(dir);
    assert.throws(
      () => lockRun(dir),
      (error: unknown) => error instanceof RunLockedError && error.message.includes(`process ${process.pid} on ${hostname()}`) && /run the same command again to resume/.test(error.message),
    );
    lock.release();
    assert.equal(existsSync(join(dir, 'lock.json')), false);
    lockRun(dir).release();
  });

  test('runHolder names the live holder only: none before, ours while held, none after release or for a dead one', () => {
    const dir = runFolder();
    assert.equal(runHolder(dir), null);
    const lock = lockRun(dir);
    assert.equal(runHolder(dir)?.pid, process.pid);
    lock.release();
    assert.equal(runHolder(dir), null);
    writeFileSync(join(dir, 'lock.json'), JSON.stringify({ pid: deadPid(), started: '1', host: hostname(), createdAt: '' }));
    assert.equal(runHolder(dir), null);
  });

  test("a dead writer's lock is taken over, and its half-written temporary files go", () => {
    const dir = runFolder();
    writeFileSync(join(dir, 'lock.json'), JSON.stringify({ pid: deadPid(), started: '1', host: hostname(), createdAt: '2026-01-01T00:00:00Z' }));
    writeFileSync(join(dir, 'trajectories', 'a.r1.json.4242.tmp'), '{"tor');
    writeFileSync(join(dir, 'trajectories', 'a.r1.json'), '{}');
    writeFileSync(join(dir, 'plan.jsonl.4242.tmp'), '');
    const lock = lockRun(dir);
    assert.equal(JSON.parse(readFileSync(join(dir, 'lock.json'), 'utf8')).pid, process.pid);
    assert.deepEqual(readdirSync(join(dir, 'trajectories')), ['a.r1.json']);
    assert.ok(!readdirSync(dir).some((f) => f.endsWith('.tmp')));
    lock.release();
  });

  test('an unreadable lock counts as held while it is fresh (its writer may be mid-write), and as stale later', () => {
    const dir = runFolder();
    writeFileSync(join(dir, 'lock.json'), '');
    assert.throws(() => lockRun(dir), RunLockedError);
    const old = new Date(Date.now() - 60_000);
    utimesSync(join(dir, 'lock.json'), old, old);
    lockRun(dir).release();
  });

  test('a lock from another machine holds while its heartbeat is fresh and is taken over once it stops', async () => {
    const dir = runFolder();
    const remote = JSON.stringify({ pid: process.pid, started: '1', host: 'gpu-node-7', createdAt: '2026-01-01T00:00:00Z' });
    writeFileSync(join(dir, 'lock.json'), remote);
    assert.throws(() => lockRun(dir), (error: unknown) => error instanceof RunLockedError && error.message.includes('on gpu-node-7') && /taken over 2 minutes after its holder stops refreshing it\.$/.test(error.message));
    assert.equal(runHolder(dir)?.host, 'gpu-node-7');
    const old = new Date(Date.now() - 3 * 60_000);
    utimesSync(join(dir, 'lock.json'), old, old);
    assert.equal(runHolder(dir), null);
    // Taken over; the new holder's heartbeat keeps the lock's time fresh.
    const lock = lockRun(dir, 50);
    utimesSync(join(dir, 'lock.json'), old, old);
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(Date.now() - statSync(join(dir, 'lock.json')).mtimeMs < 60_000, 'the heartbeat did not touch the lock');
    lock.release();
    assert.equal(existsSync(join(dir, 'lock.json')), false);
  });

  test("release leaves a lock that is not ours", () => {
    const dir = runFolder();
    const lock = lockRun(dir);
    const theirs = JSON.stringify({ pid: process.pid + 1, started: null, host: 'elsewhere', createdAt: '' });
    writeFileSync(join(dir, 'lock.json'), theirs);
    lock.release();
    assert.equal(readFileSync(join(dir, 'lock.json'), 'utf8'), theirs);
  });

  test('generate refuses a folder of other files, but takes one a run left while starting', async () => {
    const repo = await makeScenarioRepo(['reproduce']);
    const server = await serve(svgTeacher());
    const options = { repo: repo.root, teacher: { baseUrls: [server.url], model: 'test-model', maxRetries: 0 }, samples: 1, concurrency: 1, sandbox: 'host' as const, seed: 'own' };
    const theirs = join(scratch, 'their-files');
    mkdirSync(theirs);
    writeFileSync(join(theirs, 'notes.tmp'), 'mine');
    await assert.rejects(generate({ ...options, out: theirs }), (error: unknown) => error instanceof GenerateError && /is neither a run directory nor empty/.test(error.message));
    assert.deepEqual(readdirSync(theirs), ['notes.tmp'], 'the folder was touched');
    const started = join(scratch, 'started');
    mkdirSync(started);
    writeFileSync(join(started, '.gitignore'), '*\n');
    writeFileSync(join(started, 'lock.json'), JSON.stringify({ pid: deadPid(), started: '1', host: hostname(), createdAt: '' }));
    const summary = await generate({ ...options, out: started });
    assert.equal(summary.progress.done, 1);
    await repo.cleanup();
  });

  test('generate refuses a run that another generate is writing, and the first one finishes', async () => {
    const repo = await makeScenarioRepo(['reproduce', 'half']);
    const server = await serve(svgTeacher(), { latencyMs: 80 });
    const out = join(scratch, 'busy');
    const options = { repo: repo.root, out, teacher: { baseUrls: [server.url], model: 'test-model', maxRetries: 0 }, samples: 2, concurrency: 1, sandbox: 'host' as const, seed: 'lock' };
    const first = generate(options);
    while (!existsSync(join(out, 'run.json'))) await new Promise((r) => setTimeout(r, 20));
    await assert.rejects(generate(options), (error: unknown) => error instanceof GenerateError && error.message.includes(`is being written by process ${process.pid}`));
    const summary = await first;
    assert.equal(summary.stoppedBy, 'completed');
    assert.equal(existsSync(join(out, 'lock.json')), false);
    const again = await generate(options);
    assert.equal(again.resumed, true);
    await repo.cleanup();
  });
});
