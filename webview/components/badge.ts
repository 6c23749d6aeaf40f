export interface Badge {
  el: HTMLElement;
  set(text: string | number): void;
}

/** A count badge with a caption before it ("Verified [12]"). */
export function badge(caption: string, value: string | number = 0, className = ''): Badge {
  const wrap = document.createElement('span');
  wrap.className = `badge-wrap ${className}`.trim();
  const label = document.createElement('span');
  label.className = 'badge-caption';
  label.textContent = caption;
  const el = document.createElement('vscode-badge');
  el.textContent = String(value);
  wrap.append(label, el);
  return { el: wrap, set: (text) => void (el.textContent = String(text)) };
}
