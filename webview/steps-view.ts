import type { StepView, TrajectoryView } from '../src/protocol';
import { button } from './components';
import { h } from './dom';
import { count, duration, tokens } from './format';

function callSummary(step: StepView): string {
  if (!step.calls.length) return step.text ? 'message' : '(empty turn)';
  return step.calls
    .map((c) => {
      // For the editor tool, its sub-command says more than the tool name.
      const sub = /"command":\s*"([a-z_]+)"/.exec(c.args)?.[1];
      return c.name === 'bash' ? 'bash' : sub ? `${c.name}(${sub})` : c.name;
    })
    .join(', ');
}

function stepBody(step: StepView, openFull: () => void): HTMLElement {
  const body = h('div', { class: 'step-body' });
  if (step.reasoning) body.append(h('div', { class: 'step-reasoning' }, h('span', { class: 'tag' }, 'reasoning'), h('pre', null, step.reasoning)));
  if (step.text) body.append(h('pre', { class: 'step-text' }, step.text));
  for (const call of step.calls) body.append(h('div', { class: 'step-call' }, h('span', { class: 'tag' }, call.name), h('pre', null, call.args)));
  for (const out of step.outputs) {
    const o = h('div', { class: 'step-output' }, h('span', { class: 'tag' }, 'output'), h('pre', null, out.text));
    if (out.clipped) {
      const more = h('div', { class: 'clipped' }, `… ${count(out.clipped)} more characters clipped here. `);
      more.append(button({ label: 'Open trajectory', appearance: 'secondary', onClick: openFull }).el);
      o.append(more);
    }
    body.append(o);
  }
  return body;
}

/**
 * A rollout's trajectory as a collapsible list of steps. Step bodies are built the first time
 * they open: a 115-step trajectory costs 115 summary lines until someone looks inside.
 */
export function renderTrajectory(t: TrajectoryView | null, label: string, openFull: () => void): HTMLElement {
  const box = h('details', { class: 'trajectory' });
  if (!t) {
    box.append(h('summary', null, `${label}: not run`));
    return box;
  }
  const exit = t.exit ? `${t.exit.status}${t.exit.reason ? ` (${t.exit.reason})` : ''}` : 'unfinished';
  const summary = h(
    'summary',
    null,
    h('span', { class: 'traj-title' }, label),
    h('span', { class: 'traj-stats' }, `${t.steps.length} steps · ${tokens(t.tokens.prompt + t.tokens.completion)} tokens · ${duration(t.ms)} · ${exit}`),
  );
  box.append(summary);
  let built = false;
  box.addEventListener('toggle', () => {
    if (!box.open || built) return;
    built = true;
    const list = h('div', { class: 'steps' });
    if (t.error) list.append(h('div', { class: 'callout warning' }, t.error));
    if (t.task) {
      const task = h('details', { class: 'step task' }, h('summary', null, 'Task given to the agent'), h('pre', { class: 'step-text' }, t.task));
      list.append(task);
    }
    for (const step of t.steps) {
      const d = h(
        'details',
        { class: 'step' },
        h(
          'summary',
          null,
          h('span', { class: 'step-n' }, `Step ${step.n}`),
          h('span', { class: 'step-calls' }, callSummary(step)),
          h('span', { class: 'step-stats' }, [step.tokens === null ? '' : `${tokens(step.tokens)} tok`, step.ms === null ? '' : duration(step.ms)].filter(Boolean).join(' · ')),
        ),
      );
      let filled = false;
      d.addEventListener('toggle', () => {
        if (d.open && !filled) {
          filled = true;
          d.append(stepBody(step, openFull));
        }
      });
      list.append(d);
    }
    list.append(h('div', { class: 'traj-actions' }, button({ label: 'Open trajectory file', onClick: openFull }).el));
    box.append(list);
  });
  return box;
}
