// Helpers to drive a code-server workbench (a real VS Code 1.100 in the browser) with
// playwright-core and Debian's Chromium, for the tests in test/e2e/. Written from the
// offline e2e recipe: launch the browser, build the workbench URL (with the extension
// loaded as extensionDevelopmentPath), run palette commands, find webview frames,
// wait for notifications and files, switch colour themes and take screenshots.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

// playwright-core is CommonJS: resolve it from $PLAYWRIGHT_CORE_DIR, the current
// directory, or next to this file, so this helper can live outside the project.
function loadPlaywright() {
  const bases = [process.env.PLAYWRIGHT_CORE_DIR, process.cwd(), path.dirname(new URL(import.meta.url).pathname), path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..')]
    .filter(Boolean);
  for (const base of bases) {
    try {
      return createRequire(path.join(path.resolve(base), 'noop.js'))('playwright-core');
    } catch { /* try the next base */ }
  }
  throw new Error(`playwright-core not found from ${bases.join(', ')}; npm install playwright-core (or set PLAYWRIGHT_CORE_DIR)`);
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-breakpad',
  '--disable-crash-reporter',
];

/**
 * Launch headless Chromium (Debian's /usr/bin/chromium by default).
 * profileHome: a private folder used as HOME/XDG_CONFIG_HOME for the browser,
 * so nothing lands in ~/.config/chromium.
 */
export async function launchBrowser({ executablePath, profileHome } = {}) {
  const { chromium } = loadPlaywright();
  const env = { ...process.env };
  if (profileHome) {
    fs.mkdirSync(profileHome, { recursive: true });
    env.XDG_CONFIG_HOME = profileHome;
    env.XDG_CACHE_HOME = profileHome;
  }
  return chromium.launch({
    executablePath: executablePath || process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    env,
  });
}

/**
 * Workbench URL for code-server at baseUrl, opening `folder` (absolute path on the
 * server machine), optionally loading an extension folder in development mode
 * (the browser equivalent of `code --extensionDevelopmentPath`).
 */
export function workbenchUrl(baseUrl, { folder, extensionDevelopmentPath } = {}) {
  const url = new URL(baseUrl);
  const query = [];
  if (folder) query.push(`folder=${encodeURIComponent(path.resolve(folder))}`);
  if (extensionDevelopmentPath) {
    const devUri = `vscode-remote://${url.host}${path.resolve(extensionDevelopmentPath)}`;
    query.push(`payload=${encodeURIComponent(JSON.stringify([['extensionDevelopmentPath', devUri]]))}`);
  }
  url.search = query.join('&');
  return url.toString();
}

/** Open the workbench and wait until its main parts are rendered. */
export async function openWorkbench(page, url, { timeout = 60_000 } = {}) {
  await page.goto(url, { timeout });
  await page.locator('.monaco-workbench').waitFor({ timeout });
  await page.locator('.monaco-workbench .part.editor').waitFor({ timeout });
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout });
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Run a command by its title through the command palette: F1, type, Enter.
 * Retries until the command shows up (the extension's contributions register
 * shortly after the workbench appears).
 */
export async function runCommand(page, title, { timeout = 30_000, waitHidden = true } = {}) {
  const deadline = Date.now() + timeout;
  const input = page.locator('.quick-input-widget input');
  const rows = page.locator('.quick-input-list .monaco-list-row');
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await page.keyboard.type(title, { delay: 10 });
    // The row whose label is exactly the title (the palette may focus a fuzzier match first).
    const row = rows.filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(title)}$`) }) }).first();
    try {
      await row.waitFor({ timeout: 1_500 });
    } catch (err) {
      await page.keyboard.press('Escape');
      if (Date.now() > deadline) throw new Error(`command "${title}" not found in the palette after ${attempt} tries: ${err.message}`);
      await page.waitForTimeout(500);
      continue;
    }
    if (await row.evaluate((el) => el.classList.contains('focused'))) await page.keyboard.press('Enter');
    else await row.click();
    // Done when the palette closed, or when the command opened its own quick input
    // (an input box or pick: the palette's text is gone).
    if (waitHidden) {
      await page.waitForFunction((typed) => {
        const el = document.querySelector('.quick-input-widget input');
        const widget = document.querySelector('.quick-input-widget');
        const visible = !!widget && getComputedStyle(widget).display !== 'none' && !!el && el.offsetParent !== null;
        return !visible || (el.value !== typed && el.value !== '>' + typed);
      }, `${title}`, { timeout: 10_000 });
    }
    return attempt;
  }
}

/**
 * Find a webview's content frame. VS Code nests it twice:
 *   iframe.webview (…/webview/browser/pre/index.html)
 *     > iframe#active-frame (the extension's HTML, loaded via pre/fake.html)
 * Returns the inner Frame whose body text contains `text` (and that has an element
 * matching `selector`, when given). (Playwright's
 * frame.name() keeps the id the frame had when attached, 'pending-frame',
 * so frames are matched by their parent and their text, not by name.)
 */
export async function findWebviewFrame(page, { text, selector, timeout = 30_000 } = {}) {
  const deadline = Date.now() + timeout;
  const isWebviewHost = f => !!f && f.url().includes('/webview/browser/pre/index.html');
  for (;;) {
    for (const frame of page.frames()) {
      if (!isWebviewHost(frame.parentFrame())) continue;
      try {
        // innerText is what the user reads (CSS text-transform applied); `selector` matches the DOM.
        const found = await frame.evaluate(({ text, selector }) => {
          if (!document.body) return false;
          if (selector && !document.querySelector(selector)) return false;
          return !text || document.body.innerText.includes(text);
        }, { text, selector });
        if (found) return frame;
      } catch { /* frame navigating or detached */ }
    }
    if (Date.now() > deadline) throw new Error(`no webview ${selector ? `with ${selector} ` : ''}containing ${JSON.stringify(text ?? '')} within ${timeout} ms`);
    await page.waitForTimeout(250);
  }
}

/** Wait for a file to exist (and be non-empty); returns its text. */
export async function waitForFile(file, { timeout = 15_000 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      const text = fs.readFileSync(file, 'utf8');
      if (text.length > 0) return text;
    } catch { /* not there yet */ }
    if (Date.now() > deadline) throw new Error(`${file} not written within ${timeout} ms`);
    await new Promise(r => setTimeout(r, 200));
  }
}

/** Polls `check` (sync or async) until it returns a truthy value, which is returned; throws naming `what` after `timeout` ms. */
export async function waitFor(what, check, { timeout = 30_000, interval = 200 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

/**
 * Pick each of `items` (e.g. the project, then the dataset) in the quick pick that a command
 * opens when there is a choice; an item not offered within `timeout` ms is passed over. With
 * `until` (a locator: what the command shows next), the picks stop as soon as it is visible.
 */
export async function pickIfOffered(page, items, { timeout = 3_000, until } = {}) {
  for (const item of items) {
    const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: item }).first();
    const offered = row.waitFor({ timeout }).then(() => true, () => false);
    const next = until ? until.first().waitFor({ timeout }).then(() => false, () => false) : offered;
    if (await Promise.race([offered, next])) await row.click();
    else if (until && (await until.first().isVisible().catch(() => false))) return;
  }
}

/** Wait for the modal dialog whose text matches `text`, press its `button`; returns the dialog's text. */
export async function answerDialog(page, text, button, { timeout = 30_000 } = {}) {
  const dialog = page.locator('.monaco-dialog-box', { hasText: text }).first();
  await dialog.waitFor({ timeout });
  const shown = (await dialog.innerText()).trim();
  await dialog.locator('.monaco-button', { hasText: new RegExp(`^${escapeRegExp(button)}$`) }).click();
  await dialog.waitFor({ state: 'detached', timeout: 10_000 });
  return shown;
}

/** Wait for the toast whose text matches, press its `button`; returns the toast's text. */
export async function clickNotificationButton(page, text, button, { timeout = 30_000 } = {}) {
  const toast = page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
  await toast.waitFor({ timeout });
  const shown = (await toast.innerText()).trim();
  await toast.locator('.monaco-button', { hasText: new RegExp(`^${escapeRegExp(button)}$`) }).click();
  return shown;
}

/** Wait for a notification toast whose text matches; returns its text. */
export async function waitForNotification(page, text, { timeout = 30_000 } = {}) {
  // text: a substring or a RegExp
  const toast = page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
  await toast.waitFor({ timeout });
  return (await toast.innerText()).trim();
}

/**
 * Close every notification toast (so screenshots show the editor). A toast's close button
 * shows only while the toast is hovered or focused, so each toast is hovered first; toasts
 * still showing after that are cleared with "Notifications: Clear All Notifications".
 */
export async function clearNotifications(page) {
  const toasts = page.locator('.notifications-toasts .notification-toast');
  for (let i = await toasts.count(); i > 0; i--) {
    const toast = toasts.first();
    await toast.hover({ timeout: 2_000 }).catch(() => {});
    await toast.locator('.codicon-notifications-clear').click({ timeout: 2_000 }).catch(() => {});
  }
  if (await toasts.count()) {
    await runCommand(page, 'Notifications: Clear All Notifications').catch(() => {});
    await toasts.first().waitFor({ state: 'detached', timeout: 5_000 }).catch(() => {});
  }
}

/** Answer an input box (e.g. from showInputBox): replace its text, press Enter. */
export async function answerInput(page, value, { timeout = 15_000 } = {}) {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout });
  await input.fill(value);
  await page.keyboard.press('Enter');
}

/**
 * Pick a quick-pick row by its text (a substring, a RegExp, or with `exact: true` the
 * whole label). Waits for the quick pick whose title contains `title`, when given.
 */
export async function pickQuickItem(page, text, { timeout = 15_000, exact = false, title } = {}) {
  if (title) await page.locator('.quick-input-widget .quick-input-title', { hasText: title }).waitFor({ timeout });
  const rows = page.locator('.quick-input-list .monaco-list-row');
  const row = exact
    ? rows.filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(text)}\\s*$`) }) }).first()
    : rows.filter({ hasText: text instanceof RegExp ? text : new RegExp(escapeRegExp(text)) }).first();
  await row.waitFor({ timeout });
  await row.click();
}

/** Accept the focused row of the quick pick whose title contains `title`. */
export async function acceptQuickPick(page, title, { timeout = 15_000 } = {}) {
  await page.locator('.quick-input-widget .quick-input-title', { hasText: title }).waitFor({ timeout });
  await page.locator('.quick-input-list .monaco-list-row.focused').first().waitFor({ timeout });
  await page.keyboard.press('Enter');
}

/**
 * Merge settings into the private user settings.json of the server (stateDir as given to
 * launch-code-server.sh). An open workbench picks the change up from the file.
 */
export function setUserSettings(stateDir, settings) {
  mergeSettingsFile(path.join(stateDir, 'user-data', 'User', 'settings.json'), settings);
}

/**
 * Merge settings into the server's Machine settings.json (the "Remote" settings of code-server's
 * window). A machine-scoped setting (embeddingLab.python) belongs there: in a remote window the
 * workbench ignores a machine-scoped value in the user settings once it knows the setting's scope,
 * so a value put in the user settings applies only if the extension reads it before that.
 * A value `undefined` removes the key.
 */
export function setMachineSettings(stateDir, settings) {
  mergeSettingsFile(path.join(stateDir, 'user-data', 'Machine', 'settings.json'), settings);
}

function mergeSettingsFile(file, settings) {
  let current = {};
  try { current = JSON.parse(fs.readFileSync(file, 'utf8')); } catch { /* new file */ }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const merged = { ...current, ...settings };
  for (const [key, value] of Object.entries(settings)) if (value === undefined) delete merged[key];
  fs.writeFileSync(file, JSON.stringify(merged, null, 2));
}

/**
 * Turn a boolean setting on or off the way a user does: "Preferences: Open Settings (UI)", its id
 * typed in the search box, its checkbox clicked; waits until the checkbox shows `value`. The
 * Settings editor is left open (the caller goes back to its own tab).
 */
export async function setBooleanSettingInUi(page, id, value, { timeout = 30_000 } = {}) {
  await runCommand(page, 'Preferences: Open Settings (UI)');
  const search = page.locator('.settings-editor .settings-header .suggest-input-container .monaco-editor').first();
  await search.waitFor({ timeout });
  await search.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.type(id, { delay: 5 });
  const checkbox = page.locator('.settings-editor .settings-body .setting-item-bool .setting-value-checkbox').first();
  await page.locator('.settings-editor .settings-count-widget', { hasText: /^1 Setting Found$/ }).waitFor({ timeout });
  await checkbox.waitFor({ timeout });
  if ((await checkbox.getAttribute('aria-checked')) !== String(value)) await checkbox.click();
  await page.waitForFunction((want) => document.querySelector('.settings-editor .settings-body .setting-item-bool .setting-value-checkbox')?.getAttribute('aria-checked') === want, String(value), { timeout });
}

export const THEMES = {
  dark: { name: 'Default Dark Modern', label: 'Dark Modern', className: 'vs-dark' },
  light: { name: 'Default Light Modern', label: 'Light Modern', className: 'vs' },
  hcDark: { name: 'Default High Contrast', label: 'Dark High Contrast', className: 'hc-black' },
  hcLight: { name: 'Default High Contrast Light', label: 'Light High Contrast', className: 'hc-light' },
};

/**
 * Switch the colour theme through the palette ("Preferences: Color Theme", the way a user
 * does it; VS Code stores it as `workbench.colorTheme`) and wait until the workbench shows
 * it. The picker is reopened when it opened before the built-in themes were registered (it
 * then lists none). `stateDir` is unused (kept for callers that pass it): a change written to
 * the server's settings.json is not picked up by an open workbench quickly enough.
 */
export async function setColorTheme(page, stateDir, theme, { timeout = 40_000 } = {}) {
  const t = THEMES[theme] ?? theme;
  const isOn = () => page.evaluate((cls) => !!document.querySelector('.monaco-workbench')?.classList.contains(cls), t.className);
  if (await isOn()) return;
  const waitOn = (ms) => page.waitForFunction((cls) => document.querySelector('.monaco-workbench')?.classList.contains(cls), t.className, { timeout: ms }).then(() => true, () => false);
  const deadline = Date.now() + timeout;
  const input = page.locator('.quick-input-widget input');
  const row = page.locator('.quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^(${escapeRegExp(t.label)}|${escapeRegExp(t.name)})$`) }) }).first();
  for (;;) {
    await runCommand(page, 'Preferences: Color Theme', { waitHidden: false });
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(t.label);
    if (await row.waitFor({ timeout: 3_000 }).then(() => true, () => false)) break;
    await page.keyboard.press('Escape');
    if (Date.now() > deadline) throw new Error(`the colour theme "${t.label}" is not offered by the picker`);
    await page.waitForTimeout(1_000);
  }
  await row.click();
  if (!(await waitOn(timeout))) throw new Error(`the workbench did not switch to ${t.label}`);
  await page.waitForTimeout(500);
}

/** Screenshot into the artifacts folder; returns the file path. */
export async function screenshot(page, artifacts, name) {
  fs.mkdirSync(artifacts, { recursive: true });
  const file = path.join(artifacts, name.endsWith('.png') ? name : `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Reveal a view by its title in the explorer side bar (e.g. "Embedding Lab"). */
export async function revealExplorerView(page, title, { timeout = 20_000 } = {}) {
  const header = page.locator('.part.sidebar .pane-header', { hasText: title }).first();
  if (!(await header.isVisible().catch(() => false))) {
    await page.keyboard.press('Control+Shift+E').catch(() => {});
  }
  await header.waitFor({ timeout });
  if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
  return header;
}

/** Open a view container of the activity bar by its title (e.g. "Embedding Lab"). */
export async function openActivityView(page, title, { timeout = 20_000 } = {}) {
  const item = page.locator(`.part.activitybar .action-item a.action-label[aria-label^="${title}"]`).first();
  await item.waitFor({ timeout });
  const checked = await item.evaluate((el) => el.closest('.action-item')?.classList.contains('checked'));
  if (!checked) await item.click();
  await page.locator('.part.sidebar .composite.title', { hasText: title }).first().waitFor({ timeout });
}

/**
 * The extension's log (its "Embedding Lab" output channel, as code-server writes it under the
 * server's state folder: user-data/logs/<session>/exthost<n>/<publisher.name>/<channel>.log), all
 * sessions joined, oldest first; '' before the extension wrote anything.
 */
export function readExtensionLog(stateDir, { extension = 'embedding-lab.embedding-lab', channel = 'Embedding Lab' } = {}) {
  const logs = path.join(stateDir, 'user-data', 'logs');
  const files = [];
  for (const session of fs.existsSync(logs) ? fs.readdirSync(logs).sort() : []) {
    const dir = path.join(logs, session);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const host of fs.readdirSync(dir).filter((d) => d.startsWith('exthost')).sort()) {
      const file = path.join(dir, host, extension, `${channel}.log`);
      if (fs.existsSync(file)) files.push(file);
    }
  }
  return files.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
}
