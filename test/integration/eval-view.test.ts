/**
 * The eval view's host side without VS Code: discovery of eval runs, the sidebar's row text, and
 * the controller that answers the webview with core's report, on a real eval run (runEval with
 * scripted models), including one whose results are still arriving.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { describeEval, evalReport, listEvals, readEvalState as readEvalStateOf, type EvalListing, type EvalReport } from '../../src/core/eval';
import { EvalController } from '../../src/extension/panel/eval-controller';
import { buildEvalTaskDetail } from '../../src/extension/panel/eval-detail';
import type { EvalState } from '../../src/core/eval/eval-dir';
import { evalRowText, evalSourceText, reportView } from '../../src/extension/view-models/eval-item';
import { HostPosts } from '../support/host-posts';
import { makeEvalFixture, type EvalFixture } from '../support/eval-fixture';

class Recorder extends HostPosts {
  logs: string[] = [];
  opened: string[] = [];
  log = (line: string) => void this.logs.push(line);
  openFile = async (path: string) => void this.opened.push(path);
}

describe('eval runs in the extension', () => {
  let fx: EvalFixture;
  let report: EvalReport;
  /** A copy of the eval holding only its first results, as while `specialize eval` is still running. */
  let partial: string;
  let fullResults: string;
  before(async () => {
    fx = await makeEvalFixture();
    report = evalReport(fx.evalDir);
    partial = join(fx.repo.root, '.specializer', 'evals', '2026-12-02_06-00-00');
    cpSync(fx.evalDir, partial, { recursive: true });
    const manifest = join(partial, 'eval.json');
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('"evalId": "2026-12-02_05-10-00"', '"evalId": "2026-12-02_06-00-00"'));
    fullResults = readFileSync(join(partial, 'results.jsonl'), 'utf8');
    writeFileSync(join(partial, 'results.jsonl'), fullResults.split('\n').slice(0, 7).join('\n') + '\n');
    // Not eval runs: left out of the list.
    mkdirSync(join(fx.repo.root, '.specializer', 'evals', 'notes'));
    mkdirSync(join(fx.repo.root, '.specializer', 'evals', 'half-made'));
    writeFileSync(join(fx.repo.root, '.specializer', 'evals', 'half-made', 'eval.json'), '{"format":');
  });
  after(() => fx?.cleanup());

  it('lists the eval runs of a repository newest first, with their source, models and progress', () => {
    const evals = listEvals(join(fx.repo.root, '.specializer', 'evals'));
    assert.deepEqual(evals.map((e) => e.evalId), ['2026-12-02_06-00-00', '2026-12-02_05-10-00']);
    const [running, done] = evals;
    assert.deepEqual(done.models.map((m) => m.label), ['student', 'base', 'teacher']);
    assert.deepEqual([done.tasks, done.tasksDone, done.pairs], [6, 6, { total: 18, scored: 18, errors: 0 }]);
    assert.equal(done.source.kind, 'history');
    assert.equal(done.holder, null);
    // Seven results in: the tasks done are those all three models have a result on.
    const per = new Map<string, number>();
    for (const line of fullResults.split('\n').slice(0, 7)) per.set(JSON.parse(line).taskId, (per.get(JSON.parse(line).taskId) ?? 0) + 1);
    assert.deepEqual([running.tasksDone, running.pairs.scored], [[...per.values()].filter((n) => n === 3).length, 7]);
    assert.deepEqual(listEvals(join(fx.repo.root, 'nowhere')), []);
  });

  it('says in one line where the tasks come from, which models ran and how many tasks are done', () => {
    const text = evalRowText(describeEval(partial));
    assert.equal(text.label, 'Dec 2, 06:00');
    assert.match(text.description, /^\d\/6 · commits · student, base, teacher$/);
    assert.ok(text.tooltip.some((l) => l === '7 of 18 attempts scored'), text.tooltip.join('\n'));
    assert.ok(text.tooltip.some((l) => l.includes('base (Qwen2.5-Coder-7B)')));
    const runs: Pick<EvalListing, 'source'> = { source: { kind: 'runs', runs: ['2026-12-01_10-00-00'], since: null } };
    assert.equal(evalSourceText(runs), 'samples of run Dec 1, 10:00');
    assert.equal(evalSourceText({ source: { kind: 'runs', runs: ['a', 'b'], since: null } }), 'samples of 2 runs');
    assert.equal(evalSourceText({ source: { kind: 'history', runs: [], since: '0123456789abcdef' } }), 'commits after 0123456789');
  });

  it("answers ready with core's report, the numbers of eval-report --json, and a mean over no task as null", async () => {
    const ports = new Recorder();
    const c = new EvalController(fx.evalDir, ports);
    await c.receive({ type: 'ready' });
    const m = ports.last('evalReport');
    assert.deepEqual(m.report, JSON.parse(JSON.stringify(reportView(report))));
    assert.equal(m.report.models[1].recall.mean, report.models[1].recall.mean);
    assert.equal(m.eval.source, 'commits');
    assert.equal(m.eval.writer, null);
    assert.equal(m.eval.threshold, 0.5);
    // Another resolve threshold, as eval-report --threshold; null goes back to the run's own.
    await c.receive({ type: 'evalThreshold', threshold: 0.3 });
    assert.deepEqual(ports.last('evalReport').report, JSON.parse(JSON.stringify(reportView(evalReport(fx.evalDir, { threshold: 0.3 })))));
    await c.receive({ type: 'evalThreshold', threshold: null });
    assert.equal(ports.last('evalReport').report.threshold, 0.5);
    const empty = reportView({ ...report, models: [{ ...report.models[0], recall: { mean: NaN, low: NaN, high: NaN, n: 0 } }] });
    assert.deepEqual(empty.models[0].recall, { mean: null, low: null, high: null, n: 0 });
    c.dispose();
  });

  it("opens one task with one model: reference, the model's patch and the metric's match map", async () => {
    const ports = new Recorder();
    const c = new EvalController(fx.evalDir, ports);
    const task = report.tasks.find((t) => t.title.startsWith('Fall back'))!;
    await c.receive({ type: 'openEvalTask', taskId: task.id, model: 'base' });
    const d = ports.last('evalTask').detail;
    assert.equal(d.reference.changed, 3);
    assert.equal(d.patch?.changed, 3);
    assert.equal(d.result?.recall?.toFixed(2), '0.33');
    assert.equal(d.result?.resolved, false);
    assert.equal(d.matchMap?.p1.filter((x) => x !== null).length, 1);
    assert.equal(d.matchMap?.p2.filter((x) => x !== null).length, 1);
    assert.ok(d.trajectory && d.trajectory.steps.length >= 2, 'the rollout is shown with its steps');
    assert.match(d.task.origin, /^commit [0-9a-f]{12}$/);
    await c.receive({ type: 'openEvalTask', taskId: 'c-000000000000', model: 'base' });
    assert.match(ports.last('evalTaskError').message, /no task c-000000000000/);
    await c.receive({ type: 'openEvalTask', taskId: task.id, model: 'nobody' });
    assert.match(ports.last('evalTaskError').message, /no model nobody/);
    await c.receive({ type: 'openEvalTrajectory', taskId: task.id, model: 'student' });
    assert.match(ports.opened[0], /trajectories\/c-[0-9a-f]+\.student\.json$/);
    c.dispose();
  });

  it('logs and drops what is malformed or meant for the curation panel', async () => {
    const ports = new Recorder();
    const c = new EvalController(fx.evalDir, ports);
    await c.receive({ type: 'openEvalTask', taskId: '../../etc', model: 'base' });
    await c.receive({ type: 'undo' });
    assert.equal(ports.posted.length, 0);
    assert.match(ports.logs[0], /ignored a message from the webview: openEvalTask\.taskId should be a task id/);
    assert.match(ports.logs[1], /ignored a undo message/);
    c.dispose();
  });

  it('pushes a new report as results arrive, and nothing when the files did not change', async () => {
    const ports = new Recorder();
    const c = new EvalController(partial, ports);
    await c.receive({ type: 'ready' });
    const before = ports.last('evalReport').report;
    assert.equal(before.models.reduce((n, m) => n + m.pending, 0), 18 - 7);
    c.refresh();
    assert.equal(ports.posted.length, 1, 'no change, no message');
    writeFileSync(join(partial, 'results.jsonl'), fullResults);
    // As the watcher's poll does: a report is put off while the last one is recent for its cost.
    for (let i = 0; i < 100 && ports.posted.length < 2; i++) {
      c.refresh();
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(ports.posted.length, 2);
    assert.equal(ports.last('evalReport').report.models.reduce((n, m) => n + m.pending, 0), 0);
    assert.deepEqual(ports.last('evalReport').report.models.map((m) => m.recall.mean), report.models.map((m) => m.recall.mean));
    c.dispose();
  });

  it('names a task from a run by its start function and sample, and shows a patch the parser refuses without marks', () => {
    // The state and report of a one-task eval whose task is a held-out run sample (as runTasks makes them).
    const state = readEvalStateOf(fx.evalDir);
    const [task] = state.tasks;
    const runTask = { ...task, id: 'r-abc123', origin: { kind: 'run' as const, runId: '2026-12-01_10-00-00', sampleId: 'abc123', function: { id: 'f1', file: 'shop/cart.py', name: 'total', qualifiedName: 'total', language: 'python' as const, startLine: 10, endLine: 11 } } };
    const result = { ...state.results.get(`${task.id}\u0000base`)!, taskId: 'r-abc123', patch: '--- a/x\n+++ b/x\n@@ -1,3 +1,1 @@\n+a\n+b\n+c\n+d\n' };
    const one: EvalState = { manifest: state.manifest, tasks: [runTask], results: new Map([[`r-abc123\u0000base`, result]]) };
    const row = { id: 'r-abc123', kind: 'run' as const, title: 'shop/cart.py: total', referenceLines: task.referenceLines, results: { base: { recall: 0.6, f1: 0.5, resolved: true, submitted: true } } };
    const d = buildEvalTaskDetail(fx.evalDir, one, { ...report, tasks: [row] }, 'r-abc123', 'base');
    assert.ok(typeof d !== 'string');
    assert.equal(d.task.title, 'shop/cart.py: total');
    assert.equal(d.task.origin, 'sample abc123 of run 2026-12-01_10-00-00');
    assert.equal(d.result?.resolved, true, "resolved as the report counts it");
    assert.equal(d.matchMap, null, 'no marks for a patch the metric could not read');
    assert.ok(d.patch?.error, 'the pane shows its text instead');
  });
});
