import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { readJsonl, readRunState, summarizeRun, type SampleRecord } from '../../src/core/store';
import { generate, GenerateError } from '../../src/core/generation';
import { makeScenarioRepo } from '../support/svg-fixture';
import { addedLines, svgTeacher, type Scenario } from '../support/svg-teacher';
import { deadUrl, useScriptedTeachers } from '../support/scripted-teacher';

const serve = useScriptedTeachers();
const scratch = mkdtempSync(join(tmpdir(), 'svg-run-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const ALL: Scenario[] = ['reproduce', 'half', 'elsewhere', 'leak', 'leak-always', 'no-submit', 'empty-p1', 'pr-error', 'judge-no', 'empty-p2', 'r1-error'];

function byFunction(records: SampleRecord[]): Map<string, SampleRecord> {
  return new Map(records.map((r) => [r.function.name.replace(/_total$/, '').replace(/_/g, '-'), r]));
}

describe('soft-verified generation, end to end against a scripted teacher', () => {
  test('every scenario ends in the right status, with its stage and reason', async () => {
    const repo = await makeScenarioRepo(ALL);
    const headBefore = repo.git('rev-parse', 'HEAD').trim();
    const server = await serve(svgTeacher(), { apiKey: 'sk-test-SECRET-0123456789' });
    const out = join(scratch, 'all');
    const summary = await generate({
      repo: repo.root,
      out,
      teacher: { baseUrls: [server.url], model: 'test-model', apiKey: 'sk-test-SECRET-0123456789', maxRetries: 0 },
      samples: ALL.length,
      concurrency: 4,
      threshold: 0.5,
      judge: true,
      maxSteps: 4,
      sandbox: 'host',
      seed: 'scenarios',
    });
    assert.equal(summary.stoppedBy, 'completed');
    assert.equal(summary.progress.done, ALL.length);
    const records = readJsonl<SampleRecord>(join(out, 'samples.jsonl'));
    assert.equal(records.length, ALL.length);
    const r = byFunction(records);

    assert.equal(r.get('reproduce')?.status, 'verified');
    assert.equal(r.get('reproduce')?.verification?.recall, 1);
    assert.equal(r.get('half')?.status, 'verified', 'recall 0.5 sits at the threshold and passes');
    assert.equal(r.get('half')?.verification?.recall, 0.5);
    assert.deepEqual(r.get('half')?.verification?.matchMap.p1, [0, null]);
    assert.equal(r.get('elsewhere')?.status, 'below-threshold');
    assert.equal(r.get('elsewhere')?.verification?.recall, 0);

    const leak = r.get('leak')!;
    assert.equal(leak.status, 'verified');
    assert.equal(leak.syntheticPr?.cleaned, true);
    assert.ok(!leak.syntheticPr!.text.includes(addedLines('leak_total')[1].trim()), 'the cleaned PR text still quotes the change');

    const failures: [Scenario, string, RegExp][] = [
      ['leak-always', 'pr', /gave the change away/],
      ['no-submit', 'rollout1', /without submit \(step-limit/],
      ['empty-p1', 'rollout1', /empty P1/],
      ['pr-error', 'pr', /teacher error/],
      ['judge-no', 'judge', /judge said no/],
      ['empty-p2', 'rollout2', /empty P2/],
      ['r1-error', 'rollout1', /teacher-error/],
    ];
    for (const [scenario, stage, reason] of failures) {
      const rec = r.get(scenario);
      assert.equal(rec?.status, 'failed', scenario);
      assert.equal(rec?.failure?.stage, stage, scenario);
      assert.match(rec?.failure?.reason ?? '', reason, scenario);
    }

    // The run directory: ignored by git, no secret anywhere, trajectories for every rollout that ran.
    assert.equal(readFileSync(join(out, '.gitignore'), 'utf8'), '*\n');
    for (const name of ['run.json', 'samples.jsonl', 'stages.jsonl', 'events.jsonl', 'plan.jsonl']) {
      assert.ok(!readFileSync(join(out, name), 'utf8').includes('SECRET'), `${name} holds the API key`);
    }
    for (const rec of records) {
      if (rec.rollout1) assert.ok(existsSync(join(out, rec.rollout1.trajectory)));
      if (rec.rollout2) assert.ok(existsSync(join(out, rec.rollout2.trajectory)));
      for (const t of [rec.rollout1?.trajectory, rec.rollout2?.trajectory].filter(Boolean)) {
        const text = readFileSync(join(out, t!), 'utf8');
        assert.ok(!text.includes(repo.root), 'the real repository path reached a trajectory');
      }
    }
    // The instruction named the function; rollout 2 got only the PR text.
    assert.match(r.get('reproduce')!.instruction.text, /`reproduce_total`/);
    const t2 = JSON.parse(readFileSync(join(out, r.get('reproduce')!.rollout2!.trajectory), 'utf8'));
    assert.match(t2.messages[1].content, /ISSUE-FROM-PR-WRITER/);
    assert.ok(!t2.messages[1].content.includes(r.get('reproduce')!.instruction.text));

    // The user's repository is untouched.
    assert.equal(repo.git('status', '--porcelain').trim(), '');
    assert.equal(repo.git('rev-parse', 'HEAD').trim(), headBefore);
    assert.equal(repo.git('stash', 'list').trim(), '');

    const view = summarizeRun(out);
    assert.equal(view.counts.verified + view.counts.belowThreshold + view.counts.failed, ALL.length);
    assert.equal(view.recallHistogram[9], 2);
    assert.equal(view.recallHistogram[5], 1);
    assert.equal(view.recallHistogram[0], 1);
    await repo.cleanup();
  });

  test('a token budget stops the run cleanly and the same call resumes it without duplicates', async () => {
    const scenarios: Scenario[] = ['reproduce', 'half', 'elsewhere', 'leak'];
    const repo = await makeScenarioRepo(scenarios);
    const server = await serve(svgTeacher());
    const out = join(scratch, 'budget');
    const options = { repo: repo.root, out, teacher: { baseUrls: [server.url], model: 'test-model', maxRetries: 0 }, samples: 4, concurrency: 1, sandbox: 'host' as const, seed: 'b' };
    const first = await generate({ ...options, maxTotalTokens: 1 });
    assert.equal(first.stoppedBy, 'token-budget');
    assert.equal(first.progress.done, 1);
    const second = await generate(options);
    assert.equal(second.resumed, true);
    assert.equal(second.stoppedBy, 'completed');
    const ids = readJsonl<SampleRecord>(join(out, 'samples.jsonl')).map((s) => s.id);
    assert.equal(ids.length, 4);
    assert.equal(new Set(ids).size, 4);
    await repo.cleanup();
  });

  test('a worker holds one copy at a time: the pool never grows past the concurrency and its spare', async () => {
    const scenarios: Scenario[] = ['reproduce', 'half', 'elsewhere', 'leak'];
    const repo = await makeScenarioRepo(scenarios);
    const server = await serve(svgTeacher(), { latencyMs: 30 });
    // The pools live under the temp folder; a temp folder of the test's own makes them countable.
    const pools = mkdtempSync(join(scratch, 'pools-'));
    const tmp = process.env.TMPDIR;
    process.env.TMPDIR = pools;
    // Copies are only ever added while a run lasts, so counting at the last progress report counts them all.
    let copies = -1;
    const countCopies = () => readdirSync(pools, { recursive: true, withFileTypes: true }).filter((e) => e.isDirectory() && /^c\d+$/.test(e.name) && /[0-9a-f]{10}\/[^/]+$/.test(e.parentPath)).length;
    try {
      const summary = await generate({
        repo: repo.root,
        out: join(scratch, 'copies'),
        teacher: { baseUrls: [server.url], model: 'test-model', maxRetries: 0 },
        samples: 4,
        instancesPerFunction: 2,
        concurrency: 2,
        sandbox: 'host',
        seed: 'copies',
        onProgress: (p) => {
          if (p.done === p.total) copies = countCopies();
        },
      });
      assert.equal(summary.progress.done, 4);
    } finally {
      if (tmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = tmp;
    }
    assert.equal(copies, 3, 'a copy per worker and a spare, checked out up front, and none added while the run lasted');
    await repo.cleanup();
  });

  test('cancelling mid-run keeps finished samples and in-flight ones resume from their last stage', async () => {
    const repo = await makeScenarioRepo(['reproduce', 'half', 'elsewhere']);
    const server = await serve(svgTeacher(), { latencyMs: 100 });
    const out = join(scratch, 'cancel');
    const controller = new AbortController();
    const options = { repo: repo.root, out, teacher: { baseUrls: [server.url], model: 'test-model', maxRetries: 0 }, samples: 3, concurrency: 3, sandbox: 'host' as const };
    // Cancel as soon as the first stage of any sample is on disk: the rest are still in flight.
    const poll = setInterval(() => {
      if (existsSync(join(out, 'stages.jsonl')) && readJsonl(join(out, 'stages.jsonl')).length >= 1) controller.abort();
    }, 10);
    const first = await generate({ ...options, signal: controller.signal }).finally(() => clearInterval(poll));
    assert.equal(first.stoppedBy, 'cancelled');
    const midway = readRunState(out);
    assert.ok(midway.finished.size < 3);
    const second = await generate(options);
    assert.equal(second.stoppedBy, 'completed');
    const final = readRunState(out);
    assert.equal(final.finished.size, 3);
    assert.equal(readJsonl<SampleRecord>(join(out, 'samples.jsonl')).length, 3);
    await repo.cleanup();
  });

  test('a run from uncommitted changes resumes from the same snapshot, and the working tree is untouched', async () => {
    const repo = await makeScenarioRepo(['reproduce']);
    repo.write({ 'app/half.py': 'def half_total(items):\n    result = 0\n    for item in items:\n        result += item\n    return result\n' });
    const statusBefore = repo.git('status', '--porcelain');
    const server = await serve(svgTeacher());
    const out = join(scratch, 'uncommitted');
    const options = { repo: repo.root, out, teacher: { baseUrls: [server.url], model: 'test-model', maxRetries: 0 }, samples: 2, concurrency: 1, sandbox: 'host' as const, includeUncommitted: true };
    const first = await generate({ ...options, maxTotalTokens: 1 });
    assert.equal(first.stoppedBy, 'token-budget');
    const second = await generate({ ...options, includeUncommitted: false });
    assert.equal(second.stoppedBy, 'completed');
    const records = readJsonl<SampleRecord>(join(out, 'samples.jsonl'));
    assert.deepEqual(records.map((r) => r.function.name).sort(), ['half_total', 'reproduce_total']);
    assert.ok(records.every((r) => r.status === 'verified'), JSON.stringify(records.map((r) => r.failure)));
    assert.equal(repo.git('status', '--porcelain'), statusBefore);
    assert.equal(readRunState(out).manifest.repository.snapshotOfUncommitted, true);
    await repo.cleanup();
  });

  test('an unreachable teacher fails fast with how to start one, before any run directory exists', async () => {
    const repo = await makeScenarioRepo(['reproduce']);
    const out = join(scratch, 'unreachable');
    await assert.rejects(
      generate({ repo: repo.root, out, teacher: { baseUrls: [await deadUrl()], model: 'm' }, samples: 1, sandbox: 'host' }),
      (error: unknown) => error instanceof GenerateError && /did not answer/.test(error.message) && /ollama serve/.test(error.message) && /or point --base-url at any OpenAI-compatible endpoint\.$/.test(error.message),
    );
    assert.equal(existsSync(out), false);
    // VS Code's users have settings, not flags: the advice is the caller's
    const advice = { endpoint: 'set repoSpecializer.teacher.baseUrls', model: 'set repoSpecializer.teacher.model' };
    await assert.rejects(
      generate({ repo: repo.root, out, teacher: { baseUrls: [await deadUrl()], model: 'm' }, samples: 1, sandbox: 'host', teacherAdvice: advice }),
      (error: unknown) => error instanceof GenerateError && /, or set repoSpecializer\.teacher\.baseUrls\.$/.test(error.message) && !error.message.includes('--base-url'),
    );
    await repo.cleanup();
  });

  test('a model the endpoint does not serve is named with the ones it does', async () => {
    const repo = await makeScenarioRepo(['reproduce']);
    const server = await serve(svgTeacher(), { models: ['qwen-a', 'qwen-b'] });
    await assert.rejects(
      generate({ repo: repo.root, out: join(scratch, 'nomodel'), teacher: { baseUrls: [server.url], model: 'gpt-x' }, samples: 1, sandbox: 'host' }),
      /model "gpt-x" is not served .*qwen-a, qwen-b/,
    );
    await repo.cleanup();
  });
});
