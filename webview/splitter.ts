import { h } from './dom';

export interface SplitterOptions {
  /** The list's width in pixels; null: the stylesheet's default. */
  initial: number | null;
  onChange(width: number | null): void;
  /** What the list on the left holds, for the bar's accessible name; default "sample list". */
  what?: string;
}

/** Narrower than this, the list folds away and the detail pane takes the whole width. */
const FOLD_BELOW = 160;
const MIN_LIST = 260;
const MIN_DETAIL = 360;
const STEP = 32;

/**
 * The bar between the sample list and the detail pane: drag it (or focus it and use the arrow
 * keys) to give the patches more room, drag it to the left edge to fold the list away,
 * double-click it for the default split. Sets `--list-w` on the split container.
 */
export function splitter(container: HTMLElement, o: SplitterOptions): HTMLElement {
  const bar = h('div', { class: 'splitter', title: 'Drag to resize the list and the detail pane; drag to the left edge to hide the list; double-click for the default', attrs: { role: 'separator', 'aria-orientation': 'vertical', 'aria-label': `Resize the ${o.what ?? 'sample list'}`, tabindex: '0' } });
  let width = o.initial;
  const apply = (w: number | null, notify: boolean) => {
    width = w;
    if (w === null) container.style.removeProperty('--list-w');
    else container.style.setProperty('--list-w', `${Math.round(w)}px`);
    container.classList.toggle('list-folded', w === 0);
    bar.setAttribute('aria-valuenow', String(w === null ? -1 : Math.round(w)));
    if (notify) o.onChange(w);
  };
  const clamp = (x: number) => {
    const total = container.clientWidth;
    if (x < FOLD_BELOW) return 0;
    return Math.max(MIN_LIST, Math.min(x, total - MIN_DETAIL));
  };
  apply(width, false);
  bar.addEventListener('pointerdown', (e) => {
    if (e.button !== 0) return;
    e.preventDefault();
    bar.setPointerCapture(e.pointerId);
    bar.classList.add('dragging');
    const left = container.getBoundingClientRect().left;
    const move = (ev: PointerEvent) => apply(clamp(ev.clientX - left), false);
    const up = () => {
      bar.classList.remove('dragging');
      bar.removeEventListener('pointermove', move);
      bar.removeEventListener('pointerup', up);
      bar.removeEventListener('pointercancel', up);
      o.onChange(width);
    };
    bar.addEventListener('pointermove', move);
    bar.addEventListener('pointerup', up);
    bar.addEventListener('pointercancel', up);
  });
  bar.addEventListener('dblclick', () => apply(null, true));
  bar.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    e.preventDefault();
    const current = width ?? (container.firstElementChild as HTMLElement | null)?.getBoundingClientRect().width ?? MIN_LIST;
    const left = e.key === 'ArrowLeft';
    // Past the narrowest list the next step folds it; from folded the next step brings it back.
    const next = left ? (current <= MIN_LIST ? 0 : current - STEP) : current === 0 ? MIN_LIST : current + STEP;
    apply(next === 0 ? 0 : clamp(next), true);
  });
  return bar;
}
