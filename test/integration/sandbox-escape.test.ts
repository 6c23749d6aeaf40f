/**
 * A hostile teacher against the bwrap sandbox (#13 items 2 and 3): its tool calls try to steer a
 * mount onto the host, to read objects outside the base commit, and to read the host's paths.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { bwrapAvailable, SandboxPool } from '../../src/core/sandbox';
import { hostileRollout } from '../support/hostile-teacher';
import { fingerprint, fingerprintDiff, git, makeRepo, tempDir, writeFiles, type TempRepo } from './sandbox-helpers';

const COMMITTED = 'committed-content-4417';
const ON_BRANCH = 'secret-on-other-branch-9921';
const IN_STASH = 'secret-in-stash-5563';
const STAGED = 'secret-staged-never-committed-7308';

let repo: TempRepo;
let canary: string;
let pool: SandboxPool;

before(async () => {
  assert.ok(bwrapAvailable(), 'bubblewrap is needed for these tests: apt-get install -y bubblewrap');
  repo = makeRepo({ 'app.py': `print("${COMMITTED}")\n` }, 'escape-user-repo-');
  git(repo.root, 'checkout', '-q', '-b', 'other');
  writeFiles(repo.root, { 'branch.txt': `${ON_BRANCH}\n` });
  git(repo.root, 'add', 'branch.txt');
  git(repo.root, 'commit', '-qm', 'other branch');
  git(repo.root, 'checkout', '-q', 'main');
  writeFiles(repo.root, { 'app.py': `print("${IN_STASH}")\n` });
  git(repo.root, 'stash', '-q');
  writeFiles(repo.root, { 'staged.txt': `${STAGED}\n` });
  git(repo.root, 'add', 'staged.txt');
  git(repo.root, 'rm', '-q', '--cached', 'staged.txt'); // the blob stays in the object store
  canary = tempDir('escape-canary-');
  pool = await SandboxPool.create({ repoRoot: repo.root, mode: 'bwrap' });
});

after(async () => {
  await pool.dispose();
  repo.cleanup();
  rmSync(canary, { recursive: true, force: true });
});

describe('a hostile teacher in bwrap', () => {
  test('symbolic links where mounts used to go do not create anything on the host', async () => {
    const before = fingerprint(repo.root);
    const target = join(canary, 'made-by-sandbox');
    const gitDir = join(repo.root, '.git');
    const { outputs } = await hostileRollout(pool, [
      // the old layout bind-mounted object stores at .git/shared-objects/N inside the copy
      `mv .git .git-moved && mkdir -p .git/shared-objects && ln -s ${target} .git/shared-objects/0 && ln -s ${gitDir}/escaped .git/shared-objects/1 && ln -s ../../../../../../..${target}-rel .git/shared-objects/2 && echo planted`,
      // and wherever the mounts go now, should they ever be inside the copy
      `mkdir -p run/testbed && ln -s ${target}-objects run/testbed/objects && ln -s ${target}-testbed testbed && echo planted-more`,
      'echo next-command-ran; git log --oneline | head -1',
    ]);
    assert.match(outputs[0], /planted/);
    assert.match(outputs[1], /planted-more/);
    assert.match(outputs[2], /next-command-ran/);
    assert.deepEqual(readdirSync(canary), [], 'a sandbox created something in a host folder');
    assert.ok(!existsSync(join(gitDir, 'escaped')));
    assert.deepEqual(fingerprintDiff(before, fingerprint(repo.root)), [], "the user's repository changed");
  });

  test('the copy holds only objects reachable from the base commit: no other branch, stash or staged blob', async () => {
    const { outputs } = await hostileRollout(pool, [
      'git cat-file --batch-all-objects --batch | base64 -w0',
      'cat .git/objects/info/alternates; for d in $(cat .git/objects/info/alternates); do ls -R "$d" | head -20; done',
    ]);
    const objects = Buffer.from(outputs[0].trim(), 'base64').toString('latin1');
    assert.ok(objects.includes(COMMITTED), `the base commit's own blob should be readable: ${outputs[0].slice(0, 200)}`);
    for (const secret of [ON_BRANCH, IN_STASH, STAGED]) assert.ok(!objects.includes(secret), `${secret} is readable in the sandbox`);
  });

  test('no host path can be read, however it is encoded: /proc/1/cmdline, mountinfo, environ', async () => {
    const files = ['/proc/1/cmdline', '/proc/self/cmdline', '/proc/self/mountinfo', '/proc/1/mountinfo', '/proc/1/environ', '/proc/self/environ', '.git/objects/info/alternates'];
    const { outputs } = await hostileRollout(pool, [`for f in ${files.join(' ')}; do echo "== $f"; base64 -w0 < $f; echo; done`]);
    const decoded = outputs[0]
      .split('\n')
      .filter((l) => l && !l.startsWith('== '))
      .map((l) => Buffer.from(l, 'base64').toString('latin1'))
      .join('\n');
    assert.match(decoded, /\/testbed/, 'the files were read');
    // the copy's own folder shows in the mount table, but its path is neutral: uid, hashes, pid
    const hostPaths = [repo.root, basename(repo.root), join(repo.root, '.git'), homedir()];
    for (const p of hostPaths) assert.ok(!decoded.includes(p), `${p} is readable in the sandbox:\n${decoded}`);
    assert.ok(!decoded.includes('--bind'), 'bwrap options are in a command line the sandbox can read');
  });
});
