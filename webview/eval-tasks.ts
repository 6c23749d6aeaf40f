import type { EvalReportView, EvalTaskRow } from '../src/protocol';
import { h } from './dom';

type Result = EvalTaskRow['results'][string];

/** One model's result on a task as the table shows it: recall, and a glyph for resolved, not submitted, error or not run. */
export function resultText(x: Result): { text: string; className: string; title: string } {
  if (!x) return { text: '·', className: 'r-pending', title: 'Not run yet' };
  if ('error' in x) return { text: '!', className: 'r-error', title: `Error: ${x.error}` };
  const recall = x.recall.toFixed(2);
  if (x.resolved) return { text: `${recall} ✓`, className: 'r-resolved', title: `Resolved: submitted with recall ${recall}` };
  if (!x.submitted) return { text: `${recall} ⊘`, className: 'r-unsubmitted', title: `Did not submit (a limit stopped it); recall ${recall}` };
  return { text: recall, className: 'r-below', title: `Submitted, recall ${recall}: below the threshold` };
}

/**
 * The per-task table: each task's title and reference size, then each model's recall. Clicking
 * a model's cell shows that model's patch on that task; the keys move the selection (see the app).
 */
export class TaskTable {
  readonly el: HTMLElement;
  readonly body: HTMLElement;
  private readonly head: HTMLElement;
  private rows: HTMLElement[] = [];
  private ids: string[] = [];
  private labels: string[] = [];

  constructor(private readonly onSelect: (taskId: string, model: string | null) => void) {
    this.head = h('div', { class: 'task-head task-grid', attrs: { role: 'row' } });
    this.body = h('div', { class: 'task-body', attrs: { role: 'grid', tabindex: '0', 'aria-label': 'Tasks. Keys: j and k move between tasks, h and l (or 1 to 9) between models, o opens the trajectory.' } });
    this.el = h('div', { class: 'list eval-task-list' }, this.head, this.body);
    this.body.addEventListener('click', (e) => {
      const cell = (e.target as HTMLElement).closest<HTMLElement>('[data-task]');
      if (cell?.dataset.task) this.onSelect(cell.dataset.task, cell.dataset.model ?? null);
    });
  }

  /** Redraws the table from a (new) report, keeping the selection. */
  show(r: EvalReportView, taskId: string | null, model: string | null): void {
    this.labels = r.models.map((m) => m.label);
    this.el.style.setProperty('--models', String(this.labels.length));
    this.head.replaceChildren(
      h('div', { class: 'cell', attrs: { role: 'columnheader' }, title: 'The commit subject, or the start function of a run sample' }, 'Task'),
      h('div', { class: 'cell c-num', attrs: { role: 'columnheader' }, title: "Changed lines of the reference" }, 'Lines'),
      ...this.labels.map((l) => h('div', { class: 'cell c-num c-model', attrs: { role: 'columnheader' }, title: `${l}: recall; ✓ resolved, ⊘ did not submit, ! error, · not run yet` }, l)),
    );
    this.ids = r.tasks.map((t) => t.id);
    this.rows = r.tasks.map((t, i) =>
      h(
        'div',
        { class: 'task-row task-grid', attrs: { role: 'row', 'data-id': t.id, 'aria-rowindex': String(i + 1) } },
        h('div', { class: 'cell c-title', title: `${t.title}\n${t.id}`, attrs: { 'data-task': t.id, role: 'gridcell' } }, t.title),
        h('div', { class: 'cell c-num muted', attrs: { 'data-task': t.id, role: 'gridcell' } }, String(t.referenceLines)),
        ...this.labels.map((l) => {
          const x = resultText(t.results[l]);
          return h('div', { class: `cell c-num c-model ${x.className}`, title: `${l}: ${x.title}`, attrs: { 'data-task': t.id, 'data-model': l, role: 'gridcell' } }, x.text);
        }),
      ),
    );
    this.body.replaceChildren(...(this.rows.length ? this.rows : [h('div', { class: 'list-empty' }, 'This eval has no tasks.')]));
    this.mark(taskId, model);
  }

  /** Highlights the selected task and model's cell, and scrolls the row into view. */
  mark(taskId: string | null, model: string | null): void {
    this.rows.forEach((row, i) => {
      const on = this.ids[i] === taskId;
      row.classList.toggle('selected', on);
      row.setAttribute('aria-selected', String(on));
      for (const cell of row.querySelectorAll<HTMLElement>('[data-model]')) cell.classList.toggle('picked', on && cell.dataset.model === model);
    });
    const at = taskId ? this.ids.indexOf(taskId) : -1;
    if (at >= 0) this.rows[at].scrollIntoView({ block: 'nearest' });
  }

  taskAt(i: number): string | undefined {
    return this.ids[Math.max(0, Math.min(this.ids.length - 1, i))];
  }

  indexOf(taskId: string | null): number {
    return taskId ? this.ids.indexOf(taskId) : -1;
  }

  get size(): number {
    return this.ids.length;
  }

  pageSize(): number {
    const row = this.rows[0]?.getBoundingClientRect().height || 24;
    return Math.max(1, Math.floor((this.body.clientHeight || 400) / row) - 1);
  }
}
