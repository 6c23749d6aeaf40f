import type { PanelState, WebviewMessage, WebviewMessages } from '../src/protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** The webview's only channel to the host: typed messages and the persisted panel state. */
export class Host {
  private readonly api: VsCodeApi;

  constructor() {
    this.api = acquireVsCodeApi();
  }

  post<K extends keyof WebviewMessages>(type: K, payload: WebviewMessages[K]): void {
    this.api.postMessage({ type, ...payload } as WebviewMessage);
  }

  getState(): Partial<PanelState> | null {
    const s = this.api.getState();
    return s && typeof s === 'object' ? (s as Partial<PanelState>) : null;
  }

  setState(state: PanelState): void {
    this.api.setState(state);
  }
}
