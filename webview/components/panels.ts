export interface Tab<T extends string> {
  id: T;
  label: string;
  content: HTMLElement;
}

export interface Tabs<T extends string> {
  el: HTMLElement;
  get active(): T;
  show(id: T): void;
}

/** Tabs over views; `onChange` fires when the user switches. */
export function tabs<T extends string>(items: Tab<T>[], active: T, onChange: (id: T) => void): Tabs<T> {
  const el = document.createElement('vscode-panels');
  el.className = 'tabs';
  for (const item of items) {
    const tab = document.createElement('vscode-panel-tab');
    tab.id = `tab-${item.id}`;
    tab.textContent = item.label;
    el.append(tab);
  }
  for (const item of items) {
    const view = document.createElement('vscode-panel-view');
    view.id = `view-${item.id}`;
    view.className = 'tab-view';
    view.append(item.content);
    el.append(view);
  }
  let current = active;
  el.setAttribute('activeid', `tab-${active}`);
  el.addEventListener('change', (e) => {
    const id = (e as CustomEvent).detail?.id as string | undefined;
    if (e.target !== el || !id?.startsWith('tab-')) return;
    const next = id.slice(4) as T;
    if (next === current) return;
    current = next;
    onChange(next);
  });
  return {
    el,
    get active() {
      return current;
    },
    show(id) {
      current = id;
      el.setAttribute('activeid', `tab-${id}`);
      (el as HTMLElement & { activeid?: string }).activeid = `tab-${id}`;
    },
  };
}
