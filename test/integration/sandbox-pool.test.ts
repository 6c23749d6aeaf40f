import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SandboxPool, SandboxSetupError, type SandboxCopy, type SandboxOptions } from '../../src/core/sandbox';
import { fingerprint, fingerprintDiff, git, makeRepo, tempDir, writeFiles } from './sandbox-helpers';

const BINARY = Buffer.from([0, 1, 2, 3, 255, 254, 0, 10]);
const FILES = {
  'src/app.py': 'def main():\n    return 1\n',
  'src/util.py': 'X = 1\n',
  'scripts/run.sh': '#!/bin/sh\necho run\n',
  'data/blob.bin': BINARY,
  'README.md': '# demo\n',
  '.gitignore': 'build/\n*.log\n',
};

let poolDir: string;
let outside: string;

before(() => {
  poolDir = tempDir('sandbox-pool-pool-');
  outside = tempDir('sandbox-pool-outside-');
  writeFileSync(join(outside, 'keep.txt'), 'keep\n');
});

after(() => {
  rmSync(poolDir, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

/** The copy's files (without .git) as a fingerprint, to compare against a fresh checkout. */
function tree(root: string): Map<string, string> {
  const all = fingerprint(root);
  return new Map([...all].filter(([k]) => k !== '.git' && !k.startsWith('.git/')));
}

/** Everything the user could notice: the working tree and all of .git, byte for byte, plus git's own view. */
function userState(root: string) {
  return {
    files: fingerprint(root),
    status: git(root, 'status', '--porcelain', '--untracked-files=all'),
    refs: git(root, 'for-each-ref'),
    stash: git(root, 'stash', 'list'),
    head: readFileSync(join(root, '.git', 'HEAD'), 'utf8'),
    worktrees: git(root, 'worktree', 'list', '--porcelain'),
  };
}

function assertSameUserState(before: ReturnType<typeof userState>, after: ReturnType<typeof userState>): void {
  assert.deepEqual(fingerprintDiff(before.files, after.files), [], "the user's repository changed");
  assert.equal(after.status, before.status);
  assert.equal(after.refs, before.refs);
  assert.equal(after.stash, before.stash);
  assert.equal(after.head, before.head);
  assert.equal(after.worktrees, before.worktrees);
}

/** A fresh repository of FILES and a pool on it, both removed afterwards. */
async function withPool(options: Omit<SandboxOptions, 'repoRoot'>, body: (pool: SandboxPool, repoRoot: string) => Promise<void>): Promise<void> {
  const repo = makeRepo(FILES);
  const pool = await SandboxPool.create({ repoRoot: repo.root, ...options });
  try {
    await body(pool, repo.root);
  } finally {
    await pool.dispose();
    repo.cleanup();
  }
}

/** 50 rollouts that write, delete, commit inside the copy and diff, a few of them overlapping. */
async function rollouts(repoRoot: string): Promise<void> {
  const pool = await SandboxPool.create({ repoRoot, poolDir, mode: 'host', includeUncommitted: true });
  try {
    const held: SandboxCopy[] = [];
    for (let i = 0; i < 50; i++) {
      const copy = await pool.acquire();
      writeFiles(copy.root, { [`gen/file${i}.py`]: `print(${i})\n`, 'src/app.py': `edit ${i}\n` });
      if (i % 3 === 0) unlinkSync(join(copy.root, 'src/util.py'));
      if (i % 10 === 0) {
        const r = await copy.run('git add -A && git commit -qm step && git checkout -q -b b$RANDOM', { timeoutMs: 10_000, maxOutputBytes: 1000 });
        assert.equal(r.exitCode, 0, r.output);
      }
      const patch = await copy.diff();
      assert.match(patch, new RegExp(`b/gen/file${i}\\.py`));
      if (i % 7 === 0) held.push(copy); // a few overlap, so more than one folder is in play
      else await copy.release();
      if (held.length > 2) await held.shift()!.release();
    }
    for (const c of held) await c.release();
  } finally {
    await pool.dispose();
  }
}
describe('sandbox pool', () => {
  test('a released copy comes back clean in the same folder after writes, deletions, additions and git games', () =>
    withPool({ poolDir, mode: 'host' }, async (pool) => {
      const copy = await pool.acquire();
      const pristine = tree(copy.root);
      const root = copy.root;
      writeFileSync(join(root, 'src/app.py'), 'changed\n');
      unlinkSync(join(root, 'src/util.py'));
      writeFiles(root, { 'new/deep/file.py': 'new\n', 'build/out.o': 'ignored\n', 'debug.log': 'ignored\n' });
      chmodSync(join(root, 'README.md'), 0o755);
      rmSync(join(root, 'data'), { recursive: true });
      symlinkSync(outside, join(root, 'data')); // a tracked folder replaced by a link that leads outside
      const r = await copy.run(
        'git checkout -q -b agent-branch && git add -A && git commit -qm agent && git tag agent-tag && echo x >> README.md && git stash -q && git init -q nested && git config user.name changed',
        { timeoutMs: 10_000, maxOutputBytes: 10_000 },
      );
      assert.equal(r.exitCode, 0, r.output);
      await copy.release();

      const again = await pool.acquire();
      assert.equal(again.root, root, 'the pool handed out a new folder instead of reusing the released one');
      assert.deepEqual(fingerprintDiff(pristine, tree(again.root)), []);
      assert.deepEqual(readdirSync(outside), ['keep.txt'], 'the reset wrote through the link');
      const view = await again.run('git status --porcelain; git stash list; git for-each-ref; git log --format=%H; git config user.name', {
        timeoutMs: 10_000,
        maxOutputBytes: 10_000,
      });
      assert.equal(view.output, `${pool.baseCommit}\ntestbed\n`);
      assert.equal(await again.diff(), '');
      await again.release();
    }));

  test("a reset rebuilds the copy's .git and empties HOME and TMPDIR, however slightly they changed", () =>
    withPool({ poolDir, mode: 'host' }, async (pool) => {
      const run = (copy: SandboxCopy, command: string) => copy.run(command, { timeoutMs: 10_000, maxOutputBytes: 10_000 });
      const copy = await pool.acquire();
      const root = copy.root;
      // HEAD rewritten in place to another commit of the same length, within the same second
      const other = git(root, 'hash-object', '-w', '--stdin').trim();
      assert.equal((await run(copy, `printf '%s\\n' ${other} | dd of=.git/HEAD conv=notrunc status=none && mkdir -p "$HOME/.cache" && echo x > "$TMPDIR/t"`)).exitCode, 0);
      assert.equal(readFileSync(join(root, '.git/HEAD'), 'utf8'), `${other}\n`);
      await copy.release();
      const again = await pool.acquire();
      assert.equal(again.root, root);
      assert.equal(readFileSync(join(root, '.git/HEAD'), 'utf8'), `${pool.baseCommit}\n`, 'a changed .git is rebuilt');
      const view = await run(again, 'git log --format=%H; ls -A "$HOME" "$TMPDIR"');
      assert.equal(view.output.split('\n')[0], pool.baseCommit);
      assert.doesNotMatch(view.output, /\.cache|\bt\b/, 'files left in HOME and TMPDIR are gone');
      await again.release();
    }));

  test('diff() shows edits, new files and deletions with a/ b/ paths and summarises binary files', () =>
    withPool({ poolDir, mode: 'off' }, async (pool, repoRoot) => {
      const copy = await pool.acquire();
      writeFileSync(join(copy.root, 'src/app.py'), 'def main():\n    return 2\n');
      writeFiles(copy.root, { 'src/added.py': 'print("new")\n', 'data/new.bin': Buffer.from([0, 0, 1]), 'build/skip.txt': 'ignored\n' });
      writeFileSync(join(copy.root, 'data/blob.bin'), Buffer.from([0, 9, 9, 9]));
      unlinkSync(join(copy.root, 'README.md'));
      const patch = await copy.diff();
      assert.match(patch, /^diff --git a\/src\/app\.py b\/src\/app\.py$/m);
      assert.match(patch, /^-    return 1$/m);
      assert.match(patch, /^\+    return 2$/m);
      assert.match(patch, /^diff --git a\/src\/added\.py b\/src\/added\.py\nnew file mode 100644/m);
      assert.match(patch, /^\+print\("new"\)$/m);
      assert.match(patch, /^diff --git a\/README\.md b\/README\.md\ndeleted file mode 100644/m);
      assert.match(patch, /^Binary files a\/data\/blob\.bin and b\/data\/blob\.bin differ$/m);
      assert.match(patch, /^Binary files \/dev\/null and b\/data\/new\.bin differ$/m);
      assert.ok(!patch.includes('build/skip.txt'), 'an ignored file is in the patch');
      assert.ok(!patch.includes(copy.root) && !patch.includes(repoRoot));
      assert.equal(await copy.diff(), patch, 'diff() is repeatable');
      await copy.release();
    }));

  test('diff() shows mode changes, a file that became a link and a lost last newline; an empty folder changes nothing', () =>
    withPool({ poolDir, mode: 'off' }, async (pool) => {
      const copy = await pool.acquire();
      writeFileSync(join(copy.root, 'src/app.py'), 'def main():\r\n    return 2\r\n');
      writeFileSync(join(copy.root, 'src/util.py'), 'X = 1'); // the last newline removed
      writeFileSync(join(copy.root, 'data/blob.bin'), Buffer.from([0, 9, 9]));
      chmodSync(join(copy.root, 'scripts/run.sh'), 0o755);
      unlinkSync(join(copy.root, 'README.md'));
      symlinkSync('src/app.py', join(copy.root, 'README.md')); // a file became a link
      const tracked = await copy.diff();
      for (const header of ['a/src/app.py', 'a/src/util.py', 'a/data/blob.bin', 'a/scripts/run.sh', 'a/README.md']) assert.ok(tracked.includes(`diff --git ${header}`), header);
      assert.match(tracked, /^old mode 100644\nnew mode 100755$/m);
      assert.match(tracked, /^new file mode 120000$/m);
      mkdirSync(join(copy.root, 'src', 'empty'));
      assert.equal(await copy.diff(), tracked);
      await copy.release();
    }));

  test('a nested repository the agent made is left out of diff(), which still shows everything else', () =>
    withPool({ poolDir, mode: 'host' }, async (pool) => {
      const copy = await pool.acquire();
      const r = await copy.run(
        'mkdir x && cd x && git init -q && cd .. && mkdir y && cd y && git init -q && echo 1 > one && git add one && git -c user.name=a -c user.email=a@b.invalid commit -qm y && cd .. && (cd src && git init -q) && echo "X = 2" > src/util.py && echo new > added.txt',
        { timeoutMs: 10_000, maxOutputBytes: 10_000 },
      );
      assert.equal(r.exitCode, 0, r.output);
      const patch = await copy.diff();
      assert.match(patch, /^\+X = 2$/m, 'an edit inside a tracked folder that became a repository');
      assert.match(patch, /^diff --git a\/added\.txt b\/added\.txt$/m);
      assert.ok(!/ b\/[xy]\b/.test(patch), `a nested repository is in the patch:\n${patch}`);
      await copy.release();
      const again = await pool.acquire();
      assert.equal(await again.diff(), '');
      assert.ok(!existsSync(join(again.root, 'x')) && !existsSync(join(again.root, 'y')) && !existsSync(join(again.root, 'src', '.git')));
      await again.release();
    }));

  test('a nested repository with a commit, the only one, is left out too (git would stage it as a submodule)', () =>
    withPool({ poolDir, mode: 'host' }, async (pool) => {
      const copy = await pool.acquire();
      const r = await copy.run('mkdir y && cd y && git init -q && echo 1 > one && git add one && git -c user.name=a -c user.email=a@b.invalid commit -qm y && cd .. && echo new > added.txt', { timeoutMs: 10_000, maxOutputBytes: 10_000 });
      assert.equal(r.exitCode, 0, r.output);
      const patch = await copy.diff();
      assert.match(patch, /^diff --git a\/added\.txt b\/added\.txt$/m);
      assert.ok(!/ b\/y\b|Subproject commit/.test(patch), `the nested repository is in the patch:\n${patch}`);
      assert.equal(await copy.diff(), patch, 'a second look gives the same patch');
      await copy.release();
    }));

  test("includeUncommitted: the copy holds the user's edits and untracked files; the user's repository is untouched", async () => {
    const repo = makeRepo(FILES);
    git(repo.root, 'branch', 'feature');
    git(repo.root, 'tag', 'v1');
    writeFileSync(join(repo.root, 'README.md'), '# stashed\n');
    git(repo.root, 'stash', '-q');
    writeFileSync(join(repo.root, 'src/app.py'), 'def main():\n    return 42\n'); // modified
    writeFileSync(join(repo.root, 'src/util.py'), 'X = 2\n');
    git(repo.root, 'add', 'src/util.py'); // staged
    writeFiles(repo.root, { 'notes/todo.txt': 'untracked\n', 'build/cache.bin': 'ignored\n' });
    unlinkSync(join(repo.root, 'scripts/run.sh')); // deleted
    const before = userState(repo.root);
    const indexBytes = readFileSync(join(repo.root, '.git', 'index'));
    // variables npm and shells set, which simple-git refuses to pass on
    const saved = { EDITOR: process.env.EDITOR, PAGER: process.env.PAGER, GIT_DIR: process.env.GIT_DIR };
    Object.assign(process.env, { EDITOR: 'vi', PAGER: 'less', GIT_DIR: '/nonexistent' });
    let pool: SandboxPool;
    try {
      pool = await SandboxPool.create({ repoRoot: join(repo.root, 'src'), poolDir, mode: 'off', includeUncommitted: true });
    } finally {
      for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
    }
    try {
      assert.notEqual(pool.baseCommit, repo.head);
      const copy = await pool.acquire();
      assert.equal(readFileSync(join(copy.root, 'src/app.py'), 'utf8'), 'def main():\n    return 42\n');
      assert.equal(readFileSync(join(copy.root, 'src/util.py'), 'utf8'), 'X = 2\n');
      assert.equal(readFileSync(join(copy.root, 'notes/todo.txt'), 'utf8'), 'untracked\n');
      assert.equal(readFileSync(join(copy.root, 'README.md'), 'utf8'), '# demo\n', 'stashed changes are not uncommitted work');
      assert.ok(!existsSync(join(copy.root, 'build/cache.bin')), 'an ignored file was copied');
      assert.ok(!existsSync(join(copy.root, 'scripts/run.sh')), 'a deleted file came back');
      assert.equal(await copy.diff(), '', 'the snapshot is the base, so an untouched copy has no diff');
      await copy.release();
      assertSameUserState(before, userState(repo.root));
      assert.ok(readFileSync(join(repo.root, '.git', 'index')).equals(indexBytes));
    } finally {
      await pool.dispose();
      repo.cleanup();
    }
  });

  test('without includeUncommitted the copy is the base commit; baseRef picks another commit', async () => {
    const repo = makeRepo(FILES);
    const first = repo.head;
    writeFileSync(join(repo.root, 'src/app.py'), 'second\n');
    git(repo.root, 'commit', '-qam', 'second');
    writeFileSync(join(repo.root, 'src/app.py'), 'uncommitted\n');
    const head = await SandboxPool.create({ repoRoot: repo.root, poolDir, mode: 'off' });
    const old = await SandboxPool.create({ repoRoot: repo.root, poolDir, mode: 'off', baseRef: first });
    try {
      const a = await head.acquire();
      const b = await old.acquire();
      assert.equal(readFileSync(join(a.root, 'src/app.py'), 'utf8'), 'second\n');
      assert.equal(readFileSync(join(b.root, 'src/app.py'), 'utf8'), FILES['src/app.py']);
      assert.equal(old.baseCommit, first);
      assert.equal(head.repoName, old.repoName);
    } finally {
      await head.dispose();
      await old.dispose();
      repo.cleanup();
    }
  });

  test("the user's repository is byte-identical after 50 acquire/write/diff/release rollouts", async () => {
    const repo = makeRepo(FILES);
    git(repo.root, 'branch', 'topic');
    git(repo.root, 'tag', '-a', 'v1', '-m', 'one');
    writeFileSync(join(repo.root, 'README.md'), '# wip\n');
    git(repo.root, 'stash', '-q');
    writeFileSync(join(repo.root, 'src/app.py'), 'dirty\n');
    writeFiles(repo.root, { 'untracked.txt': 'u\n' });
    git(repo.root, 'config', 'core.custom', 'kept');
    const before = userState(repo.root);
    try {
      await rollouts(repo.root);
      assertSameUserState(before, userState(repo.root));
      assert.ok(!existsSync(join(repo.root, '.git', 'worktrees')));
    } finally {
      repo.cleanup();
    }
  });



  test('two pools on one repository at once keep apart; dispose removes only its own folder', async () => {
    const repo = makeRepo(FILES);
    const a = await SandboxPool.create({ repoRoot: repo.root, poolDir, mode: 'off' });
    const b = await SandboxPool.create({ repoRoot: repo.root, poolDir, mode: 'off' });
    try {
      assert.notEqual(a.folder, b.folder);
      const ca = await a.acquire();
      const cb = await b.acquire();
      writeFileSync(join(ca.root, 'a.txt'), 'a\n');
      writeFileSync(join(cb.root, 'b.txt'), 'b\n');
      assert.match(await ca.diff(), /b\/a\.txt/);
      assert.ok(!(await ca.diff()).includes('b.txt'));
      assert.match(await cb.diff(), /b\/b\.txt/);
      await a.dispose();
      assert.ok(!existsSync(a.folder));
      assert.ok(existsSync(cb.root));
      assert.match(await cb.diff(), /b\/b\.txt/);
      await assert.rejects(a.acquire(), /disposed/);
      await assert.rejects(ca.diff(), /disposed/);
      await ca.release(); // harmless after dispose
    } finally {
      await b.dispose();
      repo.cleanup();
    }
  });

  test('warm() checks out copies ahead, which acquire then hands out without a checkout', () =>
    withPool({ poolDir, mode: 'off' }, async (pool) => {
      await pool.warm(3);
      const roots = readdirSync(pool.folder).filter((n) => /^c\d+$/.test(n));
      assert.equal(roots.length, 3);
      const copies = [await pool.acquire(), await pool.acquire(), await pool.acquire()];
      assert.equal(new Set(copies.map((c) => c.root)).size, 3);
      assert.equal(readdirSync(pool.folder).filter((n) => /^c\d+$/.test(n)).length, 3, 'acquire made a copy although warm ones were idle');
      await pool.warm(3); // all three are out: nothing more to make
      assert.equal(readdirSync(pool.folder).filter((n) => /^c\d+$/.test(n)).length, 3);
      for (const c of copies) await c.release();
    }));

  test('file names that are not UTF-8 survive the reset', async () => {
    const repo = makeRepo(FILES);
    const odd = Buffer.concat([Buffer.from(`${repo.root}/data/`), Buffer.from([0x6e, 0xe9, 0x2e, 0x74, 0x78, 0x74])]); // "n\xe9.txt" in latin1
    writeFileSync(odd, 'latin1 name\n');
    git(repo.root, 'add', '-A');
    git(repo.root, 'commit', '-qm', 'odd name');
    const pool = await SandboxPool.create({ repoRoot: repo.root, poolDir, mode: 'off' });
    try {
      const copy = await pool.acquire();
      const names = () => readdirSync(join(copy.root, 'data'), { encoding: 'buffer' }).map((b) => b.toString('latin1')).sort();
      const before = names();
      assert.ok(before.includes('n\xe9.txt'));
      writeFileSync(join(copy.root, 'data', 'extra.txt'), 'x');
      await copy.release();
      const again = await pool.acquire();
      assert.equal(again.root, copy.root);
      assert.deepEqual(names(), before);
      await again.release();
    } finally {
      await pool.dispose();
      repo.cleanup();
    }
  });

  test('setup errors say what to do', async () => {
    const plain = tempDir('sandbox-pool-plain-');
    const empty = tempDir('sandbox-pool-empty-');
    const repo = makeRepo(FILES);
    try {
      await assert.rejects(SandboxPool.create({ repoRoot: plain, poolDir, mode: 'off' }), (e: Error) => e instanceof SandboxSetupError && /not inside a git work tree/.test(e.message));
      await assert.rejects(SandboxPool.create({ repoRoot: repo.root, poolDir, mode: 'off', baseRef: 'no-such-branch' }), /does not name a commit/);
      await assert.rejects(SandboxPool.create({ repoRoot: repo.root, poolDir: join(repo.root, 'pools'), mode: 'off' }), /inside the repository/);
      await assert.rejects(SandboxPool.create({ repoRoot: repo.root, poolDir, mode: 'docker' }), /needs a docker image/);
      git(empty, 'init', '-q');
      writeFiles(empty, { 'first.txt': 'first\n' });
      await assert.rejects(SandboxPool.create({ repoRoot: empty, poolDir, mode: 'off' }), /no commits yet/);
      const fromNothing = await SandboxPool.create({ repoRoot: empty, poolDir, mode: 'off', includeUncommitted: true });
      const c = await fromNothing.acquire();
      assert.equal(readFileSync(join(c.root, 'first.txt'), 'utf8'), 'first\n');
      await fromNothing.dispose();
    } finally {
      rmSync(empty, { recursive: true, force: true });
      rmSync(plain, { recursive: true, force: true });
      repo.cleanup();
    }
  });

  test("copies live outside the workspace, default one folder per repository in the user's private folder", async () => {
    let folder = '';
    await withPool({ mode: 'off' }, async (pool, repoRoot) => {
      folder = pool.folder;
      const copy = await pool.acquire();
      assert.ok(!copy.root.startsWith(repoRoot));
      assert.ok(pool.folder.startsWith(join(realpathSync(tmpdir()), `repo-specializer-${process.getuid!()}`, '')), pool.folder);
      assert.ok(!pool.folder.includes(basename(repoRoot)), 'the path does not name the repository');
      assert.ok(statSync(copy.root).isDirectory());
      mkdirSync(join(copy.root, 'x'));
      await copy.release();
      // the reset goes on in the pool; the next acquire waits for it rather than make a new checkout
      const again = await pool.acquire();
      assert.equal(again.root, copy.root);
      assert.ok(!existsSync(join(again.root, 'x')));
      await again.release();
    });
    assert.ok(!existsSync(folder));
  });
});
