import { defaultExportRequest, type Decision, type HostMessage, type ListFilters, type PanelState, type RunInfo, type SampleRow, type SortKey } from '../src/protocol';
import { button, fromFormControl, tabs, type Button, type Tabs } from './components';
import { DetailView } from './detail-view';
import { h, Notice } from './dom';
import { ExportView } from './export-view';
import { Layout, type LayoutState } from './layout';
import { count } from './format';
import { ListView } from './list-view';
import { OverviewView } from './overview-view';
import { DEFAULT_FILTERS, Store } from './store';
import { Toolbar } from './toolbar';
import type { Host } from './vscode-api';

type TabId = PanelState['tab'];

/** What the webview keeps beyond the protocol's PanelState: its layout (the host never reads these). */
type SavedState = PanelState & LayoutState;

/** Sort directions that feel natural the first time a column is clicked. */
const FIRST_DIR: Partial<Record<SortKey, 1 | -1>> = { recall: -1, precision: -1, f1: -1, tokens: -1, ms: -1, lines: -1 };

/**
 * The curation panel: wires the store, the views and the host together, turns keys into
 * decisions, and keeps the webview state (filters, sort, selection, scroll) so a reload or a
 * hidden-and-shown panel comes back where the user was.
 */
export class App {
  readonly store = new Store();
  private run: RunInfo | null = null;
  private readonly list: ListView;
  private readonly detail: DetailView;
  private readonly overview: OverviewView;
  private readonly exporter: ExportView;
  private readonly toolbar: Toolbar;
  private readonly tabs: Tabs<TabId>;
  private readonly undoBtn: Button;
  private readonly title: HTMLElement;
  private readonly live: HTMLElement;
  private readonly notice = new Notice();
  private advance = true;
  private previewThreshold: number | null = null;
  private restoredScroll: number | null = null;
  private initialized = false;
  private readonly layout: Layout;

  constructor(root: HTMLElement, private readonly host: Host) {
    const saved = host.getState() as SavedState | null | undefined;
    this.layout = new Layout(saved, () => this.saveSoon());
    if (saved?.filters) this.store.filters = { ...DEFAULT_FILTERS, ...saved.filters };
    if (saved?.sort) this.store.sort = saved.sort;
    if (typeof saved?.advance === 'boolean') this.advance = saved.advance;
    this.previewThreshold = saved?.previewThreshold ?? null;
    this.restoredScroll = saved?.scrollTop ?? null;

    this.list = new ListView(this.store, {
      onSort: (key) => this.sortBy(key),
      onSelect: (id) => this.select(id),
      onScroll: () => this.saveSoon(),
    });
    this.list.selectedId = saved?.selectedId ?? null;
    this.list.openId = saved?.openId ?? null;
    this.detail = new DetailView({
      decide: (id, decision) => this.decide([id], decision),
      note: (id, note) => this.host.post('note', { id, note }),
      openDiff: (id, mode, file) => this.host.post('openDiff', file ? { id, mode, file } : { id, mode }),
      openTrajectory: (id, rollout) => this.host.post('openTrajectory', { id, rollout }),
      openSource: (id) => this.host.post('openSource', { id }),
    }, this.layout);
    this.toolbar = new Toolbar({
      onFilters: (f) => this.setFilters(f),
      onBulk: (decision, op, value) => this.bulk(decision, op, value),
      onAdvance: (v) => {
        this.advance = v;
        this.saveSoon();
      },
      onClear: () => this.setFilters({ ...DEFAULT_FILTERS }),
    });
    this.toolbar.advance.checked = this.advance;
    this.overview = new OverviewView({
      onThreshold: (t) => {
        this.previewThreshold = t;
        this.saveSoon();
      },
      onShowPassing: (t) => {
        this.setFilters({ ...DEFAULT_FILTERS, minRecall: t });
        this.tabs.show('samples');
        this.saveSoon();
      },
    });
    this.exporter = new ExportView(saved?.exportOptions ?? defaultExportRequest(saved?.runDir ?? ''), {
      preview: (requestId, options) => this.host.post('exportPreview', { requestId, options }),
      run: (options) => this.host.post('exportRun', { options }),
      cancel: () => this.host.post('exportCancel', {}),
      browse: (current) => this.host.post('chooseExportFolder', { current }),
      reveal: (path) => this.host.post('reveal', { path }),
      changed: () => this.saveSoon(),
    });

    const split = this.layout.split(this.list.el, this.detail.el, () => this.list.schedule());
    const samples = h('div', { class: 'samples' }, this.toolbar.el, split);
    this.tabs = tabs<TabId>(
      [
        { id: 'samples', label: 'Samples', content: samples },
        { id: 'overview', label: 'Overview', content: this.overview.el },
        { id: 'export', label: 'Export', content: this.exporter.el },
      ],
      saved?.tab ?? 'samples',
      (id) => {
        if (id === 'overview') this.overview.update(this.run, this.store.rows);
        if (id === 'export') this.exporter.schedulePreview();
        if (id === 'samples') this.list.schedule();
        this.saveSoon();
      },
    );
    this.undoBtn = button({ label: 'Undo', title: 'Undo the last decision (z)', onClick: () => this.host.post('undo', {}) });
    this.undoBtn.setDisabled(true);
    this.title = h('span', { class: 'run-title' }, 'Loading…');
    this.live = h('span', { class: 'live', attrs: { hidden: '' } });
    const header = h('header', { class: 'app-head' }, this.title, this.live, h('span', { class: 'spacer' }), this.undoBtn.el);
    root.classList.remove('loading');
    root.replaceChildren(header, this.notice.el, this.tabs.el);
    this.toolbar.show(this.store.filters, null);

    window.addEventListener('message', (e) => this.receive(e.data));
    document.addEventListener('keydown', (e) => this.onKey(e));
    this.host.post('ready', {});
  }

  /** Every host message goes through the protocol's validator: a malformed one is reported and dropped. */
  receive(data: unknown): void {
    this.host.dispatch(data, 'Curation panel', (m) => this.handle(m));
  }

  private handle(m: HostMessage): void {
    switch (m.type) {
      case 'init':
        return this.init(m.run, m.rows, m.functionId, m.canUndo);
      case 'rows': {
        const added = this.store.upsert(m.rows);
        this.refreshList(false);
        if (added) this.flashLive(added);
        return;
      }
      case 'run':
        this.run = m.run;
        return this.showRun();
      case 'decisions':
        this.store.applyDecisions(m.changes);
        this.undoBtn.setDisabled(!m.canUndo);
        for (const c of m.changes) this.detail.update(c.id, c.decision, c.note);
        return this.refreshList(false);
      case 'detail':
        // A detail asked for before the user moved on is dropped: the pane shows the selected sample only.
        if (m.detail.id !== this.list.openId) return;
        this.detail.show(m.detail);
        this.list.schedule();
        return;
      case 'detailError':
        if (m.id !== this.list.openId) return;
        return this.detail.showError(m.id, m.message);
      case 'focusFunction':
        return this.focusFunction(m.functionId);
      case 'exportPreview':
        return this.exporter.onPreview(m);
      case 'exportPreviewError':
        return this.exporter.onPreviewError(m);
      case 'exportProgress':
        return this.exporter.onProgress(m);
      case 'exportDone':
        return this.exporter.onDone(m);
      case 'exportError':
        return this.exporter.onError(m);
      case 'exportFolder':
        return this.exporter.setOutDir(m.path);
      case 'notice':
        return this.notice.show(m.level, m.text);
    }
  }

  private init(run: RunInfo, rows: SampleRow[], functionId: string | null, canUndo: boolean): void {
    const first = !this.initialized;
    this.initialized = true;
    this.run = run;
    this.exporter.setRun(run.runDir);
    this.store.reset(rows);
    this.undoBtn.setDisabled(!canUndo);
    this.showRun();
    if (functionId) {
      this.focusFunction(functionId);
    } else {
      // A second init (the run's files were replaced) keeps the user's place in the list; a
      // reload reopens the selected sample.
      this.refreshList(false);
      if (first && this.restoredScroll) this.restoreScroll(this.restoredScroll, 30);
    }
    if (first && this.previewThreshold !== null) this.overview.setThreshold(this.previewThreshold, true);
    if (this.tabs.active === 'export') this.exporter.schedulePreview();
    this.saveSoon();
  }

  /** Puts the list back where it was, once the tab has been laid out (a hidden list cannot scroll). */
  private restoreScroll(top: number, frames: number): void {
    const body = this.list.body;
    if (body.clientHeight > 0 || frames <= 0) {
      body.scrollTop = top;
      this.list.render();
      return;
    }
    requestAnimationFrame(() => this.restoreScroll(top, frames - 1));
  }

  private showRun(): void {
    const r = this.run;
    if (!r) return;
    this.title.textContent = `${r.repository || 'Run'} · ${r.runId} · ${r.model}`;
    this.title.title = r.runDir;
    this.live.hidden = r.pending === 0;
    if (r.pending) this.live.textContent = `● ${count(r.pending)} pending`;
    if (this.tabs.active === 'overview') this.overview.update(r, this.store.rows);
  }

  private flashLive(added: number): void {
    this.live.classList.remove('flash');
    void this.live.offsetWidth;
    this.live.classList.add('flash');
    this.live.title = `${added} new sample${added > 1 ? 's' : ''} just arrived`;
  }

  private functionLabel(): string | null {
    const id = this.store.filters.functionId;
    if (id === null) return null;
    const [file, name] = id.includes('\0') ? id.split('\0') : [null, null];
    if (name) return `${name} (${file})`;
    const row = this.store.rows.find((r) => r.fid === id);
    return row ? row.fn : id;
  }

  /** The panel opened (or asked again) for one function: the Samples tab, filtered to it, its first sample shown. */
  private focusFunction(functionId: string): void {
    this.tabs.show('samples');
    this.toolbar.discardTyping();
    this.store.filters = { ...DEFAULT_FILTERS, functionId };
    this.store.compute();
    this.list.selectedId = this.store.rowAt(0)?.id ?? null;
    this.refreshList(true);
    this.saveSoon();
  }

  /**
   * Recomputes the view; keeps the selection on its sample (or its position when the sample left
   * the view), and the detail pane on the selection: what it shows is what the keys act on, and
   * never a sample the filters hide.
   */
  private refreshList(resetScroll: boolean): void {
    const selected = this.list.selectedId;
    const oldPos = selected ? this.store.position(selected) : -1;
    this.store.compute();
    this.toolbar.setLanguages(this.store.languages);
    this.toolbar.show(this.store.filters, this.functionLabel());
    this.toolbar.setCounts(this.store.view.length, this.store.rows.length);
    if (selected && this.store.position(selected) < 0) {
      const next = this.store.rowAt(Math.min(Math.max(0, oldPos), this.store.view.length - 1));
      this.list.selectedId = next?.id ?? null;
    }
    if (resetScroll) this.list.body.scrollTop = 0;
    this.list.render();
    this.syncDetail();
    if (this.tabs.active === 'overview') this.overview.update(this.run, this.store.rows);
  }

  private syncDetail(): void {
    const selected = this.list.selectedId;
    if (selected) {
      if (this.detail.shownId() !== selected) this.open(selected);
      return;
    }
    if (this.list.openId !== null || this.detail.shownId() !== null) {
      this.list.openId = null;
      this.detail.clear(this.store.rows.length && !this.store.view.length ? 'No sample matches the filters.' : undefined);
      this.list.schedule();
    }
  }

  setFilters(f: Partial<ListFilters>): void {
    this.store.filters = { ...this.store.filters, ...f };
    this.refreshList(true);
    const pos = this.list.selectedId ? this.store.position(this.list.selectedId) : -1;
    if (pos >= 0) this.list.reveal(pos);
    this.saveSoon();
  }

  private sortBy(key: SortKey): void {
    const s = this.store.sort;
    this.store.sort = s.key === key ? { key, dir: s.dir === 1 ? -1 : 1 } : { key, dir: FIRST_DIR[key] ?? 1 };
    this.refreshList(false);
    const pos = this.list.selectedId ? this.store.position(this.list.selectedId) : -1;
    if (pos >= 0) this.list.reveal(pos);
    this.saveSoon();
  }

  /** Selecting a sample shows it: the detail pane always holds the sample the keys act on. */
  private select(id: string): void {
    this.list.selectedId = id;
    this.list.reveal(this.store.position(id));
    this.list.render();
    this.open(id);
    this.saveSoon();
  }

  private open(id: string): void {
    if (this.list.openId === id && this.detail.shownId() === id) return;
    this.detail.flushNote();
    this.list.openId = id;
    this.detail.showLoading(id, this.store.get(id));
    this.host.post('openSample', { id });
    this.list.schedule();
    this.saveSoon();
  }

  private move(delta: number): void {
    const total = this.store.view.length;
    if (!total) return;
    const pos = this.list.selectedId ? this.store.position(this.list.selectedId) : -1;
    const next = pos < 0 ? (delta > 0 ? 0 : total - 1) : Math.min(total - 1, Math.max(0, pos + delta));
    const row = this.store.rowAt(next);
    if (row && row.id !== this.list.selectedId) this.select(row.id);
  }

  decide(ids: string[], decision: Decision): void {
    if (!ids.length) return;
    this.host.post('decide', { ids, decision });
  }

  private bulk(decision: Decision, op: 'ge' | 'lt', value: number): void {
    const ids = this.store
      .viewRows()
      .filter((r) => r.recall !== null && (op === 'ge' ? r.recall >= value : r.recall < value) && r.decision !== decision)
      .map((r) => r.id);
    if (!ids.length) return this.notice.show('info', 'No sample shown matches that test (or all already have that decision).');
    this.decide(ids, decision);
    this.notice.show('info', `${decision === 'undecided' ? 'Cleared the decision of' : decision === 'accepted' ? 'Accepted' : 'Rejected'} ${count(ids.length)} samples. Undo reverts it.`);
  }

  private onKey(e: KeyboardEvent): void {
    if (e.defaultPrevented || e.altKey || fromFormControl(e)) return;
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'z' && !e.shiftKey) {
      e.preventDefault();
      this.host.post('undo', {});
      return;
    }
    if (e.ctrlKey || e.metaKey || this.tabs.active !== 'samples') return;
    const selected = this.list.selectedId;
    const decisions: Record<string, Decision> = { a: 'accepted', r: 'rejected', u: 'undecided' };
    const key = e.key;
    if (decisions[key.toLowerCase()] && !e.shiftKey) {
      if (!selected) return;
      e.preventDefault();
      this.decide([selected], decisions[key.toLowerCase()]);
      if (this.advance) this.move(1);
      return;
    }
    switch (key) {
      case 'j':
      case 'ArrowDown':
        e.preventDefault();
        return this.move(1);
      case 'k':
      case 'ArrowUp':
        e.preventDefault();
        return this.move(-1);
      case 'PageDown':
        e.preventDefault();
        return this.move(this.list.pageSize());
      case 'PageUp':
        e.preventDefault();
        return this.move(-this.list.pageSize());
      case 'Home':
        e.preventDefault();
        return this.move(-Infinity);
      case 'End':
        e.preventDefault();
        return this.move(Infinity);
      case 'Enter':
        if (!selected || (e.target as HTMLElement)?.closest?.('vscode-button, button, a, summary')) return;
        e.preventDefault();
        return this.open(selected);
      case 'z':
        e.preventDefault();
        this.host.post('undo', {});
        return;
      case '/':
        e.preventDefault();
        (this.toolbar.el.querySelector('vscode-text-field') as HTMLElement | null)?.focus();
        return;
    }
  }

  private saveSoon(): void {
    this.host.saveSoon(() => this.state());
  }

  private state(): SavedState {
    return {
      runDir: this.run?.runDir ?? this.host.getState()?.runDir ?? '',
      tab: this.tabs.active,
      filters: this.store.filters,
      sort: this.store.sort,
      selectedId: this.list.selectedId,
      openId: this.list.openId,
      scrollTop: this.list.body.scrollTop,
      previewThreshold: this.overview.threshold,
      advance: this.advance,
      exportOptions: this.exporter.options,
      ...this.layout.state(),
    };
  }
}
