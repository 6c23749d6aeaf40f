import type { EvalState } from '../../core/eval/eval-dir';
import { evalFilesKey } from '../../core/eval/listing';
import type { EvalReport } from '../../core/eval/report';
import { parseWebviewMessage, type HostPost, type WebviewMessage } from '../../protocol';
import { engine } from '../lazy';
import { evalInfo, reportView } from '../view-models/eval-item';
import { trajectoryFile } from './detail';
import { buildEvalTaskDetail } from './eval-detail';

/** What the eval view's host needs from VS Code; plain functions in tests. */
export interface EvalPorts {
  post(message: HostPost): void;
  log(line: string): void;
  openFile(path: string): Promise<void>;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The eval view's host, without VS Code: answers the webview's (validated) messages with core's
 * report of the eval run (evalReport, the numbers `eval-report --json` prints, with its default
 * seed, resamples and the run's threshold) and one task's patches, and pushes a new report
 * whenever `specialize eval` appends results.
 */
export class EvalController {
  private state: EvalState | null = null;
  private report: EvalReport | null = null;
  private key = '';
  private disposed = false;
  /** When the last report was computed and how long it took (the bootstrap costs about 1 s at 500 tasks and 3 models). */
  private computedAt = 0;
  private computeMs = 0;
  /** The resolve threshold the user asked for, or null for the run's own. */
  private threshold: number | null = null;

  constructor(readonly evalDir: string, private readonly ports: EvalPorts) {}

  async receive(raw: unknown): Promise<void> {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.ports.log(`Eval view: ignored a message from the webview: ${parsed.error}.`);
      return;
    }
    try {
      await this.handle(parsed.message);
    } catch (error) {
      this.ports.log(`Eval view: ${parsed.message.type} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      this.post({ type: 'notice', level: 'error', text: `${parsed.message.type} failed: ${message(error)}` });
    }
  }

  private async handle(m: WebviewMessage): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.key = '';
        return this.refresh();
      case 'openEvalTask': {
        const { state, report } = this.load();
        const detail = buildEvalTaskDetail(this.evalDir, state, report, m.taskId, m.model);
        if (typeof detail === 'string') return this.post({ type: 'evalTaskError', taskId: m.taskId, model: m.model, message: detail });
        return this.post({ type: 'evalTask', detail });
      }
      case 'openEvalTrajectory': {
        const r = this.load().state.results.get(engine().pairKey(m.taskId, m.model));
        const file = r ? trajectoryFile(this.evalDir, r.trajectory) : null;
        if (!file || !r?.steps) return this.post({ type: 'notice', level: 'warning', text: `${m.model} has no trajectory on task ${m.taskId}.` });
        return this.ports.openFile(file);
      }
      case 'evalThreshold':
        this.threshold = m.threshold;
        this.key = '';
        return this.refresh();
      case 'log':
        return this.ports.log(`Eval view (webview, ${m.level}): ${m.text}`);
      default:
        // The curation panel's messages share the schema; none of them means anything here.
        this.ports.log(`Eval view: ignored a ${m.type} message, which only the curation panel answers.`);
    }
  }

  private post(m: HostPost): void {
    if (!this.disposed) this.ports.post(m);
  }

  /** The eval's records and report, read again only when its files changed. */
  private load(): { state: EvalState; report: EvalReport } {
    const key = evalFilesKey(this.evalDir);
    if (!this.state || !this.report || key !== this.key) {
      const e = engine();
      const started = performance.now();
      this.state = e.readEvalState(this.evalDir);
      this.report = e.evalReport(this.evalDir, this.threshold === null ? {} : { threshold: this.threshold });
      this.key = key;
      this.computedAt = performance.now();
      this.computeMs = this.computedAt - started;
    }
    return { state: this.state, report: this.report };
  }

  /**
   * Sends the report when the eval's files changed since it was last sent (called by the watcher
   * and its 2 s poll). While results keep arriving, a report is computed at most once in ten
   * times its own cost, so a large eval keeps the extension host at least 90% free; the poll
   * picks up what was put off.
   */
  refresh(): void {
    if (this.disposed) return;
    if (this.key !== '' && performance.now() - this.computedAt < 10 * this.computeMs) return;
    const before = this.key;
    let loaded;
    try {
      loaded = this.load();
    } catch (error) {
      this.ports.log(`Eval view: reading ${this.evalDir} failed: ${message(error)}`);
      return;
    }
    if (before === this.key && before !== '') return;
    this.post({ type: 'evalReport', eval: evalInfo(engine().describeEval(this.evalDir)), report: reportView(loaded.report) });
  }

  dispose(): void {
    this.disposed = true;
  }
}
