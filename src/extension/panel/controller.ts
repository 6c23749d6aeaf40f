import { join } from 'node:path';
import type { ExportProgress } from '../../core/dataset/report';
import { parseWebviewMessage, sampleColumns, type DecisionChange, type ExportRequest, type HostPost, type WebviewMessage, type WebviewMessageOf } from '../../protocol';
import { DecisionLog } from './decision-log';
import { buildSampleDetail, trajectoryFile } from './detail';
import { findBaseRepository, patchPaths, repositoryRoot } from './file-versions';
import { RunModel } from './run-model';
import { planDiff, type DiffPlan } from './virtual-documents';

/** What the controller needs from its surroundings: VS Code in the extension, plain functions in tests. */
export interface PanelPorts {
  post(message: HostPost): void;
  log(line: string): void;
  showDiff(plan: DiffPlan): Promise<void>;
  openFile(path: string, line?: number): Promise<void>;
  reveal(path: string): Promise<void>;
  chooseFolder(current: string): Promise<string | undefined>;
}

/** The panel's door to the dataset exporter (src/core/dataset). */
export interface PanelExporter {
  preview(runDir: string, request: ExportRequest, signal: AbortSignal): Promise<{ selected: number; samples: number; total: number; removedBy: Record<string, number> }>;
  run(runDir: string, request: ExportRequest, onProgress: (p: ExportProgress) => void, signal: AbortSignal): Promise<{ outDir: string; samples: number; trajectories: number; files: string[] }>;
}

export interface ControllerOptions {
  functionId?: string;
  exporter?: PanelExporter | null;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Everything the curation panel's host does, without VS Code: answers the webview's messages
 * (each one validated first), writes decisions, loads details on demand, pushes what a running
 * generation appends, and drives the export. The VS Code panel class only wires this to a
 * WebviewPanel; tests drive it directly against real run directories.
 */
export class PanelController {
  readonly model: RunModel;
  readonly decisions: DecisionLog;
  private readonly baseRepo: Promise<string | null>;
  private functionId: string | null;
  private exportAbort: AbortController | null = null;
  private previewAbort: AbortController | null = null;
  private lastProgress: ExportProgress | null = null;
  private disposed = false;

  constructor(readonly runDir: string, private readonly ports: PanelPorts, private readonly options: ControllerOptions = {}) {
    this.model = new RunModel(runDir);
    this.decisions = new DecisionLog(this.model);
    this.functionId = options.functionId ?? null;
    this.baseRepo = findBaseRepository(runDir, this.model.manifest.repository?.baseCommit ?? '');
  }

  /** Handles one raw message from the webview; anything malformed is logged and dropped. */
  async receive(raw: unknown): Promise<void> {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.ports.log(`Curation panel: ignored a message from the webview: ${parsed.error}.`);
      return;
    }
    try {
      await this.handle(parsed.message);
    } catch (error) {
      this.ports.log(`Curation panel: ${parsed.message.type} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      this.post({ type: 'notice', level: 'error', text: `${parsed.message.type} failed: ${message(error)}` });
    }
  }

  private async handle(m: WebviewMessage): Promise<void> {
    switch (m.type) {
      case 'ready':
        return this.sendInit();
      case 'openSample':
        return this.openSample(m.id);
      case 'decide':
        return this.sendDecisions(this.decisions.decide(m.ids, m.decision));
      case 'note':
        return this.sendDecisions(this.decisions.setNote(m.id, m.note));
      case 'undo': {
        const restored = this.decisions.undo();
        if (!restored) return this.post({ type: 'notice', level: 'info', text: 'Nothing to undo.' });
        return this.sendDecisions(restored);
      }
      case 'openDiff':
        return this.openDiff(m);
      case 'openTrajectory':
        return this.openTrajectory(m);
      case 'openSource':
        return this.openSource(m.id);
      case 'exportPreview':
        return this.exportPreview(m);
      case 'exportRun':
        return this.exportRun(m.options);
      case 'exportCancel':
        this.exportAbort?.abort();
        return;
      case 'chooseExportFolder': {
        const path = await this.ports.chooseFolder(m.current);
        if (path) this.post({ type: 'exportFolder', path });
        return;
      }
      case 'reveal':
        return this.ports.reveal(m.path);
      case 'log':
        return this.ports.log(`Curation panel (webview, ${m.level}): ${m.text}`);
    }
  }

  private post(message: HostPost): void {
    if (!this.disposed) this.ports.post(message);
  }

  private sendInit(): void {
    // The function filter is asked for once; a reloaded webview restores its own filters instead.
    const functionId = this.functionId;
    this.functionId = null;
    this.post({ type: 'init', run: this.model.info(), rows: sampleColumns(this.model.allRows()), functionId, canUndo: this.decisions.canUndo });
    if (this.exportAbort && this.lastProgress) this.post({ type: 'exportProgress', ...this.lastProgress });
  }

  private sendDecisions(changes: DecisionChange[]): void {
    this.post({ type: 'decisions', changes, canUndo: this.decisions.canUndo });
  }

  /** Reads what the run appended since the last look and pushes it to the webview. */
  refresh(): void {
    if (this.disposed) return;
    let changes;
    try {
      changes = this.model.poll();
    } catch (error) {
      this.ports.log(`Curation panel: reading ${this.runDir} failed: ${message(error)}`);
      return;
    }
    if (changes.reset) return this.sendInit();
    if (changes.rows.length) this.post({ type: 'rows', rows: sampleColumns(changes.rows) });
    if (changes.decisions.length) this.sendDecisions(changes.decisions);
    if (changes.rows.length) this.post({ type: 'run', run: this.model.info() });
  }

  focusFunction(functionId: string): void {
    this.functionId = functionId;
    this.post({ type: 'focusFunction', functionId });
  }

  private async openSample(id: string): Promise<void> {
    if (!this.model.has(id)) this.model.poll();
    const record = this.model.record(id);
    if (!record) return this.post({ type: 'detailError', id, message: `Sample ${id} is not in this run.` });
    const detail = buildSampleDetail(this.runDir, record, this.model.decisions.get(id), (await this.baseRepo) !== null);
    this.post({ type: 'detail', detail });
  }

  private async openDiff(m: WebviewMessageOf<'openDiff'>): Promise<void> {
    if (!this.model.has(m.id)) return this.post({ type: 'notice', level: 'warning', text: `Sample ${m.id} is not in this run.` });
    const record = this.model.record(m.id);
    const files = [...new Set([...patchPaths(record?.rollout1?.patch ?? ''), ...patchPaths(record?.rollout2?.patch ?? '')])];
    const subject = { qualifiedName: record?.function.qualifiedName ?? m.id, files };
    await this.ports.showDiff(planDiff(this.runDir, m.id, m.mode, m.file, await this.baseRepo, this.model.manifest.repository?.baseCommit ?? '', subject));
  }

  private async openTrajectory(m: WebviewMessageOf<'openTrajectory'>): Promise<void> {
    const record = this.model.record(m.id);
    const rollout = m.rollout === 1 ? record?.rollout1 : record?.rollout2;
    const file = rollout ? trajectoryFile(this.runDir, rollout.trajectory) : null;
    if (!file) return this.post({ type: 'notice', level: 'warning', text: `Sample ${m.id} has no rollout ${m.rollout} trajectory.` });
    await this.ports.openFile(file);
  }

  private async openSource(id: string): Promise<void> {
    const record = this.model.record(id);
    if (!record) return;
    const root = await repositoryRoot(this.runDir);
    if (!root) return this.post({ type: 'notice', level: 'warning', text: 'This run is not inside a git repository, so its source files cannot be opened.' });
    await this.ports.openFile(join(root, record.function.file), record.function.startLine);
  }

  private async exportPreview(m: WebviewMessageOf<'exportPreview'>): Promise<void> {
    const exporter = this.options.exporter;
    if (!exporter) return this.post({ type: 'exportPreviewError', requestId: m.requestId, message: 'The dataset exporter is not available in this build.' });
    // Only the latest question matters: a preview still counting for older options is stopped.
    this.previewAbort?.abort();
    const abort = new AbortController();
    this.previewAbort = abort;
    try {
      const preview = await exporter.preview(this.runDir, m.options, abort.signal);
      if (!abort.signal.aborted) this.post({ type: 'exportPreview', requestId: m.requestId, ...preview });
    } catch (error) {
      if (!abort.signal.aborted) this.post({ type: 'exportPreviewError', requestId: m.requestId, message: message(error) });
    } finally {
      if (this.previewAbort === abort) this.previewAbort = null;
    }
  }

  private async exportRun(options: ExportRequest): Promise<void> {
    const exporter = this.options.exporter;
    if (!exporter) return this.post({ type: 'exportError', message: 'The dataset exporter is not available in this build.' });
    if (this.exportAbort) return this.post({ type: 'notice', level: 'warning', text: 'An export is already running.' });
    const abort = new AbortController();
    this.exportAbort = abort;
    this.lastProgress = { phase: 'starting', done: 0, total: 0, written: 0 };
    this.post({ type: 'exportProgress', ...this.lastProgress });
    try {
      const done = await exporter.run(this.runDir, options, (p) => {
        this.lastProgress = p;
        this.post({ type: 'exportProgress', ...p });
      }, abort.signal);
      this.ports.log(`Curation panel: exported ${done.samples} samples to ${done.outDir}.`);
      this.post({ type: 'exportDone', ...done });
    } catch (error) {
      this.post({ type: 'exportError', message: abort.signal.aborted ? 'Export cancelled.' : message(error) });
    } finally {
      this.exportAbort = null;
      this.lastProgress = null;
    }
  }

  dispose(): void {
    this.disposed = true;
    this.exportAbort?.abort();
    this.previewAbort?.abort();
  }
}

