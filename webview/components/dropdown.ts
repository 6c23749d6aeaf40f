export interface Choice<T extends string> {
  value: T;
  label: string;
}

export interface Dropdown<T extends string> {
  el: HTMLElement;
  get value(): T;
  /** Sets the value without a change callback. */
  set value(v: T);
  setChoices(choices: Choice<T>[]): void;
}

type SelectLike = HTMLElement & { value: string };

export function dropdown<T extends string>(o: { label: string; choices: Choice<T>[]; value: T; className?: string; onChange?: (v: T) => void }): Dropdown<T> {
  const wrap = document.createElement('label');
  wrap.className = `field ${o.className ?? ''}`.trim();
  const caption = document.createElement('span');
  caption.className = 'field-label';
  caption.textContent = o.label;
  const el = document.createElement('vscode-dropdown') as SelectLike;
  el.setAttribute('aria-label', o.label);
  wrap.append(caption, el);
  let current = o.value;
  let silent = false;
  const fill = (choices: Choice<T>[]) => {
    el.replaceChildren(
      ...choices.map((c) => {
        const opt = document.createElement('vscode-option') as HTMLElement & { value: string };
        opt.setAttribute('value', c.value);
        opt.textContent = c.label;
        if (c.value === current) opt.setAttribute('selected', '');
        return opt;
      }),
    );
  };
  fill(o.choices);
  el.addEventListener('change', () => {
    if (silent) return;
    const v = el.value as T;
    if (v === current) return;
    current = v;
    o.onChange?.(v);
  });
  return {
    el: wrap,
    get value() {
      return current;
    },
    set value(v: T) {
      current = v;
      silent = true;
      el.value = v;
      silent = false;
    },
    setChoices(choices) {
      silent = true;
      fill(choices);
      if (choices.some((c) => c.value === current)) el.value = current;
      silent = false;
    },
  };
}
