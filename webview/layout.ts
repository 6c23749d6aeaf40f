import { checkbox } from './components';
import { h } from './dom';
import { splitter } from './splitter';

/** The layout a view keeps in its webview state (the host never reads it). */
export interface LayoutState {
  listWidth?: number | null;
  wrapDiffs?: boolean;
}

/**
 * The layout the curation panel and the eval view share: a list and a detail pane split by a
 * bar the user drags, and patches whose long lines wrap or scroll sideways. Both choices are
 * kept across reloads through `changed`, which saves the view's state.
 */
export class Layout {
  listWidth: number | null;
  /** Long patch lines wrap (true) or scroll sideways, both sides of a file in step. */
  wrap: boolean;

  constructor(saved: LayoutState | null | undefined, private readonly changed: () => void) {
    this.listWidth = typeof saved?.listWidth === 'number' ? saved.listWidth : null;
    this.wrap = typeof saved?.wrapDiffs === 'boolean' ? saved.wrapDiffs : true;
  }

  /** The list, the bar and the detail pane; `resized` redraws what depends on the list's width. */
  split(list: HTMLElement, detail: HTMLElement, resized: () => void, what?: string): HTMLElement {
    const el = h('div', { class: 'split' });
    const bar = splitter(el, {
      initial: this.listWidth,
      what,
      onChange: (w) => {
        this.listWidth = w;
        resized();
        this.changed();
      },
    });
    el.append(list, bar, detail);
    return el;
  }

  /** Patches under their legend, the wrap toggle and the two sides' titles. */
  patchPane(titles: readonly [string, string], patches: HTMLElement): HTMLElement {
    const legend = h(
      'div',
      { class: 'legend' },
      h('span', { class: 'lg m-reproduced' }, '✓ reproduced'),
      h('span', { class: 'lg m-missed' }, '✗ missed'),
      h('span', { class: 'lg m-matched' }, '= matched'),
      h('span', { class: 'lg m-extra' }, '+ extra'),
    );
    const pane = h('div', { class: `patches-wrap${this.wrap ? '' : ' nowrap'}` });
    const wrapBox = checkbox({
      label: 'Wrap long lines',
      checked: this.wrap,
      onChange: (on) => {
        this.wrap = on;
        pane.classList.toggle('nowrap', !on);
        this.changed();
      },
    });
    pane.append(
      h('div', { class: 'patches-tools' }, legend, wrapBox.el),
      h('div', { class: 'patches-head' }, h('span', { class: 'col-title', title: titles[0] }, titles[0]), h('span', { class: 'col-title', title: titles[1] }, titles[1])),
      patches,
    );
    return pane;
  }

  state(): LayoutState {
    return { listWidth: this.listWidth, wrapDiffs: this.wrap };
  }
}
