export interface Checkbox {
  el: HTMLElement;
  get checked(): boolean;
  set checked(v: boolean);
}

export function checkbox(o: { label: string; checked: boolean; title?: string; onChange?: (checked: boolean) => void }): Checkbox {
  const el = document.createElement('vscode-checkbox') as HTMLElement & { checked: boolean };
  el.textContent = o.label;
  if (o.title) el.title = o.title;
  if (o.checked) el.setAttribute('checked', '');
  el.checked = o.checked;
  let silent = false;
  el.addEventListener('change', () => {
    if (!silent) o.onChange?.(el.checked);
  });
  return {
    el,
    get checked() {
      return el.checked;
    },
    set checked(v: boolean) {
      silent = true;
      el.checked = v;
      silent = false;
    },
  };
}
