import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { PathMasker } from '../../src/core/sandbox/mask';
import { OutputClip } from '../../src/core/sandbox/output-clip';
import { hasUntracked, layoutFromLsTree, removeUntracked } from '../../src/core/sandbox/untracked';

describe('output clip', () => {
  test('keeps everything up to the cap, exactly', () => {
    const clip = new OutputClip(10);
    clip.push(Buffer.from('12345'));
    clip.push(Buffer.from('67890'));
    assert.equal(clip.truncated, false);
    assert.equal(clip.text(), '1234567890');
  });

  test('beyond the cap keeps the head and the tail and counts what it dropped', () => {
    const clip = new OutputClip(10);
    for (const piece of ['abc', 'defgh', 'ijklmnop', 'qrstuvwxyz']) clip.push(Buffer.from(piece));
    assert.equal(clip.truncated, true);
    assert.equal(clip.omitted, 16);
    assert.equal(clip.text(), 'abcde\n[output clipped: 16 bytes omitted]\nvwxyz');
  });

  test('a single huge chunk and a zero cap', () => {
    const clip = new OutputClip(4);
    clip.push(Buffer.alloc(1000, 'x'));
    assert.equal(clip.text(), 'xx\n[output clipped: 996 bytes omitted]\nxx');
    const none = new OutputClip(0);
    none.push(Buffer.from('hello'));
    assert.equal(none.text(), '[output clipped: 5 bytes omitted]');
  });
});

describe('path masker', () => {
  const masker = new PathMasker(
    [
      ['/tmp/pool/p1/c1', '/testbed'],
      ['/home/alice/work/shop', '/testbed'],
      ['/tmp/pool/p1', '/tmp/sandbox'],
    ],
    '/home/alice',
    'alice',
  );

  test('known host paths become the paths the agent knows', () => {
    assert.equal(masker.mask('cd /tmp/pool/p1/c1/src && ls /tmp/pool/p1/meta'), 'cd /testbed/src && ls /tmp/sandbox/meta');
    assert.equal(masker.mask('File "/home/alice/work/shop/app.py", line 3'), 'File "/testbed/app.py", line 3');
    assert.equal(masker.mask('/home/alice/.cache/pip'), '/home/user/.cache/pip');
  });

  test('a path matches only whole: c1 does not rewrite c10', () => {
    assert.equal(masker.mask('/tmp/pool/p1/c10/x'), '/tmp/sandbox/c10/x');
    assert.equal(masker.mask('/tmp/pool/p1/c1'), '/testbed');
  });

  test("the user's name is replaced as a word, not inside other words", () => {
    assert.equal(masker.mask('owner alice, group alice-dev'), 'owner user, group user-dev');
    assert.equal(masker.mask('malice and alicent'), 'malice and alicent');
  });

  test('generic account names and $ patterns are left alone', () => {
    const root = new PathMasker([['/srv/c0', '/testbed']], '/root', 'root');
    assert.equal(root.mask('root owns /srv/c0/x; cost $& $1'), 'root owns /testbed/x; cost $& $1');
  });
});

describe('removing untracked files', () => {
  test('everything the tree does not name goes, tracked files, odd names and links stay', async () => {
    const root = mkdtempSync(join(tmpdir(), 'sandbox-untracked-'));
    const outside = mkdtempSync(join(tmpdir(), 'sandbox-untracked-outside-'));
    try {
      const odd = Buffer.from([0x6f, 0x64, 0x64, 0xff, 0x2e, 0x74, 0x78, 0x74]); // "odd\xff.txt", not UTF-8
      mkdirSync(join(root, 'src', 'pkg'), { recursive: true });
      writeFileSync(join(root, 'src', 'pkg', 'a.py'), 'a');
      writeFileSync(Buffer.concat([Buffer.from(`${root}/src/`), odd]), 'odd');
      symlinkSync('pkg/a.py', join(root, 'src', 'link'));
      writeFileSync(join(outside, 'keep'), 'keep');
      // untracked: a file, a folder, an ignored build folder, a nested repository, a link out
      writeFileSync(join(root, 'src', 'new.py'), 'n');
      mkdirSync(join(root, 'build', 'deep'), { recursive: true });
      writeFileSync(join(root, 'build', 'deep', 'o'), 'o');
      execFileSync('git', ['init', '-q', join(root, 'src', 'pkg', 'nested')]);
      symlinkSync(outside, join(root, 'out'));
      mkdirSync(join(root, '.git'));
      const lsTree = Buffer.concat([Buffer.from('src/pkg/a.py\0src/'), odd, Buffer.from('\0src/link\0')]);
      await removeUntracked(root, layoutFromLsTree(lsTree));
      assert.deepEqual(readdirSync(root).sort(), ['.git', 'src']);
      assert.deepEqual(readdirSync(join(root, 'src'), { encoding: 'buffer' }).map((b) => b.toString('latin1')).sort(), ['link', 'odd\xff.txt', 'pkg']);
      assert.deepEqual(readdirSync(join(root, 'src', 'pkg')), ['a.py']);
      assert.deepEqual(readdirSync(outside), ['keep']);
    } finally {
      rmSync(root, { recursive: true, force: true });
      rmSync(outside, { recursive: true, force: true });
    }
  });
});

describe('finding untracked files', () => {
  const layout = layoutFromLsTree(Buffer.from('src/pkg/a.py\0src/b.py\0README.md\0'));
  const tree = (edit?: (root: string) => void): string => {
    const root = mkdtempSync(join(tmpdir(), 'sandbox-has-untracked-'));
    mkdirSync(join(root, 'src', 'pkg'), { recursive: true });
    mkdirSync(join(root, '.git'));
    writeFileSync(join(root, '.git', 'HEAD'), 'x');
    for (const f of ['src/pkg/a.py', 'src/b.py', 'README.md']) writeFileSync(join(root, f), f);
    edit?.(root);
    return root;
  };
  const cases: [string, ((root: string) => void) | undefined, boolean][] = [
    ['only tracked files, edited or deleted', (r) => (writeFileSync(join(r, 'src/b.py'), 'changed'), rmSync(join(r, 'README.md'))), false],
    ['a file added deep down', (r) => writeFileSync(join(r, 'src/pkg/new.py'), 'n'), true],
    ['an empty folder', (r) => mkdirSync(join(r, 'src', 'cache')), true],
    ['a tracked file that became a folder', (r) => (rmSync(join(r, 'src/b.py')), mkdirSync(join(r, 'src/b.py'))), true],
    ['a tracked folder that became a file', (r) => (rmSync(join(r, 'src/pkg'), { recursive: true }), writeFileSync(join(r, 'src/pkg'), 'f')), true],
    ['a tracked folder that became a link', (r) => (rmSync(join(r, 'src/pkg'), { recursive: true }), symlinkSync('.', join(r, 'src/pkg'))), true],
  ];
  test('a folder that cannot be read counts as found, so the caller stages instead of guessing', async () => {
    assert.equal(await hasUntracked(join(tmpdir(), 'sandbox-has-untracked-missing-folder'), layout), true);
  });
  for (const [name, edit, expected] of cases) {
    test(`${name}: ${expected}`, async () => {
      const root = tree(edit);
      try {
        assert.equal(await hasUntracked(root, layout), expected);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    });
  }
});
