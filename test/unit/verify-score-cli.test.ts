import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

// Runs the real CLI entry point in a child process, as a user would.
const MAIN = path.resolve(__dirname, '../../src/cli/main.ts');
const specialize = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { encoding: 'utf8', timeout: 30_000 });

let dir = '';
const file = (name: string) => path.join(dir, name);

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-score-cli-'));
  const head = ['diff --git a/m.py b/m.py', '--- a/m.py', '+++ b/m.py'];
  fs.writeFileSync(file('p1.diff'), [...head, '@@ -1,2 +1,4 @@', ' def f(x):', '-    return x', '+    if x is None:', '+        raise ValueError', '+    return x', ''].join('\n'));
  fs.writeFileSync(file('p2.diff'), [...head, '@@ -1,2 +1,2 @@', ' def f(x):', '-    return x', '+    return x or 0', ''].join('\n'));
  fs.writeFileSync(file('empty.diff'), '');
  fs.writeFileSync(file('notes.md'), '# Not a patch\n\nJust text.\n');
  fs.writeFileSync(file('cut.diff'), [...head, '@@ -1,3 +1,3 @@', ' def f(x):', '-    return x', ''].join('\n'));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('specialize score', () => {
  it('prints one JSON object with --json', () => {
    const r = specialize('score', file('p1.diff'), file('p2.diff'), '--json');
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { recall: 0.25, precision: 0.5, f1: 1 / 3, matched: 1, p1Lines: 4, p2Lines: 2 });
  });

  it('prints recall, precision, F1 and line counts for people', () => {
    const r = specialize('score', file('p1.diff'), file('p2.diff'));
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /recall\s+25\.0%\s+\(1 of 4 changed lines of P1/);
    assert.match(r.stdout, /precision\s+50\.0%\s+\(1 of 2 changed lines of P2/);
    assert.match(r.stdout, /F1\s+33\.3%/);
  });

  it('says there is no score when P1 is empty', () => {
    const json = specialize('score', file('empty.diff'), file('p2.diff'), '--json');
    assert.equal(json.status, 0, json.stderr);
    assert.deepEqual(JSON.parse(json.stdout), { recall: null, precision: 0, f1: null, matched: 0, p1Lines: 0, p2Lines: 2 });
    const text = specialize('score', file('empty.diff'), file('p2.diff'));
    assert.match(text.stdout, /recall\s+n\/a/);
    assert.match(text.stdout, /P1 has no changed lines/);
  });

  it('fails with one sentence naming the file when a patch is missing, not a diff, or malformed', () => {
    const cases: [string[], RegExp][] = [
      [[file('nope.diff'), file('p2.diff')], /P1 patch .*nope\.diff does not exist/],
      [[file('p1.diff'), dir], /P2 patch .* is a folder/],
      [[file('notes.md'), file('p2.diff')], /P1 file .*notes\.md does not look like a unified diff/],
      [[file('p1.diff'), file('cut.diff')], /P2 patch .*cut\.diff: Not a valid unified diff/],
    ];
    for (const [args, message] of cases) {
      const r = specialize('score', ...args);
      assert.notEqual(r.status, 0, `expected failure for ${args.join(' ')}`);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
  });
});
