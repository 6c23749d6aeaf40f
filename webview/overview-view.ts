import type { RunInfo, SampleRow } from '../src/protocol';
import { badge, button, textField, type Badge, type TextField } from './components';
import { h, svg } from './dom';
import { count, duration, parseRatio, tokens } from './format';

export const BINS = 20;

/** Recall histogram: BINS equal bins over [0, 1], the last one closed ([0.95, 1.0]). */
export function recallHistogram(rows: SampleRow[]): { bins: number[]; unscored: number } {
  const bins = new Array<number>(BINS).fill(0);
  let unscored = 0;
  for (const r of rows) {
    if (r.recall === null) unscored++;
    else bins[Math.min(BINS - 1, Math.floor(r.recall * BINS))]++;
  }
  return { bins, unscored };
}

export function passing(rows: SampleRow[], threshold: number): number {
  let n = 0;
  for (const r of rows) if (r.recall !== null && r.recall >= threshold) n++;
  return n;
}

const W = 600;
const H = 180;
const PAD = { left: 36, right: 8, top: 10, bottom: 26 };

/**
 * The run at a glance: counts by status and decision, tokens and time, and the recall
 * histogram with the threshold on it. Dragging the threshold line (or typing a value) previews
 * how many samples would pass; it changes nothing on disk.
 */
export class OverviewView {
  readonly el: HTMLElement;
  private readonly chart: SVGSVGElement;
  private readonly summary: HTMLElement;
  private readonly thresholdField: TextField;
  private readonly badges: Record<string, Badge> = {};
  private readonly facts: HTMLElement;
  private readonly stages: HTMLElement;
  private rows: SampleRow[] = [];
  private run: RunInfo | null = null;
  threshold: number | null = null;

  constructor(private readonly events: { onThreshold(t: number | null): void; onShowPassing(t: number): void }) {
    const counts = h('div', { class: 'counts' });
    for (const [key, caption, meaning] of [
      ['verified', 'Verified', "Scored, with recall at or above the run's threshold"],
      ['below-threshold', 'Below threshold', "Scored, with recall under the run's threshold"],
      ['failed', 'Failed', 'Stopped by an error or a rule before it could be scored (by stage below)'],
      ['too-large', 'P1 too large', "Stopped after rollout 1 because P1 changed more lines than the run's limit (generation.maxP1Lines, CLI --max-p1-lines): no PR or rollout 2 was paid for"],
      ['pending', 'Pending', 'Planned, not finished yet'],
      ['accepted', 'Accepted', 'Accepted by you: exported whatever their recall'],
      ['rejected', 'Rejected', 'Rejected by you: never exported'],
      ['undecided', 'Undecided', 'Exported when their recall reaches the threshold'],
    ] as const) {
      this.badges[key] = badge(caption, 0, `count-${key}`);
      this.badges[key].el.title = meaning;
      counts.append(this.badges[key].el);
    }
    this.facts = h('div', { class: 'facts' });
    this.stages = h('div', { class: 'stages muted' });
    this.chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'histogram', role: 'img' });
    this.summary = h('div', { class: 'threshold-summary', attrs: { 'aria-live': 'polite' } });
    this.thresholdField = textField({
      label: 'Threshold',
      size: 6,
      className: 'threshold-field',
      onInput: (text) => {
        const t = parseRatio(text);
        this.thresholdField.setInvalid(Number.isNaN(t) ? 'A recall between 0 and 1, such as 0.5 or 50%' : null);
        if (t !== null && !Number.isNaN(t)) this.setThreshold(t, false);
      },
    });
    const show = button({ label: 'Show passing samples', title: 'Filter the sample list to recall ≥ the threshold', onClick: () => this.events.onShowPassing(this.current()) });
    const resetBtn = button({ label: 'Run threshold', title: "Back to the run's own threshold", onClick: () => this.setThreshold(null, true) });
    this.el = h(
      'div',
      { class: 'overview' },
      counts,
      this.facts,
      this.stages,
      h('h3', null, 'Recall across the run'),
      h('div', { class: 'chart-wrap' }, this.chart),
      h('div', { class: 'threshold-row' }, this.thresholdField.el, this.summary, show.el, resetBtn.el),
    );
    this.attachDrag();
  }

  private current(): number {
    return this.threshold ?? this.run?.threshold ?? 0.5;
  }

  setThreshold(t: number | null, updateField: boolean): void {
    this.threshold = t === null ? null : Math.round(t * 100) / 100;
    if (updateField) this.thresholdField.value = this.current().toFixed(2);
    this.draw();
    this.events.onThreshold(this.threshold);
  }

  private attachDrag(): void {
    let dragging = false;
    const toThreshold = (e: PointerEvent) => {
      const box = this.chart.getBoundingClientRect();
      const x = ((e.clientX - box.left) / box.width) * W;
      return Math.min(1, Math.max(0, (x - PAD.left) / (W - PAD.left - PAD.right)));
    };
    this.chart.addEventListener('pointerdown', (e) => {
      dragging = true;
      this.chart.setPointerCapture(e.pointerId);
      this.setThreshold(toThreshold(e), true);
    });
    this.chart.addEventListener('pointermove', (e) => {
      if (dragging) this.setThreshold(toThreshold(e), true);
    });
    const stop = () => (dragging = false);
    this.chart.addEventListener('pointerup', stop);
    this.chart.addEventListener('pointercancel', stop);
  }

  update(run: RunInfo | null, rows: SampleRow[]): void {
    this.run = run;
    this.rows = rows;
    const by = { verified: 0, 'below-threshold': 0, failed: 0, 'too-large': 0, accepted: 0, rejected: 0, undecided: 0 };
    let tok = 0;
    let ms = 0;
    const failedAt: Record<string, number> = {};
    for (const r of rows) {
      by[r.status]++;
      by[r.decision]++;
      tok += r.tokens;
      ms += r.ms;
      if (r.status === 'failed') failedAt[r.stage ?? 'unknown'] = (failedAt[r.stage ?? 'unknown'] ?? 0) + 1;
    }
    for (const [k, v] of Object.entries(by)) this.badges[k].set(count(v));
    this.badges.pending.set(count(run?.pending ?? 0));
    this.facts.replaceChildren(
      ...[
        run ? `Run ${run.runId} of ${run.repository || 'the repository'} at ${run.baseCommit.slice(0, 10)}` : '',
        run ? `Teacher ${run.model}` : '',
        `${tokens(tok)} tokens in all (${rows.length ? tokens(tok / rows.length) : 0} per sample)`,
        `${duration(ms)} of sample time (${rows.length ? duration(ms / rows.length) : '0 ms'} per sample)`,
      ]
        .filter(Boolean)
        .map((t) => h('span', { class: 'fact' }, t)),
    );
    const stageText = Object.entries(failedAt)
      .sort((a, b) => b[1] - a[1])
      .map(([s, n]) => `${s} ${n}`)
      .join(' · ');
    this.stages.textContent = stageText ? `Failures by stage: ${stageText}` : '';
    if (!this.thresholdField.value) this.thresholdField.value = this.current().toFixed(2);
    this.draw();
  }

  private draw(): void {
    const { bins, unscored } = recallHistogram(this.rows);
    const t = this.current();
    const max = Math.max(1, ...bins);
    const innerW = W - PAD.left - PAD.right;
    const innerH = H - PAD.top - PAD.bottom;
    const bw = innerW / BINS;
    const nodes: SVGElement[] = [];
    for (const frac of [0, 0.5, 1]) {
      const y = PAD.top + innerH * (1 - frac);
      nodes.push(svg('line', { x1: PAD.left, x2: W - PAD.right, y1: y, y2: y, class: 'grid' }));
      const label = svg('text', { x: PAD.left - 4, y: y + 4, class: 'axis', 'text-anchor': 'end' });
      label.textContent = String(Math.round(max * frac));
      nodes.push(label);
    }
    bins.forEach((n, i) => {
      const hgt = (n / max) * innerH;
      const lo = i / BINS;
      const rect = svg('rect', { x: PAD.left + i * bw + 1, y: PAD.top + innerH - hgt, width: Math.max(1, bw - 2), height: hgt, class: `bin ${lo >= t ? 'pass' : lo + 1 / BINS > t ? 'split' : 'below'}`, 'data-bin': i, 'data-count': n });
      const title = svg('title');
      title.textContent = `Recall ${lo.toFixed(2)}–${(lo + 1 / BINS).toFixed(2)}: ${n} samples`;
      rect.append(title);
      nodes.push(rect);
    });
    for (let i = 0; i <= 10; i += 2) {
      const label = svg('text', { x: PAD.left + (innerW * i) / 10, y: H - 8, class: 'axis', 'text-anchor': 'middle' });
      label.textContent = (i / 10).toFixed(1);
      nodes.push(label);
    }
    const x = PAD.left + innerW * t;
    nodes.push(svg('line', { x1: x, x2: x, y1: PAD.top - 6, y2: PAD.top + innerH, class: 'threshold-line' }));
    const handle = svg('rect', { x: x - 5, y: PAD.top - 8, width: 10, height: 8, class: 'threshold-handle' });
    nodes.push(handle);
    this.chart.replaceChildren(...nodes);
    this.chart.setAttribute('aria-label', `Recall histogram of ${this.rows.length - unscored} scored samples; threshold ${t.toFixed(2)}`);
    const scored = this.rows.length - unscored;
    const pass = passing(this.rows, t);
    const runPass = this.run ? passing(this.rows, this.run.threshold) : pass;
    this.summary.textContent = `${count(pass)} of ${count(scored)} scored samples pass at recall ≥ ${t.toFixed(2)}${this.threshold !== null && this.run ? ` (run threshold ${this.run.threshold.toFixed(2)}: ${count(runPass)})` : ''}${unscored ? ` · ${count(unscored)} without a score` : ''}`;
    this.summary.dataset.pass = String(pass);
  }
}
