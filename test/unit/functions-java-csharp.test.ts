import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fn, outline, scanFixture } from '../support/scan-fixture';

const JAVA = `package com.example;

import java.util.List;
import com.example.util.Helper;

@Entity
public class Account extends Base implements Comparable<Account> {
    private int balance;

    public Account(int balance) {
        this.balance = balance;
    }

    @Override
    @Deprecated
    public int compareTo(Account other) {
        return Integer.compare(balance, other.balance);
    }

    public <T extends Number> T convert(T value) {
        return value;
    }

    static class Builder {
        Builder withBalance(int b) {
            return this;
        }
        Account build() {
            return new Account(Helper.clamp(0));
        }
    }

    private final Runnable task = () -> System.out.println("x");

    void withAnon() {
        Runnable r = new Runnable() {
            @Override
            public void run() {
                deposit(1);
            }
        };
    }

    void deposit(int n) { balance += n; }
}

interface Repository<T> {
    T find(long id);
    default List<T> all() {
        return List.of();
    }
    static void util() {}
}

abstract class Base {
    abstract void hook();
    protected void template() {
        hook();
    }
}

enum Color {
    RED, GREEN;
    Color next() {
        return values()[(ordinal() + 1) % values().length];
    }
}

record Pair(int a, int b) {
    Pair {
        if (a > b) throw new IllegalArgumentException();
    }
    int sum() { return a + b; }
}
`;

test('java: constructors, annotated methods, generic methods, nested and anonymous classes, interface defaults, enums, records', async () => {
  const result = await scanFixture({ 'src/main/java/com/example/Account.java': JAVA });
  assert.deepEqual(outline(result.functions), [
    'Account.Account 10-12',
    'Account.compareTo 14-18',
    'Account.convert 20-22',
    'Account.Builder.withBalance 25-27',
    'Account.Builder.build 28-30',
    'Account.withAnon 35-42',
    'Account.withAnon.run 37-40',
    'Account.deposit 44-44',
    'Repository.all 49-51',
    'Repository.util 52-52',
    'Base.template 57-59',
    'Color.next 64-66',
    'Pair.Pair 70-72',
    'Pair.sum 73-73',
  ]);
  assert.ok(result.functions.every((f) => f.language === 'java'));
  // Annotations belong to the definition; the signature is the line with the name.
  assert.equal(fn(result.functions, 'Account.compareTo').signature, 'public int compareTo(Account other) {');
  // Interface and abstract methods without a body, and lambdas in fields, are not listed.
  const names = result.functions.map((f) => f.name);
  for (const absent of ['find', 'hook', 'task']) assert.ok(!names.includes(absent), absent);
});

const CSHARP = `using System;
using System.Collections.Generic;

namespace Shop.Core
{
    [Serializable]
    public class Cart : IDisposable
    {
        private readonly List<int> _items = new();

        public Cart() { }

        ~Cart() { }

        [Obsolete("use Add")]
        [MethodImpl(MethodImplOptions.NoInlining)]
        public void Put(int item)
        {
            _items.Add(item);
            Log(item);
        }

        public int Count
        {
            get { return _items.Count; }
            set { }
        }

        public int Total => _items.Count;

        public string Name { get; set; }

        public static Cart operator +(Cart a, Cart b) => a;

        public T First<T>() where T : new() => new T();

        private static void Log(int x)
        {
            string Format(int y) => y.ToString();
            Console.WriteLine(Format(x));
        }

        public void Dispose() { }

        public class Line
        {
            public decimal Price() { return 0m; }
        }
    }

    public interface IRepo
    {
        void Save();
        void Default() { }
    }

    public struct Money
    {
        public Money(decimal v) { }
    }

    public record Person(string Name)
    {
        public string Greet() => $"hi {Name}";
    }
}
`;

const GRID = `namespace Shop.Indexed;

public class Grid
{
    private readonly int[] _cells = new int[9];

    public int this[int i]
    {
        get => _cells[i];
        set => _cells[i] = value;
    }

    public event EventHandler Changed
    {
        add { }
        remove { }
    }
}
`;

test('csharp: constructors, destructors, attributed methods, accessors, expression bodies, operators, local functions, records', async () => {
  const result = await scanFixture({ 'Shop/Cart.cs': CSHARP, 'Shop/Grid.cs': GRID });
  assert.deepEqual(outline(result.functions, 'Shop/Cart.cs'), [
    'Cart.Cart 11-11',
    'Cart.~Cart 13-13',
    'Cart.Put 15-21',
    'Cart.Count.get 25-25',
    'Cart.Count.set 26-26',
    'Cart.Total.get 29-29',
    'Cart.operator+ 33-33',
    'Cart.First 35-35',
    'Cart.Log 37-41',
    'Cart.Log.Format 39-39',
    'Cart.Dispose 43-43',
    'Cart.Line.Price 47-47',
    'IRepo.Default 54-54',
    'Money.Money 59-59',
    'Person.Greet 64-64',
  ]);
  assert.deepEqual(outline(result.functions, 'Shop/Grid.cs'), ['Grid.this.get 9-9', 'Grid.this.set 10-10', 'Grid.Changed.add 15-15', 'Grid.Changed.remove 16-16']);
  assert.ok(result.functions.every((f) => f.language === 'csharp'));
  assert.equal(fn(result.functions, 'Cart.Put').signature, 'public void Put(int item)');
  assert.equal(fn(result.functions, 'Cart.Total.get').signature, 'public int Total => _items.Count;');
  // Auto-properties and interface members without bodies are not functions.
  assert.ok(!result.functions.some((f) => f.qualifiedName.startsWith('Cart.Name') || f.name === 'Save'));
});
