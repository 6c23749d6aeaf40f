import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { EVAL_FILES, type EvalResult } from '../../src/core/eval';
import { readJsonl } from '../../src/core/store';
import { evalModel } from '../support/eval-models';
import { makeHistoryRepo } from '../support/history-fixture';
import { useScriptedTeachers } from '../support/scripted-teacher';

const serve = useScriptedTeachers();
const scratch = mkdtempSync(join(tmpdir(), 'eval-kill-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const CLI = join(__dirname, '..', '..', 'src', 'cli', 'main.ts');

const results = (out: string) => (existsSync(join(out, EVAL_FILES.results)) ? readJsonl<EvalResult>(join(out, EVAL_FILES.results)) : []);

/** Starts the CLI and kills it with SIGKILL once `results.jsonl` holds `after` results; resolves with whether it was killed. */
function runUntil(args: string[], out: string, afterResults: number): Promise<{ killed: boolean; code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SPECIALIZE_API_KEY: '' } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    let killed = false;
    const poll = setInterval(() => {
      if (!killed && results(out).length >= afterResults) {
        killed = true;
        child.kill('SIGKILL');
      }
    }, 25);
    child.on('exit', (code) => {
      clearInterval(poll);
      resolve({ killed, code, stderr });
    });
  });
}

describe('eval runs survive SIGKILL', () => {
  test('killed twice mid-run, the same command finishes with every pair exactly once and nothing torn', async () => {
    const { repo, commits } = await makeHistoryRepo();
    const known = commits.filter((c) => 'lines' in c.expect).map((c) => ({ statement: c.message, reference: repo.git('diff', `${c.hash}^`, c.hash!, '--', 'shop/') }));
    const servers = await Promise.all([
      serve(evalModel('oracle', known), { models: ['student'], latencyMs: 150 }),
      serve(evalModel('half', known, (t) => t === known[0]), { models: ['base'], latencyMs: 150 }),
      serve(evalModel('mute', known), { models: ['teacher'], latencyMs: 150 }),
    ]);
    const out = join(scratch, 'eval');
    const args = ['eval', repo.root, '--history', '--out', out, '--sandbox', 'host', '--max-steps', '3', '--concurrency', '2', ...['student', 'base', 'teacher'].flatMap((m, i) => ['--model', `${m}@${servers[i].url}`])];
    const first = await runUntil(args, out, 1);
    assert.ok(first.killed, `the first run ended by itself: ${first.stderr}`);
    const second = await runUntil(args, out, 3);
    assert.ok(second.killed, `the second run ended by itself: ${second.stderr}`);
    for (const name of readdirSync(out).filter((n) => n.endsWith('.jsonl'))) {
      const text = readFileSync(join(out, name), 'utf8');
      for (const line of text.split('\n').filter(Boolean).slice(0, -1)) JSON.parse(line);
    }
    const final = await runUntil(args, out, Infinity);
    assert.equal(final.code, 0, final.stderr);
    assert.match(final.stderr, /Resuming .*: 2 tasks x 3 models, [0-3] to run/);

    const all = results(out);
    const pairs = all.map((r) => `${r.taskId}/${r.model}`);
    assert.equal(new Set(pairs).size, 6);
    assert.equal(pairs.length, 6, `a finished pair ran twice: ${pairs.join(' ')}`);
    assert.ok(all.every((r) => r.error === null));
    for (const name of readdirSync(out).filter((n) => n.endsWith('.jsonl'))) {
      const text = readFileSync(join(out, name), 'utf8');
      assert.ok(text.endsWith('\n'));
      for (const line of text.split('\n').filter(Boolean)) JSON.parse(line);
    }
    for (const name of readdirSync(join(out, 'trajectories'))) {
      assert.ok(name.endsWith('.json'), `left behind: ${name}`);
      JSON.parse(readFileSync(join(out, 'trajectories', name), 'utf8'));
    }
    assert.ok(!existsSync(join(out, EVAL_FILES.lock)));
    assert.equal(all.filter((r) => r.model === 'student' && r.resolved).length, 2);
    assert.equal(repo.git('status', '--porcelain').trim(), '');
    await repo.cleanup();
  });
});
