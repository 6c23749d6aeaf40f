import type { SampleRow, SortKey } from '../src/protocol';
import { h } from './dom';
import { ellipsizeName, ellipsizePath, type Measure } from './ellipsis';
import { DECISION_LABEL, STATUS_LABEL, duration, ratio, tokens } from './format';

/** Short forms for the list's narrow columns; the full words are in the tooltips. */
const STATUS_SHORT = { verified: 'Verified', 'below-threshold': 'Below', failed: 'Failed', 'too-large': 'Too large' } as const;
const DECISION_SHORT = { accepted: 'Accepted', rejected: 'Rejected', undecided: '–' } as const;
import type { Store } from './store';

export const ROW_HEIGHT = 24;
/** Rows drawn above and below the visible ones, so fast scrolling shows no gaps. */
const OVERSCAN = 8;

interface Column {
  key: SortKey;
  label: string;
  title: string;
  className: string;
}

const COLUMNS: Column[] = [
  { key: 'fn', label: 'Function', title: 'Start function (qualified name)', className: 'c-fn' },
  { key: 'file', label: 'File', title: 'File of the start function', className: 'c-file' },
  { key: 'recall', label: 'Recall', title: 'Share of P1 changed lines that P2 reproduced', className: 'c-num c-recall' },
  { key: 'precision', label: 'Prec.', title: 'Share of P2 changed lines that match P1', className: 'c-num c-precision' },
  { key: 'f1', label: 'F1', title: 'Harmonic mean of recall and precision', className: 'c-num c-f1' },
  { key: 'status', label: 'Status', title: 'Verified, below threshold, failed, or P1 too large (stopped after rollout 1)', className: 'c-status' },
  { key: "decision", label: "Decision", title: "Your curation decision", className: "c-decision" },
  { key: 'tokens', label: 'Tokens', title: 'Prompt + completion tokens of the sample', className: 'c-num c-tokens' },
  { key: 'ms', label: 'Time', title: 'Wall time of the sample', className: 'c-num c-ms' },
];

/** One pooled DOM row: its cells are updated in place as it is reused for other samples. */
interface PooledRow {
  el: HTMLElement;
  cells: HTMLElement[];
  bar: HTMLElement;
  recallText: HTMLElement;
  id: string | null;
  /** Key of what the row last showed, so an unchanged row is not touched. */
  shown: string;
}

/**
 * The sample list: a header that sorts, and a virtualized body. Only the rows in (and just
 * around) the viewport exist in the DOM, absolutely positioned over a spacer as tall as all rows,
 * so 20,000 samples cost the same DOM as 40.
 */
export class ListView {
  readonly el: HTMLElement;
  readonly body: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly header: HTMLElement;
  private readonly empty: HTMLElement;
  private pool: PooledRow[] = [];
  private frame = 0;
  selectedId: string | null = null;
  openId: string | null = null;
  /** Text room of the function and file columns, in pixels, as of the last render. */
  private nameRoom = [0, 0];
  private measure: Measure | null = null;
  private readonly widths = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly events: { onSort(key: SortKey): void; onSelect(id: string): void; onScroll(): void },
  ) {
    this.header = h('div', { class: 'list-head row-grid', attrs: { role: 'row' } });
    for (const c of COLUMNS) {
      const cell = h('div', { class: `cell ${c.className}`, title: c.title, attrs: { role: 'columnheader', 'data-key': c.key, tabindex: '-1' } }, c.label);
      cell.addEventListener('click', () => this.events.onSort(c.key));
      this.header.append(cell);
    }
    this.spacer = h('div', { class: 'list-spacer' });
    this.empty = h('div', { class: 'list-empty' });
    this.body = h('div', { class: 'list-body', attrs: { role: 'grid', tabindex: '0', 'aria-label': 'Samples. Keys: j and k move, Enter opens, a accepts, r rejects, u clears the decision.' } }, this.spacer, this.empty);
    this.el = h('div', { class: 'list' }, this.header, this.body);
    this.body.addEventListener('scroll', () => {
      this.schedule();
      this.events.onScroll();
    }, { passive: true });
    this.body.addEventListener('click', (e) => {
      const rowEl = (e.target as HTMLElement).closest<HTMLElement>('.list-row');
      if (rowEl?.dataset.id) this.events.onSelect(rowEl.dataset.id);
    });
    new ResizeObserver(() => this.schedule()).observe(this.body);
  }

  /** Redraws on the next frame (several changes in one frame cost one redraw). */
  schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  /** Draws the visible rows now. */
  render(): void {
    const total = this.store.view.length;
    this.spacer.style.height = `${total * ROW_HEIGHT}px`;
    this.empty.hidden = total > 0;
    this.empty.textContent = this.store.rows.length ? 'No sample matches the filters.' : 'No finished samples yet. They appear here as the run produces them.';
    for (const cell of this.header.children) {
      const key = (cell as HTMLElement).dataset.key;
      const sorted = key === this.store.sort.key;
      cell.classList.toggle('sorted', sorted);
      cell.setAttribute('aria-sort', sorted ? (this.store.sort.dir === 1 ? 'ascending' : 'descending') : 'none');
      cell.classList.toggle('desc', sorted && this.store.sort.dir === -1);
    }
    const height = this.body.clientHeight || 600;
    const first = Math.max(0, Math.floor(this.body.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const count = Math.min(total - first, Math.ceil(height / ROW_HEIGHT) + 2 * OVERSCAN);
    while (this.pool.length < count) this.pool.push(this.makeRow());
    if (count > 0) this.measureColumns(this.pool[0]);
    for (let i = 0; i < this.pool.length; i++) {
      const pooled = this.pool[i];
      const row = i < count ? this.store.rowAt(first + i) : undefined;
      if (!row) {
        if (!pooled.el.hidden) {
          pooled.el.hidden = true;
          delete pooled.el.dataset.id;
          pooled.id = null;
          pooled.shown = '';
        }
        continue;
      }
      pooled.el.hidden = false;
      this.fill(pooled, row, first + i);
    }
  }

  /** Long names are cut in the middle to fit their column (the full text is the tooltip); a resize redoes it. */
  private measureColumns(row: PooledRow): void {
    // A row, not the header: the body's scroll bar makes rows narrower than the header.
    row.el.hidden = false;
    const room = [0, 1].map((i) => Math.max(0, row.cells[i].clientWidth - 12));
    if (room[0] === this.nameRoom[0] && room[1] === this.nameRoom[1]) return;
    this.nameRoom = room;
    for (const p of this.pool) p.shown = '';
    if (!this.measure) {
      const ctx = document.createElement('canvas').getContext('2d');
      const font = getComputedStyle(this.body).font;
      if (!ctx) return;
      ctx.font = font;
      this.measure = (text) => {
        let w = this.widths.get(text);
        if (w === undefined) {
          if (this.widths.size > 20_000) this.widths.clear();
          w = ctx.measureText(text).width;
          this.widths.set(text, w);
        }
        return w;
      };
    }
  }

  private fit(text: string, column: 0 | 1): string {
    const room = this.nameRoom[column];
    if (!this.measure || room <= 0) return text;
    return column === 0 ? ellipsizeName(text, room, this.measure) : ellipsizePath(text, room, this.measure);
  }

  private makeRow(): PooledRow {
    const cells = COLUMNS.map((c) => h('div', { class: `cell ${c.className}`, attrs: { role: 'gridcell' } }));
    const bar = h('span', { class: 'mini-bar' });
    const recallText = h('span', { class: 'mini-text' });
    cells[2].append(h('span', { class: 'mini-track' }, bar), recallText);
    const el = h('div', { class: 'list-row row-grid', attrs: { role: 'row' } }, ...cells);
    this.body.append(el);
    return { el, cells, bar, recallText, id: null, shown: '' };
  }

  private fill(p: PooledRow, row: SampleRow, position: number): void {
    const selected = row.id === this.selectedId;
    const open = row.id === this.openId;
    const shown = `${row.id}|${position}|${row.decision}|${row.note ? 1 : 0}|${selected ? 1 : 0}|${open ? 1 : 0}`;
    if (p.shown === shown && p.id === row.id) return;
    p.shown = shown;
    p.id = row.id;
    const el = p.el;
    el.dataset.id = row.id;
    el.style.transform = `translateY(${position * ROW_HEIGHT}px)`;
    el.setAttribute('aria-rowindex', String(position + 1));
    el.setAttribute('aria-selected', String(selected));
    el.classList.toggle('selected', selected);
    el.classList.toggle('open', open);
    const c = p.cells;
    c[0].textContent = this.fit(row.fn, 0);
    c[0].title = row.fn;
    c[1].textContent = this.fit(row.file, 1);
    c[1].title = row.file;
    p.recallText.textContent = ratio(row.recall);
    p.bar.style.width = `${Math.round((row.recall ?? 0) * 100)}%`;
    c[3].textContent = ratio(row.precision);
    c[4].textContent = ratio(row.f1);
    c[5].textContent = STATUS_SHORT[row.status];
    c[5].className = `cell c-status status-${row.status}`;
    c[5].title = row.status === 'too-large' ? 'P1 too large: stopped after rollout 1, before the PR (P1 changed more lines than the run allows)' : row.stage ? `Failed at ${row.stage}` : STATUS_LABEL[row.status];
    c[6].textContent = row.note ? `${DECISION_SHORT[row.decision]} ✎` : DECISION_SHORT[row.decision];
    c[6].className = `cell c-decision decision-${row.decision}`;
    c[6].title = row.note ? `${DECISION_LABEL[row.decision]}. Note: ${row.note}` : DECISION_LABEL[row.decision];
    c[7].textContent = tokens(row.tokens);
    c[8].textContent = duration(row.ms);
  }

  /** Scrolls so the row at `position` is visible. */
  reveal(position: number): void {
    if (position < 0) return;
    const top = position * ROW_HEIGHT;
    const height = this.body.clientHeight;
    if (top < this.body.scrollTop) this.body.scrollTop = top;
    else if (top + ROW_HEIGHT > this.body.scrollTop + height) this.body.scrollTop = top + ROW_HEIGHT - height;
  }

  /** Rows that fit in the viewport (for Page Up / Page Down). */
  pageSize(): number {
    return Math.max(1, Math.floor((this.body.clientHeight || 600) / ROW_HEIGHT) - 1);
  }

  /** How many row elements exist (the tests check it stays bounded). */
  domRows(): number {
    return this.pool.length;
  }
}
