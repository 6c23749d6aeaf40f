import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { readJsonl, readRunState, type SampleRecord } from '../../src/core/store';
import { generate } from '../../src/core/generation';
import { makeScenarioRepo } from '../support/svg-fixture';
import { svgTeacher } from '../support/svg-teacher';
import { hang, toolCall, useScriptedTeachers, type RecordedRequest, type Reply } from '../support/scripted-teacher';

const serve = useScriptedTeachers();
const scratch = mkdtempSync(join(tmpdir(), 'svg-faults-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const isRollout1Of = (req: RecordedRequest, fn: string) => {
  const messages = req.body.messages ?? [];
  const task = String(messages[1]?.content ?? '');
  return String(messages[0]?.content ?? '').includes('/testbed') && !task.includes('ISSUE-FROM-PR-WRITER') && task.includes(fn);
};
const isPrRequest = (req: RecordedRequest) => String(req.body.messages?.[0]?.content ?? '').startsWith('You write issue reports');

function options(repo: string, url: string, out: string, samples: number, signal?: AbortSignal) {
  return { repo, out, teacher: { baseUrls: [url], model: 'test-model', maxRetries: 0 }, samples, concurrency: 2, threshold: 0.5, maxSteps: 6, sandbox: 'host' as const, seed: 'faults', signal };
}

describe('one sample\'s trouble stays that sample\'s', () => {
  test('an empty nested repository made by the agent no longer breaks the review diff; the run and its resume go on', async () => {
    const repo = await makeScenarioRepo(['reproduce', 'half', 'elsewhere']);
    const script = svgTeacher();
    // Rollout 1 of `half_total` makes an empty nested repository. `git add --all` used to refuse it
    // and end the whole run; the diff now leaves the nested repository out.
    const server = await serve((req: RecordedRequest): Reply => {
      if (isRollout1Of(req, 'half_total')) {
        const step = (req.body.messages ?? []).filter((m) => m.role === 'assistant').length;
        if (step === 0) return toolCall('bash', { command: 'mkdir nested && cd nested && git init -q && cd .. && echo x >> app/half.py' });
        return toolCall('submit', {});
      }
      return script(req);
    });
    const out = join(scratch, 'nested');
    const summary = await generate(options(repo.root, server.url, out, 3));
    assert.equal(summary.stoppedBy, 'completed');
    assert.equal(summary.progress.done, 3);
    const records = new Map(readJsonl<SampleRecord>(join(out, 'samples.jsonl')).map((r) => [r.function.name, r]));
    assert.equal(records.get('reproduce_total')?.status, 'verified');
    assert.equal(records.get('elsewhere_total')?.status, 'below-threshold');
    const nested = records.get('half_total');
    assert.ok(nested?.rollout1, 'rollout 1 of the nested-repository sample is recorded');
    assert.match(nested.rollout1.patch, /app\/half\.py/);
    assert.doesNotMatch(nested.rollout1.patch, /nested/);

    // Resuming the finished run changes nothing.
    const again = await generate(options(repo.root, server.url, out, 3));
    assert.equal(again.resumed, true);
    assert.equal(again.progress.done, 3);
    assert.equal(readJsonl<SampleRecord>(join(out, 'samples.jsonl')).length, 3);
  });

  test('a trajectory file missing on resume fails that sample at the stage that needs it, not the run', async () => {
    const repo = await makeScenarioRepo(['reproduce']);
    const script = svgTeacher();
    const stop = new AbortController();
    // The first run stops once rollout 1 is persisted, when the PR writer is asked.
    const first = await serve((req: RecordedRequest): Reply => {
      if (isPrRequest(req)) {
        stop.abort();
        return hang();
      }
      return script(req);
    });
    const out = join(scratch, 'missing-trajectory');
    const stopped = await generate(options(repo.root, first.url, out, 1, stop.signal));
    assert.equal(stopped.stoppedBy, 'cancelled');
    const state = readRunState(out);
    const [id, stages] = [...state.stages][0];
    assert.ok(stages.rollout1 && !stages.pr, 'the run stopped between rollout 1 and the PR');
    rmSync(join(out, stages.rollout1.trajectory));

    const second = await serve(svgTeacher());
    const resumed = await generate(options(repo.root, second.url, out, 1));
    assert.equal(resumed.stoppedBy, 'completed');
    const [record] = readJsonl<SampleRecord>(join(out, 'samples.jsonl'));
    assert.equal(record.id, id);
    assert.equal(record.status, 'failed');
    assert.equal(record.failure?.stage, 'pr');
    assert.match(record.failure?.reason ?? '', /trajectory .* is missing/);
    assert.equal(second.chats.length, 0, 'no teacher call was spent on a sample that cannot go on');
  });

  test('an error no stage expects (the trajectory cannot be saved) fails that sample as "unexpected error"; the other samples finish', async () => {
    const repo = await makeScenarioRepo(['reproduce', 'half']);
    const stop = new AbortController();
    // The first run only plans: it stops at the first teacher request.
    const first = await serve((): Reply => {
      stop.abort();
      return hang();
    });
    const out = join(scratch, 'unexpected');
    assert.equal((await generate(options(repo.root, first.url, out, 2, stop.signal))).stoppedBy, 'cancelled');
    const victim = readRunState(out).plan.find((p) => p.function.name === 'half_total');
    assert.ok(victim, 'half_total is planned');
    // A folder where rollout 1's trajectory goes: saving it fails with EISDIR, which no stage expects.
    // (the cancelled rollout may have saved its trajectory there already)
    const target = join(out, 'trajectories', `${victim.id}.r1.json`);
    rmSync(target, { force: true });
    mkdirSync(target);

    const resumed = await generate(options(repo.root, (await serve(svgTeacher())).url, out, 2));
    assert.equal(resumed.stoppedBy, 'completed');
    const records = new Map(readJsonl<SampleRecord>(join(out, 'samples.jsonl')).map((r) => [r.function.name, r]));
    assert.equal(records.get('reproduce_total')?.status, 'verified');
    const failed = records.get('half_total');
    assert.equal(failed?.status, 'failed');
    assert.equal(failed?.failure?.stage, 'rollout1');
    assert.match(failed?.failure?.reason ?? '', /^unexpected error: .*(EISDIR|directory)/);
  });
});
