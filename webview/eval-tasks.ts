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

/** The task table's order: the eval's own (null key), by title, by reference size, or by one model's recall. */
export interface TaskSort {
  key: null | 'title' | 'lines' | { model: string };
  dir: 1 | -1;
}

/** A model's recall for sorting: scored tasks by recall, then errors, then tasks not run yet. */
function sortValue(x: Result): number {
  if (!x) return -2;
  return 'error' in x ? -1 : x.recall;
}

/** The report's tasks in the order `sort` asks for; ties keep the eval's order. */
export function sortTasks(tasks: EvalTaskRow[], sort: TaskSort): EvalTaskRow[] {
  const key = sort.key;
  if (key === null) return tasks;
  const at = new Map(tasks.map((t, i) => [t.id, i]));
  const cmp = (a: EvalTaskRow, b: EvalTaskRow): number => {
    if (key === 'title') return a.title.localeCompare(b.title) * sort.dir;
    if (key === 'lines') return (a.referenceLines - b.referenceLines) * sort.dir;
    const va = sortValue(a.results[key.model]);
    const vb = sortValue(b.results[key.model]);
    // Errors and tasks not run yet stay at the end whichever way the column is sorted.
    if (va < 0 || vb < 0) return va === vb ? 0 : va < 0 ? (vb < 0 ? vb - va : 1) : -1;
    return (va - vb) * sort.dir;
  };
  return [...tasks].sort((a, b) => cmp(a, b) || at.get(a.id)! - at.get(b.id)!);
}

const sameKey = (a: TaskSort['key'], b: TaskSort['key']) => (a && typeof a === 'object' && b && typeof b === 'object' ? a.model === b.model : a === b);

/**
 * The per-task table: each task's title and reference size, then each model's recall. Clicking
 * a model's cell shows that model's patch on that task; clicking a heading sorts by it (again:
 * the other way, a third time: the eval's order); the keys move the selection in the order shown.
 */
export class TaskTable {
  readonly el: HTMLElement;
  readonly body: HTMLElement;
  private readonly head: HTMLElement;
  private rows: HTMLElement[] = [];
  private ids: string[] = [];
  private labels: string[] = [];
  private last: { report: EvalReportView; taskId: string | null; model: string | null } | null = null;

  constructor(
    private readonly onSelect: (taskId: string, model: string | null) => void,
    public sort: TaskSort,
    private readonly onSort: (sort: TaskSort) => void,
  ) {
    this.head = h('div', { class: 'task-head task-grid', attrs: { role: 'row' } });
    this.body = h('div', { class: 'task-body', attrs: { role: 'grid', tabindex: '0', 'aria-label': 'Tasks. Keys: j and k move between tasks, h and l (or 1 to 9) between models, o opens the trajectory.' } });
    this.el = h('div', { class: 'list eval-task-list' }, this.head, this.body);
    this.body.addEventListener('click', (e) => {
      const cell = (e.target as HTMLElement).closest<HTMLElement>('[data-task]');
      if (cell?.dataset.task) this.onSelect(cell.dataset.task, cell.dataset.model ?? null);
    });
    this.head.addEventListener('click', (e) => {
      const cell = (e.target as HTMLElement).closest<HTMLElement>('[data-sort]');
      if (!cell || !this.last) return;
      const key: TaskSort['key'] = cell.dataset.sort === 'title' || cell.dataset.sort === 'lines' ? cell.dataset.sort : { model: cell.dataset.sort! };
      const s = this.sort;
      // Numbers sort best first; a third click goes back to the eval's own order.
      const first: 1 | -1 = key === 'title' ? 1 : -1;
      this.sort = !sameKey(s.key, key) ? { key, dir: first } : s.dir === first ? { key, dir: -first as 1 | -1 } : { key: null, dir: 1 };
      this.onSort(this.sort);
      this.show(this.last.report, this.last.taskId, this.last.model);
    });
  }

  /** Redraws the table from a (new) report, keeping the selection. */
  show(r: EvalReportView, taskId: string | null, model: string | null): void {
    this.last = { report: r, taskId, model };
    this.labels = r.models.map((m) => m.label);
    if (this.sort.key && typeof this.sort.key === 'object' && !this.labels.includes(this.sort.key.model)) this.sort = { key: null, dir: 1 };
    this.el.style.setProperty('--models', String(this.labels.length));
    const heading = (sort: string, text: string, title: string, className: string) => {
      const key: TaskSort['key'] = sort === 'title' || sort === 'lines' ? sort : { model: sort };
      const on = sameKey(this.sort.key, key);
      return h('div', { class: `cell ${className}${on ? ` sorted${this.sort.dir === -1 ? ' desc' : ''}` : ''}`, attrs: { role: 'columnheader', 'data-sort': sort, 'aria-sort': on ? (this.sort.dir === 1 ? 'ascending' : 'descending') : 'none' }, title }, text);
    };
    this.head.replaceChildren(
      heading('title', 'Task', 'The commit subject, or the start function of a run sample (click to sort)', ''),
      heading('lines', 'Lines', 'Changed lines of the reference (click to sort)', 'c-num'),
      ...this.labels.map((l) => heading(l, l, `${l}: recall; ✓ resolved, ⊘ did not submit, ! error, · not run yet (click to sort)`, 'c-num c-model')),
    );
    const tasks = sortTasks(r.tasks, this.sort);
    this.ids = tasks.map((t) => t.id);
    this.rows = tasks.map((t, i) =>
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
    if (this.last) this.last = { ...this.last, taskId, model };
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
