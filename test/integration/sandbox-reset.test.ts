/**
 * A hostile teacher against the copies that later rollouts reuse (#13 item 5): a rollout that
 * takes away permissions, or makes its copy impossible to clean, must not spoil the next one.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { bwrapAvailable, SandboxPool } from '../../src/core/sandbox';
import { hostileRollout } from '../support/hostile-teacher';
import { makeRepo, type TempRepo } from './sandbox-helpers';

let repo: TempRepo;

before(() => {
  assert.ok(bwrapAvailable(), 'bubblewrap is needed for these tests: apt-get install -y bubblewrap');
  repo = makeRepo({ 'app.py': 'print("app")\n', 'src/lib/util.py': 'X = 1\n', 'run.sh': '#!/bin/sh\necho run\n' });
});

after(() => repo.cleanup());

describe('a rollout cannot poison its copy for the next', () => {
  test('chmod 000 on /testbed, a folder and files: the next rollout on the same copy works and starts clean', async () => {
    const pool = await SandboxPool.create({ repoRoot: repo.root, mode: 'bwrap' });
    try {
      const first = await hostileRollout(pool, ['chmod 000 src/lib/util.py run.sh && chmod 000 src/lib && chmod 3777 src && chmod 000 /testbed && echo poisoned', 'ls /testbed']);
      assert.match(first.outputs[0], /poisoned/);
      assert.match(first.outputs[1], /Permission denied/, 'the poison should bite within its own rollout (the sandbox has no capabilities)');
      const second = await hostileRollout(pool, ['ls /testbed && cat src/lib/util.py && sh run.sh && stat -c "%a %n" run.sh src/lib/util.py && stat -c "%a %n" /testbed /testbed/src /testbed/src/lib && git status --porcelain && echo all-good']);
      assert.match(second.outputs[0], /X = 1\nrun\n644 run.sh\n644 src\/lib\/util.py\n/);
      assert.match(second.outputs[0], /755 \/testbed\n755 \/testbed\/src\n755 \/testbed\/src\/lib\n/);
      assert.match(second.outputs[0], /all-good/);
      assert.equal(second.patch, '');
    } finally {
      await pool.dispose();
    }
  });

  test('a copy that cannot be cleaned is thrown away and replaced by a fresh checkout', async () => {
    const pool = await SandboxPool.create({ repoRoot: repo.root, mode: 'host' });
    let stuck = '';
    try {
      // as root in mode host the agent may set the immutable flag, which no reset can undo
      const first = await hostileRollout(pool, ['mkdir -p stuck && echo x > stuck/f && chattr +i stuck/f && pwd']);
      assert.equal(first.exit, 'submitted');
      const copyRoot = first.outputs[0].trim() === '/testbed' ? null : first.outputs[0].trim();
      assert.equal(copyRoot, null, 'the host path was masked');
      const second = await hostileRollout(pool, ['ls -A; echo "[$(git status --porcelain)]"']);
      assert.doesNotMatch(second.outputs[0], /stuck/);
      assert.match(second.outputs[0], /\[\]/);
      const folders = execFileSync('find', [pool.folder, '-path', '*/stuck/f'], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
      assert.equal(folders.length, 1, 'the poisoned copy should be left where it was, out of use');
      stuck = folders[0];
    } finally {
      if (stuck && existsSync(stuck)) execFileSync('chattr', ['-i', stuck]);
      else execFileSync('sh', ['-c', `find ${JSON.stringify(pool.folder)} -path '*/stuck/f' -exec chattr -i {} + 2>/dev/null; true`]);
      await pool.dispose();
    }
    assert.ok(!existsSync(join(pool.folder)));
  });
});
