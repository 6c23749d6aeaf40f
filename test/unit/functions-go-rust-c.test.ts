import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fn, outline, scanFixture } from '../support/scan-fixture';

const GO = `package store

import (
	"fmt"
	"strings"
)

type Store struct {
	items []string
}

type Stack[T any] struct {
	items []T
}

type Reader interface {
	Read(p []byte) (int, error)
}

// New makes a store.
func New() *Store {
	return &Store{}
}

func (s Store) Len() int {
	return len(s.items)
}

func (s *Store) Add(item string) {
	s.items = append(s.items, strings.TrimSpace(item))
	fmt.Println(s.Len())
}

func (s *Stack[T]) Push(v T) {
	s.items = append(s.items, v)
}

func (Stack[T]) Empty() bool { return true }

func Map[T, U any](xs []T, f func(T) U) []U {
	out := make([]U, 0, len(xs))
	for _, x := range xs {
		out = append(out, f(x))
	}
	return out
}

func run() {
	helper := func(n int) int {
		return n + 1
	}
	go func() {
		helper(1)
	}()
	New().Add("x")
}

var handler = func() {}

func (p *Pair[K, V]) Key() K {
	return p.k
}
`;

test('go: functions, value/pointer/generic receivers as Type.Method, func literals bound to names', async () => {
  const result = await scanFixture({ 'store/store.go': GO });
  assert.deepEqual(outline(result.functions), [
    'New 21-23',
    'Store.Len 25-27',
    'Store.Add 29-32',
    'Stack.Push 34-36',
    'Stack.Empty 38-38',
    'Map 40-46',
    'run 48-56',
    'run.helper 49-51',
    'handler 58-58',
    'Pair.Key 60-62',
  ]);
  assert.ok(result.functions.every((f) => f.language === 'go'));
  // The doc comment above a function is not part of its definition; the signature is its first line.
  assert.equal(fn(result.functions, 'New').signature, 'func New() *Store {');
  assert.equal(fn(result.functions, 'Stack.Push').signature, 'func (s *Stack[T]) Push(v T) {');
  assert.equal(fn(result.functions, 'Stack.Push').name, 'Push');
  assert.deepEqual(result.filesWithErrors, []);
});

test('go: a function declared without a body (implemented in assembly) is not listed', async () => {
  const asm = 'package m\n\n// implemented in sqrt_amd64.s\nfunc archSqrt(x float64) float64\n\nfunc Sqrt(x float64) float64 { return archSqrt(x) }\n';
  const result = await scanFixture({ 'm/sqrt.go': asm });
  assert.deepEqual(outline(result.functions), ['Sqrt 6-6']);
});

const RUST = `use std::collections::HashMap;
use crate::util::helper;

pub struct Point {
    x: i32,
}

impl Point {
    pub fn new(x: i32) -> Self {
        Point { x }
    }

    #[inline]
    #[must_use]
    pub fn x(&self) -> i32 {
        helper(self.x)
    }
}

pub trait Shape {
    fn area(&self) -> f64;
    fn describe(&self) -> String {
        format!("{}", self.area())
    }
}

impl Shape for Point {
    fn area(&self) -> f64 {
        0.0
    }
}

impl<T: Clone> Wrapper<T> {
    fn get(&self) -> T {
        self.0.clone()
    }
}

impl<'a> std::fmt::Display for Named<'a> {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "x")
    }
}

#[inline(never)]
fn free() {
    fn nested() -> u8 { 1 }
    let closure = |a: i32| a + 1;
    let p = Point::new(nested() as i32);
    p.x();
}

mod inner {
    pub fn in_mod() {}
}

extern "C" {
    fn ext(x: i32);
}

macro_rules! m { () => {} }

/// Runs the thing.
// A plain comment between doc and attribute.
#[cfg(feature = "x")]
// why: feature gated
pub fn gated() {}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> Point { Point::new(1) }

    #[test]
    fn it_works() {
        assert_eq!(fixture().x(), 1);
    }
}

#[tokio::test]
async fn async_test() {}
`;

test('rust: impl methods as Type.method (inherent, trait, generic, path types), trait defaults, nested fns, modules, attributes', async () => {
  const result = await scanFixture({ 'src/point.rs': RUST });
  assert.deepEqual(outline(result.functions), [
    'Point.new 9-11',
    'Point.x 13-17',
    'Shape.describe 22-24',
    'Point.area 28-30',
    'Wrapper.get 34-36',
    'Named.fmt 40-42',
    'free 45-51',
    'free.nested 47-47',
    'inner.in_mod 54-54',
    'gated 65-67',
  ]);
  assert.ok(result.functions.every((f) => f.language === 'rust'));
  assert.equal(fn(result.functions, 'Point.x').signature, 'pub fn x(&self) -> i32 {');
  assert.equal(fn(result.functions, 'gated').signature, 'pub fn gated() {}');
});

test('rust: trait method declarations and extern fns have no body and are not listed; #[cfg(test)] modules and #[test] fns are test code', async () => {
  const result = await scanFixture({ 'src/point.rs': RUST });
  const names = result.functions.map((f) => f.name);
  for (const absent of ['ext', 'fixture', 'it_works', 'async_test']) assert.ok(!names.includes(absent), absent);
  assert.equal(result.functions.filter((f) => f.name === 'area').length, 1);
});

const GEO = `#include <vector>
#include "util/helper.h"

namespace geo {

class Shape {
public:
    Shape() = default;
    virtual ~Shape() {}
    virtual double area() const = 0;
    virtual void draw();
    int id() const { return id_; }
    static Shape* make();
    bool operator==(const Shape& o) const { return id_ == o.id_; }

    class Visitor {
    public:
        void visit(Shape& s) { s.draw(); }
    };

private:
    int id_ = 0;
};

void Shape::draw() {
    helper::render(id());
}

Shape* Shape::make() {
    return new Shape();
}

template <typename T>
T clamp(T v, T lo, T hi) {
    return v < lo ? lo : (v > hi ? hi : v);
}

template <typename T>
struct Box {
    T value;
    template <typename U>
    U as() const { return static_cast<U>(value); }
};

template <typename T>
void Box<T>::reset() {
    value = T();
}

}  // namespace geo

int geo::free_fn(int x) {
    return geo::clamp(x, 0, 10);
}

static inline int *pointer_fn(void) {
    return nullptr;
}

const std::vector<int>& ref_fn() {
    static std::vector<int> v;
    return v;
}

int main(int argc, char** argv) {
    auto lambda = [](int a) { return a; };
    geo::Shape s;
    s.draw();
    return lambda(pointer_fn() != nullptr);
}
`;

const OPS = `[[nodiscard]] int attr_fn() { return 1; }
struct S {
  operator bool() const { return true; }
  S& operator=(const S&) { return *this; }
  explicit S(int) {}
};
S::operator bool() const { return false; }
template <> void swap<int>(int& a, int& b) {}
int Foo<std::string>::bar() { return 0; }
auto trailing() -> int { return 1; }
void (*signal_like(int sig, void (*func)(int)))(int) { return 0; }
`;

const HEADER = `#pragma once

struct Vec {
    float x, y;
    float len() const;
    Vec operator+(const Vec& o) const { return {x + o.x, y + o.y}; }
};

inline float dot(const Vec& a, const Vec& b) { return a.x * b.x + a.y * b.y; }
`;

const C_SOURCE = `#include <stdio.h>
#include "list.h"

struct node {
    int value;
    struct node *next;
};

static int count(const struct node *head) {
    int n = 0;
    for (; head; head = head->next) n++;
    return n;
}

struct node *
push(struct node *head, int value)
{
    struct node *n = malloc(sizeof *n);
    n->next = head;
    return n;
}

int (*get_handler(void))(int) {
    return 0;
}

void declared_only(int x);

int main(void) {
    printf("%d\\n", count(push(NULL, 1)));
    return 0;
}
`;

test('c++: in-class methods, out-of-class Foo::bar as Foo.bar, templates with their template line, destructors, operators', async () => {
  const result = await scanFixture({ 'src/geo.cpp': GEO, 'src/ops.cc': OPS, 'include/geo/vec.h': HEADER });
  assert.deepEqual(outline(result.functions, 'src/geo.cpp'), [
    'Shape.~Shape 9-9',
    'Shape.id 12-12',
    'Shape.operator== 14-14',
    'Shape.Visitor.visit 18-18',
    'Shape.draw 25-27',
    'Shape.make 29-31',
    'clamp 33-36',
    'Box.as 41-42',
    'Box.reset 45-48',
    'geo.free_fn 52-54',
    'pointer_fn 56-58',
    'ref_fn 60-63',
    'main 65-70',
  ]);
  // Declarations, pure virtuals and `= default` have no body to change; lambdas are not named definitions.
  const names = result.functions.map((f) => f.name);
  for (const absent of ['area', 'Shape', 'lambda']) assert.ok(!names.includes(absent), absent);
  assert.equal(fn(result.functions, 'Box.reset').signature, 'void Box<T>::reset() {');
  assert.equal(fn(result.functions, 'clamp').signature, 'T clamp(T v, T lo, T hi) {');
  assert.ok(result.functions.every((f) => f.language === 'cpp'));
});

test('c++: attributes, conversion operators, specialisations, template-qualified scopes, trailing returns, function-pointer returns', async () => {
  const result = await scanFixture({ 'src/ops.cc': OPS, 'include/geo/vec.h': HEADER });
  assert.deepEqual(outline(result.functions, 'src/ops.cc'), [
    'attr_fn 1-1',
    'S.operator bool 3-3',
    'S.operator= 4-4',
    'S.S 5-5',
    'S.operator bool 7-7',
    'swap 8-8',
    'Foo.bar 9-9',
    'trailing 10-10',
    'signal_like 11-11',
  ]);
  assert.deepEqual(outline(result.functions, 'include/geo/vec.h'), ['Vec.operator+ 6-6', 'dot 9-9']);
});

test('c: definitions with pointer returns, K&R-style line breaks and function-pointer returns; prototypes left out', async () => {
  const result = await scanFixture({ 'src/list.c': C_SOURCE });
  assert.deepEqual(outline(result.functions), ['count 9-13', 'push 15-21', 'get_handler 23-25', 'main 29-32']);
  assert.ok(result.functions.every((f) => f.language === 'c'));
  // When the return type sits on its own line, the signature is the line with the name.
  assert.equal(fn(result.functions, 'push').signature, 'push(struct node *head, int value)');
});
