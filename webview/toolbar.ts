import type { Decision, ListFilters, SampleStatus } from '../src/protocol';
import { button, checkbox, dropdown, textField, type Checkbox, type Dropdown, type TextField } from './components';
import { h } from './dom';
import { count, parseRatio } from './format';

export interface ToolbarEvents {
  onFilters(f: Partial<ListFilters>): void;
  onBulk(decision: Decision, op: 'ge' | 'lt', value: number): void;
  onAdvance(advance: boolean): void;
  onClear(): void;
}

/** Filters over the list and the bulk action on what they leave. */
export class Toolbar {
  readonly el: HTMLElement;
  private readonly status: Dropdown<SampleStatus | 'all'>;
  private readonly decision: Dropdown<Decision | 'all'>;
  private readonly language: Dropdown<string>;
  private readonly text: TextField;
  private readonly min: TextField;
  private readonly max: TextField;
  private readonly fnChip: HTMLElement;
  private readonly shown: HTMLElement;
  private readonly bulkValue: TextField;
  readonly advance: Checkbox;
  /** Set while a typed search waits to be applied (0: none); the box keeps it while rows arrive. */
  private textTimer = 0;

  constructor(private readonly events: ToolbarEvents) {
    this.text = textField({ label: 'Search', placeholder: 'function or file', className: 'search', onInput: (v) => {
      clearTimeout(this.textTimer);
      this.textTimer = window.setTimeout(() => {
        this.textTimer = 0;
        this.events.onFilters({ text: v });
      }, 120);
    } });
    this.status = dropdown<SampleStatus | 'all'>({ label: 'Status', value: 'all', choices: [
      { value: 'all', label: 'All statuses' },
      { value: 'verified', label: 'Verified' },
      { value: 'below-threshold', label: 'Below threshold' },
      { value: 'failed', label: 'Failed' },
      { value: 'too-large', label: 'P1 too large' },
    ], onChange: (v) => this.events.onFilters({ status: v }) });
    this.decision = dropdown<Decision | 'all'>({ label: 'Decision', value: 'all', choices: [
      { value: 'all', label: 'All decisions' },
      { value: 'undecided', label: 'Undecided' },
      { value: 'accepted', label: 'Accepted' },
      { value: 'rejected', label: 'Rejected' },
    ], onChange: (v) => this.events.onFilters({ decision: v }) });
    this.language = dropdown<string>({ label: 'Language', value: 'all', choices: [{ value: 'all', label: 'All languages' }], onChange: (v) => this.events.onFilters({ language: v }) });
    const range = (label: string, key: 'minRecall' | 'maxRecall') => {
      const f: TextField = textField({ label, placeholder: key === 'minRecall' ? '0' : '1', size: 4, className: 'recall-field', onInput: (v) => {
        const r = parseRatio(v);
        f.setInvalid(Number.isNaN(r) ? 'A recall between 0 and 1' : null);
        if (!Number.isNaN(r)) this.events.onFilters({ [key]: r });
      } });
      return f;
    };
    this.min = range('Recall ≥', 'minRecall');
    this.max = range('≤', 'maxRecall');
    this.fnChip = h('span', { class: 'chip', attrs: { hidden: '' } });
    this.shown = h('span', { class: 'shown-count', attrs: { 'aria-live': 'polite' } });
    const clear = button({ label: 'Clear filters', onClick: () => {
      this.discardTyping();
      this.events.onClear();
    } });

    const bulkDecision = dropdown<Decision>({ label: 'Bulk', value: 'accepted', className: 'bulk-decision', choices: [
      { value: 'accepted', label: 'Accept' },
      { value: 'rejected', label: 'Reject' },
      { value: 'undecided', label: 'Clear decision of' },
    ] });
    const bulkOp = dropdown<'ge' | 'lt'>({ label: 'all shown with recall', value: 'ge', className: 'bulk-op', choices: [
      { value: 'ge', label: '≥' },
      { value: 'lt', label: '<' },
    ] });
    this.bulkValue = textField({ label: 'value', value: '0.8', size: 4, className: 'bulk-value' });
    const apply = button({ label: 'Apply', title: 'Apply to every sample the filters show whose recall passes the test (undo reverts it)', onClick: () => {
      const v = parseRatio(this.bulkValue.value);
      if (v === null || Number.isNaN(v)) {
        this.bulkValue.setInvalid('A recall between 0 and 1');
        return;
      }
      this.bulkValue.setInvalid(null);
      this.events.onBulk(bulkDecision.value, bulkOp.value, v);
    } });
    apply.el.classList.add('bulk-apply');
    this.advance = checkbox({ label: 'Next after deciding', checked: true, title: 'Move to the next sample after a, r or u', onChange: (v) => this.events.onAdvance(v) });

    this.el = h(
      'div',
      { class: 'toolbar' },
      h('div', { class: 'toolbar-row' }, this.text.el, this.status.el, this.decision.el, this.language.el, this.min.el, this.max.el, this.fnChip, clear.el, this.shown),
      h('div', { class: 'toolbar-row bulk' }, bulkDecision.el, bulkOp.el, this.bulkValue.el, apply.el, this.advance.el),
    );
  }

  setLanguages(languages: string[]): void {
    this.language.setChoices([{ value: 'all', label: 'All languages' }, ...languages.map((l) => ({ value: l, label: l }))]);
  }

  show(f: ListFilters, functionLabel: string | null): void {
    this.status.value = f.status;
    this.decision.value = f.decision;
    this.language.value = f.language;
    if (!this.textTimer && this.text.value !== f.text) this.text.value = f.text;
    const fmt = (v: number | null) => (v === null ? '' : String(v));
    if (parseRatio(this.min.value) !== f.minRecall) this.min.value = fmt(f.minRecall);
    if (parseRatio(this.max.value) !== f.maxRecall) this.max.value = fmt(f.maxRecall);
    this.fnChip.hidden = f.functionId === null;
    this.fnChip.replaceChildren();
    if (f.functionId !== null) {
      const x = h('button', { class: 'chip-x', title: 'Show all functions', attrs: { type: 'button', 'aria-label': 'Remove the function filter' } }, '×');
      x.addEventListener('click', () => this.events.onFilters({ functionId: null }));
      this.fnChip.append(`function: ${functionLabel ?? f.functionId}`, x);
    }
  }

  /** Drops a search still being typed: the filters are being replaced as a whole (Clear, a CodeLens click). */
  discardTyping(): void {
    clearTimeout(this.textTimer);
    this.textTimer = 0;
  }

  setCounts(shown: number, total: number): void {
    this.shown.textContent = shown === total ? `${count(total)} samples` : `${count(shown)} of ${count(total)} samples`;
  }
}
