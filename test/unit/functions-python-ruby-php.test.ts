import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fn, outline, scanFixture } from '../support/scan-fixture';

const PYTHON = `import os
from pkg.util import helper

def top(a, b):
    return helper(a) + b

@decorator
@other.deco(1)
def decorated(x):
    def inner(y):
        def innermost():
            return y
        return innermost()
    return inner(x)

@dataclass
class Outer:
    """Doc."""

    class Nested:
        def method(self):
            return 1

    def __init__(self):
        self.x = 1

    @property
    def value(self):
        return self.x

    @value.setter
    def value(self, v):
        self.x = v

    @staticmethod
    def static(a):
        return top(a, 1)

    async def fetch(self):
        await self.static(1)

square = lambda n: n * n

async def main():
    o = Outer()
    return await o.fetch()


if __name__ == "__main__":
    def local_main():
        pass
`;

test('python: qualified names and whole-definition line ranges, decorators included', async () => {
  const result = await scanFixture({ 'pkg/mod.py': PYTHON });
  assert.deepEqual(outline(result.functions), [
    'top 4-5',
    'decorated 7-14',
    'decorated.inner 10-13',
    'decorated.inner.innermost 11-12',
    'Outer.Nested.method 21-22',
    'Outer.__init__ 24-25',
    'Outer.value 27-29',
    'Outer.value 31-33',
    'Outer.static 35-37',
    'Outer.fetch 39-40',
    'square 42-42',
    'main 44-46',
    'local_main 50-51',
  ]);
  assert.deepEqual(result.skipped, []);
  assert.deepEqual(result.filesWithErrors, []);
});

test('python: records carry file, name, language, signature (the line with the name) and a stable id', async () => {
  const result = await scanFixture({ 'pkg/mod.py': PYTHON });
  const decorated = fn(result.functions, 'decorated');
  assert.deepEqual(
    { ...decorated, calls: [] },
    {
      id: 'pkg/mod.py:decorated:7',
      file: 'pkg/mod.py',
      name: 'decorated',
      qualifiedName: 'decorated',
      language: 'python',
      startLine: 7,
      endLine: 14,
      signature: 'def decorated(x):',
      calls: [],
    },
  );
  assert.equal(fn(result.functions, 'Outer.fetch').signature, 'async def fetch(self):');
  assert.equal(fn(result.functions, 'Outer.value', 1).signature, 'def value(self, v):');
  // A lambda bound to a name counts under that name, like an arrow function in JavaScript.
  assert.deepEqual(
    result.functions.filter((f) => f.name === 'square').map((f) => [f.qualifiedName, f.startLine, f.endLine]),
    [['square', 42, 42]],
  );
});

const RUBY = `require 'json'
require_relative 'lib/helper'

module Billing
  class Invoice < Base
    attr_reader :total

    def initialize(total)
      @total = total
    end

    def self.build(data)
      new(JSON.parse(data)['total'])
    end

    class << self
      def from_file(path)
        build(File.read(path))
      end
    end

    def paid?
      @paid == true
    end

    def total=(value)
      @total = value
    end

    def ==(other)
      total == other.total
    end

    private

    def compute
      helper_fn(total)
    end

    define_method(:dynamic) { 1 }
  end

  class Admin::User
    def name = "admin"
  end

  def self.module_fn
    Invoice.build('{}')
  end
end

def top_level(x)
  x * 2
end

handler = lambda { |x| x }
`;

const PHP = `<?php

namespace App\\Models;

use App\\Support\\Helper;
use Illuminate\\Database\\Eloquent\\Model;

function helper_fn($x) {
    return $x;
}

#[Attribute]
final class User extends Model implements HasName
{
    use Loggable;

    public function __construct(private string $name) {}

    #[Route('/name')]
    #[Cache]
    public function getName(): string
    {
        return Helper::format($this->name);
    }

    public static function create(string $n): static
    {
        $u = new static($n);
        $u->log('created');
        return $u;
    }

    abstract protected function hook();

    private function closureUser()
    {
        $fn = function ($x) { return $x; };
        $arrow = fn($y) => $y * 2;
        return helper_fn($fn(1));
    }
}

trait Loggable
{
    public function log(string $m): void
    {
        echo $m;
    }
}

interface HasName
{
    public function getName(): string;
}

enum Status: string
{
    case Active = 'a';
    public function label(): string { return ucfirst($this->value); }
}
`;

test('ruby: methods in modules and classes, def self.x, class << self, operator and predicate names, endless defs, A::B scopes', async () => {
  const result = await scanFixture({ 'lib/billing/invoice.rb': RUBY });
  assert.deepEqual(outline(result.functions), [
    'Billing.Invoice.initialize 8-10',
    'Billing.Invoice.build 12-14',
    'Billing.Invoice.from_file 17-19',
    'Billing.Invoice.paid? 22-24',
    'Billing.Invoice.total= 26-28',
    'Billing.Invoice.== 30-32',
    'Billing.Invoice.compute 36-38',
    'Billing.Admin.User.name 44-44',
    'Billing.module_fn 47-49',
    'top_level 52-54',
  ]);
  assert.ok(result.functions.every((f) => f.language === 'ruby'));
  assert.equal(fn(result.functions, 'Billing.Invoice.build').signature, 'def self.build(data)');
  assert.equal(fn(result.functions, 'Billing.Invoice.build').name, 'build');
});

test('php: functions, attributed methods, constructors, traits, enums; abstract and interface methods and closures left out', async () => {
  const result = await scanFixture({ 'app/Models/User.php': PHP });
  assert.deepEqual(outline(result.functions), [
    'helper_fn 8-10',
    'User.__construct 17-17',
    'User.getName 19-24',
    'User.create 26-31',
    'User.closureUser 35-40',
    'Loggable.log 45-48',
    'Status.label 59-59',
  ]);
  assert.ok(result.functions.every((f) => f.language === 'php'));
  assert.equal(fn(result.functions, 'User.getName').signature, 'public function getName(): string');
  assert.ok(!result.functions.some((f) => f.name === 'hook' || f.qualifiedName === 'HasName.getName'));
});
