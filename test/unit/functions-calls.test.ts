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
