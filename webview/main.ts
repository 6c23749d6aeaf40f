// The curation panel's browser code; built into dist/webview.js.
const root = document.getElementById('root');
if (root) root.textContent = 'Repo Specializer';
