import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, beforeEach, describe, test } from 'node:test';
import { Editor, ToolInputError, type PathJail } from '../../src/core/agent/editor';

const root = mkdtempSync(join(tmpdir(), 'editor-'));
after(() => rmSync(root, { recursive: true, force: true }));

// The real jail is tested with the sandbox; here a minimal one maps /testbed to the temp folder.
const jail: PathJail = {
  toHostPath: (p) => {
    if (!p.startsWith('/testbed')) throw new ToolInputError(`path ${p} is outside the repository at /testbed`);
    return join(root, p.slice('/testbed'.length));
  },
  toAgentPath: (p) => `/testbed${p.slice(root.length)}`,
};

let editor: Editor;
beforeEach(() => {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(join(root, 'pkg', 'sub', 'deep'), { recursive: true });
  writeFileSync(join(root, 'pkg', 'a.py'), 'one\ntwo\nthree\n');
  writeFileSync(join(root, 'pkg', 'sub', 'deep', 'x.py'), '');
  writeFileSync(join(root, '.hidden'), '');
  editor = new Editor(jail);
});

const read = (p: string) => readFileSync(join(root, p), 'utf8');

describe('str_replace_editor', () => {
  test('view numbers lines like cat -n, and honours view_range', () => {
    assert.equal(editor.execute({ command: 'view', path: '/testbed/pkg/a.py' }).split('\n').slice(1).join('\n'), '     1\tone\n     2\ttwo\n     3\tthree');
    assert.match(editor.execute({ command: 'view', path: '/testbed/pkg/a.py', view_range: [2, -1] }), /lines 2-3\):\n     2\ttwo\n     3\tthree$/);
    assert.throws(() => editor.execute({ command: 'view', path: '/testbed/pkg/a.py', view_range: [5, 6] }), /has 3 lines/);
  });

  test('view of a folder lists two levels and leaves hidden entries out', () => {
    const out = editor.execute({ command: 'view', path: '/testbed' });
    assert.match(out, /\/testbed\/pkg\/\n\/testbed\/pkg\/a.py\n\/testbed\/pkg\/sub\//);
    assert.ok(!out.includes('/deep'), 'third level shown');
    assert.ok(!out.includes('.hidden'));
  });

  test('create refuses an existing file and makes folders for a new one', () => {
    assert.throws(() => editor.execute({ command: 'create', path: '/testbed/pkg/a.py', file_text: 'x' }), /already exists/);
    editor.execute({ command: 'create', path: '/testbed/new/dir/b.py', file_text: 'print(1)\n' });
    assert.equal(read('new/dir/b.py'), 'print(1)\n');
  });

  test('str_replace needs exactly one match', () => {
    writeFileSync(join(root, 'pkg', 'dup.py'), 'x = 1\nx = 1\n');
    assert.throws(() => editor.execute({ command: 'str_replace', path: '/testbed/pkg/dup.py', old_str: 'x = 1', new_str: 'y' }), /more than once .*lines 1, 2/);
    assert.throws(() => editor.execute({ command: 'str_replace', path: '/testbed/pkg/a.py', old_str: 'four', new_str: 'y' }), /not found/);
    const out = editor.execute({ command: 'str_replace', path: '/testbed/pkg/a.py', old_str: 'two\n', new_str: '' });
    assert.match(out, /Edited/);
    assert.equal(read('pkg/a.py'), 'one\nthree\n');
  });

  test('insert puts text after a line, 0 at the top', () => {
    editor.execute({ command: 'insert', path: '/testbed/pkg/a.py', insert_line: 0, new_str: 'zero' });
    editor.execute({ command: 'insert', path: '/testbed/pkg/a.py', insert_line: 4, new_str: 'four\nfive\n' });
    assert.equal(read('pkg/a.py'), 'zero\none\ntwo\nthree\nfour\nfive\n');
    assert.throws(() => editor.execute({ command: 'insert', path: '/testbed/pkg/a.py', insert_line: 99, new_str: 'x' }), /outside/);
  });

  test('undo_edit steps back through this rollout\'s edits, creation included', () => {
    editor.execute({ command: 'str_replace', path: '/testbed/pkg/a.py', old_str: 'one', new_str: 'ONE' });
    editor.execute({ command: 'str_replace', path: '/testbed/pkg/a.py', old_str: 'two', new_str: 'TWO' });
    editor.execute({ command: 'undo_edit', path: '/testbed/pkg/a.py' });
    assert.equal(read('pkg/a.py'), 'ONE\ntwo\nthree\n');
    editor.execute({ command: 'undo_edit', path: '/testbed/pkg/a.py' });
    assert.equal(read('pkg/a.py'), 'one\ntwo\nthree\n');
    assert.throws(() => editor.execute({ command: 'undo_edit', path: '/testbed/pkg/a.py' }), /no edit/);
    editor.execute({ command: 'create', path: '/testbed/tmp.py', file_text: 'x' });
    editor.execute({ command: 'undo_edit', path: '/testbed/tmp.py' });
    assert.equal(existsSync(join(root, 'tmp.py')), false);
  });

  test('bad input is explained: relative paths, unknown commands, binaries', () => {
    assert.throws(() => editor.execute({ command: 'view', path: 'pkg/a.py' }), /not absolute; use \/testbed\/pkg\/a.py/);
    assert.throws(() => editor.execute({ command: 'delete', path: '/testbed/pkg/a.py' }), /Unknown command "delete"/);
    assert.throws(() => editor.execute({ path: '/testbed/pkg/a.py' }), /Missing "command"/);
    writeFileSync(join(root, 'bin.dat'), Buffer.from([0, 1, 2, 3]));
    assert.throws(() => editor.execute({ command: 'view', path: '/testbed/bin.dat' }), /binary/);
  });
});
