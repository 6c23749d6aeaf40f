import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { scanRepository } from '../../src/core/functions';
import { makeRepo, type FixtureFiles } from '../support/fixture-repo';
import { outline, scanFixture } from '../support/scan-fixture';

const PY = 'def f():\n    return 1\n';

/** The same tree is scanned as a plain folder (our own walk) and as a git repository (git's listing). */
const IGNORE_TREE: FixtureFiles = {
  '.gitignore': 'ignored_dir/\n/top_only.py\n*.generated.ts\n',
  'main.py': PY,
  'top_only.py': PY,
  'pkg/top_only.py': PY,
  'ignored_dir/x.py': PY,
  'ignored_dir/deep/y.py': PY,
  'pkg/.gitignore': 'local_*.py\n/anchored.py\n',
  'pkg/local_dev.py': PY,
  'pkg/sub/local_x.py': PY,
  'pkg/anchored.py': PY,
  'pkg/sub/anchored.py': PY,
  'other/local_dev.py': PY,
  'web/types.generated.ts': 'export function t() {}\n',
  'web/app.ts': 'export function app() {}\n',
};
const KEPT = ['main.py', 'other/local_dev.py', 'pkg/sub/anchored.py', 'pkg/top_only.py', 'web/app.ts'];

test('a plain folder is walked honouring .gitignore files, nested ones included', async () => {
  const result = await scanFixture(IGNORE_TREE, {}, { git: false });
  assert.deepEqual(result.functions.map((f) => f.file), KEPT);
  // Ignored files are not part of the project, so they are not reported as skipped either.
  assert.deepEqual(result.skipped.map((s) => s.file), ['.gitignore', 'pkg/.gitignore']);
});

test('a plain folder reports a vendored or excluded folder once instead of walking it, unless include globs ask for its files', async () => {
  const tree: FixtureFiles = {
    'app.py': PY,
    'node_modules/left-pad/index.js': 'function pad() {}\n',
    'node_modules/left-pad/lib/deep.js': 'function deep() {}\n',
    'web/vendor/lib.js': 'function lib() {}\n',
    'scratch/tmp.py': PY,
  };
  const result = await scanFixture(tree, { exclude: ['scratch/**'] }, { git: false });
  assert.deepEqual(result.functions.map((f) => f.file), ['app.py']);
  assert.deepEqual(result.skipped, [
    { file: 'node_modules/', reason: 'vendored' },
    { file: 'scratch/', reason: 'excluded-by-glob' },
    { file: 'web/vendor/', reason: 'vendored' },
  ]);
  const included = await scanFixture(tree, { include: ['node_modules/left-pad/**'] }, { git: false });
  assert.deepEqual(included.functions.map((f) => f.qualifiedName).sort(), ['deep', 'pad']);
});

test('a git repository lists tracked files plus untracked ones that are not ignored, never deleted ones', async () => {
  const repo = await makeRepo(IGNORE_TREE);
  try {
    repo.write({ 'new_untracked.py': PY, 'pkg/local_new.py': PY, 'ignored_dir/new.py': PY, 'gone.py': PY });
    repo.git('add', 'gone.py');
    repo.git('add', '--force', 'ignored_dir/new.py');
    repo.git('commit', '--quiet', '-m', 'more');
    rmSync(join(repo.root, 'gone.py'));
    const result = await scanRepository(repo.root, { workers: 0 });
    // A tracked file is listed even when a .gitignore pattern matches it (git tracks it anyway).
    assert.deepEqual(result.functions.map((f) => f.file), ['ignored_dir/new.py', ...KEPT.slice(0, 1), 'new_untracked.py', ...KEPT.slice(1)]);
    assert.deepEqual(result.skipped.map((s) => s.file), ['.gitignore', 'pkg/.gitignore']);
  } finally {
    await repo.cleanup();
  }
});

test('a git repository scanned from a subfolder lists that subfolder only, with paths relative to it', async () => {
  const repo = await makeRepo({ 'a/one.py': PY, 'a/b/two.py': PY, 'c/three.py': PY });
  try {
    const result = await scanRepository(join(repo.root, 'a'), { workers: 0 });
    assert.deepEqual(result.functions.map((f) => f.file), ['b/two.py', 'one.py']);
  } finally {
    await repo.cleanup();
  }
});

const BROKEN_PY = `def good_one():
    return 1

def broken(x):
    y = = x
    return y

class K:
    def method(self):
        return self.)

    def other(self):
        return 3

def good_two():
    return 4
`;

const BROKEN_TS = `export function first() {
  return 1;
}

export function broken(a: number {
  const x = ;
  return a;
}

export class C {
  m() {
    if (x {
      return 1;
    }
  }
  n() {
    return 2;
  }
}

export function last() {
  return 3;
}
`;

test('files with syntax errors yield the functions tree-sitter recovers and are listed in filesWithErrors', async () => {
  const result = await scanFixture({ 'src/broken.py': BROKEN_PY, 'src/broken.ts': BROKEN_TS, 'src/fine.py': PY });
  assert.deepEqual(outline(result.functions, 'src/broken.py'), ['good_one 1-2', 'broken 4-6', 'K.method 9-10', 'K.other 12-13', 'good_two 15-16']);
  const ts = result.functions.filter((f) => f.file === 'src/broken.ts').map((f) => f.qualifiedName);
  for (const name of ['first', 'C.n', 'last']) assert.ok(ts.includes(name), `${name} recovered from ${ts.join(', ')}`);
  assert.deepEqual(result.filesWithErrors, ['src/broken.py', 'src/broken.ts']);
  assert.deepEqual(result.skipped, []);
});

test('oddly encoded files still yield functions with correct lines: Latin-1, UTF-16 with and without BOM, UTF-8 BOM, CRLF, lone CR', async () => {
  const latin = Buffer.from('# -*- coding: latin-1 -*-\n# Auteur: Jos\xe9 M\xfcller\n\ndef caf\xe9():\n    return "cr\xe8me"\n\n\nclass K:\n    def m(self):\n        return 1\n', 'latin1');
  const ts = '// ünïcødé\nexport function a() {\n  return 1;\n}\n\nclass B {\n  m() {}\n}\n';
  const ascii = ts.replace(/[^\x00-\x7f]/g, 'u');
  const result = await scanFixture({
    'latin.py': latin,
    'utf16le.ts': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(ts, 'utf16le')]),
    'utf16be.ts': Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(ts, 'utf16le').swap16()]),
    'utf16-no-bom.ts': Buffer.from(ascii, 'utf16le'),
    'utf8-bom.ts': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(ts)]),
    'crlf.ts': ts.replace(/\n/g, '\r\n'),
    'classic-mac.py': 'def a():\r    return 1\r\rdef b():\r    return 2\r',
  });
  const expectTs = ['a 2-4', 'B.m 7-7'];
  for (const file of ['utf16le.ts', 'utf16be.ts', 'utf16-no-bom.ts', 'utf8-bom.ts', 'crlf.ts']) assert.deepEqual(outline(result.functions, file), expectTs, file);
  assert.deepEqual(outline(result.functions, 'latin.py'), ['café 4-5', 'K.m 9-10']);
  assert.deepEqual(outline(result.functions, 'classic-mac.py'), ['a 1-2', 'b 4-5']);
  for (const f of result.functions) assert.ok(!/[\r\n]/.test(f.signature), `${f.file} signature ${JSON.stringify(f.signature)}`);
  assert.equal(result.functions.find((f) => f.file === 'crlf.ts' && f.name === 'a')?.signature, 'export function a() {');
  assert.deepEqual(result.skipped, []);
  assert.deepEqual(result.filesWithErrors, []);
});

test('one unreadable file never stops a scan: it is reported and the rest is scanned', async () => {
  const repo = await makeRepo({ 'ok.py': PY, 'also_ok.go': 'package x\n\nfunc G() {}\n', 'pipe.py': PY });
  try {
    // A tracked file replaced by a named pipe: listed by git, not a file to read (and opening it must not block).
    rmSync(join(repo.root, 'pipe.py'));
    execFileSync('mkfifo', [join(repo.root, 'pipe.py')]);
    const result = await scanRepository(repo.root, { workers: 0 });
    assert.deepEqual(result.functions.map((f) => `${f.file}:${f.name}`), ['also_ok.go:G', 'ok.py:f']);
    assert.deepEqual(result.skipped, [{ file: 'pipe.py', reason: 'unreadable', detail: 'not a regular file' }]);
  } finally {
    await repo.cleanup();
  }
});

test('symbolic links are never followed, committed or not, to files or folders, inside or outside the repository', async () => {
  // What the links lead to: another folder on the machine, with a function whose name must not reach the teacher.
  const outside = await makeRepo({ 'secret_mod.py': 'def outside_secret_function():\n    return 1\n', 'pkg/inner.py': PY }, { git: false });
  for (const git of [true, false]) {
    const repo = await makeRepo({ 'ok.py': PY, 'real/x.py': PY, 'tracked_dir/y.py': PY }, { git, commit: false });
    try {
      symlinkSync(join(outside.root, 'secret_mod.py'), join(repo.root, 'linked_file.py'));
      symlinkSync(join(outside.root, 'pkg'), join(repo.root, 'linked_dir'));
      symlinkSync('ok.py', join(repo.root, 'alias.py'));
      symlinkSync('/etc', join(repo.root, 'etc'));
      if (git) repo.commitAll('links');
      // A (tracked) folder replaced by a link in the working tree.
      rmSync(join(repo.root, 'tracked_dir'), { recursive: true });
      symlinkSync(join(outside.root, 'pkg'), join(repo.root, 'tracked_dir'));
      const result = await scanRepository(repo.root, { workers: 0 });
      assert.deepEqual(result.functions.map((f) => f.file).sort(), ['ok.py', 'real/x.py'], `git ${git}`);
      assert.ok(!JSON.stringify(result).includes('outside_secret_function'));
      const links = result.skipped.filter((s) => s.reason === 'symbolic-link').map((s) => s.file).sort();
      assert.deepEqual(links, ['alias.py', 'etc', 'linked_dir', 'linked_file.py', 'tracked_dir'], `git ${git}`);
    } finally {
      await repo.cleanup();
    }
  }
  await outside.cleanup();
});
