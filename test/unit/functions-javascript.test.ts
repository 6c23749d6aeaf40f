import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fn, outline, scanFixture } from '../support/scan-fixture';

const TS = `import { helper } from './util';
import * as path from 'node:path';

export function plain(a: number): number {
  return helper(a);
}

export default function named(): void {
  plain(1);
}

export const arrow = async (x: string) => {
  return x.length;
};

const expr = function (y: number) {
  return y * 2;
};

let later;
later = () => 1;

export function overloaded(a: string): string;
export function overloaded(a: number): number;
export function overloaded(a: any): any {
  return a;
}

function* gen() {
  yield 1;
}

export abstract class Base {
  abstract run(): void;
  protected helper(): number {
    return 1;
  }
}

interface Shape {
  area(): number;
  readonly name: string;
}

declare function ambient(x: number): void;

@Component({ selector: 'x' })
export class Widget extends Base {
  private count = 0;
  static instances = 0;
  handler = (e: Event) => {
    this.count++;
  };
  #secret = function () {
    return 2;
  };

  static {
    Widget.instances = 0;
  }

  constructor(private readonly name: string) {
    super();
  }

  @Input()
  get value(): number {
    return this.count;
  }

  set value(v: number) {
    this.count = v;
  }

  run(): void {
    this.helper();
    plain(2);
  }

  static create(): Widget {
    return new Widget('w');
  }

  async *stream() {
    yield 1;
  }

  #priv() {}
}

const api = {
  get(url: string) {
    return url;
  },
  post: (url: string) => url,
  put: function (url: string) {
    return url;
  },
  'quoted-key'() {},
};

namespace NS {
  export function inNs() {}
}

[1, 2].map((n) => n * 2);
setTimeout(function () {}, 1);
export default () => 0;

class Overloads {
  foo(a: string): void;
  foo(a: number): void;
  foo(a: any) {}
  @Log()
  // logged because callers depend on it
  decorated() {}
  declare typed: () => void;
}
`;

const TSX = `import React, { useState } from 'react';

type Props = { label: string };

export function Button({ label }: Props) {
  const [n, setN] = useState(0);
  const onClick = () => {
    setN(n + 1);
  };
  return <button onClick={onClick}>{label}</button>;
}

export const Card: React.FC<Props> = ({ label }) => (
  <div className="card">
    {[1, 2].map((i) => <span key={i}>{label}</span>)}
  </div>
);

export default class Page extends React.Component<Props> {
  render() {
    return <Card label={this.props.label} />;
  }
}

const generic = <T,>(x: T): T => x;
`;

const CJS = `'use strict';
const fs = require('fs');
const { join } = require('path');

function load(file) {
  return fs.readFileSync(join(__dirname, file), 'utf8');
}

class Store {
  items = [];
  add = (item) => {
    this.items.push(item);
  };
  static #count = 0;
  static {
    Store.#count = 1;
  }
  constructor() {
    this.ready = true;
  }
  get size() {
    return this.items.length;
  }
  *[Symbol.iterator]() {
    yield* this.items;
  }
}

Store.prototype.clear = function () {
  this.items = [];
};

module.exports.save = function save(store) {
  return load('x');
};

exports.remove = (store) => store;

const handlers = {
  onOpen() {
    return 1;
  },
  nested: {
    deep() {},
  },
};

module.exports = function () {};
`;

const ESM = `import { load } from './store.js';

export default function () {}

export const x = async () => {
  await load('y');
};

export const [a, b] = [() => 1, () => 2];
export const first = () => 1, second = function () {
  return 2;
};

export const makeTag = (enc) =>
  function tag(strings) {
    return enc(strings);
  };
setTimeout(function tick() {}, 10);
`;

test('typescript: functions, methods, arrows bound to names, object methods; overloads, abstract and interface members left out', async () => {
  const result = await scanFixture({ 'src/widget.ts': TS });
  assert.deepEqual(outline(result.functions), [
    'plain 4-6',
    'named 8-10',
    'arrow 12-14',
    'expr 16-18',
    'later 21-21',
    'overloaded 25-27',
    'gen 29-31',
    'Base.helper 35-37',
    'Widget.handler 51-53',
    'Widget.#secret 54-56',
    'Widget.constructor 62-64',
    'Widget.value 66-69',
    'Widget.value 71-73',
    'Widget.run 75-78',
    'Widget.create 80-82',
    'Widget.stream 84-86',
    'Widget.#priv 88-88',
    'api.get 92-94',
    'api.post 95-95',
    'api.put 96-98',
    'api.quoted-key 99-99',
    'NS.inNs 103-103',
    'Overloads.foo 113-113',
    'Overloads.decorated 114-116',
  ]);
  assert.ok(result.functions.every((f) => f.language === 'typescript'));
  assert.equal(fn(result.functions, 'named').signature, 'export default function named(): void {');
  assert.equal(fn(result.functions, 'arrow').signature, 'export const arrow = async (x: string) => {');
  assert.equal(fn(result.functions, 'Widget.value').signature, 'get value(): number {');
  assert.equal(fn(result.functions, 'Widget.value', 1).signature, 'set value(v: number) {');
  assert.equal(fn(result.functions, 'Overloads.decorated').signature, 'decorated() {}');
  assert.deepEqual(result.filesWithErrors, []);
});

test('tsx: components as functions and arrows, nested handlers, generic arrows; callbacks in JSX skipped', async () => {
  const result = await scanFixture({ 'src/ui/Button.tsx': TSX });
  assert.deepEqual(outline(result.functions), ['Button 5-11', 'Button.onClick 7-9', 'Card 13-17', 'Page.render 20-22', 'generic 25-25']);
  assert.ok(result.functions.every((f) => f.language === 'tsx'));
  assert.equal(fn(result.functions, 'Card').signature, 'export const Card: React.FC<Props> = ({ label }) => (');
  assert.deepEqual(result.filesWithErrors, []);
});

test('javascript: class fields holding arrows, getters, computed names, prototype and exports assignments, nested object methods', async () => {
  const result = await scanFixture({ 'lib/store.js': CJS, 'lib/esm.mjs': ESM });
  assert.deepEqual(outline(result.functions, 'lib/store.js'), [
    'load 5-7',
    'Store.add 11-13',
    'Store.constructor 18-20',
    'Store.size 21-23',
    'Store.[Symbol.iterator] 24-26',
    'Store.clear 29-31',
    'save 33-35',
    'remove 37-37',
    'handlers.onOpen 40-42',
    'handlers.nested.deep 44-44',
  ]);
  // Anonymous default exports and destructured arrows have no name to count under; named function expressions have theirs.
  assert.deepEqual(outline(result.functions, 'lib/esm.mjs'), ['x 5-7', 'first 10-10', 'second 10-12', 'makeTag 14-17', 'makeTag.tag 15-17', 'tick 18-18']);
  assert.ok(result.functions.every((f) => f.language === 'javascript'));
  assert.equal(fn(result.functions, 'Store.clear').signature, 'Store.prototype.clear = function () {');
});
