import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { PatchParseError, changedLines, parseUnifiedDiff, scoreOverlap } from '../../src/core/verify';

// Every patch here is real `git diff` output from a throwaway repository.
const roots: string[] = [];
after(() => {
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});

type Files = Record<string, string | Buffer | null>; // null deletes the file

function write(root: string, files: Files) {
  for (const [name, content] of Object.entries(files)) {
    const p = path.join(root, name);
    if (content === null) fs.rmSync(p);
    else {
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, content);
    }
  }
}

/** Commits `before`, applies `after`, and returns `git diff --cached -M` of the change. */
function gitDiff(before: Files, afterChange: Files, extra: string[] = []): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-git-'));
  roots.push(root);
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'core.autocrlf=false', ...args], { cwd: root, encoding: 'utf8' });
  git('init', '-q');
  write(root, before);
  git('add', '-A');
  git('commit', '-qm', 'base', '--allow-empty');
  write(root, afterChange);
  git('add', '-A');
  return git('diff', '--cached', '-M', '--no-color', ...extra);
}

const keys = (patch: string) => changedLines(patch).map((l) => l.sign + l.text);

describe('changed lines of real git diffs', () => {
  it('counts a removed "-- x" (written "--- x") and an added "++i;" (written "+++i;") as changed lines', () => {
    const d = gitDiff({ 'q.sql': 'select 1;\n-- old comment\ni = 0;\n' }, { 'q.sql': 'select 1;\ni = 0;\n++i;\n' });
    assert.match(d, /^--- old comment$/m);
    assert.match(d, /^\+\+\+i;$/m);
    const lines = changedLines(d);
    assert.deepEqual(
      lines.map(({ sign, text, oldLine, newLine }) => ({ sign, text, oldLine, newLine })),
      [
        { sign: '-', text: '-- old comment', oldLine: 2, newLine: undefined },
        { sign: '+', text: '++i;', oldLine: undefined, newLine: 3 },
      ],
    );
    // Prefix checks (skip anything starting with --- or +++) would find nothing to score here.
    assert.equal(scoreOverlap(d, d).recall, 1);
  });

  it('reads a hunk whose changed lines look exactly like file headers', () => {
    const d = gitDiff({ 'notes.txt': 'intro\n-- a/x.py\nend\n' }, { 'notes.txt': 'intro\n++ b/x.py\nend\n' });
    assert.match(d, /^--- a\/x\.py\n\+\+\+ b\/x\.py\n end$/m);
    assert.deepEqual(keys(d), ['--- a/x.py', '+++ b/x.py']);
    assert.equal(parseUnifiedDiff(d).length, 1);
  });

  it('ignores "\\ No newline at end of file" markers, which do not change a line\'s text', () => {
    const d = gitDiff({ 'n.txt': 'keep\nlast' }, { 'n.txt': 'keep\nlast2' });
    assert.equal(d.match(/^\\ No newline at end of file$/gm)?.length, 2);
    assert.deepEqual(keys(d), ['-last', '+last2']);
    // A line added without a final newline reproduces the same line added with one.
    const p1 = gitDiff({ 'n.txt': 'a\n' }, { 'n.txt': 'a\nx' });
    const p2 = gitDiff({ 'n.txt': 'a\n' }, { 'n.txt': 'a\nx\n' });
    assert.match(p1, /No newline/);
    assert.doesNotMatch(p2, /No newline/);
    assert.equal(scoreOverlap(p1, p2).recall, 1);
    // Adding the missing newline shows as the same text removed and added.
    assert.deepEqual(keys(gitDiff({ 'n.txt': 'a\nb' }, { 'n.txt': 'a\nb\n' })), ['-b', '+b']);
  });

  it('treats line-end carriage returns as line endings, whether from a CRLF file or a CRLF-saved patch', () => {
    const d = gitDiff({ 'w.txt': 'line1\r\nline2\r\n' }, { 'w.txt': 'line1\r\nline2 changed\r\n' });
    assert.match(d, /^\+line2 changed\r$/m, 'git keeps the file\'s CR in the patch');
    assert.deepEqual(keys(d), ['-line2', '+line2 changed']);
    const savedWithCrlf = d.replace(/\n/g, '\r\n'); // now "...changed\r\r\n"
    assert.deepEqual(keys(savedWithCrlf), keys(d));
    assert.equal(scoreOverlap(d, savedWithCrlf).recall, 1);
    // The same edit made in an LF copy of the file counts as reproduced.
    const lf = gitDiff({ 'w.txt': 'line1\nline2\n' }, { 'w.txt': 'line1\nline2 changed\n' });
    assert.equal(scoreOverlap(d, lf).recall, 1);
    // A CR inside a line is text.
    assert.deepEqual(keys(gitDiff({ 'w.txt': 'a\n' }, { 'w.txt': 'a\nb\rc\n' })), ['+b\rc']);
  });

  it('reports a pure rename with no changed lines, and a rename with edits with its new path', () => {
    const body = Array.from({ length: 12 }, (_, i) => `line ${i}\n`).join('');
    const pure = gitDiff({ 'old/name.py': body }, { 'old/name.py': null, 'new/name.py': body });
    assert.deepEqual(parseUnifiedDiff(pure), [{ oldPath: 'old/name.py', newPath: 'new/name.py', status: 'renamed', hunks: [] }]);
    assert.deepEqual(changedLines(pure), []);
    assert.equal(scoreOverlap(pure, pure).recall, null, 'a rename alone has nothing to score');

    const edited = gitDiff({ 'a.py': body }, { 'a.py': null, 'b.py': body.replace('line 5\n', 'line five\n') });
    const [file] = parseUnifiedDiff(edited);
    assert.equal(file.status, 'renamed');
    assert.deepEqual([file.oldPath, file.newPath], ['a.py', 'b.py']);
    assert.deepEqual(
      changedLines(edited).map((l) => [l.file, l.sign, l.text]),
      [
        ['b.py', '-', 'line 5'],
        ['b.py', '+', 'line five'],
      ],
    );
    // The same edit without the rename reproduces it fully: file names are not part of a line.
    const inPlace = gitDiff({ 'a.py': body }, { 'a.py': body.replace('line 5\n', 'line five\n') });
    assert.equal(scoreOverlap(edited, inPlace).recall, 1);
  });

  it('reads new and deleted files', () => {
    const d = gitDiff({ 'gone.py': 'x = 1\ny = 2\n', 'keep.py': 'k\n' }, { 'gone.py': null, 'fresh.py': 'z = 3\n\nw = 4\n' });
    const files = parseUnifiedDiff(d);
    assert.deepEqual(
      files.map((f) => [f.status, f.oldPath, f.newPath]),
      [
        ['added', null, 'fresh.py'],
        ['deleted', 'gone.py', null],
      ],
    );
    assert.deepEqual(
      changedLines(d).map((l) => [l.file, l.sign, l.text, l.hunk, l.oldLine ?? l.newLine]),
      [
        ['fresh.py', '+', 'z = 3', 0, 1],
        ['fresh.py', '+', 'w = 4', 0, 3], // the blank line 2 is dropped
        ['gone.py', '-', 'x = 1', 1, 1],
        ['gone.py', '-', 'y = 2', 1, 2],
      ],
    );
  });

  it('reads binary files (plain and --binary) as having no changed lines', () => {
    const before = { 'img.bin': Buffer.from([0, 1, 2, 3]), 't.txt': 'a\n' };
    const afterChange = { 'img.bin': Buffer.from([0, 9, 9, 3]), 'new.bin': Buffer.from([0, 7]), 't.txt': 'b\n' };
    for (const extra of [[], ['--binary']]) {
      const d = gitDiff(before, afterChange, extra);
      assert.match(d, extra.length ? /GIT binary patch/ : /Binary files a\/img.bin and b\/img.bin differ/);
      const files = parseUnifiedDiff(d);
      assert.deepEqual(
        files.map((f) => [f.status, f.oldPath, f.newPath, f.hunks.length]),
        [
          ['binary', 'img.bin', 'img.bin', 0],
          ['binary', null, 'new.bin', 0],
          ['modified', 't.txt', 't.txt', 1],
        ],
      );
      assert.deepEqual(keys(d), ['-a', '+b']);
    }
  });

  it('numbers hunks across files and keeps line numbers of both sides', () => {
    const body = Array.from({ length: 30 }, (_, i) => `v${i} = ${i}\n`).join('');
    const d = gitDiff({ 'a.py': body, 'b.py': body }, { 'a.py': body.replace('v3 = 3', 'v3 = 33').replace('v25 = 25\n', ''), 'b.py': body.replace('v10 = 10\n', 'v10 = 10\nextra = 1\n') });
    assert.deepEqual(
      changedLines(d).map((l) => [l.file, l.hunk, l.index, l.sign, l.text, l.oldLine, l.newLine]),
      [
        ['a.py', 0, 0, '-', 'v3 = 3', 4, undefined],
        ['a.py', 0, 1, '+', 'v3 = 33', undefined, 4],
        ['a.py', 1, 2, '-', 'v25 = 25', 26, undefined],
        ['b.py', 2, 3, '+', 'extra = 1', undefined, 12],
      ],
    );
  });

  it('reports a malformed patch as PatchParseError', () => {
    const d = gitDiff({ 'a.txt': 'a\nb\nc\n' }, { 'a.txt': 'a\nB\nc\n' });
    const cut = d.replace(/^ c\n/m, ''); // the hunk now has fewer lines than its header says
    assert.throws(() => parseUnifiedDiff(cut), PatchParseError);
    assert.throws(() => scoreOverlap(cut, d), PatchParseError);
    assert.throws(() => scoreOverlap(d.replace(/^ c$/m, ' c\n+surplus'), d), PatchParseError);
  });

  it('reads plain diff -u output and hunk-only patches', () => {
    const plain = ['--- x.py\t2024-01-01 00:00:00', '+++ x.py\t2024-01-02 00:00:00', '@@ -1,2 +1,2 @@', ' keep', '-old', '+new', ''].join('\n');
    assert.deepEqual(parseUnifiedDiff(plain).map((f) => [f.status, f.oldPath, f.newPath]), [['modified', 'x.py', 'x.py']]);
    const bare = ['@@ -3 +3 @@', '-old', '+new'].join('\n');
    assert.deepEqual(changedLines(bare).map((l) => [l.file, l.sign + l.text, l.oldLine ?? l.newLine]), [
      ['', '-old', 3],
      ['', '+new', 3],
    ]);
    assert.deepEqual(parseUnifiedDiff('just some prose\n'), []);
  });
});
