import { randomBytes } from 'node:crypto';

export function makeNonce(): string {
  return randomBytes(18).toString('base64').replace(/[+/=]/g, '');
}

export interface PanelHtmlParts {
  /** webview.cspSource: the only origin scripts, styles, fonts and images may come from. */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  nonce: string;
  title: string;
  /** Which view the bundle starts: the curation panel (default) or the eval view. */
  view?: 'curation' | 'eval';
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The Content-Security-Policy of the panel: nothing inline, nothing remote, no eval. */
export function panelCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    // The toolkit's web components add <style> elements carrying the nonce from the csp-nonce meta.
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
  ].join('; ');
}

/**
 * The panel's HTML. Pure (no vscode import), so the browser tests serve exactly this page, with
 * exactly this policy, to Chromium.
 */
export function renderPanelHtml(p: PanelHtmlParts): string {
  const nonce = escapeAttr(p.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(panelCsp(p.cspSource, p.nonce))}">
<meta property="csp-nonce" content="${nonce}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttr(p.styleUri)}">
<title>${escapeAttr(p.title)}</title>
</head>
<body>
<div id="root" class="loading" data-view="${p.view ?? 'curation'}"><div class="boot">Loading the ${p.view === 'eval' ? 'eval' : 'run'}…</div></div>
<script nonce="${nonce}" src="${escapeAttr(p.scriptUri)}"></script>
</body>
</html>
`;
}
