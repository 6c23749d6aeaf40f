/** Width of a text in pixels (canvas measureText in the page; character counts in tests). */
export type Measure = (text: string) => number;

const DOTS = '…';

/**
 * The longest `head…tail` of `text` that fits `max`, with `tailShare` of the kept characters
 * taken from the end. Null when not even the dots fit.
 */
function squeeze(text: string, max: number, measure: Measure, tailShare: number): string {
  let lo = 0;
  let hi = text.length - 1;
  let best = DOTS;
  while (lo <= hi) {
    const keep = (lo + hi) >> 1;
    const tail = Math.ceil(keep * tailShare);
    const candidate = text.slice(0, keep - tail) + DOTS + (tail ? text.slice(text.length - tail) : '');
    if (measure(candidate) <= max) {
      best = candidate;
      lo = keep + 1;
    } else hi = keep - 1;
  }
  return best;
}

/**
 * A path shortened in the middle so it fits `max`: the file name stays whole when it can and the
 * folders give way ("inventory/…/handlers.py"), since the name is what tells rows apart.
 */
export function ellipsizePath(path: string, max: number, measure: Measure): string {
  if (measure(path) <= max) return path;
  const slash = path.lastIndexOf('/');
  if (slash > 0) {
    const name = path.slice(slash);
    const room = max - measure(name);
    if (room >= measure(`x${DOTS}`)) return `${squeeze(path.slice(0, slash), room, measure, 0)}${name}`;
    if (measure(`${DOTS}${name}`) <= max) return `${DOTS}${name}`;
    return squeeze(name.slice(1), max, measure, 0.6);
  }
  return squeeze(path, max, measure, 0.6);
}

/**
 * A qualified name shortened in the middle ("SessionRedirect…resolve_redirects"): the last part,
 * the function's own name, is kept whole when it fits.
 */
export function ellipsizeName(name: string, max: number, measure: Measure): string {
  if (measure(name) <= max) return name;
  const dot = Math.max(name.lastIndexOf('.'), name.lastIndexOf('::') + 1, name.lastIndexOf('#'));
  if (dot > 0) {
    const own = name.slice(dot);
    const room = max - measure(own);
    if (room >= measure(`x${DOTS}`)) return `${squeeze(name.slice(0, dot), room, measure, 0)}${own}`;
  }
  return squeeze(name, max, measure, 0.5);
}
