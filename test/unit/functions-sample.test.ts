import assert from 'node:assert/strict';
import { test } from 'node:test';
import { functionId, sampleStartFunctions, seededRandom, type FunctionRecord } from '../../src/core/functions';
import { scanFixture } from '../support/scan-fixture';

/** `files` files of `perFile` functions each; function i of a file spans i+1 lines. */
function corpus(files: number, perFile: number): FunctionRecord[] {
  const out: FunctionRecord[] = [];
  for (let f = 0; f < files; f++) {
    let line = 1;
    for (let i = 0; i < perFile; i++) {
      const file = `src/m${f}.py`;
      const name = `fn${i}`;
      out.push({ id: functionId(file, name, line), file, name, qualifiedName: name, language: 'python', startLine: line, endLine: line + i, signature: `def ${name}():`, calls: [] });
      line += i + 2;
    }
  }
  return out;
}

const ids = (points: { function: FunctionRecord; instance: number }[]) => points.map((p) => `${p.function.id}#${p.instance}`);

test('sampling is reproducible for a seed, independent of input order, and different for another seed', () => {
  const all = corpus(5, 12);
  const a = sampleStartFunctions(all, { count: 20, seed: 'run-1' });
  const again = sampleStartFunctions([...all].reverse(), { count: 20, seed: 'run-1' });
  const other = sampleStartFunctions(all, { count: 20, seed: 'run-2' });
  assert.equal(a.length, 20);
  assert.deepEqual(ids(again), ids(a));
  assert.notDeepEqual(ids(other), ids(a));
  assert.equal(new Set(ids(a)).size, 20);
  // Numeric seeds work and are just as stable.
  assert.deepEqual(ids(sampleStartFunctions(all, { count: 5, seed: 42 })), ids(sampleStartFunctions(all, { count: 5, seed: 42 })));
  assert.deepEqual(Array.from({ length: 3 }, seededRandom(7)), Array.from({ length: 3 }, seededRandom(7)));
});

test('sampling honours the per-file cap and repeats each function for its instances', () => {
  const all = corpus(3, 10);
  const capped = sampleStartFunctions(all, { count: 100, seed: 's', perFileCap: 2 });
  assert.equal(capped.length, 6);
  const perFile = new Map<string, number>();
  for (const p of capped) perFile.set(p.function.file, (perFile.get(p.function.file) ?? 0) + 1);
  assert.deepEqual([...perFile.values()], [2, 2, 2]);

  const repeated = sampleStartFunctions(all, { count: 7, seed: 's', instancesPerFunction: 3 });
  assert.deepEqual(repeated.map((p) => p.instance), [0, 1, 2, 0, 1, 2, 0]);
  assert.equal(new Set(repeated.slice(0, 3).map((p) => p.function.id)).size, 1);
  assert.equal(new Set(repeated.map((p) => p.function.id)).size, 3);
  // The cap counts distinct functions, not instances.
  const both = sampleStartFunctions(all, { count: 100, seed: 's', perFileCap: 1, instancesPerFunction: 2 });
  assert.equal(both.length, 6);
  assert.equal(new Set(both.map((p) => p.function.file)).size, 3);
});

test('sampling skips short functions, returns fewer when functions run out, and nothing for a count of 0', () => {
  const all = corpus(2, 6); // lengths 1..6 lines in each file
  const long = sampleStartFunctions(all, { count: 50, seed: 'x', minLines: 4 });
  assert.equal(long.length, 6);
  assert.ok(long.every((p) => p.function.endLine - p.function.startLine + 1 >= 4));
  assert.equal(sampleStartFunctions(all, { count: 50, seed: 'x' }).length, 12);
  assert.deepEqual(sampleStartFunctions(all, { count: 0, seed: 'x' }), []);
  assert.deepEqual(sampleStartFunctions([], { count: 3, seed: 'x' }), []);
});

test('sampling a real scan twice gives the same start functions', async () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 6; i++) files[`pkg/mod${i}.py`] = Array.from({ length: 5 }, (_, j) => `def f${j}(x):\n    y = x + ${j}\n    return y\n`).join('\n');
  const first = await scanFixture(files);
  const second = await scanFixture(files);
  const pick = (fns: FunctionRecord[]) => ids(sampleStartFunctions(fns, { count: 8, seed: 'svg', perFileCap: 2, minLines: 3 }));
  assert.equal(pick(first.functions).length, 8);
  assert.deepEqual(pick(second.functions), pick(first.functions));
});
