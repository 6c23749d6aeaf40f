/**
 * The eval view in Chromium against a real eval run (runEval with three scripted models) and the
 * real host code: the models table shows core's report as `eval-report` prints it, and choosing
 * a task and a model shows the reference beside that model's patch, marked line by line.
 */
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { evalReport, type EvalReport } from '../../src/core/eval';
import { makeEvalFixture, type EvalFixture } from '../support/eval-fixture';
import { openHostedEval } from './support/eval-harness';
import { settle, withChromium } from './support/harness';

const two = (n: number) => n.toFixed(2);

describe('the eval view in Chromium', () => {
  const env = withChromium();
  let fx: EvalFixture;
  let report: EvalReport;
  before(async () => {
    fx = await makeEvalFixture();
    report = evalReport(fx.evalDir);
  });
  after(() => fx?.cleanup());

  it('shows the models side by side with the numbers of eval-report, and their paired differences', async () => {
    const p = await openHostedEval(env.browser, env.server, fx.evalDir);
    try {
      const rows = await p.page.$$eval('.eval-models tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim())));
      assert.deepEqual(rows.map((r) => r[0]), ['student', 'base', 'teacher']);
      for (const [i, m] of report.models.entries()) {
        const [, tasks, recall, f1, resolved, submitted] = rows[i];
        assert.equal(tasks, String(m.tasks));
        assert.equal(recall, `${two(m.recall.mean)} [${two(m.recall.low)}, ${two(m.recall.high)}]`);
        assert.equal(f1, `${two(m.f1.mean)} [${two(m.f1.low)}, ${two(m.f1.high)}]`);
        assert.equal(resolved, `${Math.round(m.resolved.mean * 100)}% [${Math.round(m.resolved.low * 100)}%, ${Math.round(m.resolved.high * 100)}%]`);
        assert.equal(submitted, `${Math.round(m.submitRate * 100)}%`);
      }
      // The base model is the one in between: not everything, not nothing.
      assert.ok(report.models[1].recall.mean > 0 && report.models[1].recall.mean < 1);
      const diffs = await p.page.$$eval('.eval-diffs tbody tr', (trs) => trs.map((tr) => tr.querySelector('td')!.textContent));
      assert.deepEqual(diffs, ['student − base', 'student − teacher']);
      assert.equal(await p.page.locator('.eval-diffs tbody tr').nth(1).locator('td.est.better').count(), 3, 'student beats the model that never submits on all three, outside the interval');
      // The per-task table: one row per task, one cell per model, resolved marked.
      assert.equal(await p.page.locator('.task-row').count(), report.tasks.length);
      const resolvedCells = await p.page.locator('.task-row [data-model="student"].r-resolved').count();
      assert.equal(resolvedCells, report.tasks.length);
      assert.equal(await p.page.locator('.task-row [data-model="teacher"].r-unsubmitted').count(), report.tasks.length);
      assert.deepEqual(p.errors, []);
      assert.deepEqual(await p.cspViolations(), []);
    } finally {
      await p.close();
    }
  });

  it('a task and a model show the reference on the left and that model’s patch on the right, with the overlap marked', async () => {
    const p = await openHostedEval(env.browser, env.server, fx.evalDir);
    try {
      // The base model got one of the three reference lines of this task, and wrote two lines of its own.
      const task = report.tasks.find((t) => t.title.startsWith('Fall back to the standard rate'))!;
      const base = task.results.base as { recall: number };
      assert.equal(two(base.recall), '0.33');
      await p.page.locator(`.task-row[data-id="${task.id}"] [data-model="base"]`).click();
      await p.page.waitForSelector('.eval-detail[data-model="base"] .diff-pair');
      await settle(p.page);
      assert.deepEqual(await p.page.$$eval('.eval-detail .col-title', (els) => els.map((e) => e.textContent)), ['Reference', 'base (final patch)']);
      const marks = (side: number) => p.page.$$eval(`.eval-detail .side-${side} .dl[data-mark]`, (els) => els.map((e) => (e as HTMLElement).dataset.mark));
      assert.deepEqual((await marks(1)).sort(), ['missed', 'missed', 'reproduced']);
      assert.deepEqual((await marks(2)).sort(), ['extra', 'extra', 'matched']);
      assert.match((await p.page.locator('.eval-detail .text-block').first().textContent()) ?? '', /Fall back to the standard rate for unknown customers/);
      assert.match((await p.page.locator('.eval-detail .metric-value').first().textContent()) ?? '', /^0\.33$/);
      assert.equal(await p.page.locator('.model-choice[aria-pressed="true"]').getAttribute('data-model'), 'base');
      // Hovering the reproduced line lights up its partner in the model's patch.
      await p.page.locator('.eval-detail .side-1 .dl[data-mark="reproduced"]').hover();
      assert.equal(await p.page.locator('.eval-detail .side-2 .dl.partner').count(), 1);

      // Keys: l is the next model on the same task, j the next task with the same model.
      await p.page.locator('.task-body').focus();
      await p.page.keyboard.press('l');
      await p.page.waitForSelector('.eval-detail[data-model="teacher"] .patches-wrap');
      assert.match((await p.page.locator('.eval-detail .side-2').first().textContent()) ?? '', /does not change this file/);
      await p.page.keyboard.press('1');
      await p.page.waitForSelector(`.eval-detail[data-model="student"][data-task="${task.id}"] .diff-pair`);
      const at = report.tasks.findIndex((t) => t.id === task.id);
      await p.page.keyboard.press('j');
      const next = report.tasks[at + 1].id;
      await p.page.waitForSelector(`.eval-detail[data-model="student"][data-task="${next}"] .diff-pair`);
      assert.equal(await p.page.locator('.task-row.selected').getAttribute('data-id'), next);
      assert.equal(await p.page.locator('.task-row.selected .c-model.picked').getAttribute('data-model'), 'student');
      const asked = (await p.posted()).filter((m) => m.type === 'openEvalTask').map((m) => (m as { model: string }).model);
      assert.deepEqual(asked.slice(-4), ['base', 'teacher', 'student', 'student']);

      // Unwrapped lines and the selection survive a reload.
      await p.page.getByText('Wrap long lines').click();
      await new Promise((r) => setTimeout(r, 400));
      await p.page.reload();
      await p.page.waitForSelector(`.eval-detail[data-task="${next}"][data-model="student"] .patches-wrap.nowrap`);
      // o opens the trajectory of the attempt shown.
      await p.page.keyboard.press('o');
      await p.page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'openEvalTrajectory'));
      for (let i = 0; i < 50 && !p.calls.opened.length; i++) await new Promise((r) => setTimeout(r, 20));
      assert.match(p.calls.opened[0] ?? '', new RegExp(`trajectories/${next}\\.student\\.json$`));
      assert.deepEqual(p.errors, []);
    } finally {
      await p.close();
    }
  });

  it('sorts the tasks by a model’s recall, keys following the order shown, and keeps the order across a reload', async () => {
    const p = await openHostedEval(env.browser, env.server, fx.evalDir);
    try {
      const order = () => p.page.$$eval('.task-row', (rows) => rows.map((r) => (r as HTMLElement).dataset.id!));
      assert.deepEqual(await order(), report.tasks.map((t) => t.id), "the eval's own order first");
      await p.page.locator('.task-head [data-sort="base"]').click();
      const recall = (id: string) => (report.tasks.find((t) => t.id === id)!.results.base as { recall: number }).recall;
      const sorted = await order();
      assert.deepEqual(sorted.map(recall), [...sorted.map(recall)].sort((a, b) => b - a), 'best first');
      assert.equal(await p.page.locator('.task-head [data-sort="base"]').getAttribute('aria-sort'), 'descending');
      await p.page.locator(`.task-row[data-id="${sorted[0]}"] [data-model="base"]`).click();
      await p.page.keyboard.press('j');
      await p.page.waitForSelector(`.eval-detail[data-task="${sorted[1]}"][data-model="base"] .diff-pair`);
      await new Promise((r) => setTimeout(r, 400));
      await p.page.reload();
      await p.page.waitForSelector(`.eval-detail[data-task="${sorted[1]}"] .diff-pair`);
      assert.deepEqual(await order(), sorted);
      // Again: worst first; a third time: the eval's order.
      await p.page.locator('.task-head [data-sort="base"]').click();
      assert.deepEqual((await order()).map(recall), [...sorted.map(recall)].sort((a, b) => a - b));
      await p.page.locator('.task-head [data-sort="base"]').click();
      assert.deepEqual(await order(), report.tasks.map((t) => t.id));
      assert.deepEqual(p.errors, []);
    } finally {
      await p.close();
    }
  });

  it('follows an eval whose results are still arriving', async () => {
    // A copy of the eval with no results, then its first five, then all of them, as `specialize eval` appends them.
    const dir = join(fx.repo.root, '.specializer', 'evals', 'arriving');
    cpSync(fx.evalDir, dir, { recursive: true });
    const results = readFileSync(join(dir, 'results.jsonl'), 'utf8');
    writeFileSync(join(dir, 'results.jsonl'), '');
    const p = await openHostedEval(env.browser, env.server, dir);
    const refreshUntil = async (done: () => Promise<boolean>) => {
      // The panel's watcher calls refresh on changes and every 2 s; here the test does.
      for (let i = 0; i < 100 && !(await done()); i++) {
        p.controller.refresh();
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    try {
      // Nothing scored yet: no mean, no interval, and the open task says so.
      assert.deepEqual(await p.page.$$eval('.eval-models tbody tr', (trs) => trs.map((tr) => tr.querySelectorAll('td')[2].textContent)), ['–', '–', '–']);
      await p.page.waitForSelector('.eval-detail .metrics:has-text("has not run this task yet")');
      writeFileSync(join(dir, 'results.jsonl'), results.split('\n').slice(0, 5).join('\n') + '\n');
      await refreshUntil(async () => (await p.page.locator('.task-row .r-pending').count()) === 18 - 5);
      assert.equal(await p.page.locator('.task-row .r-pending').count(), 18 - 5);
      assert.match((await p.page.locator('.live').textContent()) ?? '', /13 attempts not run yet/);
      writeFileSync(join(dir, 'results.jsonl'), results);
      await refreshUntil(async () => (await p.page.locator('.task-row .r-pending').count()) === 0);
      assert.equal(await p.page.locator('.task-row .r-pending').count(), 0);
      assert.equal(await p.page.locator('.live').isHidden(), true);
      const recall = report.models[1].recall;
      assert.match((await p.page.locator('.eval-models tbody tr').nth(1).locator('td').nth(2).textContent()) ?? '', new RegExp(`^${two(recall.mean)} \\[`));
      assert.deepEqual(p.errors, []);
    } finally {
      await p.close();
    }
  });

  it('shows the report under another resolve threshold, as eval-report --threshold does, and keeps it across a reload', async () => {
    const p = await openHostedEval(env.browser, env.server, fx.evalDir);
    try {
      const lower = evalReport(fx.evalDir, { threshold: 0.3 });
      const resolvedText = () => p.page.locator('.eval-models tbody tr').nth(1).locator('td').nth(4).textContent();
      assert.match((await resolvedText()) ?? '', new RegExp(`^${Math.round(report.models[1].resolved.mean * 100)}% `));
      await p.page.locator('.threshold-field input').fill('0.3');
      await p.page.waitForFunction(() => document.querySelector('.threshold-note')?.textContent === "(the run's own: 0.5)");
      assert.match((await resolvedText()) ?? '', new RegExp(`^${Math.round(lower.models[1].resolved.mean * 100)}% `));
      assert.ok(lower.models[1].resolved.mean > report.models[1].resolved.mean, 'a lower bar resolves more');
      // The base model's 0.33 on this task now resolves it.
      const task = report.tasks.find((t) => t.title.startsWith('Fall back'))!;
      assert.equal(await p.page.locator(`.task-row[data-id="${task.id}"] [data-model="base"]`).textContent(), '0.33 ✓');
      await p.page.locator('.threshold-field input').fill('150%');
      assert.equal(await p.page.locator('.threshold-field.invalid').count(), 1, 'a recall above 1 is refused');
      await p.page.locator('.threshold-field input').fill('0.3');
      await new Promise((r) => setTimeout(r, 500));
      await p.page.reload();
      await p.page.waitForFunction(() => document.querySelector('.threshold-note')?.textContent === "(the run's own: 0.5)");
      assert.equal(await p.page.locator(`.task-row[data-id="${task.id}"] [data-model="base"]`).textContent(), '0.33 ✓');
      assert.deepEqual(p.errors, []);
    } finally {
      await p.close();
    }
  });
});
