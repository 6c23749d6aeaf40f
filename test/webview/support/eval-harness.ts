/** The eval view in Chromium with its messages going to a real EvalController on a real eval run, and back. */
import type { Browser } from 'playwright-core';
import { EvalController } from '../../../src/extension/panel/eval-controller';
import { openPanel, type OpenOptions, type PanelPage, type PanelServer } from './harness';

export interface HostedEval extends PanelPage {
  controller: EvalController;
  /** Files the controller asked VS Code to open, and its log lines. */
  calls: { opened: string[]; logs: string[] };
}

export async function openHostedEval(browser: Browser, server: PanelServer, evalDir: string, o: OpenOptions = {}): Promise<HostedEval> {
  let deliver: ((m: unknown) => Promise<void>) | null = null;
  // What the controller posts before the page is connected waits here.
  const queue: unknown[] = [];
  const calls: HostedEval['calls'] = { opened: [], logs: [] };
  const controller = new EvalController(evalDir, {
    post: (m) => {
      const copy = JSON.parse(JSON.stringify(m));
      if (deliver) void deliver(copy).catch(() => {});
      else queue.push(copy);
    },
    log: (line) => void calls.logs.push(line),
    openFile: async (path) => void calls.opened.push(path),
  });
  let ready!: () => void;
  const readySeen = new Promise<void>((resolve) => (ready = resolve));
  const panel = await openPanel(browser, server, {
    ...o,
    view: 'eval',
    waitReady: false,
    host: (m) => {
      if ((m as { type?: string })?.type === 'ready') ready();
      return controller.receive(m);
    },
  });
  await readySeen;
  deliver = panel.deliver;
  for (const m of queue.splice(0)) await deliver(m);
  await panel.page.waitForSelector('.eval-models tbody tr');
  return { ...panel, controller, calls, close: async () => (controller.dispose(), panel.close()) };
}
