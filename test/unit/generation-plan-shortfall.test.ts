import assert from 'node:assert/strict';
import { test } from 'node:test';
import { functionId, type FunctionRecord } from '../../src/core/functions';
import { BUILTIN_DEMONSTRATIONS, BUILTIN_INSTRUCTIONS, explainShortfall, planSamples } from '../../src/core/generation';

/** `files` files of `perFile` functions each; every third function is two lines long, the others five. */
function corpus(files: number, perFile: number): FunctionRecord[] {
  const out: FunctionRecord[] = [];
  for (let f = 0; f < files; f++) {
    for (let i = 0; i < perFile; i++) {
      const file = `src/m${f}.py`;
      const startLine = i * 10 + 1;
      out.push({ id: functionId(file, `fn${i}`, startLine), file, name: `fn${i}`, qualifiedName: `fn${i}`, language: 'python', startLine, endLine: startLine + (i % 3 === 0 ? 1 : 4), signature: '', calls: [] });
    }
  }
  return out;
}

const options = { samples: 150, seed: 's', shard: null, perFileCap: 5, instancesPerFunction: 1, minFunctionLines: 3, bank: BUILTIN_INSTRUCTIONS, demonstrations: BUILTIN_DEMONSTRATIONS };

test('a short plan says why: functions found, too short, the per-file cap, and which option gives more', () => {
  const functions = corpus(14, 9); // 126 functions, 42 of them two lines long, 6 long ones per file
  const plan = planSamples(functions, options);
  assert.equal(plan.length, 70);
  assert.equal(
    explainShortfall(functions, options, plan.length),
    '150 asked for, but 126 functions were found; 42 are shorter than 3 lines; at most 5 per file (--per-file-cap) leaves 70 functions in 14 files; raise --per-file-cap or --instances-per-function for more',
  );
  const wider = { ...options, perFileCap: 10 };
  const more = planSamples(functions, wider);
  assert.equal(more.length, 84, 'the cap was the limit');
  assert.match(explainShortfall(functions, wider, more.length), /^150 asked for, but 126 functions were found; 42 are shorter than 3 lines; raise --instances-per-function for more, or widen --include$/);
  const twice = { ...wider, instancesPerFunction: 2 };
  assert.equal(planSamples(functions, twice).length, 150);
  assert.equal(explainShortfall(functions, twice, 150), '', 'a full plan needs no explanation');
});

test('in a shard the count is of the shard', () => {
  const functions = corpus(3, 3);
  const shard = { index: 0, count: 2 };
  const plan = planSamples(functions, { ...options, shard });
  assert.match(explainShortfall(functions, { ...options, shard }, plan.length), /^150 asked for, but \d+ functions? falls? in shard 0\/2; /);
});
