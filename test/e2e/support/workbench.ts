/** Drives the code-server workbench in headless Chromium. Every VS Code DOM selector lives in this
 * file: they are Code-OSS internals, so a VS Code update should mean one edit here. Helpers retry
 * instead of sleeping, because the extension host registers commands seconds after the UI shows. */
import { appendFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Frame, type Page } from 'playwright-core';
import type { CodeServer } from './codeServer';
import { assertChromium, chromiumArgs, chromiumPath } from '../../support/chromium';

const selectors = {
  statusBar: '#workbench\\.parts\\.statusbar',
  quickInput: '.quick-input-widget',
  quickInputBox: '.quick-input-widget .quick-input-box input',
  quickInputRow: '.quick-input-widget .quick-input-list .monaco-list-row',
  quickInputFocusedRow: '.quick-input-widget .quick-input-list .monaco-list-row.focused',
  quickInputTitle: '.quick-input-widget .quick-input-title',
  activeEditorTab: '.tabs-container .tab.active',
  notificationMessage: '.notifications-toasts .notification-list-item-message, .notifications-center .notification-list-item-message',
  // The editor of the active group: its text lines, decoration overlays, glyph margin and CodeLens.
  editorLine: '.editor-group-container.active .monaco-editor .view-line',
  editorOverlay: '.editor-group-container.active .monaco-editor .view-overlays .cdr',
  editorGlyph: '.editor-group-container.active .monaco-editor .glyph-margin-widgets .cgmr',
  editorCodeLens: '.editor-group-container.active .monaco-editor .codelens-decoration a',
  // Diagnostics are drawn as overlay decorations named by severity (squiggly-error, -warning, -info).
  editorSquiggle: '.editor-group-container.active .monaco-editor .view-overlays .cdr[class*="squiggly-"]',
  notificationItem: '.notifications-toasts .notification-list-item',
  notificationButton: '.notification-list-item-buttons-container .monaco-button',
  hover: '.monaco-hover:not(.hidden) .monaco-hover-content',
  themePickerInput: '.quick-input-widget .quick-input-box input[placeholder*="Color Theme"]',
  cursorPosition: '#status\\.editor\\.selection',
  lightTheme: '.monaco-workbench.vs',
  darkTheme: '.monaco-workbench.vs-dark',
  highContrastTheme: '.monaco-workbench.hc-black',
} as const;

/** A box on the page, in CSS pixels. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** An editor decoration as drawn: its colours, for comparing with a theme colour. */
export interface DrawnDecoration {
  background: string;
  border: string;
}

const WORKBENCH_TIMEOUT_MS = 60_000;
const COMMAND_TIMEOUT_MS = 30_000;
/** How long one palette attempt waits for its row before closing and reopening the palette. */
const PALETTE_ROW_WAIT_MS = 1_500;
/** How long one hover attempt waits for the editor's hover (its delay is 300 ms). */
const HOVER_WAIT_MS = 2_000;

export class Workbench {
  private constructor(
    private readonly page: Page,
    private readonly context: BrowserContext,
    private readonly profileDir: string,
  ) {}

  /** Opens the workbench on the server's workspace; the page console goes to browser-console.log. */
  static async open(server: CodeServer): Promise<Workbench> {
    assertChromium();
    const profileDir = join(server.runDir, 'chromium-profile');
    const context = await chromium.launchPersistentContext(profileDir, {
      executablePath: chromiumPath,
      headless: true,
      args: chromiumArgs,
      env: server.env,
      artifactsDir: join(server.runDir, 'playwright'),
      viewport: { width: 1600, height: 1000 },
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const consoleLog = join(server.runDir, 'browser-console.log');
    page.on('console', (message) => appendFileSync(consoleLog, `[${message.type()}] ${message.text()}\n`));
    page.on('pageerror', (error) => appendFileSync(consoleLog, `[pageerror] ${error.stack ?? error.message}\n`));
    const workbench = new Workbench(page, context, profileDir);
    await page.goto(server.workbenchUrl);
    await page.locator(selectors.statusBar).waitFor({ timeout: WORKBENCH_TIMEOUT_MS });
    return workbench;
  }

  /** Runs a palette command by its full title ("Category: Title"), retrying until it is registered. */
  async runCommand(title: string, timeoutMs = COMMAND_TIMEOUT_MS): Promise<void> {
    await this.pickFromQuickInput('F1', `>${title}`, title, timeoutMs);
    await this.waitForQuickInputClosed(timeoutMs);
  }

  /** Runs a palette command that asks its own questions, and waits for its first one, titled `stepTitle`. */
  async runCommandWithInput(title: string, stepTitle: string, timeoutMs = COMMAND_TIMEOUT_MS): Promise<void> {
    await this.pickFromQuickInput('F1', `>${title}`, title, timeoutMs);
    await this.page.locator(selectors.quickInputTitle, { hasText: stepTitle }).waitFor({ timeout: timeoutMs });
  }

  /** Types `query` into the open quick pick (a command's own list) and accepts the row showing `rowText`. */
  async pickQuickPickItem(query: string, rowText: string, timeoutMs = COMMAND_TIMEOUT_MS): Promise<void> {
    const input = this.page.locator(selectors.quickInputBox);
    await input.waitFor({ timeout: timeoutMs });
    await input.fill(query);
    await this.page.locator(selectors.quickInputRow).first().filter({ hasText: rowText }).waitFor({ timeout: timeoutMs });
    await this.page.keyboard.press('Enter');
    await this.waitForQuickInputClosed(timeoutMs);
  }

  /** In a command's multi-step input, waits for the step whose title shows `title`, optionally types
   * `query` to filter, and accepts the focused row once it shows `rowText`. The widget stays open
   * when another step follows; call `waitForQuickInputClosed` after the last one. */
  async acceptQuickPickStep(title: string, rowText: string, query?: string, timeoutMs = COMMAND_TIMEOUT_MS): Promise<void> {
    await this.page.locator(selectors.quickInputTitle, { hasText: title }).waitFor({ timeout: timeoutMs });
    if (query !== undefined) await this.page.locator(selectors.quickInputBox).fill(query);
    await this.page.locator(selectors.quickInputFocusedRow, { hasText: rowText }).waitFor({ timeout: timeoutMs });
    await this.page.keyboard.press('Enter');
    // The next step replaces the title; waiting for it keeps a fast Enter from landing on this one.
    await this.page.locator(selectors.quickInputTitle, { hasText: title }).waitFor({ state: 'hidden', timeout: timeoutMs });
  }

  async waitForQuickInputClosed(timeoutMs = COMMAND_TIMEOUT_MS): Promise<void> {
    await this.page.locator(selectors.quickInput).waitFor({ state: 'hidden', timeout: timeoutMs });
  }

  /** Opens a workspace file through Quick Open (Ctrl+P) and waits for its editor tab. */
  async openFile(relativePath: string, timeoutMs = COMMAND_TIMEOUT_MS): Promise<void> {
    const name = relativePath.split('/').pop() ?? relativePath;
    await this.pickFromQuickInput('Control+P', relativePath, name, timeoutMs);
    await this.waitForQuickInputClosed(timeoutMs);
    await this.page.locator(selectors.activeEditorTab, { hasText: name }).waitFor({ timeout: timeoutMs });
  }

  /** The webview frame (inside VS Code's two nested iframes) that contains `selector`. Several
   * webviews can be open, so the frame is told apart by an element only it renders. */
  async webviewFrame(selector: string, timeoutMs = COMMAND_TIMEOUT_MS): Promise<Frame> {
    return retry(`a webview containing ${selector}`, timeoutMs, async () => {
      for (const frame of this.page.frames()) {
        if (frame === this.page.mainFrame() || frame.isDetached()) continue;
        if ((await frame.locator(selector).count().catch(() => 0)) > 0) return frame;
      }
      return undefined;
    });
  }

  /** Texts of the notifications currently shown, as toasts or in the notification centre. */
  async readNotifications(): Promise<string[]> {
    return (await this.page.locator(selectors.notificationMessage).allTextContents()).map((text) => text.trim()).filter(Boolean);
  }

  /** Waits for a notification whose text matches; opens the notification centre in case the toast already hid. */
  async waitForNotification(pattern: RegExp, timeoutMs = COMMAND_TIMEOUT_MS): Promise<string> {
    const find = async () => (await this.readNotifications()).find((text) => pattern.test(text));
    const deadline = Date.now() + timeoutMs;
    const shown = await retry(`a notification matching ${pattern}`, timeoutMs / 2, find).catch(() => undefined);
    if (shown) return shown;
    await this.runCommand('Notifications: Show Notifications');
    return retry(`a notification matching ${pattern}`, Math.max(deadline - Date.now(), 1_000), find);
  }

  /** Waits until no notification matches (a progress notification ending, for example). */
  async waitForNoNotification(pattern: RegExp, timeoutMs = COMMAND_TIMEOUT_MS): Promise<void> {
    await retry(`no notification matching ${pattern}`, timeoutMs, async () => ((await this.readNotifications()).some((text) => pattern.test(text)) ? undefined : true));
  }

  /** Waits until an item of the status bar shows `text`; returns the whole bar's text. */
  async waitForStatusBar(text: string, timeoutMs = COMMAND_TIMEOUT_MS): Promise<string> {
    const bar = this.page.locator(selectors.statusBar);
    await bar.filter({ hasText: text }).waitFor({ timeout: timeoutMs });
    return (await bar.innerText()).replace(/\s+/g, ' ');
  }

  /** Where the first occurrence of `needle` in the active editor is drawn, or only its first `part` (a prefix). */
  async textBox(needle: string, part = needle, timeoutMs = COMMAND_TIMEOUT_MS): Promise<Box> {
    return retry(`"${needle}" in the editor`, timeoutMs, () => this.page.evaluate(({ lineSelector, needle, part }) => {
      for (const line of document.querySelectorAll(lineSelector)) {
        const at = (line.textContent ?? '').replace(/\u00a0/g, ' ').indexOf(needle);
        if (at < 0) continue;
        // The line is split into spans by token colour: find the text nodes the part starts and ends in.
        const range = document.createRange();
        const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
        let pos = 0;
        let started = false;
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const length = node.textContent?.length ?? 0;
          if (!started && at < pos + length) {
            range.setStart(node, at - pos);
            started = true;
          }
          if (started && at + part.length <= pos + length) {
            range.setEnd(node, at + part.length - pos);
            const r = range.getBoundingClientRect();
            return { x: r.x, y: r.y, width: r.width, height: r.height };
          }
          pos += length;
        }
      }
      return undefined;
    }, { lineSelector: selectors.editorLine, needle, part }));
  }

  /** The decorations drawn under a box of text (backgrounds and underlines of the overlay layer). */
  async decorationsOver(box: Box): Promise<DrawnDecoration[]> {
    return this.page.evaluate(({ overlaySelector, box }) => [...document.querySelectorAll(overlaySelector)].filter((el) => {
      const r = el.getBoundingClientRect();
      const sameLine = Math.abs(r.y + r.height / 2 - (box.y + box.height / 2)) < box.height / 2;
      const overlap = Math.min(r.right, box.x + box.width) - Math.max(r.left, box.x);
      return sameLine && overlap >= 0.6 * box.width;
    }).map((el) => {
      const style = getComputedStyle(el);
      return { background: style.backgroundColor, border: `${style.borderBottomColor} ${style.borderBottomStyle}` };
    }), { overlaySelector: selectors.editorOverlay, box });
  }

  /** A theme colour (`reasonscope.criticalTokenHarmful3Background`) as the page computes it. */
  async themeColor(id: string): Promise<string> {
    return this.page.evaluate((variable) => {
      const probe = document.createElement('div');
      probe.style.color = `var(${variable})`;
      document.querySelector('.monaco-workbench')?.append(probe);
      const color = getComputedStyle(probe).color;
      probe.remove();
      return color;
    }, `--vscode-${id.replace(/\./g, '-')}`);
  }

  /** The images in the active editor's glyph margin (gutter icons). */
  async gutterIcons(): Promise<string[]> {
    return this.page.locator(selectors.editorGlyph).evaluateAll((els) => els.map((el) => getComputedStyle(el).backgroundImage));
  }

  /** The CodeLens titles of the active editor, top to bottom. */
  async codeLenses(): Promise<{ title: string; top: number }[]> {
    const lenses = await this.page.locator(selectors.editorCodeLens).evaluateAll((els) => els.map((el) => ({ title: el.textContent ?? '', top: el.getBoundingClientRect().top })));
    return lenses.sort((a, b) => a.top - b.top);
  }

  /** The diagnostics squiggles drawn in the active editor: their severity and where they are. */
  async squiggles(): Promise<({ severity: string } & Box)[]> {
    return this.page.locator(selectors.editorSquiggle).evaluateAll((els) => els.map((el) => {
      const r = el.getBoundingClientRect();
      const severity = /squiggly-(\w+)/.exec(el.className)?.[1] ?? '';
      return { severity, x: r.x, y: r.y, width: r.width, height: r.height };
    }));
  }

  /** The text of the editor line that contains `needle`, as drawn (inlay hints included). */
  async lineText(needle: string): Promise<string | undefined> {
    const lines = await this.page.locator(selectors.editorLine).allTextContents();
    return lines.map((text) => text.replace(/\u00a0/g, ' ')).find((text) => text.includes(needle));
  }

  /** Types at the cursor as a user does. */
  async type(text: string): Promise<void> {
    await this.page.keyboard.type(text);
  }

  async press(key: string): Promise<void> {
    await this.page.keyboard.press(key);
  }

  /** Clicks the button labelled `label` on the notification matching `pattern`. */
  async clickNotificationButton(pattern: RegExp, label: string, timeoutMs = COMMAND_TIMEOUT_MS): Promise<void> {
    await this.page.locator(selectors.notificationItem, { hasText: pattern }).locator(selectors.notificationButton, { hasText: label }).first().click({ timeout: timeoutMs });
  }

  /** Clicks the CodeLens titled `title` that belongs to a line: the nearest one drawn above it. */
  async clickCodeLens(title: string, line: Box): Promise<void> {
    const links = this.page.locator(selectors.editorCodeLens, { hasText: title });
    const tops = await links.evaluateAll((els) => els.map((el) => el.getBoundingClientRect().top));
    const index = tops.map((top, i) => ({ top, i })).filter((l) => l.top < line.y).sort((a, b) => b.top - a.top)[0]?.i;
    if (index === undefined) throw new Error(`no CodeLens "${title}" above y=${line.y}`);
    await links.nth(index).click();
  }

  /** Rests the mouse on a box of text and returns the hover it opens, once it shows `expected`. */
  async hoverOver(box: Box, expected: RegExp, timeoutMs = COMMAND_TIMEOUT_MS): Promise<string> {
    const hover = this.page.locator(selectors.hover, { hasText: expected }).first();
    // The editor opens a hover after the mouse moves and rests; come in from beside the text, again
    // if the first approach was missed.
    return retry(`a hover showing ${expected}`, timeoutMs, async () => {
      await this.page.mouse.move(box.x - 40, box.y + box.height / 2);
      await this.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 5 });
      await hover.waitFor({ timeout: HOVER_WAIT_MS }).catch(() => undefined);
      return (await hover.isVisible()) ? hover.innerText() : undefined;
    });
  }

  /** Moves the mouse off the editor (onto the status bar), closing any hover. */
  async mouseAway(): Promise<void> {
    const bar = await this.page.locator(selectors.statusBar).boundingBox();
    if (bar) await this.page.mouse.move(bar.x + bar.width / 2, bar.y + bar.height / 2);
    await this.page.locator(selectors.hover).first().waitFor({ state: 'hidden' }).catch(() => undefined);
  }

  async clickAt(box: Box): Promise<void> {
    await this.page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  }

  /** The cursor position the status bar shows ("Ln 19, Col 1"). */
  async cursorPosition(): Promise<string> {
    return (await this.page.locator(selectors.cursorPosition).innerText()).trim();
  }

  /** Waits until the active editor's tab shows `name`. */
  async waitForEditor(name: string | RegExp, timeoutMs = COMMAND_TIMEOUT_MS): Promise<void> {
    await this.page.locator(selectors.activeEditorTab, { hasText: name }).waitFor({ timeout: timeoutMs });
  }

  /** Switches the colour theme as a user does, through "Preferences: Color Theme". */
  async setColorTheme(label: string, timeoutMs = COMMAND_TIMEOUT_MS): Promise<void> {
    // "Browse Color Themes in Marketplace" ranks first for the query; pick the command by its row.
    await this.page.keyboard.press('F1');
    await this.page.locator(selectors.quickInputBox).fill('>Preferences: Color Theme');
    await this.page.locator(selectors.quickInputRow, { hasText: /^Preferences: Color Theme/ }).first().click({ timeout: timeoutMs });
    await this.page.locator(selectors.themePickerInput).waitFor({ timeout: timeoutMs });
    await this.pickQuickPickItem(label, label, timeoutMs);
  }

  /** Waits until the workbench is drawn in a theme of this kind. */
  async waitForThemeKind(kind: 'light' | 'dark' | 'high-contrast', timeoutMs = COMMAND_TIMEOUT_MS): Promise<void> {
    const selector = kind === 'light' ? selectors.lightTheme : kind === 'dark' ? selectors.darkTheme : selectors.highContrastTheme;
    await this.page.locator(selector).waitFor({ timeout: timeoutMs });
  }

  async screenshot(path: string): Promise<void> {
    mkdirSync(join(path, '..'), { recursive: true });
    await this.page.screenshot({ path });
  }

  /** Closes the browser and drops its profile (caches, not evidence: ~10 MB a run). */
  async close(): Promise<void> {
    await this.context.close();
    rmSync(this.profileDir, { recursive: true, force: true });
  }

  private async pickFromQuickInput(opener: string, query: string, rowText: string, timeoutMs: number): Promise<void> {
    const input = this.page.locator(selectors.quickInputBox);
    const firstRow = this.page.locator(selectors.quickInputRow).first();
    await retry(`"${rowText}" in the quick input`, timeoutMs, async () => {
      if (!(await input.isVisible())) await this.page.keyboard.press(opener);
      await input.fill(query, { timeout: PALETTE_ROW_WAIT_MS });
      try {
        await firstRow.filter({ hasText: rowText }).waitFor({ timeout: PALETTE_ROW_WAIT_MS });
      } catch {
        await this.page.keyboard.press('Escape'); // not registered yet: reopen so the list is rebuilt
        return undefined;
      }
      await this.page.keyboard.press('Enter');
      return true;
    });
  }
}

/** Lines of an extension host log (`<user-data-dir>/logs/<time>/exthost1/remoteexthost.log`) that
 * report a failed activation. */
export function activationFailures(extensionHostLog: string): string[] {
  const lines = extensionHostLog.split('\n');
  // The error itself is logged on the line after the "failed" line.
  return lines.flatMap((line, i) => (/Activating extension .* failed/.test(line) ? [`${line} ${lines[i + 1]?.trim() ?? ''}`] : []));
}

/** Calls `attempt` until it returns a value; errors from an attempt count as "not yet". */
async function retry<T>(what: string, timeoutMs: number, attempt: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await attempt();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`);
}
