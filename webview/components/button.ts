export interface ButtonOptions {
  label: string;
  title?: string;
  appearance?: 'primary' | 'secondary' | 'icon';
  className?: string;
  onClick?: () => void;
}

export interface Button {
  el: HTMLElement;
  setLabel(label: string): void;
  setDisabled(disabled: boolean): void;
  setPressed(pressed: boolean): void;
}

export function button(o: ButtonOptions): Button {
  const el = document.createElement('vscode-button') as HTMLElement & { appearance?: string };
  // Attribute and property both: the component reflects its property back onto the attribute later.
  const setAppearance = (a: string) => {
    el.setAttribute('appearance', a);
    el.appearance = a;
  };
  setAppearance(o.appearance ?? 'secondary');
  if (o.appearance === 'icon') el.setAttribute('aria-label', o.title ?? o.label);
  el.textContent = o.label;
  if (o.title) el.title = o.title;
  if (o.className) el.className = o.className;
  if (o.onClick) el.addEventListener('click', () => !el.hasAttribute('disabled') && o.onClick?.());
  return {
    el,
    setLabel: (label) => void (el.textContent = label),
    setDisabled: (disabled) => el.toggleAttribute('disabled', disabled),
    setPressed: (pressed) => {
      setAppearance(pressed ? 'primary' : (o.appearance ?? 'secondary'));
      el.setAttribute('aria-pressed', String(pressed));
    },
  };
}
