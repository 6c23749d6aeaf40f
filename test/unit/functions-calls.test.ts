import assert from 'node:assert/strict';
import { test } from 'node:test';
import { callees, fn, scanFixture } from '../support/scan-fixture';

const PY_FILES = {
  'pkg/a.py': `from pkg import b

def helper():
    return 1

def uses_helper():
    return helper()

def uses_imported():
    return b.compute()

def uses_unique():
    return only_in_d()

def uses_unknown():
    return print(len([]))

def uses_ambiguous():
    return shared()

def recursive(n):
    return recursive(n - 1)

def uses_nested_elsewhere():
    return only_inside()

class A:
    def run(self):
        return self.step()

    def step(self):
        return 1

class B:
    def step(self):
        return 2

    def go(self):
        self.step()
        return helper()
`,
  'pkg/b.py': 'def compute():\n    return 2\n',
  'pkg/c.py': 'def compute():\n    return 3\n\ndef helper():\n    return 4\n',
  'other/d.py': 'def only_in_d():\n    return 5\n',
  'x/e.py': 'def shared():\n    return 6\n',
  'y/f.py': 'def shared():\n    return 7\n',
  'z/g.py': 'def outer():\n    def only_inside():\n        return 8\n    return only_inside()\n',
};

test('call edges: same file first, the caller\'s class for methods, imported module over a same-named function elsewhere, unique names', async () => {
  const { functions } = await scanFixture(PY_FILES);
  const edges = (name: string) => callees(functions, fn(functions.filter((f) => f.file === 'pkg/a.py'), name));
  assert.deepEqual(edges('uses_helper'), ['pkg/a.py:helper']);
  assert.deepEqual(edges('uses_imported'), ['pkg/b.py:compute']);
  assert.deepEqual(edges('uses_unique'), ['other/d.py:only_in_d']);
  assert.deepEqual(edges('A.run'), ['pkg/a.py:A.step']);
  assert.deepEqual(edges('B.go'), ['pkg/a.py:B.step', 'pkg/a.py:helper']);
});

test('call edges: names nobody defines, or several unrelated files define, give no edge; no function calls itself', async () => {
  const { functions } = await scanFixture(PY_FILES);
  const a = functions.filter((f) => f.file === 'pkg/a.py');
  assert.deepEqual(fn(a, 'uses_unknown').calls, []);
  assert.deepEqual(fn(a, 'uses_ambiguous').calls, []);
  assert.deepEqual(fn(a, 'recursive').calls, []);
  // A function nested in another is visible in its own file only.
  assert.deepEqual(fn(a, 'uses_nested_elsewhere').calls, []);
  assert.deepEqual(callees(functions, fn(functions, 'outer')), ['z/g.py:outer.only_inside']);
  for (const f of functions) assert.ok(!f.calls.includes(f.id), `${f.id} calls itself`);
  // Every edge points at a gathered function.
  const ids = new Set(functions.map((f) => f.id));
  for (const f of functions) for (const id of f.calls) assert.ok(ids.has(id), `${f.id} -> ${id}`);
});

test('call edges across TypeScript modules and Go packages follow the imports', async () => {
  const { functions } = await scanFixture({
    'src/app.ts': `import { format } from './text';\nimport * as store from './store';\n\nexport function main() {\n  store.save(format('x'));\n}\n`,
    'src/text.ts': 'export function format(s: string) {\n  return s;\n}\n',
    'src/legacy.ts': 'export function format(s: string) {\n  return s + "!";\n}\nexport function save() {}\n',
    'src/store/index.ts': 'export function save(v: string) {\n  return v;\n}\n',
    'cmd/main.go': 'package main\n\nimport "example.com/m/store"\n\nfunc main() {\n\tstore.Put("x")\n}\n',
    'store/store.go': 'package store\n\nfunc Put(v string) {}\n',
    'cache/cache.go': 'package cache\n\nfunc Put(v string) {}\n',
  });
  const tsMain = functions.find((f) => f.file === 'src/app.ts' && f.name === 'main')!;
  assert.deepEqual(callees(functions, tsMain), ['src/store/index.ts:save', 'src/text.ts:format']);
  const goMain = functions.find((f) => f.file === 'cmd/main.go' && f.name === 'main')!;
  assert.deepEqual(callees(functions, goMain), ['store/store.go:Put']);
});

test('call edges on a receiver: Type::method goes to that type, a library module or a stray object to nothing', async () => {
  const { functions } = await scanFixture({
    'src/geo.rs': 'pub struct Point;\nimpl Point {\n    pub fn new() -> Self { Point }\n}\n',
    'src/line.rs': 'pub struct Line;\nimpl Line {\n    pub fn new() -> Self { Line }\n}\n',
    'src/main.rs': 'use crate::geo::Point;\n\nfn main() {\n    let p = Point::new();\n    let v: Vec<i32> = Vec::new();\n}\n',
    'web/fsutil.js': 'function readFileSync(p) {\n  return p;\n}\n',
    'web/app.js': "const fs = require('fs');\n\nfunction load() {\n  return fs.readFileSync('x');\n}\n",
    'lib/text.py': 'def join(parts):\n    return "".join(parts)\n\ndef repeat(s):\n    return s * 2\n',
    'py/app.py': 'import os\n\ndef build(items):\n    items.repeat()\n    return os.path.join("a", "b")\n\ndef plain():\n    return repeat("x")\n',
  });
  const edges = (file: string, name: string) => callees(functions, functions.find((f) => f.file === file && f.name === name)!);
  assert.deepEqual(edges('src/main.rs', 'main'), ['src/geo.rs:Point.new']);
  assert.deepEqual(edges('web/app.js', 'load'), []);
  assert.deepEqual(edges('py/app.py', 'build'), []);
  assert.deepEqual(edges('py/app.py', 'plain'), ['lib/text.py:repeat']);
});

test('call edges: builtins stay builtins, an import names what it brings, and x.f() is a method, not a function', async () => {
  const { functions } = await scanFixture({
    'tools/fmt.py': 'def render():\n    return 1\n\ndef helper():\n    return 2\n',
    'tools/html.py': 'def render():\n    return 3\n',
    'lib/compat.py': 'def str(x):\n    return x\n\ndef transcode(b):\n    return b\n',
    'app/page.py':
      'from tools.fmt import helper\n\ndef page():\n    return render()\n\ndef page2():\n    return helper()\n\ndef show():\n    return str(1)\n\ndef convert(data):\n    return data.transcode()\n',
  });
  const edges = (name: string) => callees(functions, functions.find((f) => f.file === 'app/page.py' && f.name === name)!);
  assert.deepEqual(edges('page'), []);
  assert.deepEqual(edges('page2'), ['tools/fmt.py:helper']);
  assert.deepEqual(edges('show'), []);
  assert.deepEqual(edges('convert'), []);
});
