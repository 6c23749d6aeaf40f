import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeScan, scanCounts } from '../../src/core/functions';
import type { ScanResult } from '../../src/core/functions';

const result = (skipped: ScanResult['skipped'], filesWithErrors: string[] = []): Pick<ScanResult, 'functions' | 'filesScanned' | 'skipped' | 'filesWithErrors'> => ({
  functions: new Array(1234).fill(null) as ScanResult['functions'],
  filesScanned: 1,
  skipped,
  filesWithErrors,
});

test('scan counts: not-source files apart, pruned folders apart, reasons by count, separators and plurals', () => {
  const counts = scanCounts(
    result([
      { file: 'README.md', reason: 'unsupported-language' },
      { file: 'node_modules/', reason: 'vendored' },
      { file: 'tests/a.py', reason: 'test-code' },
      { file: 'tests/b.py', reason: 'test-code' },
      { file: 'gen/x_pb2.py', reason: 'generated' },
    ]),
  );
  assert.deepEqual(counts.skipped, { files: 3, folders: 1, byReason: { vendored: 1, 'test-code': 2, generated: 1 } });
  assert.equal(counts.notSource, 1);
  assert.equal(describeScan(counts), '1,234 functions in 1 file; 3 files and 1 folder skipped (2 test-code, 1 vendored, 1 generated).');
});

test('syntax errors name up to three files', () => {
  assert.equal(describeScan(scanCounts(result([], ['a.py']))), '1,234 functions in 1 file; 1 file has syntax errors (a.py).');
  assert.equal(describeScan(scanCounts(result([], ['a.py', 'b.py', 'c.py', 'd.py', 'e.py']))), '1,234 functions in 1 file; 5 files have syntax errors (a.py, b.py, c.py and 2 more).');
});
