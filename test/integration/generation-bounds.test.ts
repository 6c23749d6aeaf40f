import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { EVAL_FILES, type EvalResult } from '../../src/core/eval';
import { readJsonl, FILES, type SampleRecord } from '../../src/core/store';
import { makeHistoryRepo } from '../support/history-fixture';
import { makeScenarioRepo } from '../support/svg-fixture';
import { hang, useScriptedTeachers } from '../support/scripted-teacher';

// A hostile or broken teacher must not hold a run longer than the bounds the user set.

const serve = useScriptedTeachers();
const scratch = mkdtempSync(join(tmpdir(), 'svg-bounds-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const CLI = join(__dirname, '..', '..', 'src', 'cli', 'main.ts');

function runCli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SPECIALIZE_API_KEY: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('bounds on what a teacher can hold', () => {
  test('a teacher that never answers: --request-timeout abandons each attempt, and the sample fails saying so', { timeout: 120_000 }, async () => {
    const repo = await makeScenarioRepo(['reproduce']);
    const server = await serve(() => hang());
    const out = join(scratch, 'hanging');
    const run = await runCli(['generate', repo.root, '--out', out, '--base-url', server.url, '--model', 'test-model', '--samples', '1', '--sandbox', 'off', '--request-timeout', '1']);
    assert.match(run.stdout, /1\/1 samples? done: 0 verified, 0 below threshold, 1 failed/, run.stderr);
    const [record] = readJsonl<SampleRecord>(join(out, FILES.samples));
    assert.equal(record.failure?.stage, 'rollout1');
    assert.match(record.failure?.reason ?? '', /did not answer within 1 s/);
    // One attempt and four retries, each given up after a second; every connection was closed by us.
    assert.equal(server.chats.length, 5);
    assert.equal(server.aborted, 5);
    await repo.cleanup();
  });

  test('--request-timeout must be a positive number of seconds', async () => {
    const run = await runCli(['generate', '.', '--request-timeout', '0']);
    assert.notEqual(run.status, 0);
    assert.match(run.stderr, /--request-timeout takes a number above 0; got "0"/);
    assert.ok(!run.stderr.includes('    at '), 'no stack trace');
  });
});

describe('the same bounds on a model under evaluation', () => {
  test('specialize eval --request-timeout abandons each attempt of a model that never answers, and records why', { timeout: 120_000 }, async () => {
    const { repo } = await makeHistoryRepo();
    const server = await serve(() => hang(), { models: ['student'] });
    const out = join(scratch, 'eval-hanging');
    const run = await runCli(['eval', repo.root, '--history', '--limit', '1', '--out', out, '--sandbox', 'off', '--model', `student@${server.url}`, '--request-timeout', '1']);
    assert.match(run.stdout, /0\/1 runs done: .*1 errors/, run.stderr);
    const [result] = readJsonl<EvalResult>(join(out, EVAL_FILES.results));
    assert.match(result.error ?? '', /did not answer within 1 s/);
    assert.equal(server.chats.length, 5);
    assert.equal(server.aborted, 5);
    await repo.cleanup();
  });

  test('specialize eval --rollout-minutes ends a rollout that outlives its budget with status time-limit', { timeout: 120_000 }, async () => {
    const { repo } = await makeHistoryRepo();
    const server = await serve(() => hang(), { models: ['student'] });
    const out = join(scratch, 'eval-slow');
    const run = await runCli(['eval', repo.root, '--history', '--limit', '1', '--out', out, '--sandbox', 'off', '--model', `student@${server.url}`, '--rollout-minutes', '0.03']);
    assert.match(run.stdout, /1\/1 runs done: 0 resolved, 0 submitted/, run.stderr);
    const [result] = readJsonl<EvalResult>(join(out, EVAL_FILES.results));
    assert.equal(result.exit.status, 'time-limit');
    assert.equal(server.aborted, 1, 'the request in flight was abandoned');
    await repo.cleanup();
  });

  test('eval refuses a request timeout past a day, in one sentence', async () => {
    const run = await runCli(['eval', '.', '--history', '--model', 'm@http://localhost:1/v1', '--request-timeout', '90000']);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /--request-timeout takes at most 86400 seconds \(a day\); got 90000/);
  });
});
