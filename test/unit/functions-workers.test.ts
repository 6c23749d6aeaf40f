import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scanRepository } from '../../src/core/functions';
import { makeRepo, type FixtureFiles } from '../support/fixture-repo';

/** A few hundred files across languages, with a broken one, a binary one and cross-file calls. */
function manyFiles(): FixtureFiles {
  const files: FixtureFiles = {};
  for (let i = 0; i < 120; i++) {
    files[`py/pkg${i % 7}/mod${i}.py`] = `from pkg${(i + 1) % 7} import mod${i + 1}\n\nclass C${i}:\n    def m(self):\n        return mod${i + 1}.f${i + 1}()\n\ndef f${i}():\n    return C${i}().m()\n`;
    files[`ts/src/file${i}.ts`] = `import { g${i + 1} } from './file${i + 1}';\n\nexport function g${i}(): number {\n  return g${i + 1}();\n}\n\nexport const h${i} = () => g${i}();\n`;
  }
  for (let i = 0; i < 60; i++) files[`go/p${i}/p.go`] = `package p${i}\n\ntype T struct{}\n\nfunc (t *T) Do() int { return helper${i}() }\n\nfunc helper${i}() int { return ${i} }\n`;
  files['py/broken.py'] = 'def ok():\n    return 1\n\ndef bad(:\n    pass\n';
  files['py/blob.py'] = Buffer.from([0, 1, 2, 3, 0, 5]);
  return files;
}

test('parsing on worker threads gives exactly the result of parsing on the calling thread', async () => {
  const repo = await makeRepo(manyFiles());
  try {
    const inline = await scanRepository(repo.root, { workers: 0 });
    const threaded = await scanRepository(repo.root, { workers: 2 });
    assert.equal(inline.filesScanned, 301);
    assert.equal(inline.functions.length, 120 * 2 + 120 * 2 + 60 * 2 + 2);
    assert.deepEqual(threaded.functions, inline.functions);
    assert.deepEqual(threaded.skipped, inline.skipped);
    assert.deepEqual(threaded.filesWithErrors, inline.filesWithErrors);
    assert.deepEqual(inline.skipped, [{ file: 'py/blob.py', reason: 'binary' }]);
    assert.deepEqual(inline.filesWithErrors, ['py/broken.py']);
    assert.ok(inline.functions.some((f) => f.calls.length > 0));
  } finally {
    await repo.cleanup();
  }
});
