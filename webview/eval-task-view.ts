import type { EvalReportView, EvalTaskDetail } from '../src/protocol';
import { button } from './components';
import { metric } from './detail-view';
import { renderPatchPair } from './diff-view';
import { h } from './dom';
import { resultText } from './eval-tasks';
import { count, duration, tokens } from './format';
import type { Layout } from './layout';
import { renderTrajectory } from './steps-view';

export interface TaskViewActions {
  model(label: string): void;
  openTrajectory(taskId: string, model: string): void;
}

function section(title: string, content: Node, open: boolean): HTMLDetailsElement {
  const d = h('details', { class: 'section' }, h('summary', null, title), content);
  d.open = open;
  return d;
}

const EMPTY = 'Select a task (click it, or j / k) to see the reference next to a model’s patch.';

/**
 * The right-hand pane of the eval view: one task, a button per model (with its recall there),
 * and the chosen model's attempt: its scores, the task text it was given, and the reference on
 * the left beside its final patch on the right, marked line by line as the metric matched them.
 */
export class EvalTaskView {
  readonly el: HTMLElement;
  detail: EvalTaskDetail | null = null;
  /** Section open states, kept as the user moves between tasks. */
  private open = { task: true, trajectory: false };

  constructor(private readonly actions: TaskViewActions, private readonly layout: Layout) {
    this.el = h('div', { class: 'detail eval-detail', attrs: { 'aria-live': 'polite' } }, h('div', { class: 'detail-empty' }, EMPTY));
  }

  shown(): { taskId: string; model: string } | null {
    const { task, model } = this.el.dataset;
    return task && model ? { taskId: task, model } : null;
  }

  showLoading(taskId: string, model: string, report: EvalReportView): void {
    this.el.dataset.task = taskId;
    this.el.dataset.model = model;
    if (this.detail?.taskId === taskId) {
      this.el.classList.add('busy');
      return;
    }
    const row = report.tasks.find((t) => t.id === taskId);
    this.detail = null;
    this.el.classList.remove('busy');
    this.el.replaceChildren(h('div', { class: 'detail-head pending' }, h('h2', { class: 'detail-title' }, row?.title ?? taskId), h('div', { class: 'muted loading-line' }, 'Loading the patches…')));
  }

  showError(taskId: string, model: string, message: string): void {
    this.detail = null;
    this.el.classList.remove('busy');
    this.el.replaceChildren(h('div', { class: 'callout error' }, `Task ${taskId} with ${model} cannot be shown: ${message}`));
  }

  clear(): void {
    this.detail = null;
    delete this.el.dataset.task;
    delete this.el.dataset.model;
    this.el.replaceChildren(h('div', { class: 'detail-empty' }, EMPTY));
  }

  show(d: EvalTaskDetail, report: EvalReportView): void {
    this.detail = d;
    this.el.dataset.task = d.taskId;
    this.el.dataset.model = d.model;
    this.el.classList.remove('busy');
    const row = report.tasks.find((t) => t.id === d.taskId);
    const models = h('div', { class: 'model-picker', attrs: { role: 'tablist', 'aria-label': 'Model' } });
    report.models.forEach((m, i) => {
      const x = resultText(row?.results[m.label] ?? null);
      const b = button({ label: `${m.label}  ${x.text}`, title: `${m.label}: ${x.title}${i < 9 ? ` (key ${i + 1})` : ''}`, className: 'model-choice', onClick: () => this.actions.model(m.label) });
      b.setPressed(m.label === d.model);
      b.el.dataset.model = m.label;
      models.append(b.el);
    });
    const t = d.task;
    const head = h(
      'div',
      { class: 'detail-head' },
      h('h2', { class: 'detail-title', title: t.title }, t.title),
      h('div', { class: 'detail-sub muted' }, `${t.origin} · task ${d.taskId} · base ${t.baseCommit.slice(0, 12)} · reference ${count(t.referenceLines)} changed lines`),
      models,
    );
    const r = d.result;
    const metrics = h('div', { class: 'metrics' });
    let totals: HTMLElement | null = null;
    if (!r) {
      metrics.append(h('div', { class: 'muted' }, `${d.model} has not run this task yet.`));
    } else if (r.error) {
      metrics.append(h('div', { class: 'callout error' }, h('strong', null, 'No score: '), r.error));
    } else {
      metrics.append(
        metric('Recall', r.recall, d.threshold, "Share of the reference's changed lines the patch has (resolves the task from the threshold on)"),
        metric('Precision', r.precision, null, 'Share of the patch’s changed lines that are in the reference'),
        metric('F1', r.f1, null, 'Harmonic mean of recall and precision'),
        h(
          'div',
          { class: 'metric-note muted' },
          `${count(r.matched)} of ${count(t.referenceLines)} reference lines reproduced; the patch has ${count(r.patchLines)} changed lines; ${r.submitted ? 'submitted' : 'not submitted'} → ${r.resolved ? 'resolved' : 'not resolved'} (threshold ${d.threshold})`,
        ),
      );
    }
    if (r) totals = h('div', { class: 'totals muted' }, `${tokens(r.tokens)} tokens · ${duration(r.ms)} · ${r.steps} steps · ended: ${r.exit.status}${r.exit.reason && !r.error ? ` (${r.exit.reason})` : ''}`);

    const taskText = section('Task (what the model was given)', h('pre', { class: 'text-block' }, t.statement), this.open.task);
    taskText.addEventListener('toggle', () => (this.open.task = taskText.open));
    const pair = renderPatchPair({
      left: d.reference,
      right: d.patch,
      map: d.matchMap,
      names: ['the reference', d.model],
      empty: 'No patches.',
    });
    const patches = section(`Patches · reference ${d.reference.changed} / ${d.model} ${d.patch?.changed ?? 0} changed lines`, this.layout.patchPane(['Reference', `${d.model} (final patch)`], pair), true);
    const parts: HTMLElement[] = [head, metrics, ...(totals ? [totals] : []), taskText, patches];
    if (d.trajectory) {
      const traj = section('Trajectory', renderTrajectory(d.trajectory, d.model, () => this.actions.openTrajectory(d.taskId, d.model)), this.open.trajectory);
      traj.addEventListener('toggle', () => (this.open.trajectory = traj.open));
      parts.push(traj);
    }
    const keepScroll = this.el.scrollTop;
    const sameTask = this.el.dataset.shownTask === d.taskId;
    this.el.replaceChildren(...parts);
    this.el.dataset.shownTask = d.taskId;
    // Switching models on one task keeps the reader's place; a new task starts at the top.
    this.el.scrollTop = sameTask ? keepScroll : 0;
  }
}
