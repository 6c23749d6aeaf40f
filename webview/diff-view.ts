import type { DiffLine, DiffMode, PatchFileView, PatchView, SampleDetail } from '../src/protocol';
import { button } from './components';
import { h } from './dom';
import { highlightLine, languageOf } from './highlight';

/** How a changed line fared in soft verification. */
export type Mark = 'reproduced' | 'missed' | 'matched' | 'extra';

const MARK_GLYPH: Record<Mark, string> = { reproduced: '✓', missed: '✗', matched: '=', extra: '+' };
/** What each mark means, with the two sides' names: P1 and P2 in a sample, reference and model in an eval. */
function markTitles([a, b]: readonly [string, string]): Record<Mark, string> {
  return {
    reproduced: `Reproduced: ${b} has this changed line`,
    missed: `Missed: ${b} does not have this changed line`,
    matched: `Matched: this ${b} line reproduces a ${a} line`,
    extra: `Extra: ${a} has no such changed line`,
  };
}

/** The mark of changed line `c` of side 1 (P1) or 2 (P2), from the verification match map. */
export type MatchMap = { p1: (number | null)[]; p2: (number | null)[] };

export function markOf(side: 1 | 2, c: number, map: MatchMap): Mark {
  if (side === 1) return map.p1[c] !== null && map.p1[c] !== undefined ? 'reproduced' : 'missed';
  return map.p2[c] !== null && map.p2[c] !== undefined ? 'matched' : 'extra';
}

/** One diff line: gutter (old and new line numbers, `digits` wide), mark and sign, and the coloured code. */
function lineEl(line: DiffLine, side: 1 | 2, language: string | null, map: MatchMap | null, digits: number, titles: Record<Mark, string>): HTMLElement {
  const pad = (n: number | undefined) => (n === undefined ? ' '.repeat(digits) : String(n).padStart(digits));
  const el = document.createElement('div');
  el.className = `dl dl-${line.k}`;
  if (line.k === 'hunk' || line.k === 'meta') {
    el.textContent = line.t;
    return el;
  }
  const gutter = document.createElement('span');
  gutter.className = 'ln';
  gutter.textContent = `${pad(line.o)} ${pad(line.n)}`;
  const mark = document.createElement('span');
  mark.className = 'mk';
  const sign = line.k === 'add' ? '+' : line.k === 'del' ? '-' : ' ';
  mark.textContent = ` ${sign}`;
  const code = document.createElement('span');
  code.className = 'code';
  highlightLine(code, line.t, language);
  // A wrapped line continues 4 columns deeper than its own indentation (the stylesheet's default is 4).
  const indent = /^[ \t]*/.exec(line.t)![0].replace(/\t/g, '    ').length;
  if (indent) code.style.setProperty('--hang', `${indent + 4}ch`);
  if (line.c !== undefined && map) {
    const m = markOf(side, line.c, map);
    el.classList.add(`m-${m}`);
    el.dataset.c = String(line.c);
    el.dataset.mark = m;
    mark.textContent = `${MARK_GLYPH[m]}${sign}`;
    el.title = titles[m];
  }
  el.append(gutter, mark, code);
  return el;
}

/** Lines per chunk: chunks off screen skip layout and paint (content-visibility), so long patches open fast. */
const CHUNK = 40;

function side(file: PatchFileView | undefined, which: 1 | 2, pair: PatchPair, index: HTMLElement[], titles: Record<Mark, string>): HTMLElement {
  const map = pair.map;
  const col = document.createElement('div');
  col.className = `diff-side side-${which}`;
  if (!file) {
    col.classList.add('absent');
    const name = pair.names[which - 1];
    col.textContent = `${name[0].toUpperCase()}${name.slice(1)} does not change this file.`;
    return col;
  }
  const language = languageOf(file.path);
  // The gutter is as wide as the file's largest line number, not a fixed four digits: code gets the room.
  let top = 0;
  for (const l of file.lines) top = Math.max(top, l.o ?? 0, l.n ?? 0);
  const digits = Math.max(2, String(top).length);
  let chunk: HTMLElement | null = null;
  file.lines.forEach((line, i) => {
    if (i % CHUNK === 0) {
      chunk = document.createElement('div');
      chunk.className = 'dl-chunk';
      col.append(chunk);
    }
    const el = lineEl(line, which, language, map, digits, titles);
    if (line.c !== undefined) index[line.c] = el;
    chunk!.append(el);
  });
  return col;
}

/** Scrolling one side of a file sideways scrolls the other the same, so lines stay comparable. */
function keepInStep(a: HTMLElement, b: HTMLElement): void {
  let driver: HTMLElement | null = null;
  let frame = 0;
  const follow = (from: HTMLElement, to: HTMLElement) => () => {
    if (driver && driver !== from) return;
    driver = from;
    to.scrollLeft = from.scrollLeft;
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(() => (driver = null));
  };
  a.addEventListener('scroll', follow(a, b), { passive: true });
  b.addEventListener('scroll', follow(b, a), { passive: true });
}

export interface DiffActions {
  openDiff(mode: DiffMode, file?: string): void;
}

/** Two patches to show side by side, and what their sides are called. */
export interface PatchPair {
  left: PatchView | null;
  right: PatchView | null;
  /** Line i of the left side is matched by right line map.p1[i]; right line j matches left line map.p2[j]. */
  map: MatchMap | null;
  /** "P1", "P2" in a sample; "the reference", "the model" in an eval. */
  names: readonly [string, string];
  /** Shown when neither side has a patch. */
  empty: string;
  /** Buttons in a file's header, given which sides change it. */
  fileTools?(path: string, left: boolean, right: boolean): HTMLElement[];
}

/** A sample's two patches, with the diff editor buttons the curation panel offers on each file. */
export function renderPatches(detail: SampleDetail, actions: DiffActions): HTMLElement {
  return renderPatchPair({
    left: detail.p1,
    right: detail.p2,
    map: detail.verification?.matchMap ?? null,
    names: ['P1', 'P2'],
    empty: 'No patches: the sample stopped before rollout 1 produced one.',
    fileTools: (path, a, b) => {
      if (!detail.canShowFiles) return [button({ label: 'P1 ↔ P2', title: "Compare P1's and P2's patch text of this file in the diff editor", onClick: () => actions.openDiff('file-results', path) }).el];
      return [
        a ? button({ label: 'Base ↔ P1', title: 'Open this file before and after P1 in the diff editor', onClick: () => actions.openDiff('file-p1', path) }).el : null,
        b ? button({ label: 'Base ↔ P2', title: 'Open this file before and after P2 in the diff editor', onClick: () => actions.openDiff('file-p2', path) }).el : null,
        button({ label: 'P1 ↔ P2', title: 'Compare this file after P1 with the same file after P2', onClick: () => actions.openDiff('file-results', path) }).el,
      ].filter((x): x is HTMLElement => x !== null);
    },
  });
}

/**
 * Both patches side by side, file by file (the left side's files first, then files only the
 * right one touched). Each changed line of the left is marked reproduced or missed, each of the
 * right matched or extra; hovering a matched line lights up its partner on the other side.
 */
export function renderPatchPair(pair: PatchPair): HTMLElement {
  const root = h('div', { class: 'patches' });
  const p1 = pair.left;
  const p2 = pair.right;
  const map = pair.map;
  const titles = markTitles(pair.names);
  const problems = [p1, p2].map((p, i) => (p?.error ? h('div', { class: 'callout warning' }, `${pair.names[i]} could not be parsed (${p.error}); its text:`, h('pre', { class: 'raw-patch' }, p.raw ?? '')) : null));
  root.append(...problems.filter((x): x is HTMLDivElement => x !== null));
  if (!p1 && !p2) {
    root.append(h('p', { class: 'muted' }, pair.empty));
    return root;
  }
  const paths: string[] = [];
  const byPath = (p: PatchView | null) => new Map((p?.files ?? []).map((f) => [f.path, f] as const));
  const f1 = byPath(p1);
  const f2 = byPath(p2);
  for (const f of p1?.files ?? []) if (!paths.includes(f.path)) paths.push(f.path);
  for (const f of p2?.files ?? []) if (!paths.includes(f.path)) paths.push(f.path);
  const els1: HTMLElement[] = [];
  const els2: HTMLElement[] = [];
  for (const path of paths) {
    const a = f1.get(path);
    const b = f2.get(path);
    const tools = h('span', { class: 'file-actions' }, ...(pair.fileTools?.(path, !!a, !!b) ?? []));
    const status = a?.status ?? b?.status ?? 'modified';
    const head = h('div', { class: 'file-head' }, h('span', { class: 'file-path', title: path }, path), status !== 'modified' ? h('span', { class: `file-status fs-${status}` }, status) : null, tools);
    const left = side(a, 1, pair, els1, titles);
    const right = side(b, 2, pair, els2, titles);
    keepInStep(left, right);
    const body = h('div', { class: 'diff-pair' }, left, right);
    root.append(h('section', { class: 'diff-file', attrs: { 'data-path': path } }, head, body));
  }
  if (map) {
    let lit: HTMLElement[] = [];
    root.addEventListener('mouseover', (e) => {
      const line = (e.target as HTMLElement).closest<HTMLElement>('.dl[data-c]');
      for (const el of lit) el.classList.remove('partner');
      lit = [];
      if (!line) return;
      const c = Number(line.dataset.c);
      const onP1 = line.closest('.side-1') !== null;
      const other = onP1 ? map.p1[c] : map.p2[c];
      const partner = other === null || other === undefined ? undefined : onP1 ? els2[other] : els1[other];
      if (partner) {
        lit = [line, partner];
        for (const el of lit) el.classList.add('partner');
      }
    });
  }
  return root;
}
