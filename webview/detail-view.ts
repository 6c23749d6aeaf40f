import type { Decision, DiffMode, SampleDetail, SampleRow } from '../src/protocol';
import { button, textArea, type Button, type TextArea } from './components';
import { renderPatches } from './diff-view';
import { h } from './dom';
import type { Layout } from './layout';
import { DECISION_LABEL, STATUS_LABEL, count, duration, ratio, tokens } from './format';
import { renderTrajectory } from './steps-view';

export interface DetailActions {
  decide(id: string, decision: Decision): void;
  note(id: string, note: string): void;
  openDiff(id: string, mode: DiffMode, file?: string): void;
  openTrajectory(id: string, rollout: 1 | 2): void;
  openSource(id: string): void;
}

export function metric(label: string, value: number | null, threshold: number | null, title: string): HTMLElement {
  const fill = h('span', { class: 'bar-fill' });
  fill.style.width = `${Math.round((value ?? 0) * 100)}%`;
  const track = h('span', { class: 'bar-track' }, fill);
  if (threshold !== null) {
    const tick = h('span', { class: 'bar-threshold', title: `Threshold ${threshold.toFixed(2)}` });
    tick.style.left = `${threshold * 100}%`;
    track.append(tick);
  }
  if (value !== null && threshold !== null) fill.classList.add(value >= threshold ? 'pass' : 'fail');
  return h('div', { class: 'metric', title }, h('span', { class: 'metric-label' }, label), track, h('span', { class: 'metric-value' }, ratio(value)));
}

function section(title: string, content: Node, open = false): HTMLDetailsElement {
  const d = h('details', { class: 'section' }, h('summary', null, title), content);
  d.open = open;
  return d;
}

/** The right-hand pane: everything about one sample, and the controls to decide on it. */
export class DetailView {
  readonly el: HTMLElement;
  detail: SampleDetail | null = null;
  private decisionButtons = new Map<Decision, Button>();
  private decisionBadge: HTMLElement | null = null;
  private noteField: TextArea | null = null;
  private noteTimer = 0;

  constructor(
    private readonly actions: DetailActions,
    private readonly layout: Layout,
  ) {
    this.el = h('div', { class: 'detail', attrs: { 'aria-live': 'polite' } }, h('div', { class: 'detail-empty' }, 'Select a sample (click it, or j / k) to see its patches, scores and trajectories.'));
  }

  /** Sample `id` is asked for: the pane shows it at once (the row's facts) and fills in when its detail arrives. */
  showLoading(id: string, row?: SampleRow): void {
    this.el.dataset.loading = id;
    this.el.dataset.id = id;
    if (this.detail?.id === id) {
      this.el.classList.add('busy');
      return;
    }
    this.flushNote();
    this.detail = null;
    this.decisionButtons.clear();
    this.decisionBadge = null;
    this.noteField = null;
    this.el.classList.remove('busy');
    this.el.replaceChildren(
      h(
        'div',
        { class: 'detail-head pending', attrs: { 'data-id': id } },
        h('h2', { class: 'detail-title', title: row?.fn ?? id }, row?.fn ?? `Sample ${id}`),
        h(
          'div',
          { class: 'detail-sub' },
          row ? h('span', { class: 'muted' }, `${row.file} · ${row.lang} · sample ${id}`) : null,
          row ? h('span', { class: `pill status-${row.status}` }, STATUS_LABEL[row.status]) : null,
          row ? h('span', { class: `pill decision-${row.decision}` }, DECISION_LABEL[row.decision]) : null,
        ),
        h('div', { class: 'muted loading-line' }, 'Loading patches and trajectories…'),
      ),
    );
  }

  /** The id of the sample the pane shows (loaded or loading), or null. */
  shownId(): string | null {
    return this.el.dataset.loading ?? this.detail?.id ?? null;
  }

  showError(id: string, message: string): void {
    this.el.classList.remove('busy');
    delete this.el.dataset.loading;
    this.el.dataset.id = id;
    this.detail = null;
    this.el.replaceChildren(h('div', { class: 'callout error', attrs: { 'data-id': id } }, `Sample ${id} cannot be shown: ${message}`));
  }

  clear(text = 'Select a sample (click it, or j / k) to see its patches, scores and trajectories.'): void {
    this.flushNote();
    this.detail = null;
    delete this.el.dataset.loading;
    delete this.el.dataset.id;
    this.el.classList.remove('busy');
    this.el.replaceChildren(h('div', { class: 'detail-empty' }, text));
  }

  show(d: SampleDetail): void {
    this.flushNote();
    this.detail = d;
    this.el.dataset.id = d.id;
    this.el.classList.remove('busy');
    delete this.el.dataset.loading;
    const a = this.actions;
    const threshold = d.verification?.threshold ?? null;

    const decisionRow = h('div', { class: 'decision-row' });
    this.decisionButtons.clear();
    for (const [decision, key] of [['accepted', 'A'], ['rejected', 'R'], ['undecided', 'U']] as const) {
      const b = button({ label: `${decision === 'accepted' ? 'Accept' : decision === 'rejected' ? 'Reject' : 'Undecided'} (${key.toLowerCase()})`, title: `${DECISION_LABEL[decision]} (key ${key.toLowerCase()})`, className: `decide decide-${decision}`, onClick: () => a.decide(d.id, decision) });
      this.decisionButtons.set(decision, b);
      decisionRow.append(b.el);
    }
    decisionRow.append(button({ label: 'Open diff: P1 ↔ P2', title: "Both patches in VS Code's diff editor", onClick: () => a.openDiff(d.id, 'patches') }).el);

    const fnLink = h('a', { class: 'file-link', title: 'Open the start function in the editor', attrs: { href: '#' } }, `${d.fn.file}:${d.fn.startLine}`);
    fnLink.addEventListener('click', (e) => {
      e.preventDefault();
      a.openSource(d.id);
    });
    this.decisionBadge = h('span', { class: `pill decision-${d.decision}` }, DECISION_LABEL[d.decision]);
    const head = h(
      'div',
      { class: 'detail-head' },
      h('h2', { class: 'detail-title', title: d.fn.qualifiedName }, d.fn.qualifiedName),
      h('div', { class: 'detail-sub' }, fnLink, h('span', { class: 'muted' }, ` · ${d.fn.language} · sample ${d.id}`), h('span', { class: `pill status-${d.status}` }, STATUS_LABEL[d.status]), this.decisionBadge),
      decisionRow,
    );

    const v = d.verification;
    const metrics = h('div', { class: 'metrics' });
    if (v) {
      metrics.append(
        metric('Recall', v.recall, threshold, 'Share of P1 changed lines reproduced by P2 (the decision metric)'),
        metric('Precision', v.precision, null, 'Share of P2 changed lines that match P1'),
        metric('F1', v.f1, null, 'Harmonic mean of recall and precision'),
        h('div', { class: 'metric-note muted' }, `${count(v.matched)} of ${count(v.p1Lines)} P1 lines reproduced; P2 has ${count(v.p2Lines)} changed lines; threshold ${threshold?.toFixed(2)} → ${v.passed ? 'passes' : 'below'}`),
      );
    } else {
      metrics.append(h('div', { class: 'muted' }, 'Not scored: the sample stopped before verification.'));
    }
    const [r1, r2] = d.rollouts;
    const totals = h('div', { class: 'totals muted' }, `${tokens(d.tokens)} tokens · ${duration(d.ms)}`, r1 ? ` · R1 ${r1.steps} steps, ${r1.exit.status}` : '', r2 ? ` · R2 ${r2.steps} steps, ${r2.exit.status}` : '');

    // too-large is a stop the run chose (to save the PR and rollout 2), not an error
    const failure = !d.failure
      ? null
      : d.status === 'too-large'
        ? h('div', { class: 'callout warning failure' }, h('strong', null, 'Stopped after rollout 1: '), `${d.failure.reason}. The limit is generation.maxP1Lines (CLI --max-p1-lines).`)
        : h('div', { class: 'callout error failure' }, h('strong', null, `Failed at ${d.failure.stage}: `), d.failure.reason);

    this.noteField = textArea({ label: 'Note', placeholder: 'A note on this sample (saved as you type)', rows: 2, onInput: () => this.scheduleNote(), onCommit: () => this.flushNote() });
    this.noteField.value = d.note;
    const note = h('div', { class: 'note' }, this.noteField.el);

    const instruction = h('div', { class: 'prose' }, d.instruction.area ? h('div', { class: 'muted' }, `Area: ${d.instruction.area} (template ${d.instruction.templateId})`) : null, h('pre', { class: 'text-block' }, d.instruction.text));
    const pr = d.pr === null ? h('p', { class: 'muted' }, 'No synthetic PR: the sample stopped before it was written.') : h('pre', { class: 'text-block' }, d.pr);
    const judge = d.judge ? section(`Judge: ${d.judge.verdict}`, h('pre', { class: 'text-block' }, d.judge.raw)) : null;

    const patches = this.layout.patchPane(['P1 (rollout 1)', 'P2 (rollout 2)'], renderPatches(d, { openDiff: (mode, file) => a.openDiff(d.id, mode, file) }));

    const trajectories = h(
      'div',
      { class: 'trajectories' },
      renderTrajectory(d.trajectories[0], 'Rollout 1', () => a.openTrajectory(d.id, 1)),
      renderTrajectory(d.trajectories[1], 'Rollout 2', () => a.openTrajectory(d.id, 2)),
    );

    this.el.replaceChildren(
      head,
      metrics,
      totals,
      ...(failure ? [failure] : []),
      note,
      section('Instruction (rollout 1)', instruction, true),
      section('Synthetic PR (rollout 2 task)', pr, true),
      ...(judge ? [judge] : []),
      section(`Patches · P1 ${d.p1?.changed ?? 0} / P2 ${d.p2?.changed ?? 0} changed lines`, patches, true),
      section('Trajectories', trajectories, true),
    );
    this.el.scrollTop = 0;
    this.markDecision(d.decision);
  }

  /** Reflects a decision made (or undone) while the sample is open. */
  update(id: string, decision: Decision, note: string): void {
    if (!this.detail || this.detail.id !== id) return;
    this.detail.decision = decision;
    if (this.decisionBadge) {
      this.decisionBadge.className = `pill decision-${decision}`;
      this.decisionBadge.textContent = DECISION_LABEL[decision];
    }
    this.markDecision(decision);
    // Do not overwrite what the user is typing.
    if (this.noteField && !this.noteTimer && this.noteField.value !== note) this.noteField.value = note;
    this.detail.note = note;
  }

  private markDecision(decision: Decision): void {
    for (const [d, b] of this.decisionButtons) b.setPressed(d === decision);
  }

  private scheduleNote(): void {
    clearTimeout(this.noteTimer);
    this.noteTimer = window.setTimeout(() => this.flushNote(), 600);
  }

  /** Sends the note if it changed (on pause, on leaving the field, or when another sample opens). */
  flushNote(): void {
    clearTimeout(this.noteTimer);
    this.noteTimer = 0;
    if (!this.detail || !this.noteField) return;
    const text = this.noteField.value;
    if (text === this.detail.note) return;
    this.detail.note = text;
    this.actions.note(this.detail.id, text);
  }
}
