// The curation panel's and the eval view's browser code; built into dist/webview.js (see
// src/extension/panel for their hosts). The page's root says which view to start.
import { App } from './app';
import { registerComponents } from './components';
import { EvalApp } from './eval-app';
import { Host } from './vscode-api';

const host = new Host();
window.addEventListener('error', (e) => host.post('log', { level: 'error', text: `${e.message} at ${e.filename}:${e.lineno}` }));
window.addEventListener('unhandledrejection', (e) => host.post('log', { level: 'error', text: `unhandled rejection: ${String(e.reason)}` }));
registerComponents();
const root = document.getElementById('root');
if (root?.dataset.view === 'eval') (window as unknown as { evalView: EvalApp }).evalView = new EvalApp(root, host);
else if (root) (window as unknown as { curation: App }).curation = new App(root, host);
