import type { EstimateView, EvalDifferenceView, EvalModelView, EvalReportView } from '../src/protocol';
import { h } from './dom';
import { count, tokens } from './format';

/** Two decimals or a whole percent, signed for differences: the same text `eval-report` prints. */
export const num = (n: number | null, signed = false) => (n === null ? '–' : `${signed && n >= 0 ? '+' : ''}${n.toFixed(2)}`);
export const pct = (n: number | null, signed = false) => (n === null ? '–' : `${signed && n >= 0 ? '+' : ''}${Math.round(n * 100)}%`);

/** A mean in bold, its 95% interval after it, and (for a 0..1 quantity) the interval drawn on a 0..1 track. */
function estimateCell(e: EstimateView, f: typeof num, o: { signed?: boolean; bar?: boolean; threshold?: number } = {}): HTMLElement {
  const cell = h('td', { class: 'est' });
  if (!e.n || e.mean === null) {
    cell.append(h('span', { class: 'muted' }, '–'));
    cell.title = 'No task has a score yet';
    return cell;
  }
  cell.title = `mean ${f(e.mean, o.signed)}, 95% interval ${f(e.low, o.signed)} to ${f(e.high, o.signed)} over ${e.n} tasks`;
  cell.append(h('span', { class: 'est-mean' }, f(e.mean, o.signed)), h('span', { class: 'est-ci muted' }, ` [${f(e.low, o.signed)}, ${f(e.high, o.signed)}]`));
  if (o.bar) {
    // Differences run from -1 to 1 with 0 in the middle; rates from 0 to 1.
    const at = (v: number | null) => `${Math.max(0, Math.min(100, o.signed ? ((v ?? 0) + 1) * 50 : (v ?? 0) * 100))}%`;
    const span = h('span', { class: 'ci-span' });
    span.style.left = at(e.low);
    span.style.width = `calc(${at(e.high)} - ${at(e.low)})`;
    const mean = h('span', { class: 'ci-mean' });
    mean.style.left = at(e.mean);
    const track = h('span', { class: 'ci-track' }, span, mean);
    const mark = o.signed ? 0 : o.threshold;
    if (mark !== undefined) {
      const tick = h('span', { class: 'ci-zero' });
      tick.style.left = at(mark);
      track.append(tick);
    }
    cell.append(track);
  }
  return cell;
}

const th = (text: string, title?: string, className = '') => h('th', { class: className, title }, text);
const td = (text: string, className = 'n', title?: string) => h('td', { class: className, title }, text);

/** Per model: tasks scored, mean recall and F1 with their intervals, resolved and submit rates, cost per task, errors. */
export function renderModels(r: EvalReportView, selected: string | null, onModel: (label: string) => void): HTMLElement {
  const head = h(
    'tr',
    null,
    th('Model', 'Label given to --model (the model name it serves in the tooltip)', 'l'),
    th('Tasks', 'Tasks with a score; errors and tasks not run yet are left out of the means'),
    th('Recall (95%\u00a0CI)', "Mean share of the reference's changed lines the model's patch has"),
    th('F1 (95%\u00a0CI)', 'Mean harmonic mean of recall and precision: extra lines lower it'),
    th('Resolved (95%\u00a0CI)', `Submitted with recall ≥ ${r.threshold}`),
    th('Submitted', 'Share of scored tasks where the model called submit before a limit stopped it'),
    th('Tokens / task', 'Prompt and completion tokens per scored task'),
    th('Steps / task'),
    th('Time / task', 'Wall time per scored task'),
    th('Errors', 'Attempts that ended in an endpoint failure; run again when the same eval command is given again'),
    th('Pending', 'Tasks this model has not run yet'),
  );
  const rows = r.models.map((m: EvalModelView) => {
    const tr = h(
      'tr',
      { class: m.label === selected ? 'selected' : '', attrs: { 'data-model': m.label } },
      h('td', { class: 'l model-name', title: m.model === m.label ? m.label : `${m.label}: ${m.model}` }, m.label),
      td(count(m.tasks)),
      estimateCell(m.recall, num, { bar: true, threshold: r.threshold }),
      estimateCell(m.f1, num),
      estimateCell(m.resolved, pct),
      td(pct(m.submitRate)),
      td(tokens(m.tokensPerTask), 'n', count(m.tokensPerTask)),
      td(String(m.stepsPerTask)),
      td(`${m.secondsPerTask} s`),
      td(String(m.errors), m.errors ? 'n bad' : 'n'),
      td(String(m.pending), m.pending ? 'n warn' : 'n'),
    );
    tr.addEventListener('click', () => onModel(m.label));
    return tr;
  });
  return h('table', { class: 'eval-table eval-models' }, h('thead', null, head), h('tbody', null, ...rows));
}

/** The paired differences (first minus second, on the tasks both scored), marked when the interval leaves out 0. */
export function renderDifferences(r: EvalReportView): HTMLElement | null {
  if (!r.differences.length) return null;
  const verdict = (e: EstimateView) => (e.n && e.low !== null && e.low > 0 ? 'better' : e.n && e.high !== null && e.high < 0 ? 'worse' : '');
  const rows = r.differences.map((d: EvalDifferenceView) => {
    const cells = [estimateCell(d.recall, num, { signed: true, bar: true }), estimateCell(d.f1, num, { signed: true }), estimateCell(d.resolved, pct, { signed: true })];
    [d.recall, d.f1, d.resolved].forEach((e, i) => {
      const v = verdict(e);
      if (!v) return;
      cells[i].classList.add(v);
      cells[i].title += v === 'better' ? `; the interval is above 0: ${d.a} does better` : `; the interval is below 0: ${d.b} does better`;
    });
    return h('tr', { attrs: { 'data-pair': `${d.a}\u0000${d.b}` } }, h('td', { class: 'l' }, `${d.a} − ${d.b}`), td(count(d.tasks)), ...cells);
  });
  return h(
    'table',
    { class: 'eval-table eval-diffs' },
    h('thead', null, h('tr', null, th('Models', 'First minus second', 'l'), th('Tasks', 'Tasks both models have a score on'), th('Recall (95%\u00a0CI)'), th('F1 (95%\u00a0CI)'), th('Resolved (95%\u00a0CI)'))),
    h('tbody', null, ...rows),
  );
}

/** "8 tasks from commits after 3f2a…", "95% intervals: …": what the numbers rest on. */
export function reportFacts(r: EvalReportView, source: string): string[] {
  const s = r.source;
  const facts = [`${count(s.tasks)} tasks from ${source}`, `95% intervals: percentile bootstrap over tasks, ${count(r.bootstrap.resamples)} resamples, seed ${r.bootstrap.seed}`];
  if (s.heldOutFunctions !== null) facts.splice(1, 0, `${count(s.heldOutFunctions)} functions held out of training`);
  if (s.skipped && Object.keys(s.skipped).length) facts.push(`commits left out: ${Object.entries(s.skipped).map(([k, n]) => `${n} ${k}`).join(', ')}`);
  return facts;
}
