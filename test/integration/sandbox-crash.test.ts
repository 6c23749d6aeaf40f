import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { bwrapAvailable, SandboxPool } from '../../src/core/sandbox';
import { makeRepo, processesMatching, sleepers, tempDir, waitFor, type TempRepo } from './sandbox-helpers';

const CHILD = join(__dirname, 'sandbox-crash-child.ts');

let repo: TempRepo;
let poolDir: string;

before(() => {
  repo = makeRepo({ 'main.py': 'print(1)\n' });
  poolDir = tempDir('sandbox-crash-pool-');
});

after(() => {
  repo.cleanup();
  rmSync(poolDir, { recursive: true, force: true });
});

interface ChildPool {
  child: ChildProcess;
  folder: string;
  roots: string[];
}

/** Starts a child process that makes a pool and holds two copies; resolves once it has. */
function startChild(mode: string, marker = ''): Promise<ChildPool> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, repo.root, poolDir, mode, marker], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n')) resolve({ child, ...(JSON.parse(line) as { folder: string; roots: string[] }) });
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => reject(new Error(`the child exited early (${code}): ${err}`)));
  });
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe('leftovers of a killed process', () => {
  test('a SIGKILLed pool is removed by the next pool on the repository, and its sandboxed command dies with it', async () => {
    const mode = bwrapAvailable() ? 'bwrap' : 'host';
    const marker = '397.25';
    const crashed = await startChild(mode, marker);
    assert.ok(crashed.roots.every((r) => existsSync(join(r, 'left-behind.txt'))));
    assert.ok(await waitFor(() => sleepers(marker).length > 0, 5000), 'the long command did not start');
    await kill(crashed.child);
    assert.ok(existsSync(crashed.folder), 'the folder should still be there right after the kill');
    if (mode === 'bwrap') {
      assert.ok(await waitFor(() => processesMatching(`sleep ${marker}`).length === 0, 3000), 'the sandboxed command outlived its owner');
    }
    const next = await SandboxPool.create({ repoRoot: repo.root, poolDir, mode: 'off' });
    try {
      assert.ok(!existsSync(crashed.folder), 'the leftovers of the killed process were not removed');
      const copy = await next.acquire();
      assert.ok(!existsSync(join(copy.root, 'left-behind.txt')));
      await copy.release();
    } finally {
      await next.dispose();
    }
    assert.ok(!readdirSync(poolDir).some((n) => n.startsWith('.trash-')), 'a trash folder was left');
    assert.deepEqual(processesMatching(`sleep ${marker}`), [], 'a process of the dead pool is still running');
  });

  test('a sandbox whose owner was killed while it started up is killed by the next pool', async () => {
    const marker = '398.75';
    const mode = bwrapAvailable() ? 'bwrap' : 'host';
    for (let i = 0; i < 3; i++) {
      const crashed = await startChild(mode, marker);
      await kill(crashed.child); // at once: the sandbox may still be setting itself up
      const next = await SandboxPool.create({ repoRoot: repo.root, poolDir, mode: 'off' });
      await next.dispose();
      assert.ok(!existsSync(crashed.folder));
      assert.ok(await waitFor(() => processesMatching(`sleep ${marker}`).length === 0, 3000), 'a process of the dead pool is still running');
    }
  });

  test("a live process's pool is left alone", async () => {
    const live = await startChild('off');
    try {
      const mine = await SandboxPool.create({ repoRoot: repo.root, poolDir, mode: 'off' });
      assert.ok(existsSync(live.folder), "another live process's pool was removed");
      assert.ok(live.roots.every((r) => existsSync(join(r, 'left-behind.txt'))));
      await mine.dispose();
      assert.ok(existsSync(live.folder), "disposing one pool removed another's");
    } finally {
      await kill(live.child);
    }
    const cleaner = await SandboxPool.create({ repoRoot: repo.root, poolDir, mode: 'off' });
    assert.ok(!existsSync(live.folder));
    await cleaner.dispose();
  });
});
