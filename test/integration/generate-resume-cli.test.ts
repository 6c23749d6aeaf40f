import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { SampleRecord } from '../../src/core/store';
import { runCli } from '../support/cli-process';
import { useScriptedTeachers } from '../support/scripted-teacher';
import { makeScenarioRepo } from '../support/svg-fixture';
import { svgTeacher } from '../support/svg-teacher';

const serve = useScriptedTeachers();
const scratch = mkdtempSync(join(tmpdir(), 'generate-resume-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const records = (dir: string) => readFileSync(join(dir, 'samples.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as SampleRecord);

describe('specialize generate: plans, costs and resumes say what they do', () => {
  test('a P1 over --max-p1-lines stops its sample after rollout 1 (no PR, no rollout 2); the plan says why it is short; runs counts the tokens', async () => {
    const repo = await makeScenarioRepo(['reproduce', 'half', 'elsewhere']);
    const server = await serve(svgTeacher());
    const out = join(scratch, 'too-large');
    const r = await runCli(['generate', repo.root, '--out', out, '--base-url', server.url, '--model', 'test-model', '--samples', '10', '--sandbox', 'host', '--max-p1-lines', '1']);
    assert.equal(r.status, 4, r.stdout + r.stderr);
    assert.match(r.stderr, /: 3 samples planned \(10 asked for, but 3 functions were found; raise --instances-per-function for more, or widen --include\)\n/);
    assert.match(r.stdout, /^3\/3 samples done: 0 verified, 0 below threshold, 0 failed, 3 stopped after rollout 1 \(P1 too large to export\); /m);
    assert.match(r.stdout, /^Every P1 changed more lines than --max-p1-lines allows/m);
    assert.ok(server.chats.every((c) => !String(c.body.messages?.[0]?.content).startsWith('You write issue reports')), 'no PR was written');
    const saved = records(out);
    assert.deepEqual(saved.map((s) => [s.status, s.syntheticPr, s.rollout2]), [['too-large', null, null], ['too-large', null, null], ['too-large', null, null]]);
    const runs = await runCli(['runs', out]);
    assert.match(runs.stdout, /P1 too large 3/);
    assert.match(runs.stdout, /^ {2}tokens on samples a default export leaves out: [\d,]+ \(100%\): P1 too large [\d,]+$/m);
    await repo.cleanup();
  });

  test('resuming names the flags the run keeps and the ones it takes; a new threshold scores what is finished from then on', async () => {
    const repo = await makeScenarioRepo(['reproduce', 'half', 'elsewhere']);
    const server = await serve(svgTeacher());
    const out = join(scratch, 'resume');
    const first = await runCli(['generate', repo.root, '--out', out, '--base-url', server.url, '--model', 'test-model', '--samples', '3', '--concurrency', '1', '--sandbox', 'host', '--max-total-tokens', '10']);
    assert.equal(first.status, 5, first.stdout + first.stderr);
    const before = records(out).map((s) => s.id);
    const again = await runCli(['generate', repo.root, '--out', out, '--base-url', server.url, '--model', 'test-model', '--samples', '5', '--seed', '9', '--threshold', '0.9', '--concurrency', '2', '--sandbox', 'host']);
    assert.equal(again.status, 0, again.stdout + again.stderr);
    assert.match(again.stderr, /^The run keeps what defines its samples: --samples 3 \(this command asked 5\), --seed 0 \(this command asked 9\)\. Start a new run/m);
    assert.match(again.stderr, /^This session uses --concurrency 2 \(was 1\), --threshold 0\.9 \(was 0\.5\); the threshold scores the samples finished from now on/m);
    const later = records(out).filter((s) => !before.includes(s.id));
    assert.equal(later.length, 2);
    for (const s of later) assert.equal(s.verification?.threshold, 0.9);
    await repo.cleanup();
  });

  test('a start that fails before the run exists leaves no folder behind', async () => {
    const repo = await makeScenarioRepo(['reproduce']);
    const server = await serve(svgTeacher());
    const r = await runCli(['generate', repo.root, '--base-url', server.url, '--model', 'test-model', '--sandbox', 'host', '--include', 'no/such/**']);
    assert.equal(r.status, 3, r.stdout + r.stderr);
    assert.match(r.stderr, /^specialize: No functions were found in /m);
    assert.equal(existsSync(join(repo.root, '.specializer')), false, 'the run folders it made are gone');
    await repo.cleanup();
  });
});
