/**
 * Another local user against the copies' folder (#13 item 1): it may make the folder first, put
 * a symbolic link in its place, or try to read or change copies. Played by a real second account
 * (useradd, setpriv), so this file needs root.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, lstatSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SandboxPool, SandboxSetupError } from '../../src/core/sandbox';
import { git, makeRepo, tempDir, type TempRepo } from './sandbox-helpers';

const OTHER = 'rs-other';
const CHILD = join(__dirname, 'sandbox-other-user-child.ts');

let repo: TempRepo;
/** A shared temp folder like /tmp (mode 1777) that stands in for the system's. */
let shared: string;
let uid = 0;
let gid = 0;
const savedTmp = process.env.TMPDIR;

/** Runs argv as the other user, with a clean environment and the shared folder as TMPDIR. */
function asOther(argv: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('setpriv', [`--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', '--', ...argv], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: join(shared, 'home-other'), TMPDIR: shared, ...env },
    timeout: 120_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function ownRoot(): string {
  return join(shared, `repo-specializer-${process.getuid!()}`);
}

before(() => {
  assert.equal(process.getuid?.(), 0, 'these tests play a second local user and need root (useradd, setpriv)');
  if (spawnSync('id', [OTHER]).status !== 0) execFileSync('useradd', ['--no-create-home', '--shell', '/usr/sbin/nologin', OTHER]);
  uid = Number(execFileSync('id', ['-u', OTHER], { encoding: 'utf8' }).trim());
  gid = Number(execFileSync('id', ['-g', OTHER], { encoding: 'utf8' }).trim());
  shared = tempDir('private-folder-shared-');
  chmodSync(shared, 0o1777);
  process.env.TMPDIR = shared;
  repo = makeRepo({ 'app.py': 'print("mine")\n' });
});

after(() => {
  if (savedTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmp;
  repo.cleanup();
  rmSync(shared, { recursive: true, force: true });
});

describe("the copies' folder against another local user", () => {
  test('a folder another user made first in its place is refused, and nothing is written into it', async () => {
    const made = asOther(['mkdir', '-m', '0777', ownRoot()]);
    assert.equal(made.status, 0, made.stderr);
    try {
      await assert.rejects(
        SandboxPool.create({ repoRoot: repo.root, mode: 'host' }),
        (e: Error) => e instanceof SandboxSetupError && /belongs to another user/.test(e.message) && /TMPDIR/.test(e.message),
      );
      assert.deepEqual(readdirSync(ownRoot()), []);
    } finally {
      rmSync(ownRoot(), { recursive: true, force: true });
    }
  });

  test('a symbolic link in its place is refused and never followed', async () => {
    const elsewhere = join(shared, 'chosen-by-other');
    assert.equal(asOther(['mkdir', '-m', '0777', elsewhere]).status, 0);
    assert.equal(asOther(['ln', '-s', elsewhere, ownRoot()]).status, 0);
    try {
      await assert.rejects(SandboxPool.create({ repoRoot: repo.root, mode: 'host' }), (e: Error) => e instanceof SandboxSetupError && /symbolic link/.test(e.message));
      assert.deepEqual(readdirSync(elsewhere), [], 'something was written through the link');
    } finally {
      rmSync(ownRoot(), { force: true });
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  test('a folder of the repository swapped for a symbolic link is refused', async () => {
    const pool = await SandboxPool.create({ repoRoot: repo.root, mode: 'off' });
    const repoFolder = join(pool.folder, '..');
    const real = lstatSync(repoFolder);
    await pool.dispose();
    const elsewhere = tempDir('private-folder-elsewhere-');
    try {
      rmSync(repoFolder, { recursive: true, force: true });
      symlinkSync(elsewhere, repoFolder);
      assert.ok(real.isDirectory());
      await assert.rejects(SandboxPool.create({ repoRoot: repo.root, mode: 'off' }), (e: Error) => e instanceof SandboxSetupError && /symbolic link/.test(e.message));
      assert.deepEqual(readdirSync(elsewhere), []);
    } finally {
      rmSync(repoFolder, { force: true });
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  test('copies are private: the other user can neither read them nor put anything into them', async () => {
    const pool = await SandboxPool.create({ repoRoot: repo.root, mode: 'host' });
    try {
      const copy = await pool.acquire();
      writeFileSync(join(copy.root, 'secret.txt'), 'only mine\n');
      assert.equal(lstatSync(ownRoot()).mode & 0o777, 0o700);
      assert.equal(lstatSync(pool.folder).mode & 0o777, 0o700);
      const tries: [string, string[]][] = [
        ['list the folder', ['ls', ownRoot()]],
        ['read a copy', ['cat', join(copy.root, 'app.py')]],
        ['swap a folder for a link', ['ln', '-sfn', '/', join(copy.root, 'src')]],
        ['rename the copy', ['mv', copy.root, `${copy.root}-moved`]],
      ];
      for (const [what, argv] of tries) {
        const r = asOther(argv);
        assert.notEqual(r.status, 0, `the other user could ${what}: ${r.stdout}`);
        assert.match(r.stderr, /Permission denied/, what);
      }
      await copy.release();
    } finally {
      await pool.dispose();
    }
  });

  test('a second user runs sandboxes of their own beside ours', async () => {
    const pool = await SandboxPool.create({ repoRoot: repo.root, mode: 'host' });
    const theirs = join(shared, 'their-repo');
    try {
      mkdirSync(theirs);
      writeFileSync(join(theirs, 'app.py'), 'print("theirs")\n');
      git(theirs, 'init', '-q', '-b', 'main');
      git(theirs, 'add', '-A');
      git(theirs, 'commit', '-qm', 'theirs');
      execFileSync('chown', ['-R', `${uid}:${gid}`, theirs]);
      mkdirSync(join(shared, 'home-other'), { recursive: true });
      chownSync(join(shared, 'home-other'), uid, gid);
      const r = asOther([process.execPath, '--import', 'tsx', CHILD, theirs, 'host']);
      assert.equal(r.status, 0, r.stderr);
      const result = JSON.parse(r.stdout.trim().split('\n').pop()!) as { folder: string; output: string; exitCode: number };
      assert.equal(result.exitCode, 0);
      assert.match(result.output, /theirs/);
      assert.ok(result.folder.startsWith(join(shared, `repo-specializer-${uid}`, '')), result.folder);
      assert.equal(lstatSync(join(shared, `repo-specializer-${uid}`)).uid, uid);
    } finally {
      await pool.dispose();
      rmSync(theirs, { recursive: true, force: true });
    }
  });
});
