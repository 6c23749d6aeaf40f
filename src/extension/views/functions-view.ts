import * as vscode from 'vscode';
import type { FunctionRecord, ScanResult } from '../../core/functions/types';
import { engine } from '../lazy';
import type { Log } from '../log';
import { buildFunctionTree, functionsUnder, type FunctionTreeNode } from '../view-models/functions-tree';
import type { SampleIndex } from '../sample-index';
import { readSettings } from '../settings';
import { describeScan, scanCounts } from '../../core/functions/scan-summary';

type Item = FunctionTreeNode & { folder: vscode.WorkspaceFolder };

const EXCLUDED_KEY = 'repoSpecializer.excludedFunctions';
const SOURCE_GLOB = '**/*.{py,pyw,ts,mts,cts,tsx,js,jsx,mjs,cjs,go,rs,java,cs,cpp,cc,cxx,hpp,hh,h,c,rb,rake,php}';

/** The Functions view: folders, files and functions with sample counts and include checkboxes. */
export class FunctionsView implements vscode.TreeDataProvider<Item>, vscode.Disposable {
  private readonly scans = new Map<string, ScanResult>();
  private readonly changed = new vscode.EventEmitter<Item | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly excluded: Set<string>;
  private rescanTimer: NodeJS.Timeout | undefined;
  readonly view: vscode.TreeView<Item>;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly index: SampleIndex,
    private readonly log: Log,
  ) {
    this.excluded = new Set(context.workspaceState.get<string[]>(EXCLUDED_KEY, []));
    this.view = vscode.window.createTreeView('repoSpecializer.functions', { treeDataProvider: this, showCollapseAll: true, manageCheckboxStateManually: true });
    const watcher = vscode.workspace.createFileSystemWatcher(SOURCE_GLOB);
    const onFileChange = (uri: vscode.Uri) => {
      if (!uri.fsPath.includes('/.specializer/') && this.scans.size) this.scheduleRescan();
    };
    this.disposables.push(
      this.view,
      watcher,
      watcher.onDidChange(onFileChange),
      watcher.onDidCreate(onFileChange),
      watcher.onDidDelete(onFileChange),
      this.view.onDidChangeCheckboxState((e) => this.onChecked(e.items)),
      this.view.onDidChangeVisibility((e) => {
        if (e.visible && !this.scans.size) void this.scanAll(false);
      }),
      index.onDidChange(() => this.changed.fire(undefined)),
      this.changed,
    );
  }

  private scheduleRescan(): void {
    if (this.rescanTimer) clearTimeout(this.rescanTimer);
    this.rescanTimer = setTimeout(() => void this.scanAll(false), 1500);
  }

  /** Scans every workspace folder (in the background unless `withProgress`). */
  async scanAll(withProgress: boolean): Promise<ScanResult[]> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const results: ScanResult[] = [];
    const work = async () => {
      for (const folder of folders) results.push(await this.scanFolder(folder));
    };
    if (withProgress) await vscode.window.withProgress({ location: { viewId: 'repoSpecializer.functions' }, title: 'Scanning functions' }, work);
    else await work();
    return results;
  }

  async scanFolder(folder: vscode.WorkspaceFolder): Promise<ScanResult> {
    const settings = readSettings(folder);
    const e = engine();
    const result = await e.scanRepository(folder.uri.fsPath, { include: settings.include, exclude: settings.exclude, cacheDir: this.cacheDir() });
    this.scans.set(folder.uri.toString(), result);
    this.log.info(`Scanned ${folder.name} (${Math.round(result.ms)} ms): ${describeScan(scanCounts(result))}`);
    this.changed.fire(undefined);
    return result;
  }

  private cacheDir(): string {
    return vscode.Uri.joinPath(this.context.globalStorageUri, 'scan-cache').fsPath;
  }

  functionsOf(folder: vscode.WorkspaceFolder): FunctionRecord[] | undefined {
    return this.scans.get(folder.uri.toString())?.functions;
  }

  checkedFunctions(folder: vscode.WorkspaceFolder): FunctionRecord[] {
    return (this.functionsOf(folder) ?? []).filter((f) => !this.excluded.has(f.id));
  }

  private onChecked(items: readonly [Item, vscode.TreeItemCheckboxState][]): void {
    for (const [item, state] of items) {
      for (const fn of functionsUnder(item)) {
        if (state === vscode.TreeItemCheckboxState.Checked) this.excluded.delete(fn.id);
        else this.excluded.add(fn.id);
      }
    }
    void this.context.workspaceState.update(EXCLUDED_KEY, [...this.excluded]);
    this.changed.fire(undefined);
  }

  getChildren(element?: Item): Item[] {
    if (element) return element.kind === 'function' ? [] : element.children.map((c) => ({ ...c, folder: element.folder }));
    const folders = vscode.workspace.workspaceFolders ?? [];
    const out: Item[] = [];
    for (const folder of folders) {
      const scan = this.scans.get(folder.uri.toString());
      if (!scan) continue;
      const nodes = buildFunctionTree(scan.functions, this.index.samplesFor(folder), this.excluded);
      if (folders.length > 1) {
        out.push({ kind: 'folder', path: '', label: folder.name, children: nodes, functions: scan.functions.length, samples: nodes.reduce((n, c) => n + c.samples, 0), folder });
      } else out.push(...nodes.map((n) => ({ ...n, folder })));
    }
    return out;
  }

  getTreeItem(item: Item): vscode.TreeItem {
    if (item.kind === 'function') {
      const t = new vscode.TreeItem(item.label, vscode.TreeItemCollapsibleState.None);
      t.id = `${item.folder.uri.toString()}#${item.fn.id}`;
      t.description = item.samples ? `${item.samples} sample${item.samples === 1 ? '' : 's'}${item.bestRecall !== null ? ` · ${item.bestRecall.toFixed(2)}` : ''}` : undefined;
      t.tooltip = `${item.fn.signature}\n${item.fn.file}:${item.fn.startLine}-${item.fn.endLine}`;
      t.iconPath = new vscode.ThemeIcon('symbol-method');
      t.checkboxState = item.checked ? vscode.TreeItemCheckboxState.Checked : vscode.TreeItemCheckboxState.Unchecked;
      t.contextValue = 'function';
      t.command = { command: 'repoSpecializer.revealFunction', title: 'Reveal', arguments: [item.folder.uri, item.fn] };
      return t;
    }
    const t = new vscode.TreeItem(item.label, vscode.TreeItemCollapsibleState.Collapsed);
    t.id = `${item.folder.uri.toString()}#${item.kind}:${item.path}`;
    t.description = `${item.functions}${item.samples ? ` · ${item.samples} samples` : ''}`;
    t.iconPath = item.kind === 'file' ? vscode.ThemeIcon.File : vscode.ThemeIcon.Folder;
    if (item.kind === 'file') t.resourceUri = vscode.Uri.joinPath(item.folder.uri, item.path);
    const fns = functionsUnder(item);
    t.checkboxState = fns.some((f) => !this.excluded.has(f.id)) ? vscode.TreeItemCheckboxState.Checked : vscode.TreeItemCheckboxState.Unchecked;
    t.contextValue = item.kind;
    return t;
  }

  dispose(): void {
    if (this.rescanTimer) clearTimeout(this.rescanTimer);
    for (const d of this.disposables) d.dispose();
  }
}
