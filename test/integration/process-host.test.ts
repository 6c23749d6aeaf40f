import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { execProgram, processHostPid, runCommand } from '../../src/core/sandbox/process-host';
import { processesMatching, tempDir, waitFor } from './sandbox-helpers';

const PROJECT = resolve(__dirname, '../..');
const spec = (command: string, extra: Partial<Parameters<typeof runCommand>[0]> = {}) => ({
  argv: ['bash', '-c', command],
  cwd: '/tmp',
  env: { PATH: process.env.PATH },
  timeoutMs: 10_000,
  maxOutputBytes: 100_000,
  ...extra,
});

describe('process host', () => {
  test('starts commands and git from its own small process, not from this one', async () => {
    const r = await runCommand(spec('echo parent=$PPID; exit 4'));
    const host = processHostPid();
    assert.ok(host && host !== process.pid);
    assert.equal(r.exitCode, 4);
    // bash's parent is the host (bash may exec the last command, so $PPID is read by bash itself)
    assert.equal(r.output, `parent=${host}\n`);
    const git = await execProgram('git', ['--version'], { PATH: process.env.PATH }, '/tmp', 1 << 20);
    assert.equal(git.failed, false);
    assert.ok(Buffer.isBuffer(git.stdout));
    assert.match(git.stdout.toString(), /^git version /);
    const bad = await execProgram('git', ['no-such-command'], { PATH: process.env.PATH }, '/tmp', 1 << 20);
    assert.equal(bad.failed, true);
    assert.ok(bad.code !== null && bad.code !== 0);
    assert.match(bad.stderr.toString(), /no-such-command/);
  });

  test('keeps time limits, output caps and cancellation, and kills the whole tree', async () => {
    const marker = `host-timeout-${process.pid}`;
    let killed = 0;
    const slow = await runCommand(spec(`(sleep 30; echo ${marker}) & sleep 30 # ${marker}`, { timeoutMs: 300, onKill: () => killed++ }));
    assert.equal(slow.timedOut, true);
    assert.equal(slow.exitCode, null);
    assert.equal(killed, 1, 'onKill runs in this process when the host reports a timeout');
    assert.ok(await waitFor(() => processesMatching(marker).length === 0, 3000), 'no process of the command is left');

    const loud = await runCommand(spec('head -c 500000 /dev/zero | tr "\\0" x', { maxOutputBytes: 1000 }));
    assert.equal(loud.truncated, true);
    assert.ok(loud.output.length < 1200);

    const controller = new AbortController();
    const cancelMarker = `host-cancel-${process.pid}`;
    const pending = runCommand(spec(`sleep 30; true # ${cancelMarker}`, { signal: controller.signal, onKill: () => killed++ }));
    assert.ok(await waitFor(() => processesMatching(cancelMarker).length > 0, 3000));
    controller.abort();
    await assert.rejects(pending, (e: Error) => e.name === 'AbortError');
    assert.equal(killed, 2);
    assert.ok(await waitFor(() => processesMatching(cancelMarker).length === 0, 3000));

    await assert.rejects(runCommand(spec('true', { signal: controller.signal })), (e: Error) => e.name === 'AbortError');
    await assert.rejects(runCommand({ ...spec('x'), argv: ['no-such-program-4711'], missingProgramHint: 'install it, please' }), /install it, please/);
  });

  test('when the host dies, its running command is killed and reported, git is retried, and a new host takes over', async () => {
    await runCommand(spec('true'));
    const first = processHostPid()!;
    const marker = `host-death-${process.pid}`;
    const command = runCommand(spec(`sleep 30; true # ${marker}`));
    const git = (async () => {
      await new Promise((r) => setTimeout(r, 100));
      return execProgram('bash', ['-c', 'sleep 0.5; echo done'], { PATH: process.env.PATH }, '/tmp', 1 << 20);
    })();
    assert.ok(await waitFor(() => processesMatching(marker).length > 0, 3000));
    await new Promise((r) => setTimeout(r, 200));
    process.kill(first, 'SIGKILL');
    await assert.rejects(command, /command runner stopped while the command ran; run the command again/);
    assert.ok(await waitFor(() => processesMatching(marker).length === 0, 3000), 'the orphaned command was killed');
    const retried = await git;
    assert.equal(retried.stdout.toString(), 'done\n');
    const after = await runCommand(spec('echo again'));
    assert.equal(after.output, 'again\n');
    assert.notEqual(processHostPid(), first);
  });

  test('an idle host does not keep the process alive, and it leaves when its parent does', () => {
    const dir = tempDir('process-host-exit-');
    const script = join(dir, 'once.ts');
    writeFileSync(
      script,
      `import { runCommand, processHostPid } from ${JSON.stringify(join(PROJECT, 'src/core/sandbox/process-host'))};
runCommand({ argv: ['echo', 'hi'], cwd: '/tmp', env: {}, timeoutMs: 5000, maxOutputBytes: 1000 }).then((r) => console.log(r.output.trim(), processHostPid()));
`,
    );
    // an idle host that held the process open would have it killed by the timeout (status null)
    const child = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: PROJECT, encoding: 'utf8', timeout: 60_000 });
    assert.equal(child.status, 0, child.stderr);
    const [word, pid] = child.stdout.trim().split(' ');
    assert.equal(word, 'hi');
    let alive = true;
    const deadline = Date.now() + 3000;
    while (alive && Date.now() < deadline) {
      try {
        process.kill(Number(pid), 0);
      } catch {
        alive = false;
      }
    }
    assert.equal(alive, false, 'the host exited with its parent');
  });
});
