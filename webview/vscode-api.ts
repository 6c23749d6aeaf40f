import { parseHostMessage, type EvalPanelState, type HostMessage, type PanelState, type WebviewMessage, type WebviewMessages } from '../src/protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** The webview's only channel to the host: typed messages and the persisted panel state. */
export class Host {
  private readonly api: VsCodeApi;
  private saveTimer = 0;

  constructor() {
    this.api = acquireVsCodeApi();
  }

  post<K extends keyof WebviewMessages>(type: K, payload: WebviewMessages[K]): void {
    this.api.postMessage({ type, ...payload } as WebviewMessage);
  }

  getState(): (Partial<PanelState> & Partial<EvalPanelState>) | null {
    const s = this.api.getState();
    return s && typeof s === 'object' ? (s as Partial<PanelState> & Partial<EvalPanelState>) : null;
  }

  /** Saves the view's state once it has been still for 200 ms: scrolling and typing change it many times a second. */
  saveSoon(state: () => PanelState | EvalPanelState): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = window.setTimeout(() => this.api.setState(state()), 200);
  }

  /**
   * Passes a host message to `handle` once the protocol's validator accepts it; a malformed
   * message, or one `handle` fails on, is reported to the host's log and dropped.
   */
  dispatch(data: unknown, view: string, handle: (m: HostMessage) => void): void {
    const parsed = parseHostMessage(data);
    if (!parsed.ok) {
      console.warn(`${view}: ignored a host message: ${parsed.error}`);
      this.post('log', { level: 'warning', text: `ignored a host message: ${parsed.error.slice(0, 500)}` });
      return;
    }
    try {
      handle(parsed.message);
    } catch (error) {
      const text = error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
      console.error(error);
      this.post('log', { level: 'error', text: `handling ${parsed.message.type} failed: ${text.slice(0, 2000)}` });
    }
  }
}
