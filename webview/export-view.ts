import { FORMAT_INFO, FORMATS, type ExportFormat, type ExportRequest, type HostMessages } from '../src/protocol';
import { button, checkbox, dropdown, progressRing, textField, type Button, type TextField } from './components';
import { h } from './dom';
import { defaultExportFolder, isProposedFolder } from '../src/extension/view-models/export-folder';
import { removedText } from '../src/extension/view-models/removed';
import { count, parseRatio } from './format';

/**
 * The export form: the exporter's options, the count it would write (asked of the host as the
 * options change), progress while writing, then a way to the result.
 */
export class ExportView {
  readonly el: HTMLElement;
  options: ExportRequest;
  private requestId = 0;
  private previewTimer = 0;
  private readonly preview: HTMLElement;
  private readonly progress: HTMLElement;
  private readonly bar: HTMLElement;
  private readonly ring = progressRing('Exporting');
  private readonly result: HTMLElement;
  private readonly runBtn: Button;
  private readonly cancelBtn: Button;
  private readonly outField: TextField;
  private running = false;
  /** The run being exported, once known: the proposed folder is derived from it. */
  runDir = '';

  constructor(
    initial: ExportRequest,
    private readonly events: { preview(requestId: number, o: ExportRequest): void; run(o: ExportRequest): void; cancel(): void; browse(current: string): void; reveal(path: string): void; changed(o: ExportRequest): void },
  ) {
    this.options = { ...initial };
    const o = this.options;
    const set = <K extends keyof ExportRequest>(key: K, value: ExportRequest[K]) => {
      this.options[key] = value;
      this.events.changed(this.options);
      this.schedulePreview();
    };
    const numberField = (label: string, key: 'maxPatchLines' | 'maxToolOutputChars' | 'maxTokens', hint: string) => {
      const f = textField({ label, value: String(o[key]), size: 8, onInput: (text) => {
        const v = Number(text.trim() || '0');
        const ok = Number.isInteger(v) && v >= 0;
        f.setInvalid(ok ? null : `${hint}: a whole number, 0 for no limit`);
        if (ok) set(key, v);
      } });
      f.el.title = hint;
      return f.el;
    };
    const threshold = textField({ label: 'Threshold for undecided', value: o.threshold === null ? '' : String(o.threshold), placeholder: "run's own", size: 8, onInput: (text) => {
      const t = parseRatio(text);
      threshold.setInvalid(Number.isNaN(t) ? 'A recall between 0 and 1, or blank for the run threshold' : null);
      if (!Number.isNaN(t)) set('threshold', t);
    } });
    const validation = textField({ label: 'Validation share', value: String(o.validation), size: 6, onInput: (text) => {
      const v = Number(text.trim() || '0');
      const ok = Number.isFinite(v) && v >= 0 && v <= 0.9;
      validation.setInvalid(ok ? null : 'A fraction from 0 to 0.9 of the start functions');
      if (ok) set('validation', v);
    } });
    this.outField = textField({ label: 'Output folder', value: o.outDir, className: 'out-field', onInput: (text) => {
      this.outField.setInvalid(text.trim() ? null : 'Choose a folder to write the dataset to');
      if (text.trim()) set('outDir', text.trim());
    } });
    const browse = button({ label: 'Browse…', onClick: () => this.events.browse(this.options.outDir) });
    const box = (label: string, key: 'onlyAccepted' | 'includeUnsubmitted' | 'truncate' | 'dedupe' | 'scrub' | 'overwrite', title: string) =>
      checkbox({ label, checked: o[key], title, onChange: (v) => set(key, v) }).el;

    this.preview = h('div', { class: 'export-preview', attrs: { 'aria-live': 'polite' } }, 'Counting…');
    this.bar = h('span', { class: 'bar-fill' });
    this.progress = h('div', { class: 'export-progress' }, this.ring.el, h('span', { class: 'bar-track wide' }, this.bar), h('span', { class: 'progress-text' }));
    this.progress.hidden = true;
    this.result = h('div', { class: 'export-result' });
    this.runBtn = button({ label: 'Export', appearance: 'primary', onClick: () => this.start() });
    this.cancelBtn = button({ label: 'Cancel', onClick: () => this.events.cancel() });
    this.cancelBtn.el.hidden = true;

    this.el = h(
      'div',
      { class: 'export' },
      h('h3', null, 'Export a fine-tuning dataset'),
      h(
        'div',
        { class: 'form-grid' },
        dropdown<ExportFormat>({ label: 'Format', value: o.format, choices: FORMATS.map((f) => ({ value: f, label: FORMAT_INFO[f].label })), onChange: (v) => {
          // A folder we proposed follows the format; one the user chose stays.
          if (this.runDir && isProposedFolder(this.options.outDir, this.runDir)) this.setOutDir(defaultExportFolder(this.runDir, v), false);
          set('format', v);
        } }).el,
        dropdown<ExportRequest['trajectories']>({ label: 'Trajectories', value: o.trajectories, choices: [
          { value: 'both', label: 'T1 and T2' },
          { value: 't1', label: 'T1 only (rollout 1)' },
          { value: 't2', label: 'T2 only (rollout 2)' },
        ], onChange: (v) => set('trajectories', v) }).el,
        dropdown<ExportRequest['think']>({ label: 'Reasoning', value: o.think, choices: [
          { value: 'keep', label: 'Keep as reasoning_content' },
          { value: 'wrap', label: 'Wrap in <think> tags' },
          { value: 'drop', label: 'Drop' },
        ], onChange: (v) => set('think', v) }).el,
        threshold.el,
        numberField('Max patch lines', 'maxPatchLines', 'Most changed lines in a trajectory’s patch (the paper’s recipe: 40)'),
        numberField('Max tokens', 'maxTokens', 'Token budget per trajectory (32K context: 32768)'),
        numberField('Max avg tool output', 'maxToolOutputChars', 'Most characters per tool output on average'),
        validation.el,
      ),
      h(
        'div',
        { class: 'checks' },
        box('Only accepted', 'onlyAccepted', 'Export only samples you accepted'),
        box('Include unsubmitted', 'includeUnsubmitted', 'Keep trajectories that ended by a limit or an error'),
        box('Dedupe patches', 'dedupe', 'Drop trajectories whose patch repeats one already exported'),
        box('Scrub secrets', 'scrub', 'Replace API keys, tokens, private keys and passwords by placeholders'),
        box('Truncate to fit', 'truncate', 'Clip the longest tool outputs to fit the token budget instead of dropping'),
        box('Overwrite', 'overwrite', 'Replace an earlier export in the output folder'),
      ),
      h('div', { class: 'out-row' }, this.outField.el, browse.el),
      this.preview,
      h('div', { class: 'export-actions' }, this.runBtn.el, this.cancelBtn.el),
      this.progress,
      this.result,
    );
  }

  schedulePreview(): void {
    clearTimeout(this.previewTimer);
    this.previewTimer = window.setTimeout(() => {
      this.requestId++;
      this.preview.classList.add('stale');
      this.events.preview(this.requestId, { ...this.options });
    }, 250);
  }

  /** The run is known: a folder left empty, or one we proposed, becomes the proposal for this run and format. */
  setRun(runDir: string): void {
    this.runDir = runDir;
    if (isProposedFolder(this.options.outDir, runDir)) this.setOutDir(defaultExportFolder(runDir, this.options.format), false);
  }

  /** Sets the output folder (from the folder picker, or the run's default); `preview` asks for a new count. */
  setOutDir(path: string, preview = true): void {
    this.options.outDir = path;
    this.outField.value = path;
    this.outField.setInvalid(null);
    this.events.changed(this.options);
    if (preview) this.schedulePreview();
  }

  onPreview(m: HostMessages['exportPreview']): void {
    if (m.requestId !== this.requestId) return; // an answer to options changed since
    this.preview.classList.remove('stale', 'error');
    const removed = removedText(m.removedBy, count);
    this.preview.replaceChildren(
      h('strong', { class: 'preview-count' }, `${count(m.selected)}`),
      ` trajectories from ${count(m.samples)} samples will be written (of ${count(m.total)} considered).`,
      removed ? h('span', { class: 'muted' }, ` Removed: ${removed}.`) : '',
    );
    this.preview.dataset.selected = String(m.selected);
  }

  onPreviewError(m: HostMessages['exportPreviewError']): void {
    if (m.requestId !== this.requestId) return;
    this.preview.classList.remove('stale');
    this.preview.classList.add('error');
    this.preview.textContent = m.message;
  }

  private start(): void {
    if (this.running) return;
    if (!this.options.outDir.trim()) {
      this.outField.setInvalid('Choose a folder to write the dataset to');
      return;
    }
    this.events.run({ ...this.options });
    this.setRunning(true);
    this.result.replaceChildren();
  }

  private setRunning(running: boolean): void {
    this.running = running;
    this.runBtn.setDisabled(running);
    this.cancelBtn.el.hidden = !running;
    this.ring.show(running);
    this.progress.hidden = !running;
  }

  onProgress(m: HostMessages['exportProgress']): void {
    this.setRunning(true);
    const frac = m.total > 0 ? Math.min(1, m.done / m.total) : 0;
    this.bar.style.width = `${Math.round(frac * 100)}%`;
    (this.progress.querySelector('.progress-text') as HTMLElement).textContent = m.total > 0 ? `${m.phase}: ${count(m.done)} / ${count(m.total)}` : m.phase;
  }

  onDone(m: HostMessages['exportDone']): void {
    this.setRunning(false);
    const reveal = button({ label: 'Reveal in Explorer', appearance: 'primary', onClick: () => this.events.reveal(m.outDir) });
    this.result.replaceChildren(h('div', { class: 'callout ok' }, `Wrote ${count(m.trajectories)} trajectories from ${count(m.samples)} samples to ${m.outDir}`, m.files.length ? h('div', { class: 'muted' }, m.files.join(', ')) : null, reveal.el));
  }

  onError(m: HostMessages['exportError']): void {
    this.setRunning(false);
    this.result.replaceChildren(h('div', { class: 'callout error' }, m.message));
  }
}
