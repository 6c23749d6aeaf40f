import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, rmSync, utimesSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { describeScan, scanRepository } from '../../src/core/functions';
import { makeRepo, makeTempDir, type FixtureRepo } from '../support/fixture-repo';

const PROJECT = resolve(__dirname, '../..');
const CACHE = makeTempDir('rs-scan-cli-cache-');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `specialize <args>` from the sources as a real process, with its cache in a temp folder. The timeout only stops a hung process: a loaded machine takes well over 30 s for four at once. */
function cli(...args: string[]): Promise<Run> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(PROJECT, 'src/cli/main.ts'), ...args],
      { cwd: PROJECT, env: { ...process.env, XDG_CACHE_HOME: CACHE, NO_COLOR: '1' }, timeout: 180_000 },
      (error, stdout, stderr) => done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

let repo: FixtureRepo;

before(async () => {
  repo = await makeRepo({
    'app/main.py': 'from app import util\n\ndef main():\n    return util.helper()\n\nclass Service:\n    def run(self):\n        return main()\n',
    'app/util.py': 'def helper():\n    return 1\n',
    'web/index.ts': 'export function render(): string {\n  return "x";\n}\n',
    'tests/test_main.py': 'def test_main():\n    pass\n',
    'node_modules/dep/index.js': 'function dep() {}\n',
    'README.md': '# fixture\n',
  });
});

after(async () => {
  await repo.cleanup();
  rmSync(CACHE, { recursive: true, force: true });
});

test('scan prints a readable summary: counts per language and skipped files by reason', async () => {
  const run = await cli('scan', repo.root);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stderr, '');
  const out = run.stdout;
  assert.match(out, new RegExp(`^Scanned ${repo.root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\n`));
  assert.match(out, /^4 functions in 3 files \(\d+\.\d\d s\)$/m);
  assert.match(out, /^ {2}python +2 +3$/m);
  assert.match(out, /^ {2}typescript +1 +1$/m);
  assert.match(out, /^Skipped 2 files:$/m);
  for (const reason of ['test-code', 'vendored']) assert.match(out, new RegExp(`^  ${reason} +1$`, 'm'));
  assert.match(out, /^1 other file is not source code in a supported language\.$/m);
});

test('scan --json prints exactly {root, functions, skipped, counts} with the documented fields, matching the library', async () => {
  const run = await cli('scan', repo.root, '--json');
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout.trimEnd().split('\n').length, 1, 'one JSON object on one line');
  const data = JSON.parse(run.stdout) as Record<string, unknown> & { functions: Record<string, unknown>[]; skipped: Record<string, unknown>[] };
  assert.deepEqual(Object.keys(data), ['root', 'functions', 'skipped', 'counts']);
  assert.deepEqual(data.counts, { functions: 4, filesScanned: 3, skipped: { files: 2, folders: 0, byReason: { 'test-code': 1, vendored: 1 } }, notSource: 1, filesWithErrors: [] });
  assert.equal(data.root, repo.root);
  for (const f of data.functions) {
    assert.deepEqual(Object.keys(f), ['id', 'file', 'name', 'qualifiedName', 'language', 'startLine', 'endLine', 'signature', 'calls']);
  }
  for (const s of data.skipped) {
    assert.ok(['file', 'reason'].every((k) => typeof s[k] === 'string'));
    assert.ok(Object.keys(s).every((k) => ['file', 'reason', 'detail'].includes(k)), JSON.stringify(s));
  }
  const main = data.functions.find((f) => f.qualifiedName === 'main')!;
  assert.deepEqual(main, {
    id: 'app/main.py:main:3',
    file: 'app/main.py',
    name: 'main',
    qualifiedName: 'main',
    language: 'python',
    startLine: 3,
    endLine: 4,
    signature: 'def main():',
    calls: ['app/util.py:helper:1'],
  });
  const library = await scanRepository(repo.root, { workers: 0 });
  assert.deepEqual(data.functions, library.functions);
  assert.deepEqual(data.skipped, library.skipped);
});

test('scan honours --include, --exclude (repeatable), --languages and --no-cache; a cached rescan prints the same', async () => {
  // Files older than the cache's two-second safety window, so the first run stores them.
  const past = new Date('2020-01-01T00:00:00Z');
  for (const f of ['app/main.py', 'app/util.py', 'web/index.ts']) utimesSync(join(repo.root, f), past, past);
  const first = await cli('scan', repo.root, '--json');
  assert.ok(readdirSync(join(CACHE, 'repo-specializer', 'scan')).some((f) => f.endsWith('.json')), 'the first scan wrote its cache');
  const [filtered, tsOnly, second, uncached] = await Promise.all([
    cli('scan', repo.root, '--json', '--include', 'tests/**', '--include', 'app/**', '--exclude', 'app/util.py'),
    cli('scan', repo.root, '--json', '--languages', 'ts'),
    cli('scan', repo.root, '--json'),
    cli('scan', repo.root, '--json', '--no-cache'),
  ]);
  const files = (run: Run) => (JSON.parse(run.stdout) as { functions: { file: string; qualifiedName: string }[] }).functions.map((f) => `${f.file}:${f.qualifiedName}`);
  assert.deepEqual(files(filtered), ['app/main.py:main', 'app/main.py:Service.run', 'tests/test_main.py:test_main']);
  assert.deepEqual(files(tsOnly), ['web/index.ts:render']);
  const reasons = (JSON.parse(tsOnly.stdout) as { skipped: { file: string; reason: string }[] }).skipped.filter((s) => s.reason === 'language-not-selected').map((s) => s.file);
  assert.deepEqual(reasons, ['app/main.py', 'app/util.py']);
  assert.equal(second.stdout, first.stdout);
  assert.equal(uncached.stdout, first.stdout);
});

test('a path that does not exist, a file, or an unknown language exits non-zero with one sentence', async () => {
  const missing = join(repo.root, 'no/such/dir');
  const [gone, file, language] = await Promise.all([
    cli('scan', missing),
    cli('scan', join(repo.root, 'app/main.py')),
    cli('scan', repo.root, '--languages', 'py,cobol'),
  ]);
  for (const run of [gone, file, language]) {
    assert.notEqual(run.code, 0);
    assert.equal(run.stdout, '');
    const lines = run.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, run.stderr);
    assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
  }
  assert.equal(gone.stderr, `specialize: ${missing} does not exist; give the path of a repository or folder to scan.\n`);
  assert.match(file.stderr, /main\.py is a file, not a folder; give the path of a repository or folder to scan\.\n$/);
  assert.match(language.stderr, /^specialize: Unknown language "cobol"\. Use one or more of: py, ts, tsx, js, go, rs, java, cs, cpp, c, rb, php\.\n$/);
});

test('a file with syntax errors is named in the summary, in --json, and in the sentence VS Code shows', async () => {
  const broken = await makeRepo({ 'ok.py': 'def fine():\n    return 1\n', 'bad.py': 'def broken(:\n    return\n\ndef after():\n    return 2\n' });
  try {
    const [text, json] = await Promise.all([cli('scan', broken.root), cli('scan', broken.root, '--json')]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^1 file has syntax errors \(bad\.py\); their recoverable functions are listed\.$/m);
    const counts = JSON.parse(json.stdout).counts;
    assert.deepEqual(counts.filesWithErrors, ['bad.py']);
    // The extension's message and log are this sentence, made from the same counts.
    assert.match(describeScan(counts), /^\d+ functions? in 2 files; 1 file has syntax errors \(bad\.py\)\.$/);
  } finally {
    await broken.cleanup();
  }
});
