/** The trajectory-tree webview document. Pure (no VS Code or Node APIs) so the extension, the
 * standalone report and the browser test all build the exact same page. */

import { escapeHtml } from './escape';

export interface WebviewHtmlOptions {
  /** Origin the webview may load its own resources from (VS Code's `webview.cspSource`). */
  cspSource: string;
  /** Per-load nonce; only scripts carrying it run. */
  nonce: string;
  scriptUri: string;
  styleUri: string;
  katexStyleUri: string;
  title?: string;
}

export function webviewHtml(o: WebviewHtmlOptions): string {
  // KaTeX positions glyphs with inline style attributes, hence 'unsafe-inline' for styles only.
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${o.nonce}'`,
    `style-src ${o.cspSource} 'unsafe-inline'`,
    `font-src ${o.cspSource}`,
    `img-src ${o.cspSource} data:`,
    "connect-src 'none'",
  ].join('; ');
  const a = escapeHtml;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${a(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${a(o.katexStyleUri)}">
<link rel="stylesheet" href="${a(o.styleUri)}">
<title>${a(o.title ?? 'Trajectory tree')}</title>
</head>
<body>
<div id="app" class="app">
  <header id="run-header" class="run-header" aria-live="polite"></header>
  <section id="key" class="key" aria-label="What the colours, sizes and lines mean" hidden></section>
  <section id="legend" class="legend" aria-label="Answer groups"></section>
  <div id="scrubber" class="scrubber" hidden></div>
  <main id="tree" class="tree-area">
    <svg id="tree-svg" class="tree-svg" role="tree" aria-label="Trajectory tree"></svg>
    <div id="toolbar" class="tree-toolbar" hidden><button id="fit" type="button" class="tool-button" title="Fit the whole tree into view">Fit</button></div>
    <div id="tooltip" class="tooltip" role="tooltip" hidden></div>
    <div id="message" class="message" hidden></div>
  </main>
  <aside id="detail" class="detail" aria-label="Node details" hidden></aside>
</div>
<script nonce="${a(o.nonce)}" src="${a(o.scriptUri)}"></script>
</body>
</html>
`;
}
