import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { FunctionRecord } from '../../src/core/functions/types';
import { readJsonl, type PlannedSample, type SampleRecord } from '../../src/core/store';
import { planSamples, BUILTIN_DEMONSTRATIONS, BUILTIN_INSTRUCTIONS } from '../../src/core/generation';
import { makeScenarioRepo } from '../support/svg-fixture';
import { svgTeacher, type Scenario } from '../support/svg-teacher';
import { useScriptedTeachers } from '../support/scripted-teacher';

const serve = useScriptedTeachers();
const scratch = mkdtempSync(join(tmpdir(), 'svg-kill-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const CLI = join(__dirname, '..', '..', 'src', 'cli', 'main.ts');

function cli(args: string[]) {
  return spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SPECIALIZE_API_KEY: '' } });
}

/** Runs the CLI to its end without blocking this process, which serves the scripted teacher. */
function runCli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = cli(args);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

/**
 * Every line of every JSONL file in the run parses and every trajectory file is whole: nothing
 * was left torn. A kill may leave the temporary file of a write in progress; the next run
 * removes those, so after a run that finished there are none.
 */
function assertRunFilesValid(dir: string, finished: boolean): void {
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.jsonl'))) {
    const text = readFileSync(join(dir, name), 'utf8');
    if (!text) continue;
    assert.ok(text.endsWith('\n'), `${name} ends in a torn line`);
    for (const line of text.split('\n').filter(Boolean)) JSON.parse(line);
  }
  const trajectories = readdirSync(join(dir, 'trajectories'));
  for (const name of trajectories.filter((n) => n.endsWith('.json'))) JSON.parse(readFileSync(join(dir, 'trajectories', name), 'utf8'));
  if (finished) {
    assert.ok(!existsSync(join(dir, 'lock.json')), 'the run that finished left its lock');
    assert.deepEqual([...readdirSync(dir), ...trajectories].filter((n) => !n.endsWith('.json') && !n.endsWith('.jsonl') && n !== '.gitignore' && n !== 'trajectories'), []);
  }
}

describe('runs survive SIGKILL', () => {
  test('killed at random moments several times, the same command finishes with every sample exactly once', async () => {
    const scenarios: Scenario[] = ['reproduce', 'half', 'elsewhere', 'leak', 'empty-p2', 'judge-no'];
    const repo = await makeScenarioRepo(scenarios);
    const server = await serve(svgTeacher(), { latencyMs: 120 });
    const out = join(scratch, 'killed');
    const args = ['generate', repo.root, '--out', out, '--base-url', server.url, '--model', 'test-model', '--samples', '6', '--concurrency', '3', '--sandbox', 'host', '--seed', 'kill'];
    // Seeded, so the kill moments are the same on every machine and run.
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    let kills = 0;
    for (let attempt = 0; attempt < 6; attempt++) {
      const child = cli(args);
      const delay = 900 + Math.floor(random() * 1300);
      const finished = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          kills++;
        }, delay);
        child.on('exit', (code, signal) => {
          clearTimeout(timer);
          resolve(code === 0 && signal === null);
        });
      });
      if (existsSync(join(out, 'run.json'))) assertRunFilesValid(out, false);
      if (finished) break;
    }
    assert.ok(kills >= 2, `expected at least two kills, got ${kills}`);
    const final = await runCli(args);
    assert.equal(final.status, 0, final.stderr);
    assertRunFilesValid(out, true);
    const plan = readJsonl<PlannedSample>(join(out, 'plan.jsonl'));
    const samples = readJsonl<SampleRecord>(join(out, 'samples.jsonl'));
    assert.equal(plan.length, 6);
    assert.deepEqual(samples.map((s) => s.id).sort(), plan.map((p) => p.id).sort());
    const status = Object.fromEntries(samples.map((s) => [s.function.name, s.status]));
    assert.equal(status.reproduce_total, 'verified');
    assert.equal(status.elsewhere_total, 'below-threshold');
    assert.equal(status.judge_no_total, 'verified', 'the judge is off by default');
    assert.equal(status.empty_p2_total, 'failed');
    // The user's repository is untouched after all the killing.
    assert.equal(repo.git('status', '--porcelain').trim(), '');
    assert.equal(repo.git('worktree', 'list').trim().split('\n').length, 1);
    await repo.cleanup();
  });
});

describe('shards and merge', () => {
  const fns: FunctionRecord[] = Array.from({ length: 300 }, (_, i) => ({
    id: `pkg/m${i % 37}.py:f${i}:${i + 1}`,
    file: `pkg/m${i % 37}.py`,
    name: `f${i}`,
    qualifiedName: `f${i}`,
    language: 'python',
    startLine: i + 1,
    endLine: i + 10,
    signature: `def f${i}():`,
    calls: [],
  }));
  const plan = (shard: { index: number; count: number } | null, samples = 1000) =>
    planSamples(fns, { samples, seed: 's', shard, perFileCap: 1000, instancesPerFunction: 1, minFunctionLines: 1, bank: BUILTIN_INSTRUCTIONS, demonstrations: BUILTIN_DEMONSTRATIONS });

  test('shards are disjoint, cover every function, and are the same on every call', () => {
    const parts = [0, 1, 2].map((i) => plan({ index: i, count: 3 }));
    const seen = new Set<string>();
    for (const part of parts) {
      assert.ok(part.length > 60, 'a shard is badly unbalanced');
      for (const p of part) {
        assert.ok(!seen.has(p.function.id), `${p.function.id} is in two shards`);
        seen.add(p.function.id);
      }
    }
    assert.equal(seen.size, fns.length);
    assert.deepEqual(plan({ index: 1, count: 3 }), parts[1]);
    assert.notDeepEqual(plan(null, 20).map((p) => p.id), planSamples(fns, { samples: 20, seed: 'other', shard: null, perFileCap: 1000, instancesPerFunction: 1, minFunctionLines: 1, bank: BUILTIN_INSTRUCTIONS, demonstrations: BUILTIN_DEMONSTRATIONS }).map((p) => p.id));
  });

  test('every instruction names its start function and file', () => {
    for (const p of plan(null, 100)) {
      assert.ok(p.instruction.text.includes(p.function.name), p.instruction.templateId);
      assert.ok(p.instruction.text.includes(p.function.file), p.instruction.templateId);
    }
  });

  test('two shard runs merge into one run with every sample', async () => {
    const scenarios: Scenario[] = ['reproduce', 'half', 'elsewhere', 'leak', 'empty-p2', 'judge-no', 'empty-p1', 'no-submit'];
    const repo = await makeScenarioRepo(scenarios);
    const server = await serve(svgTeacher());
    const dirs = [0, 1].map((i) => join(scratch, `shard-${i}`));
    for (const [i, dir] of dirs.entries()) {
      const r = await runCli(['generate', repo.root, '--out', dir, '--base-url', server.url, '--model', 'test-model', '--samples', '20', '--shard', `${i}/2`, '--sandbox', 'host', '--max-steps', '4']);
      assert.equal(r.status, 0, r.stderr);
    }
    const counts = dirs.map((d) => readJsonl<SampleRecord>(join(d, 'samples.jsonl')).length);
    assert.equal(counts[0] + counts[1], scenarios.length);
    const merged = join(scratch, 'merged');
    const m = await runCli(['merge', ...dirs, '--out', merged]);
    assert.equal(m.status, 0, m.stderr);
    const runs = await runCli(['runs', merged, '--json']);
    const view = JSON.parse(runs.stdout) as { counts: Record<string, number>; samples: { id: string; function: { file: string; qualifiedName: string }; status: string; recall: number | null; failure: string | null }[] };
    assert.equal(view.samples.length, scenarios.length);
    assert.equal(view.counts.pending, 0);
    assert.deepEqual(Object.keys(view.samples[0]).sort(), ['failure', 'function', 'id', 'recall', 'status']);
    for (const s of view.samples) assert.ok(existsSync(join(merged, 'trajectories', `${s.id}.r1.json`)));
    // Merging again into the same folder is refused rather than mixing runs.
    const again = await runCli(['merge', ...dirs, '--out', merged]);
    assert.notEqual(again.status, 0);
    assert.match(again.stderr, /already a run directory/);
    await repo.cleanup();
  });

  test('a merged run of uncommitted changes resumes: the snapshot commit comes along', async () => {
    const repo = await makeScenarioRepo(['reproduce', 'half']);
    repo.write({ 'notes/uncommitted.txt': 'not committed yet\n' });
    const server = await serve(svgTeacher());
    const run = join(scratch, 'uncommitted-run');
    const first = await runCli(['generate', repo.root, '--out', run, '--base-url', server.url, '--model', 'test-model', '--samples', '2', '--include-uncommitted', '--sandbox', 'host', '--max-steps', '4']);
    assert.equal(first.status, 0, first.stderr);
    const merged = join(scratch, 'uncommitted-merged');
    const m = await runCli(['merge', run, '--out', merged]);
    assert.equal(m.status, 0, m.stderr);
    const resumed = await runCli(['generate', repo.root, '--out', merged, '--base-url', server.url, '--model', 'test-model', '--sandbox', 'host', '--max-steps', '4']);
    assert.equal(resumed.status, 0, resumed.stderr);
    assert.equal(readJsonl<SampleRecord>(join(merged, 'samples.jsonl')).length, readJsonl<SampleRecord>(join(run, 'samples.jsonl')).length);
    await repo.cleanup();
  });
});
