import assert from 'node:assert/strict';
import { test } from 'node:test';
import { outline, scanFixture } from '../support/scan-fixture';

test('Python: @overload stubs, protocol and abstract bodies are not start functions; their implementation is', async () => {
  const result = await scanFixture({
    'pkg/keys.py': `from typing import overload, Protocol
import typing
import abc

@overload
def to_key_val_list(value: None) -> None: ...
@typing.overload
def to_key_val_list(value: dict) -> list:
    ...
def to_key_val_list(value):
    if value is None:
        return None
    return list(value.items())

class Sized(Protocol):
    def size(self) -> int: ...
    def name(self) -> str:
        """The name."""

class Base(abc.ABC):
    @abc.abstractmethod
    def run(self):
        pass
    def helper(self):
        raise NotImplementedError("subclasses say")
    def on_event(self):
        pass

class Plain:
    def hook(self):
        """Called on every event; override to react."""
        pass
    def real(self):
        """Doc."""
        return 1
`,
  });
  assert.deepEqual(outline(result.functions), ['to_key_val_list 10-13', 'Base.on_event 26-27', 'Plain.hook 30-32', 'Plain.real 33-35']);
});

test('Ruby: a method whose whole body raises NotImplementedError is abstract', async () => {
  const result = await scanFixture({
    'lib/shape.rb': 'class Shape\n  def area\n    raise NotImplementedError\n  end\n  def name; raise NotImplementedError, "x"; end\n  def to_s\n    "shape"\n  end\nend\n',
  });
  assert.deepEqual(outline(result.functions), ['Shape.to_s 6-8']);
});

test('languages with abstract syntax: signatures, abstract methods and = default/= delete are not start functions', async () => {
  const result = await scanFixture({
    'src/a.ts': 'export function h(a: string): string;\nexport function h(a: any) {\n  return a;\n}\nabstract class A {\n  f(a: string): string;\n  f(a: any): any { return a; }\n  abstract g(): void;\n}\n',
    'src/s.cpp': 'struct S {\n  S() = default;\n  void f() = delete;\n  virtual void g() = 0;\n  int h() { return 1; }\n};\n',
    'src/A.java': 'abstract class A {\n  abstract void f();\n  void g() { }\n}\ninterface I { void h(); }\n',
    'src/a.php': '<?php\nabstract class A { abstract function f(); function g() { return 1; } }\ninterface I { function h(); }\n',
    'src/a.rs': 'trait T {\n  fn f(&self);\n  fn g(&self) -> i32 { 1 }\n}\n',
  });
  assert.deepEqual(outline(result.functions), ['A.g 3-3', 'A.g 2-2', 'T.g 3-3', 'h 2-4', 'A.f 7-7', 'S.h 5-5']);
});
