import type { EvalInfo, EvalPanelState, EvalReportView, HostMessage } from '../src/protocol';
import { fromFormControl, textField, type TextField } from './components';
import { h, Notice } from './dom';
import { parseRatio } from './format';
import { renderDifferences, renderModels, reportFacts } from './eval-summary';
import { TaskTable, type TaskSort } from './eval-tasks';
import { EvalTaskView } from './eval-task-view';
import { Layout, type LayoutState } from './layout';
import type { Host } from './vscode-api';

/** Beyond the protocol's state, the layout and the table's order (the host never reads these). */
type SavedState = EvalPanelState & LayoutState & { taskSort?: TaskSort; threshold?: number | null };

/**
 * The eval view: the models side by side (core's report, as `eval-report` prints it), their
 * paired differences, and the per-task table beside one task's reference and one model's patch.
 * It keeps the selected task and model, the split and the wrap choice across reloads.
 */
export class EvalApp {
  info: EvalInfo | null = null;
  report: EvalReportView | null = null;
  taskId: string | null;
  model: string | null;
  private readonly layout: Layout;
  private readonly title: HTMLElement;
  private readonly live: HTMLElement;
  private readonly notice = new Notice();
  private readonly facts: HTMLElement;
  private readonly models: HTMLElement;
  private readonly diffs: HTMLElement;
  private readonly tasks: TaskTable;
  private readonly detail: EvalTaskView;
  private restoredScroll: number | null;
  private readonly thresholdField: TextField;
  private readonly thresholdNote: HTMLElement;
  /** The resolve threshold asked for (as eval-report --threshold), or null for the run's own. */
  private threshold: number | null;
  private thresholdTimer = 0;

  constructor(root: HTMLElement, private readonly host: Host) {
    const saved = host.getState() as Partial<SavedState> | null;
    this.taskId = saved?.taskId ?? null;
    this.model = saved?.model ?? null;
    this.restoredScroll = saved?.scrollTop ?? null;
    this.layout = new Layout(saved, () => this.saveSoon());
    this.tasks = new TaskTable((taskId, model) => this.select(taskId, model ?? this.model), saved?.taskSort ?? { key: null, dir: 1 }, () => this.saveSoon());
    this.detail = new EvalTaskView({ model: (label) => this.taskId && this.select(this.taskId, label), openTrajectory: (taskId, model) => this.host.post('openEvalTrajectory', { taskId, model }) }, this.layout);
    this.title = h('span', { class: 'run-title' }, 'Loading…');
    this.live = h('span', { class: 'live', attrs: { hidden: '' } });
    this.facts = h('div', { class: 'facts eval-facts' });
    this.models = h('div', { class: 'eval-models-wrap' });
    this.diffs = h('div', { class: 'eval-diffs-wrap' });
    this.threshold = typeof saved?.threshold === 'number' ? saved.threshold : null;
    this.thresholdField = textField({ label: 'Resolved = submitted with recall ≥', size: 4, className: 'threshold-field', onInput: (v) => this.setThreshold(v) });
    this.thresholdNote = h('span', { class: 'muted threshold-note' });
    const controls = h('div', { class: 'eval-controls' }, this.thresholdField.el, this.thresholdNote, this.facts);
    const summary = h('section', { class: 'eval-summary' }, controls, this.models, this.diffs);
    const split = this.layout.split(this.tasks.el, this.detail.el, () => {}, 'task list');
    split.classList.add('eval-split');
    root.classList.remove('loading');
    root.classList.add('eval-app');
    root.replaceChildren(h('header', { class: 'app-head' }, this.title, this.live), this.notice.el, summary, split);
    this.tasks.body.addEventListener('scroll', () => this.saveSoon(), { passive: true });
    window.addEventListener('message', (e) => this.receive(e.data));
    document.addEventListener('keydown', (e) => this.onKey(e));
    this.host.post('ready', {});
    if (this.threshold !== null) this.host.post('evalThreshold', { threshold: this.threshold });
  }

  /** A threshold typed into the field: the host recomputes the report under it (blank: the run's own). */
  private setThreshold(text: string): void {
    const t = parseRatio(text);
    this.thresholdField.setInvalid(Number.isNaN(t) ? 'A recall between 0 and 1' : null);
    if (Number.isNaN(t)) return;
    clearTimeout(this.thresholdTimer);
    this.thresholdTimer = window.setTimeout(() => {
      this.threshold = t === this.info?.threshold ? null : t;
      this.host.post('evalThreshold', { threshold: this.threshold });
      this.saveSoon();
    }, 250);
  }

  /** Every host message goes through the protocol's validator: a malformed one is reported and dropped. */
  receive(data: unknown): void {
    this.host.dispatch(data, 'Eval view', (m) => this.handle(m));
  }

  private handle(m: HostMessage): void {
    switch (m.type) {
      case 'evalReport':
        return this.showReport(m.eval, m.report);
      case 'evalTask':
        if (m.detail.taskId !== this.taskId || m.detail.model !== this.model || !this.report) return;
        return this.detail.show(m.detail, this.report);
      case 'evalTaskError':
        if (m.taskId !== this.taskId || m.model !== this.model) return;
        return this.detail.showError(m.taskId, m.model, m.message);
      case 'notice':
        return this.notice.show(m.level, m.text);
      default:
        // The curation panel's messages: never sent to this view.
        return;
    }
  }

  private showReport(info: EvalInfo, report: EvalReportView): void {
    const first = this.report === null;
    this.info = info;
    this.report = report;
    this.title.textContent = `${info.repository ? `${info.repository} · ` : ''}Eval ${info.evalId} · ${report.models.map((m) => m.label).join(' vs ')}`;
    this.title.title = info.evalDir;
    const pending = report.models.reduce((n, m) => n + m.pending, 0);
    this.live.hidden = !info.writer && !pending;
    this.live.textContent = info.writer ? `● running (${info.writer}), ${pending} attempts to go` : `${pending} attempts not run yet: give the same specialize eval command again to finish`;
    this.live.classList.toggle('idle', !info.writer);
    this.facts.replaceChildren(...reportFacts(report, info.source).map((f) => h('span', null, f)));
    // The field shows the report's threshold unless the user is typing in it.
    if (!this.thresholdField.el.contains(document.activeElement) && parseRatio(this.thresholdField.value) !== report.threshold) this.thresholdField.value = String(report.threshold);
    this.thresholdNote.textContent = report.threshold === info.threshold ? "(the run's own)" : `(the run's own: ${info.threshold})`;
    this.models.replaceChildren(renderModels(report, this.model, (label) => this.select(this.taskId ?? report.tasks[0]?.id ?? null, label)));
    const diffs = renderDifferences(report);
    this.diffs.replaceChildren(...(diffs ? [h('div', { class: 'eval-caption muted' }, 'Paired differences, first model minus second, on the tasks both have a score on (highlighted where the 95% interval leaves out 0):'), diffs] : []));
    // A model or task the new report lacks (a reload of another eval's state) falls back to the first.
    const labels = report.models.map((m) => m.label);
    if (!this.model || !labels.includes(this.model)) this.model = labels[0] ?? null;
    if (this.taskId && !report.tasks.some((t) => t.id === this.taskId)) this.taskId = null;
    if (!this.taskId && first) this.taskId = report.tasks[0]?.id ?? null;
    this.tasks.show(report, this.taskId, this.model);
    if (first && this.restoredScroll) this.tasks.body.scrollTop = this.restoredScroll;
    // New results may change the open attempt (a pair that was pending is now done): ask again.
    if (this.taskId && this.model) this.open(this.taskId, this.model, !first);
    else this.detail.clear();
    this.saveSoon();
  }

  /** Shows `model`'s attempt at `taskId`; the models table and the task table follow. */
  select(taskId: string | null, model: string | null): void {
    if (!this.report || !taskId) return;
    this.taskId = taskId;
    this.model = model ?? this.report.models[0]?.label ?? null;
    this.tasks.mark(this.taskId, this.model);
    for (const row of this.models.querySelectorAll<HTMLElement>('tr[data-model]')) row.classList.toggle('selected', row.dataset.model === this.model);
    if (this.model) this.open(taskId, this.model, false);
    this.saveSoon();
  }

  private open(taskId: string, model: string, again: boolean): void {
    const shown = this.detail.shown();
    if (!again && shown?.taskId === taskId && shown.model === model && this.detail.detail) return;
    if (!again || !this.detail.detail) this.detail.showLoading(taskId, model, this.report!);
    this.host.post('openEvalTask', { taskId, model });
  }

  private moveTask(delta: number): void {
    if (!this.tasks.size) return;
    const at = this.tasks.indexOf(this.taskId);
    const next = at < 0 ? (delta > 0 ? 0 : this.tasks.size - 1) : at + delta;
    const id = this.tasks.taskAt(Number.isFinite(next) ? next : delta > 0 ? this.tasks.size - 1 : 0);
    if (id && id !== this.taskId) this.select(id, this.model);
  }

  private moveModel(to: number | ((at: number) => number)): void {
    const labels = this.report?.models.map((m) => m.label) ?? [];
    if (!labels.length || !this.taskId) return;
    const at = this.model ? labels.indexOf(this.model) : 0;
    const next = typeof to === 'number' ? to : to(at);
    if (next >= 0 && next < labels.length && labels[next] !== this.model) this.select(this.taskId, labels[next]);
  }

  private onKey(e: KeyboardEvent): void {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || fromFormControl(e)) return;
    const keys: Record<string, () => void> = {
      j: () => this.moveTask(1),
      ArrowDown: () => this.moveTask(1),
      k: () => this.moveTask(-1),
      ArrowUp: () => this.moveTask(-1),
      PageDown: () => this.moveTask(this.tasks.pageSize()),
      PageUp: () => this.moveTask(-this.tasks.pageSize()),
      Home: () => this.moveTask(-Infinity),
      End: () => this.moveTask(Infinity),
      l: () => this.moveModel((at) => at + 1),
      ArrowRight: () => this.moveModel((at) => at + 1),
      h: () => this.moveModel((at) => at - 1),
      ArrowLeft: () => this.moveModel((at) => at - 1),
      o: () => this.taskId && this.model && this.host.post('openEvalTrajectory', { taskId: this.taskId, model: this.model }),
    };
    // The split bar takes the arrows for itself when it has the focus.
    if ((e.key === 'ArrowLeft' || e.key === 'ArrowRight') && (e.target as HTMLElement)?.classList?.contains('splitter')) return;
    const digit = /^[1-9]$/.test(e.key) ? Number(e.key) - 1 : -1;
    const run = digit >= 0 ? () => this.moveModel(digit) : keys[e.key];
    if (!run) return;
    e.preventDefault();
    run();
  }

  private saveSoon(): void {
    this.host.saveSoon(() => this.state());
  }

  private state(): SavedState {
    return { view: 'eval', evalDir: this.info?.evalDir ?? this.host.getState()?.evalDir ?? '', taskId: this.taskId, model: this.model, scrollTop: this.tasks.body.scrollTop, ...this.layout.state(), taskSort: this.tasks.sort, threshold: this.threshold };
  }
}
