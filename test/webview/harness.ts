/** Serves the real webview document (from `webviewHtml`) and the built bundle on loopback, with a
 * stand-in for VS Code's webview API, and drives it in headless Chromium. */
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { after, before } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { webviewHtml } from '../../webview/html';
import type { HostToWebview, WebviewToHost } from '../../webview/protocol';
import { DARK_HIGH_CONTRAST, DARK_MODERN, LIGHT_MODERN, type Theme } from './themes';
import { assertChromium, chromiumArgs, chromiumPath } from '../support/chromium';

export const REPO = join(__dirname, '..', '..');
const SERVED_DIRS = ['dist', 'media'];
const TYPES: Record<string, string> = {
  '.js': 'text/javascript', '.css': 'text/css', '.woff2': 'font/woff2', '.woff': 'font/woff', '.ttf': 'font/ttf', '.map': 'application/json',
};
const THEMES: Record<ThemeName, Theme> = { dark: DARK_MODERN, light: LIGHT_MODERN, 'high-contrast': DARK_HIGH_CONTRAST };
export type ThemeName = 'dark' | 'light' | 'high-contrast';

export function assertBuilt(): void {
  for (const file of ['dist/webview.js', 'dist/katex/katex.min.css']) {
    if (!existsSync(join(REPO, file))) throw new Error(`${file} is missing: run \`npm run build\` before the webview test`);
  }
}

/** Plays VS Code's part: theme variables and body class, and `acquireVsCodeApi()` whose messages and
 * state the test reads back. State lives in sessionStorage, so it survives a reload like VS Code's. */
function hostScript(theme: Theme): string {
  return `
    window.__posted = [];
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
    for (const [name, value] of Object.entries(${JSON.stringify(theme.vars)})) document.documentElement.style.setProperty('--vscode-' + name, value);
    document.body.classList.add(${JSON.stringify(theme.kind)});
    window.acquireVsCodeApi = () => ({
      postMessage: (message) => window.__posted.push(message),
      getState: () => JSON.parse(sessionStorage.getItem('vscode-state') ?? 'null') ?? undefined,
      setState: (state) => sessionStorage.setItem('vscode-state', JSON.stringify(state)),
    });`;
}

function page(origin: string, theme: Theme): string {
  const nonce = randomBytes(16).toString('base64');
  const html = webviewHtml({
    cspSource: origin,
    nonce,
    scriptUri: `${origin}/dist/webview.js`,
    styleUri: `${origin}/media/webview.css`,
    katexStyleUri: `${origin}/dist/katex/katex.min.css`,
  });
  // At the top of <body>: before the bundle runs, with <body> there to take the theme class.
  return html.replace('<body>', `<body>\n<script nonce="${nonce}">${hostScript(theme)}</script>`);
}

export async function startServer(): Promise<{ origin: string; server: Server }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    // The browser's own favicon request; a webview in VS Code makes none.
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    if (url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(page(origin, THEMES[(url.searchParams.get('theme') ?? 'dark') as ThemeName] ?? DARK_MODERN));
      return;
    }
    const file = normalize(join(REPO, decodeURIComponent(url.pathname)));
    const allowed = SERVED_DIRS.some((dir) => file.startsWith(join(REPO, dir) + sep));
    if (!allowed || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, server };
}

export function launchBrowser(): Promise<Browser> {
  assertChromium();
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
}

export interface WebviewPage {
  page: Page;
  /** Console errors and uncaught exceptions seen so far. */
  errors: string[];
}

export async function openWebview(browser: Browser, origin: string, opts: { theme: ThemeName; width: number; height: number }): Promise<WebviewPage> {
  const context = await browser.newContext({ viewport: { width: opts.width, height: opts.height }, deviceScaleFactor: 2 });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`HTTP ${r.status()} for ${r.url()}`);
  });
  await page.goto(`${origin}/?theme=${opts.theme}`);
  await waitForReady(page);
  return { page, errors };
}

export async function waitForReady(page: Page): Promise<void> {
  await page.waitForFunction(() => (window as unknown as { __posted: WebviewToHost[] }).__posted.some((m) => m.type === 'ready'));
}

/** Posts a message to the webview and returns once its handler has run (listeners fire in order,
 * and this one is added after the webview's). */
export async function send(page: Page, message: HostToWebview): Promise<void> {
  await page.evaluate((m) => new Promise<void>((resolve) => {
    window.addEventListener('message', () => resolve(), { once: true });
    window.postMessage(m, '*');
  }), message);
}

export function posted(page: Page): Promise<WebviewToHost[]> {
  return page.evaluate(() => (window as unknown as { __posted: WebviewToHost[] }).__posted);
}

export function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);
}

export function savedState(page: Page): Promise<unknown> {
  return page.evaluate(() => JSON.parse(sessionStorage.getItem('vscode-state') ?? 'null'));
}

/** The screenshots folder a person looks at after the tests. */
export const SHOTS = join(REPO, 'test-output', 'webview');

/** One browser and one page server for a test file, started before its tests and closed after.
 * `open` gives a fresh webview page in the given theme and size. */
export function webviewSuite(): { open(opts: { theme: ThemeName; width: number; height: number }): Promise<WebviewPage> } {
  let browser: Browser | undefined;
  let server: Server | undefined;
  let origin = '';
  before(async () => {
    assertBuilt();
    mkdirSync(SHOTS, { recursive: true });
    ({ server, origin } = await startServer());
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    server?.close();
  });
  return {
    open: (opts) => {
      if (!browser) throw new Error('the webview suite has not started');
      return openWebview(browser, origin, opts);
    },
  };
}

/** No Content-Security-Policy violation and no console error on the page. */
export async function assertClean({ page, errors }: WebviewPage): Promise<void> {
  assert.deepEqual(await cspViolations(page), [], 'Content-Security-Policy violations');
  assert.deepEqual(errors, [], 'console errors');
}
