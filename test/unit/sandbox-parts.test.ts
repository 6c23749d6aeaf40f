import assert from 'node:assert/strict';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { PathMasker } from '../../src/core/sandbox/mask';
import { OutputClip } from '../../src/core/sandbox/output-clip';
import { restoreFolderModes } from '../../src/core/sandbox/remove-tree';

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

describe('restoring folder modes', () => {
  test('every folder below gets the mode back, odd names included; links and files are left alone', async () => {
    const root = mkdtempSync(join(tmpdir(), 'sandbox-modes-'));
    const outside = mkdtempSync(join(tmpdir(), 'sandbox-modes-outside-'));
    const odd = Buffer.concat([Buffer.from(`${root}/a/`), Buffer.from([0x6f, 0xff])]); // not UTF-8
    try {
      mkdirSync(join(root, 'a', 'b', 'c'), { recursive: true });
      mkdirSync(odd);
      writeFileSync(join(root, 'a', 'file'), 'f');
      chmodSync(join(root, 'a', 'file'), 0o600);
      chmodSync(outside, 0o700);
      symlinkSync(outside, join(root, 'a', 'link'));
      chmodSync(odd, 0o777);
      chmodSync(join(root, 'a', 'b', 'c'), 0o3777);
      chmodSync(join(root, 'a', 'b'), 0o000);
      chmodSync(root, 0o000);
      await restoreFolderModes(root, 0o755);
      for (const dir of [root, join(root, 'a'), join(root, 'a', 'b'), join(root, 'a', 'b', 'c')]) assert.equal(lstatSync(dir).mode & 0o7777, 0o755, dir);
      assert.equal(lstatSync(odd).mode & 0o7777, 0o755);
      assert.equal(lstatSync(outside).mode & 0o7777, 0o700, 'a link was followed');
      assert.equal(lstatSync(join(root, 'a', 'file')).mode & 0o7777, 0o600);
    } finally {
      rmSync(root, { recursive: true, force: true });
      rmSync(outside, { recursive: true, force: true });
    }
  });
});
