import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { JailError, SandboxPool, type SandboxCopy } from '../../src/core/sandbox';
import { makeRepo, tempDir, type TempRepo } from './sandbox-helpers';

let repo: TempRepo;
let poolDir: string;
let outside: string;
let pool: SandboxPool;
let copy: SandboxCopy;

before(async () => {
  repo = makeRepo({ 'src/app.py': 'print(1)\n', 'docs/guide.md': '# guide\n' });
  poolDir = tempDir('sandbox-jail-pool-');
  outside = tempDir('sandbox-jail-outside-');
  writeFileSync(join(outside, 'secret.txt'), 'secret\n');
  pool = await SandboxPool.create({ repoRoot: repo.root, poolDir, mode: 'off' });
  copy = await pool.acquire();
});

after(async () => {
  await pool.dispose();
  repo.cleanup();
  rmSync(poolDir, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

/** Asserts a JailError whose message speaks of /testbed and leaks no host path. */
function refused(agentPath: string, pattern: RegExp): void {
  let caught: unknown;
  try {
    copy.toHostPath(agentPath);
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof JailError, `expected a JailError for ${agentPath}, got ${caught === undefined ? 'a resolved path' : String(caught)}`);
  const message = (caught as Error).message;
  assert.match(message, pattern);
  assert.ok(!message.includes(copy.root), `message leaks the copy's path: ${message}`);
  assert.ok(!message.includes(repo.root), `message leaks the user's path: ${message}`);
  assert.ok(!message.includes(outside), `message leaks a link target: ${message}`);
}

describe('path jail', () => {
  test('paths inside the copy resolve to real paths inside it', () => {
    assert.equal(copy.toHostPath('/testbed/src/app.py'), join(copy.root, 'src', 'app.py'));
    assert.equal(copy.toHostPath('src/app.py'), join(copy.root, 'src', 'app.py'));
    assert.equal(copy.toHostPath('./docs/../src/app.py'), join(copy.root, 'src', 'app.py'));
    assert.equal(copy.toHostPath('/testbed'), copy.root);
    assert.equal(copy.toHostPath('/testbed/new/dir/file.py'), join(copy.root, 'new', 'dir', 'file.py'));
    assert.equal(copy.root, realpathSync(copy.root));
  });

  test('.. escapes are refused', () => {
    refused('../etc/passwd', /outside the repository at \/testbed/);
    refused('/testbed/../etc/passwd', /outside the repository at \/testbed/);
    refused('src/../../../../etc/passwd', /outside the repository at \/testbed/);
    refused('/testbed/..', /outside the repository/);
  });

  test('absolute paths elsewhere, /proc, devices and the home folder are refused', () => {
    refused('/etc/passwd', /path \/etc\/passwd is outside the repository at \/testbed/);
    refused('/proc/self/environ', /outside the repository at \/testbed/);
    refused('/proc/1/root/etc/shadow', /outside the repository/);
    refused('/dev/zero', /outside the repository/);
    refused('/tmp/x.txt', /outside the repository/);
    refused('~/.ssh/id_rsa', /outside the repository/);
    refused(copy.root + '/src/app.py', /outside the repository/); // the real path is not the agent's to use
    refused('/testbedx/file', /outside the repository/);
  });

  test('symbolic links that lead outside are refused, those that stay inside are followed', () => {
    symlinkSync(outside, join(copy.root, 'linkdir'));
    symlinkSync(join(outside, 'secret.txt'), join(copy.root, 'linkfile'));
    symlinkSync(join(outside, 'not-there-yet.txt'), join(copy.root, 'dangling'));
    symlinkSync('/proc/self', join(copy.root, 'proclink'));
    symlinkSync('/dev/zero', join(copy.root, 'devlink'));
    symlinkSync('linkdir', join(copy.root, 'chain')); // relative link to a link that leaves
    symlinkSync('src', join(copy.root, 'srclink'));
    refused('linkdir/secret.txt', /symbolic link .* leads outside the repository at \/testbed/);
    refused('/testbed/linkdir', /symbolic link/);
    refused('linkdir/new-file.txt', /symbolic link/);
    refused('linkfile', /symbolic link/);
    refused('dangling', /symbolic link/); // a write would create the file outside
    refused('proclink/environ', /symbolic link/);
    refused('devlink', /symbolic link/);
    refused('chain/secret.txt', /symbolic link/);
    assert.equal(copy.toHostPath('srclink/app.py'), join(copy.root, 'src', 'app.py'));
  });

  test('pipes and device nodes inside the copy are refused', () => {
    execFileSync('mkfifo', [join(copy.root, 'pipe')]);
    refused('pipe', /not a regular file or folder/);
    let madeDevice = false;
    try {
      execFileSync('mknod', [join(copy.root, 'zero-device'), 'c', '1', '5'], { stdio: 'ignore' });
      madeDevice = true;
    } catch {
      madeDevice = false; // only root can make device nodes; /dev/zero itself is refused above
    }
    if (madeDevice) refused('zero-device', /not a regular file or folder/);
  });

  test("git's own folder is refused", () => {
    refused('.git/config', /git's own data folder/);
    refused('/testbed/.git', /git's own data folder/);
    symlinkSync('.git', join(copy.root, 'gitlink'));
    refused('gitlink/config', /git's own data folder/);
  });

  test('empty paths and NUL bytes are refused', () => {
    refused('', /empty/);
    refused('src/app.py\0.txt', /NUL/);
  });

  test('toAgentPath maps real paths inside the copy and refuses others', () => {
    assert.equal(copy.toAgentPath(join(copy.root, 'src', 'app.py')), '/testbed/src/app.py');
    assert.equal(copy.toAgentPath(copy.root), '/testbed');
    mkdirSync(join(copy.root, 'deep'), { recursive: true });
    assert.equal(copy.toAgentPath(join(copy.root, 'deep', 'x')), '/testbed/deep/x');
    assert.throws(() => copy.toAgentPath('/etc/passwd'), JailError);
    assert.throws(() => copy.toAgentPath(join(outside, 'secret.txt')), JailError);
  });

  test('run() is refused in mode off', async () => {
    await assert.rejects(copy.run('true', { timeoutMs: 1000, maxOutputBytes: 100 }), /sandbox mode 'off'/);
  });
});
