import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { spawnSync } from 'node:child_process';
import { EVAL_FILES, EvalError, readEvalState, runEval, type EvalReport, type EvalResult, type EvalTask, type ModelSpec, type TaskComparison } from '../../src/core/eval';
import { lockRun, readJsonl } from '../../src/core/store';
import { evalModel, type KnownTask } from '../support/eval-models';
import type { FixtureRepo } from '../support/fixture-repo';
import { makeHistoryRepo, type HistoryCommit } from '../support/history-fixture';
import { deadUrl, useScriptedTeachers } from '../support/scripted-teacher';

const serve = useScriptedTeachers();
const CLI = join(__dirname, '..', '..', 'src', 'cli', 'main.ts');
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

    // The report: the oracle resolves everything, the half model half of it, the mute one nothing.
    const cli = spawnSync(process.execPath, ['--import', 'tsx', CLI, 'eval-report', out, '--json', '--seed', 's1'], { encoding: 'utf8' });
    assert.equal(cli.status, 0, cli.stderr);
    const report = JSON.parse(cli.stdout) as EvalReport & { plot: string };
    const m = Object.fromEntries(report.models.map((x) => [x.label, x]));
    assert.deepEqual(m.student.recall, { mean: 1, low: 1, high: 1, n: 2 });
    assert.equal(m.student.resolved.mean, 1);
    assert.equal(m.base.recall.mean, 0.5);
    assert.equal(m.base.resolved.mean, 0.5);
    assert.ok(m.base.recall.low === 0 && m.base.recall.high === 1, 'two tasks, one solved: the interval spans everything');
    assert.equal(m.teacher.submitRate, 0);
    assert.equal(m.teacher.resolved.mean, 0);
    assert.ok(m.student.tokensPerTask > 0 && m.teacher.stepsPerTask === 3);
    const [vsBase, vsTeacher] = report.differences;
    assert.deepEqual([vsBase.a, vsBase.b, vsBase.tasks], ['student', 'base', 2]);
    assert.equal(vsBase.recall.mean, 0.5);
    assert.equal(vsTeacher.resolved.mean, 1);
    assert.deepEqual(vsTeacher.resolved, { mean: 1, low: 1, high: 1, n: 2 });
    assert.equal(report.tasks.length, 2);
    assert.equal(report.source.skipped?.['version-bump'], 1);
    // Seeded: the same command gives the same numbers.
    const again = spawnSync(process.execPath, ['--import', 'tsx', CLI, 'eval-report', out, '--json', '--seed', 's1', '--no-plot'], { encoding: 'utf8' });
    assert.deepEqual({ ...JSON.parse(again.stdout), plot: null }, { ...report, plot: null });
    // The plot: one dot per scored pair, one row per model.
    const svg = readFileSync(report.plot, 'utf8');
    assert.match(svg, /^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.equal(svg.match(/<circle /g)?.length, 6);
    for (const label of ['student', 'base', 'teacher']) assert.ok(svg.includes(`>${label}</text>`));
    // Text form: the table names every model and a stricter threshold changes what counts as resolved.
    const text = spawnSync(process.execPath, ['--import', 'tsx', CLI, 'eval-report', out, '--no-plot', '--compare', 'base,teacher'], { encoding: 'utf8' });
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /base - teacher\s+2\s+\+0\.50/);
    // One task, reference next to each patch: the half model's miss shows every line missed and its own edit as extra.
    const missed = state.tasks.find((t) => !result(t, 'base').resolved)!;
    const cmp = spawnSync(process.execPath, ['--import', 'tsx', CLI, 'eval-report', out, '--task', missed.id, '--json'], { encoding: 'utf8' });
    assert.equal(cmp.status, 0, cmp.stderr);
    const byModel = Object.fromEntries((JSON.parse(cmp.stdout) as TaskComparison).models.map((x) => [x.label, x]));
    assert.ok(byModel.student.reference.length === missed.referenceLines && byModel.student.reference.every((l) => l.matched));
    assert.ok(byModel.base.reference.every((l) => !l.matched));
    assert.deepEqual(byModel.base.patch.map((l) => [l.text, l.matched]), [['# reviewed for the task', false]]);
    const cmpText = spawnSync(process.execPath, ['--import', 'tsx', CLI, 'eval-report', out, '--task', missed.id, '--model', 'student'], { encoding: 'utf8' });
    assert.match(cmpText.stdout, /student: recall 1\.00, submitted, resolved/);
    assert.match(cmpText.stdout, /^ {2}= [+-]/m);
    const wrong = spawnSync(process.execPath, ['--import', 'tsx', CLI, 'eval-report', out, '--compare', 'base,nobody'], { encoding: 'utf8' });
    assert.equal(wrong.status, 2);
    assert.match(wrong.stderr, /no model "nobody"/);
  });

  test('one writer per eval run, and mistakes in the command get one sentence saying what to do', async () => {
    const out = join(scratch, 'locked');
    mkdirSync(out);
    const lock = lockRun(out);
    try {
      await assert.rejects(runEval({ repo: repo.root, out, tasks: { history: {} }, models: [{ label: 'm', model: 'm', baseUrls: ['http://127.0.0.1:9/v1'] }] }), (e: Error) => e instanceof EvalError && /is being written by process/.test(e.message));
    } finally {
      lock.release();
    }
    const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', CLI, 'eval', repo.root, ...args], { encoding: 'utf8' });
    const both = cli('--history', '--tasks', out, '--model', 'm@http://127.0.0.1:9/v1');
    assert.equal(both.status, 2);
    assert.match(both.stderr, /either --tasks RUN_DIR\.\.\. or --history/);
    const none = cli('--history');
    assert.equal(none.status, 2);
    assert.match(none.stderr, /at least one model/);
    const dead = cli('--history', '--model', `m@${await deadUrl()}`);
    assert.equal(dead.status, 3, 'a model that does not answer means the eval cannot run here');
    assert.match(dead.stderr, /Model m: .*connection refused/);
    // eval names its endpoints in --model NAME@URL; it has no --base-url to point anywhere
    assert.match(dead.stderr, /or give --model NAME@URL the base URL of any OpenAI-compatible endpoint\./);
    assert.doesNotMatch(dead.stderr, /--base-url/);
    // a mistyped path is told first (a usage error), not after the teacher
    const noRun = cli('--tasks', join(scratch, 'no-such-run'), '--model', `m@${await deadUrl()}`);
    assert.equal(noRun.status, 2);
    assert.match(noRun.stderr, /no-such-run does not exist; give the path of a generation run/);
    const noSplit = cli('--tasks', out, '--split', join(scratch, 'no-such-export'), '--model', `m@${await deadUrl()}`);
    assert.equal(noSplit.status, 2);
    assert.match(noSplit.stderr, /no-such-export does not exist; give the path of the export the model was trained on/);
    const bad = cli('--history', '--model', 'no-url');
    assert.match(bad.stderr, /is not NAME@URL/);
    const report = (dir: string) => spawnSync(process.execPath, ['--import', 'tsx', CLI, 'eval-report', dir], { encoding: 'utf8' });
    const missing = report(join(scratch, 'no-such-eval'));
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /no-such-eval does not exist; give the path of an eval run \(the folder `specialize eval` wrote/);
    const notEval = report(repo.root);
    assert.equal(notEval.status, 2);
    assert.match(notEval.stderr, /is not an eval run \(it has no eval\.json\)/);
    assert.ok(![both, none, bad, missing, notEval, noRun, noSplit].some((r) => /\n\s+at /.test(r.stderr)), 'a stack trace reached the user');
  });
});
