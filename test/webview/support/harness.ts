/**
 * The built webview in headless Chromium (Debian's /usr/bin/chromium through playwright-core), in a
 * page served from localhost that is the panel's own HTML (same Content-Security-Policy, same
 * nonce rules) plus a prelude standing in for VS Code: it defines acquireVsCodeApi, records what
 * the webview posts, keeps setState across reloads, and lets the test play host messages. A test
 * can also connect a real PanelController, so messages go through the host code for real.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before } from 'node:test';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { PanelController, type PanelExporter, type PanelPorts } from '../../../src/extension/panel/controller';
import { makeNonce, renderPanelHtml } from '../../../src/extension/panel/html';
import type { DiffPlan } from '../../../src/extension/panel/virtual-documents';
import type { HostPost, WebviewMessage } from '../../../src/protocol';
import { themeCss, THEMES, type ThemeName } from './themes';

const ROOT = join(__dirname, '..', '..', '..');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let bundle: Promise<string> | null = null;

/** The webview bundle, built from source with the same settings as esbuild.config.mjs (minified, like a release). */
export function webviewBundle(): Promise<string> {
  bundle ??= esbuild
    .build({ entryPoints: [join(ROOT, 'webview', 'main.ts')], bundle: true, platform: 'browser', target: 'es2022', format: 'iife', minify: process.env.WEBVIEW_MINIFY !== '0', write: false, legalComments: 'none', logLevel: 'silent' })
    .then((r) => r.outputFiles[0].text);
  return bundle;
}

export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: run "apt-get install -y chromium" (or set CHROMIUM_PATH).`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--font-render-hinting=none', ...extraArgs],
  });
}

const PRELUDE = (theme: ThemeName) => `
window.__posted = [];
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sourceFile || '') ));
document.body.className = ${JSON.stringify(THEMES[theme].bodyClass)};
document.body.setAttribute('data-vscode-theme-kind', ${JSON.stringify(THEMES[theme].bodyClass)});
let state = null;
try { state = JSON.parse(sessionStorage.getItem('panel-state') || 'null'); } catch {}
window.acquireVsCodeApi = () => ({
  postMessage(m) { window.__posted.push(m); if (window.__hostPost) window.__hostPost(m); },
  getState() { return state; },
  setState(s) { state = s; sessionStorage.setItem('panel-state', JSON.stringify(s)); },
});
window.__deliver = (m) => window.dispatchEvent(new MessageEvent('message', { data: m }));
`;

export interface PanelServer {
  origin: string;
  close(): Promise<void>;
}

/** Serves the panel page, the bundle, the stylesheet and the theme variables. */
export async function servePanel(): Promise<PanelServer> {
  const js = await webviewBundle();
  const css = readFileSync(join(ROOT, 'media', 'panel.css'), 'utf8');
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const send = (type: string, body: string) => {
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (url.pathname === '/webview.js') return send('text/javascript', js);
    if (url.pathname === '/favicon.ico') return void res.writeHead(204).end();
    if (url.pathname === '/panel.css') return send('text/css', css);
    const theme = url.pathname.match(/^\/theme-(light|dark|high-contrast)\.css$/);
    if (theme) return send('text/css', themeCss(theme[1] as ThemeName));
    if (url.pathname === '/') {
      const name = (url.searchParams.get('theme') ?? 'dark') as ThemeName;
      const view = url.searchParams.get('view') === 'eval' ? 'eval' : 'curation';
      const nonce = makeNonce();
      let html = renderPanelHtml({ cspSource: origin, nonce, scriptUri: `${origin}/webview.js`, styleUri: `${origin}/panel.css`, title: 'Curation', view });
      html = html.replace('</head>', `<link rel="stylesheet" href="${origin}/theme-${name}.css">\n</head>`);
      html = html.replace(`<script nonce="${nonce}" src=`, `<script nonce="${nonce}">${PRELUDE(name)}</script>\n<script nonce="${nonce}" src=`);
      return send('text/html', html);
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export interface PanelPage {
  page: Page;
  context: BrowserContext;
  /** Messages the webview posted, in order. */
  posted(): Promise<WebviewMessage[]>;
  /** Plays a host message (anything: malformed ones included). */
  deliver(message: HostPost | unknown): Promise<void>;
  /** Page errors and console errors seen so far. */
  errors: string[];
  /** Content-Security-Policy violations the page reported. */
  cspViolations(): Promise<string[]>;
  close(): Promise<void>;
}

export interface OpenOptions {
  theme?: ThemeName;
  width?: number;
  height?: number;
  /** Receives every message the webview posts (e.g. a real PanelController's receive). */
  host?: (message: unknown) => void | Promise<void>;
  /** Wait for the webview's first `ready`; default true. */
  waitReady?: boolean;
  /** The page the bundle starts: the curation panel (default) or the eval view. */
  view?: 'curation' | 'eval';
}

export async function openPanel(browser: Browser, server: PanelServer, o: OpenOptions = {}): Promise<PanelPage> {
  const context = await browser.newContext({ viewport: { width: o.width ?? 1400, height: o.height ?? 900 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // The toolkit's badge template carries an empty style attribute the strict CSP blocks; harmless.
    if (m.type() === 'error' && !/Applying inline style violates/.test(m.text())) errors.push(`console: ${m.text()}`);
  });
  if (o.host) {
    const host = o.host;
    await page.exposeBinding('__hostPost', (_source, message: unknown) => void Promise.resolve(host(message)).catch((e) => errors.push(`host: ${String(e)}`)));
  }
  await page.goto(`${server.origin}/?theme=${o.theme ?? 'dark'}&view=${o.view ?? 'curation'}`);
  await page.waitForFunction(() => (window as unknown as { curation?: unknown; evalView?: unknown }).curation !== undefined || (window as unknown as { evalView?: unknown }).evalView !== undefined);
  if (o.waitReady !== false) await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'));
  return {
    page,
    context,
    errors,
    posted: () => page.evaluate(() => (window as unknown as { __posted: WebviewMessage[] }).__posted),
    deliver: (message) => page.evaluate((m) => (window as unknown as { __deliver(m: unknown): void }).__deliver(m), message),
    cspViolations: () => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp),
    close: () => context.close(),
  };
}

/** Waits two frames, so layout and paint of what was just rendered are done. */
export function settle(page: Page): Promise<void> {
  return page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
}

export const ARTIFACTS = join(ROOT, 'artifacts');

export interface HostedPanel extends PanelPage {
  controller: PanelController;
  /** What the controller asked of VS Code (diff editors, files, reveals). */
  calls: { diffs: DiffPlan[]; opened: string[]; revealed: string[]; logs: string[] };
}

/** A page whose messages go to a real PanelController on a real run directory, and back. */
export async function openHostedPanel(browser: Browser, server: PanelServer, runDir: string, o: OpenOptions & { functionId?: string; exporter?: PanelExporter } = {}): Promise<HostedPanel> {
  let deliver: ((m: unknown) => Promise<void>) | null = null;
  // What the controller posts before the page is connected (its answer to the first `ready`) waits here.
  const queue: unknown[] = [];
  const calls: HostedPanel['calls'] = { diffs: [], opened: [], revealed: [], logs: [] };
  const ports: PanelPorts = {
    post: (m) => {
      const copy = JSON.parse(JSON.stringify(m));
      if (deliver) void deliver(copy).catch(() => {});
      else queue.push(copy);
    },
    log: (line) => void calls.logs.push(line),
    showDiff: async (plan) => void calls.diffs.push(plan),
    openFile: async (path) => void calls.opened.push(path),
    reveal: async (path) => void calls.revealed.push(path),
    chooseFolder: async () => undefined,
  };
  const controller = new PanelController(runDir, ports, { functionId: o.functionId, exporter: o.exporter ?? null });
  let ready!: () => void;
  const readySeen = new Promise<void>((resolve) => (ready = resolve));
  const panel = await openPanel(browser, server, {
    ...o,
    host: (m) => {
      if ((m as { type?: string })?.type === 'ready') ready();
      return controller.receive(m);
    },
    waitReady: false,
  });
  await readySeen;
  deliver = panel.deliver;
  for (const m of queue.splice(0)) await deliver(m);
  await panel.page.waitForFunction(() => document.querySelector('.run-title')?.textContent !== 'Loading…');
  return { ...panel, controller, calls, close: async () => (controller.dispose(), panel.close()) };
}

/** Ids of the list rows on screen, top to bottom. */
export function visibleIds(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('.list-row:not([hidden])')]
      .sort((a, b) => Number(a.getAttribute('aria-rowindex')) - Number(b.getAttribute('aria-rowindex')))
      .filter((el) => {
        const body = document.querySelector('.list-body')!.getBoundingClientRect();
        const r = el.getBoundingClientRect();
        return r.bottom > body.top && r.top < body.bottom;
      })
      .map((el) => el.dataset.id!),
  );
}

/** Starts Chromium and the page server for the enclosing describe block, and stops them after it. */
export function withChromium(): { readonly browser: Browser; readonly server: PanelServer } {
  let browser: Browser | undefined;
  let server: PanelServer | undefined;
  before(async () => {
    browser = await launchChromium();
    server = await servePanel();
  });
  after(async () => {
    await server?.close();
    await browser?.close();
  });
  return {
    get browser() {
      return browser!;
    },
    get server() {
      return server!;
    },
  };
}
