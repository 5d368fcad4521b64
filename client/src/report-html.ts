/**
 * The report view's page: a Content-Security-Policy that admits only this extension's files and
 * one nonce (no inline or evaluated script), the codicons, the report engine's stylesheet, the
 * toolbar, the tabs the report's sections go into, and the script that inserts the server's
 * markup and handles interaction.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/** Where the build puts the webview's script, styles and fonts (scripts/build.mjs). */
export const WEBVIEW_ROOT = 'out/webview';

export function reportPageHtml(webview: vscode.Webview, extensionUri: vscode.Uri, stylesheet: string): string {
  const nonce = randomBytes(16).toString('base64');
  const asset = (name: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, WEBVIEW_ROOT, name)).toString();
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `font-src ${webview.cspSource}`,
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link id="vscode-codicon-stylesheet" rel="stylesheet" href="${asset('codicon.css')}" nonce="${nonce}">
<style nonce="${nonce}">${stylesheet}</style>
<link rel="stylesheet" href="${asset('report-view.css')}" nonce="${nonce}">
<title>Fabric report</title>
</head>
<body>
<header class="toolbar">
  <span id="title" class="title"></span>
  <vscode-toolbar-container>
    <vscode-toolbar-button id="zoom-in" icon="zoom-in" label="Zoom in" title="Zoom in"></vscode-toolbar-button>
    <vscode-toolbar-button id="zoom-out" icon="zoom-out" label="Zoom out" title="Zoom out"></vscode-toolbar-button>
    <vscode-toolbar-button id="fit" icon="screen-full" label="Fit the drawing to the view" title="Fit the drawing to the view"></vscode-toolbar-button>
    <vscode-toolbar-button id="collapse" icon="collapse-all" label="Collapse the expanded groups" title="Collapse the expanded groups"></vscode-toolbar-button>
    <vscode-toolbar-button id="export" icon="export" label="Export the report" title="Export the report (HTML, SVG or JSON)"></vscode-toolbar-button>
  </vscode-toolbar-container>
</header>
<div id="banner" class="banner" role="status" hidden>
  <vscode-icon name="warning"></vscode-icon>
  <span id="banner-text"></span>
</div>
<main class="fabric-report">
  <vscode-tabs id="sections"></vscode-tabs>
  <p id="empty" class="empty" hidden></p>
</main>
<script nonce="${nonce}" src="${asset('report-view.js')}"></script>
</body>
</html>`;
}
