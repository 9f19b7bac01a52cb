/** The HTML shell of every panel: a strict CSP with a nonce, assets through asWebviewUri. */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/** A fresh CSP nonce (crypto-random, base64). */
export function makeNonce(): string {
  return randomBytes(18).toString('base64');
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export interface PanelHtmlOptions {
  webview: vscode.Webview;
  extensionUri: vscode.Uri;
  /** Bundle name: loads `dist/webview/<bundle>.js`. */
  bundle: string;
  title: string;
  /** Opaque string the webview keeps in its state so the serializer can restore the panel. */
  restoreKey: string;
}

/** Roots the webviews may load from: only the built bundles and the media folder. */
export function panelResourceRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')];
}

/** Builds the page: no inline script or style, no data interpolated into scripts. */
export function buildPanelHtml(o: PanelHtmlOptions): string {
  const nonce = makeNonce();
  const asset = (...path: string[]) => o.webview.asWebviewUri(vscode.Uri.joinPath(o.extensionUri, ...path)).toString();
  const csp = [
    "default-src 'none'",
    `img-src ${o.webview.cspSource} data:`,
    `font-src ${o.webview.cspSource}`,
    `style-src ${o.webview.cspSource} 'nonce-${nonce}'`,
    `script-src ${o.webview.cspSource} 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeAttr(o.title)}</title>
<link rel="stylesheet" nonce="${nonce}" href="${asset('media', 'webview.css')}">
</head>
<body data-restore="${escapeAttr(o.restoreKey)}" data-panel="${escapeAttr(o.bundle)}">
<div id="app" class="app app-${escapeAttr(o.bundle)}"></div>
<script type="module" nonce="${nonce}" src="${asset('dist', 'webview', 'vscode-elements.js')}"></script>
<script nonce="${nonce}" src="${asset('dist', 'webview', `${o.bundle}.js`)}"></script>
</body>
</html>`;
}
