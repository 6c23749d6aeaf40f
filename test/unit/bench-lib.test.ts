import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gitFiles, gitRepoFromFolder, largestPackage } from '../../bench/lib/corpus';
import { classifyMisses, matchFunctions, type OurFunction } from '../../bench/lib/coverage';
import { ctagsCommand, readCtagsJson, type CtagsTag } from '../../bench/lib/ctags';
import { commandLine, timeCommand, timeInterleaved } from '../../bench/lib/proc';
import { median, percent, summarize } from '../../bench/lib/stats';
import { inSpans, syntaxErrorSpans } from '../../bench/lib/syntax-errors';
import { markdownTable } from '../../bench/lib/table';

const temp = mkdtempSync(join(tmpdir(), 'bench-lib-test-'));
after(() => rmSync(temp, { recursive: true, force: true }));

function write(root: string, rel: string, text: string): void {
  mkdirSync(join(root, rel, '..'), { recursive: true });
  writeFileSync(join(root, rel), text);
}

describe('stats', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    assert.equal(median([5, 1, 3]), 3);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.throws(() => median([]));
    assert.deepEqual(summarize([2, 9, 4]), { runs: 3, median: 4, min: 2, max: 9, mean: 5 });
  });

  it('gives percentages rounded to two decimals, 100 of nothing', () => {
    assert.equal(percent(2, 3), 66.67);
    assert.equal(percent(0, 0), 100);
  });
});

describe('markdownTable', () => {
  it('right-aligns number columns, pads cells and escapes pipes', () => {
    const table = markdownTable(['name', 'n'], [['a|b', 10], ['c', 2.5]]);
    assert.deepEqual(table.split('\n'), ['| name |   n |', '|------|----:|', '| a\\|b |  10 |', '| c    | 2.5 |']);
  });
});

describe('proc', () => {
  it('times a command that writes its stdout to a file', () => {
    const out = join(temp, 'out.txt');
    const ms = timeCommand({ cmd: process.execPath, args: ['-e', 'process.stdout.write("hello")'], stdoutFile: out });
    assert.ok(ms > 0);
    assert.equal(readFileSync(out, 'utf8'), 'hello');
  });

  it('throws with the stderr of a failing command', () => {
    assert.throws(() => timeCommand({ cmd: process.execPath, args: ['-e', 'console.error("boom"); process.exit(3)'] }), /exited with 3:\nboom/);
  });

  it('runs every command once per round after the warm-up', () => {
    const log = join(temp, 'rounds.txt');
    const append = (tag: string) => ({ cmd: process.execPath, args: ['-e', `require("fs").appendFileSync(${JSON.stringify(log)}, "${tag}")`] });
    const result = timeInterleaved({ a: append('a'), b: append('b') }, 3, 1);
    assert.equal(result.a.runs, 3);
    assert.equal(result.b.samples.length, 3);
    // warm-up a,b then rounds alternate who goes first: ab, ba, ab
    assert.equal(readFileSync(log, 'utf8'), 'ababbaab');
  });

  it('quotes arguments in the printed command line', () => {
    assert.equal(commandLine({ cmd: 'ctags', args: ['-f', '-', "it's here"], stdoutFile: 'out.json' }), `ctags -f - 'it'\\''s here' > out.json`);
  });
});

describe('corpus', () => {
  it('copies a folder through a filter into a committed git repository', () => {
    const src = join(temp, 'src-tree');
    write(src, 'a.py', 'def a():\n    pass\n');
    write(src, 'pkg/b.ts', 'export function b() {}\n');
    write(src, 'pkg/b.d.ts', 'export declare function b(): void;\n');
    write(src, '__pycache__/a.pyc', 'x');
    const corpus = gitRepoFromFolder('t', src, { dir: (_r, name) => name !== '__pycache__', file: (_r, name) => !name.endsWith('.d.ts') });
    try {
      assert.equal(corpus.files, 2);
      assert.deepEqual(gitFiles(corpus.dir).sort(), ['a.py', 'pkg/b.ts']);
      assert.equal(readFileSync(join(corpus.dir, 'pkg/b.ts'), 'utf8'), 'export function b() {}\n');
    } finally {
      corpus.cleanup();
    }
    assert.equal(existsSync(corpus.dir), false);
  });

  it('finds the installed package with the most bytes of the wanted files, scoped ones included', () => {
    const nm = join(temp, 'node_modules');
    write(nm, 'small/src/a.ts', 'x'.repeat(10));
    write(nm, '@scope/big/src/a.ts', 'x'.repeat(100));
    write(nm, 'js-only/index.js', 'x'.repeat(1000));
    const best = largestPackage(nm, (name) => name.endsWith('.ts'));
    assert.equal(best?.name, '@scope/big');
    assert.equal(best?.bytes, 100);
  });
});

describe('ctags helpers', () => {
  it('builds one command with the function kinds of each language present', () => {
    const c = ctagsCommand(['python', 'typescript', 'tsx'], 'files.list', 'out.json', '/repo');
    assert.deepEqual(c.args, [
      '--output-format=json',
      '--fields=+ne',
      '--languages=Python,TypeScript',
      '--kinds-Python=fm',
      '--map-Python=+.pyw',
      '--kinds-TypeScript=fmG',
      '--map-TypeScript=+.mts',
      '--map-TypeScript=+.cts',
      '--map-TypeScript=+.tsx',
      '-L',
      'files.list',
      '-f',
      '-',
    ]);
    assert.equal(c.stdoutFile, 'out.json');
    assert.equal(c.cwd, '/repo');
  });

  it('reads JSON tags and leaves pseudo-tags and broken lines out', () => {
    const file = join(temp, 'tags.json');
    writeFileSync(
      file,
      [
        '{"_type": "ptag", "name": "JSON_OUTPUT_VERSION", "path": "0.0"}',
        '{"_type": "tag", "name": "f", "path": "a.py", "pattern": "/^def f():$/", "line": 3, "kind": "function", "end": 4}',
        'not json',
      ].join('\n'),
    );
    assert.deepEqual(readCtagsJson(file), [{ _type: 'tag', name: 'f', path: 'a.py', pattern: '/^def f():$/', line: 3, kind: 'function', end: 4 }]);
  });
});

describe('matchFunctions', () => {
  const fn = (file: string, name: string, startLine: number, endLine: number): OurFunction => ({ file, name, qualifiedName: name, startLine, endLine });
  const tag = (path: string, name: string, line: number): CtagsTag => ({ path, name, line, kind: 'function' });

  it('matches by file, name and a ctags line inside our range, once each, innermost first', () => {
    const decorated = fn('a.py', 'run', 10, 14); // starts at its decorator, ctags points at the def line
    const outer = fn('a.py', 'step', 20, 40);
    const inner = fn('a.py', 'step', 25, 30);
    const other = fn('b.py', 'run', 1, 3);
    const result = matchFunctions([decorated, outer, inner, other], [tag('a.py', 'run', 11), tag('a.py', 'step', 20), tag('a.py', 'step', 25), tag('a.py', 'gone', 50), tag('a.py', 'run', 60)]);
    assert.deepEqual(
      result.matched.map((m) => [m.tag.line, m.ours.startLine]).sort((x, y) => x[0] - y[0]),
      [[11, 10], [20, 20], [25, 25]],
    );
    assert.deepEqual(result.misses.map((t) => `${t.name}:${t.line}`), ['gone:50', 'run:60']);
    assert.deepEqual(result.oursOnly, [other]);
  });

  it('does not pair an overload signature above the implementation', () => {
    const result = matchFunctions([fn('a.ts', 'f', 3, 5)], [tag('a.ts', 'f', 1), tag('a.ts', 'f', 2), tag('a.ts', 'f', 3)]);
    assert.equal(result.matched.length, 1);
    assert.deepEqual(result.misses.map((t) => t.line), [1, 2]);
  });
});

describe('classifyMisses', () => {
  it('tells declarations without code, ctags misreadings, lambdas, grammar losses and real gaps apart', async () => {
    const root = join(temp, 'classify');
    write(
      root,
      'a.ts',
      [
        'interface Socket {', //                       1
        '  send(data: string): void;', //              2  no-body
        '  readonly on: (e: string) => void;', //      3  no-body (property typed as a function)
        '}', //                                        4
        'abstract class Base {', //                    5
        '  abstract close(): void;', //                6  no-body
        '  get [Symbol.iterator]() { return 1; }', //  7  ctags says "get": artifact
        '}', //                                        8
        'export const make = () =>', //                9
        '  function loop() { return 1; };', //         10 named function expression: real gap
      ].join('\n'),
    );
    write(root, 'b.py', 'x = 1\nkey = lambda a: a[0]\n');
    const tags: CtagsTag[] = [
      { path: 'a.ts', name: 'send', line: 2, kind: 'method' },
      { path: 'a.ts', name: 'on', line: 3, kind: 'method' },
      { path: 'a.ts', name: 'close', line: 6, kind: 'method' },
      { path: 'a.ts', name: 'get', line: 7, kind: 'method' },
      { path: 'a.ts', name: 'loop', line: 10, kind: 'function' },
      { path: 'b.py', name: 'key', line: 2, kind: 'function', pattern: '/^key = lambda a: a[0]$/' },
    ];
    const plain = classifyMisses(root, tags);
    assert.deepEqual(
      plain.map((m) => `${m.name}:${m.why}`),
      ['send:no-body', 'on:no-body', 'close:no-body', 'get:ctags-artifact', 'loop:function', 'key:lambda'],
    );
    const withErrors = classifyMisses(root, tags, new Map([['a.ts', [[9, 12]] as [number, number][]]]));
    assert.equal(withErrors.find((m) => m.name === 'loop')?.why, 'parse-error');
  });
});

describe('syntaxErrorSpans', () => {
  it('reports the lines a grammar could only parse as ERROR, and nothing for clean files', async () => {
    const root = join(temp, 'syntax');
    write(root, 'clean.py', 'def f():\n    return 1\n');
    // Generic call signatures split by line breaks alone (tree-sitter-typescript issue 335).
    write(root, 'broken.ts', 'type T = {\n  <A>(a: A): A\n  <B>(b: B): B\n}\nexport function later() {\n  return 1\n}\n');
    const spans = await syntaxErrorSpans(root, ['clean.py', 'broken.ts', 'notes.txt']);
    assert.deepEqual([...spans.keys()], ['broken.ts']);
    assert.ok(inSpans(2, spans.get('broken.ts')));
    assert.equal(inSpans(5, spans.get('broken.ts')), false);
    assert.equal(inSpans(1, spans.get('clean.py')), false);
  });
});
