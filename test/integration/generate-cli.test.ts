import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { runCli } from '../support/cli-process';
import { httpError, useScriptedTeachers } from '../support/scripted-teacher';
import { makeScenarioRepo } from '../support/svg-fixture';
import { svgTeacher } from '../support/svg-teacher';

const serve = useScriptedTeachers();
const scratch = mkdtempSync(join(tmpdir(), 'generate-cli-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const USAGE = 2;

describe('specialize generate: exit codes and what it prints', () => {
  test('a user mistake is one "specialize:" sentence and exit 2, from commander and from us alike', async () => {
    const file = join(scratch, 'a-file.txt');
    writeFileSync(file, 'x\n');
    const cases: [string[], RegExp][] = [
      [['generate', file], /is a file, not a folder; give the path of a git repository\./],
      [['generate', scratch, '--base-url', 'localhost:8000/v1'], /--base-url "localhost:8000\/v1" has no scheme; write it with http:\/\/ or https:\/\/, e\.g\. http:\/\/localhost:8000\/v1\./],
      [['generate', scratch, '--concurrency', '-1'], /--concurrency must be at least 1; got -1\./],
      [['generate', scratch, '--no-such-flag'], /unknown option '--no-such-flag'/],
      [['generate', scratch, '--out', file], /--out .* is a file; give a new folder, or a run directory to resume\./],
      // told before any teacher is called (none runs here)
      [['generate', scratch, '--demos', join(scratch, 'no-demos')], /no-demos does not exist; give the path of a folder of \.md issues for --demos \(or say builtin, or git/],
      [['generate', scratch, '--instructions', join(scratch, 'no-bank.json')], /--instructions .*no-bank\.json does not exist; give a JSON or JSON Lines file of instruction templates/],
      [['generate', scratch, '--instructions', scratch], /--instructions .* is a folder; give a JSON or JSON Lines file/],
      [['runs', join(scratch, 'nope')], /nope does not exist; give the path of a run directory or a repository\./],
      [['merge', join(scratch, 'nope'), '--out', join(scratch, 'out')], /nope does not exist; give the path of a run directory\./],
    ];
    const runs = await Promise.all(cases.map(([args]) => runCli(args)));
    cases.forEach(([args, message], i) => {
      const r = runs[i];
      assert.equal(r.status, USAGE, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /^specialize: /, args.join(' '));
      assert.match(r.stderr, message, args.join(' '));
      assert.doesNotMatch(r.stderr, /\n\s+at /, `${args.join(' ')} printed a stack trace`);
    });
    assert.deepEqual(readdirSync(scratch).sort(), ['a-file.txt'], 'a refused command leaves nothing behind');
  });

  test('every sample failing (a teacher that answers 401 to every chat) exits 4 and says why', async () => {
    const repo = await makeScenarioRepo(['reproduce', 'half']);
    const server = await serve(() => httpError(401, 'Invalid API key'));
    const r = await runCli(['generate', repo.root, '--out', join(scratch, 'all-401'), '--base-url', server.url, '--model', 'test-model', '--samples', '2', '--sandbox', 'host']);
    assert.equal(r.status, 4, r.stdout + r.stderr);
    assert.match(r.stdout, /^2\/2 samples done: 0 verified, 0 below threshold, 2 failed; /m);
    assert.match(r.stdout, /^Every sample failed, most often with "rollout1: .*asks for an API key.*" \(2 of 2\); nothing can be exported\./m);
    assert.doesNotMatch(r.stdout, /^Next:/m);
    await repo.cleanup();
  });

  test('a finished run exits 0; counts have separators and plurals, the judge is counted, and the next step is named', async () => {
    const repo = await makeScenarioRepo(['reproduce', 'judge-no', 'half']);
    const server = await serve(svgTeacher());
    const out = join(scratch, 'done');
    const r = await runCli(['generate', repo.root, '--out', out, '--base-url', server.url, '--model', 'test-model', '--samples', '3', '--sandbox', 'host', '--judge', '--threshold', '0.9']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stderr, /^Run .*done: 3 samples planned\n/m);
    assert.match(r.stdout, /^3\/3 samples done: 1 verified, 1 below threshold, 1 failed; \d{1,3}(,\d{3})* tokens; /m);
    assert.match(r.stdout, /^Judge: 2 yes, 1 no, 0 unclear\.$/m);
    assert.match(r.stdout, new RegExp(`^Next: specialize runs ${out} to look at the samples, specialize export ${out} --out DATASET`, 'm'));

    const one = await runCli(['runs', out]);
    assert.equal(one.status, 0, one.stderr);
    assert.match(one.stdout, /^ {2}judge: 2 yes, 1 no, 0 unclear$/m);
    assert.match(one.stdout, /^ {2}tokens \d{1,3}(,\d{3})+ \(prompt/m);

    const second = join(repo.root, '.specializer', 'runs', 'second');
    const again = await runCli(['generate', repo.root, '--out', second, '--base-url', server.url, '--model', 'test-model', '--samples', '1', '--sandbox', 'host']);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stderr, /: 1 sample planned\n/);
    const list = await runCli(['runs', repo.root]);
    assert.equal(list.status, 0, list.stderr);
    assert.match(list.stdout, /^1 run in .*\.specializer\/runs:$/m);
    assert.match(list.stdout, /^ {2}second +test-model +1 +1 +0 +0 +0 +0 +[\d,]+ +done$/m);
    await repo.cleanup();
  });

  test('a token budget stops the run with exit 5 and says to raise or drop the budget', async () => {
    const repo = await makeScenarioRepo(['reproduce', 'half', 'elsewhere']);
    const server = await serve(svgTeacher());
    const out = join(scratch, 'budget');
    const r = await runCli(['generate', repo.root, '--out', out, '--base-url', server.url, '--model', 'test-model', '--samples', '3', '--concurrency', '1', '--sandbox', 'host', '--max-total-tokens', '10']);
    assert.equal(r.status, 5, r.stdout + r.stderr);
    assert.match(r.stdout, /^Stopped: the token budget \(--max-total-tokens 10\) is spent, with 2 samples left\. .*resume with --out \S+ and a larger --max-total-tokens, or without it\.$/m);
    const resumed = await runCli(['generate', repo.root, '--out', out, '--base-url', server.url, '--model', 'test-model', '--sandbox', 'host']);
    assert.equal(resumed.status, 0, resumed.stdout + resumed.stderr);
    assert.match(resumed.stdout, /^3\/3 samples done/m);
    await repo.cleanup();
  });
});
