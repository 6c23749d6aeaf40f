import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { EVAL_FILES, readEvalState, runEval, type EvalResult, type EvalTask, type ModelSpec } from '../../src/core/eval';
import { readJsonl } from '../../src/core/store';
import { evalModel, type KnownTask } from '../support/eval-models';
import type { FixtureRepo } from '../support/fixture-repo';
import { makeHistoryRepo, type HistoryCommit } from '../support/history-fixture';
import { useScriptedTeachers } from '../support/scripted-teacher';

const serve = useScriptedTeachers();
const scratch = mkdtempSync(join(tmpdir(), 'eval-run-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('specialize eval on the repository history', () => {
  let repo: FixtureRepo;
  let commits: HistoryCommit[];
  let known: KnownTask[];
  before(async () => {
    ({ repo, commits } = await makeHistoryRepo());
    // What the models are taught: each good commit's message and its source diff.
    known = commits
      .filter((c) => 'lines' in c.expect)
      .map((c) => ({ statement: c.message, reference: repo.git('diff', '--no-ext-diff', `${c.hash}^`, c.hash!, '--', 'shop/') }));
  });
  after(() => repo.cleanup());

  test('three models on the same tasks: one reproduces the references, one half of them, one never submits', async () => {
    const oracle = await serve(evalModel('oracle', known), { models: ['student'] });
    const half = await serve(evalModel('half', known, (t) => t === known[0]), { models: ['base'] });
    const mute = await serve(evalModel('mute', known), { models: ['teacher'] });
    const models: ModelSpec[] = [
      { label: 'student', model: 'student', baseUrls: [oracle.url] },
      { label: 'base', model: 'base', baseUrls: [half.url] },
      { label: 'teacher', model: 'teacher', baseUrls: [mute.url] },
    ];
    const out = join(scratch, 'history');
    const headBefore = repo.git('rev-parse', 'HEAD');
    const summary = await runEval({ repo: repo.root, out, tasks: { history: {} }, models, sandbox: 'host', maxSteps: 3, concurrency: 3 });
    assert.equal(summary.stoppedBy, 'completed');
    assert.equal(summary.tasks, known.length);
    assert.equal(summary.progress.done, known.length * 3);

    const state = readEvalState(out);
    assert.equal(state.manifest.source.kind, 'history');
    assert.deepEqual(state.manifest.models.map((m) => m.label), ['student', 'base', 'teacher']);
    const result = (task: EvalTask, model: string) => state.results.get(`${task.id}\u0000${model}`)!;
    for (const task of state.tasks) {
      const student = result(task, 'student');
      assert.equal(student.submitted, true);
      assert.equal(student.score?.recall, 1, `${task.id}: ${student.patch}`);
      assert.equal(student.resolved, true);
      assert.ok(student.steps >= 2 && student.usage.promptTokens > 0);
      const teacher = result(task, 'teacher');
      assert.equal(teacher.submitted, false);
      assert.equal(teacher.exit.status, 'step-limit');
      assert.equal(teacher.resolved, false);
      assert.equal(teacher.score?.recall, 0);
      assert.ok(existsSync(join(out, teacher.trajectory)));
    }
    const base = state.tasks.map((t) => result(t, 'base'));
    assert.deepEqual(base.map((r) => r.resolved).sort(), [false, true]);
    assert.ok(base.every((r) => r.submitted));
    // The user's repository is untouched.
    assert.equal(repo.git('rev-parse', 'HEAD'), headBefore);
    assert.equal(repo.git('status', '--porcelain').trim(), '');
    // Append-only: one result per pair, and the run's lock is gone.
    assert.equal(readJsonl<EvalResult>(join(out, EVAL_FILES.results)).length, known.length * 3);
    assert.ok(!existsSync(join(out, EVAL_FILES.lock)));
    assert.equal(readFileSync(join(out, '.gitignore'), 'utf8'), '*\n');
  });
});
