type Child = Node | string | null | undefined | false;

/** createElement with a class, attributes and children; text goes in as text, never as HTML. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: { class?: string; title?: string; attrs?: Record<string, string> } | null = null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props?.class) el.className = props.class;
  if (props?.title) el.title = props.title;
  if (props?.attrs) for (const [k, v] of Object.entries(props.attrs)) el.setAttribute(k, v);
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}): SVGElementTagNameMap[K] {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

/** The status line under a view's header: a message that hides itself after a while (errors stay longer). */
export class Notice {
  readonly el = h('div', { class: 'notice', attrs: { role: 'status', hidden: '' } });
  private timer = 0;

  show(level: 'info' | 'warning' | 'error', text: string): void {
    this.el.hidden = false;
    this.el.className = `notice ${level}`;
    this.el.textContent = text;
    clearTimeout(this.timer);
    this.timer = window.setTimeout(() => (this.el.hidden = true), level === 'error' ? 12_000 : 5_000);
  }
}
