export interface TextField {
  el: HTMLElement;
  input: HTMLElement & { value: string };
  get value(): string;
  set value(v: string);
  setInvalid(message: string | null): void;
}

/** A labelled text field; `onInput` fires on every edit, `onCommit` on Enter or leaving the field. */
export function textField(o: { label: string; value?: string; placeholder?: string; size?: number; className?: string; onInput?: (v: string) => void; onCommit?: (v: string) => void }): TextField {
  const input = document.createElement('vscode-text-field') as HTMLElement & { value: string };
  input.setAttribute('aria-label', o.label);
  if (o.placeholder) input.setAttribute('placeholder', o.placeholder);
  if (o.size) input.setAttribute('size', String(o.size));
  input.setAttribute('value', o.value ?? '');
  input.value = o.value ?? '';
  const wrap = document.createElement('label');
  wrap.className = `field ${o.className ?? ''}`.trim();
  const caption = document.createElement('span');
  caption.className = 'field-label';
  caption.textContent = o.label;
  wrap.append(caption, input);
  input.addEventListener('input', () => o.onInput?.(input.value));
  input.addEventListener('change', () => o.onCommit?.(input.value));
  input.addEventListener('keydown', (e) => {
    if ((e as KeyboardEvent).key === 'Enter') o.onCommit?.(input.value);
  });
  return {
    el: wrap,
    input,
    get value() {
      return input.value ?? '';
    },
    set value(v: string) {
      input.value = v;
    },
    setInvalid(message) {
      wrap.classList.toggle('invalid', message !== null);
      wrap.title = message ?? '';
    },
  };
}

export interface TextArea {
  el: HTMLElement & { value: string };
  get value(): string;
  set value(v: string);
}

export function textArea(o: { label: string; placeholder?: string; rows?: number; onInput?: (v: string) => void; onCommit?: (v: string) => void }): TextArea {
  const el = document.createElement('vscode-text-area') as HTMLElement & { value: string };
  el.setAttribute('aria-label', o.label);
  el.setAttribute('resize', 'vertical');
  el.setAttribute('rows', String(o.rows ?? 2));
  if (o.placeholder) el.setAttribute('placeholder', o.placeholder);
  el.addEventListener('input', () => o.onInput?.(el.value));
  el.addEventListener('change', () => o.onCommit?.(el.value));
  return {
    el,
    get value() {
      return el.value ?? '';
    },
    set value(v: string) {
      el.value = v;
    },
  };
}
