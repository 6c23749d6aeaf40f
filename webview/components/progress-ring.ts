export interface ProgressRing {
  el: HTMLElement;
  show(visible: boolean): void;
}

export function progressRing(label: string): ProgressRing {
  const el = document.createElement('vscode-progress-ring');
  el.setAttribute('aria-label', label);
  el.hidden = true;
  return { el, show: (visible) => void (el.hidden = !visible) };
}
