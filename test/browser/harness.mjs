// Browser-test harness: bundles webview/<name>/main.ts with esbuild into a temp dir, serves a
// page that looks like a VS Code webview (theme variables on <html>, vscode-dark/light body
// class, the vscode-elements bundle, media/webview.css) with a fake acquireVsCodeApi that
// answers requests from fixture data, and launches Debian chromium through playwright-core.
import * as esbuild from 'esbuild';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';
import { THEMES } from './themes.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const root = resolve(here, '..', '..');
export const screenshotDir = join(root, 'test', 'browser', 'screenshots');

const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
];

/** Launches headless Debian chromium. */
export async function launchBrowser() {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) throw new Error(`${executablePath} is missing: apt-get install -y --no-install-recommends chromium`);
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
}

/** Bundles every webview entry once into a temp dir; returns the dir. */
export async function buildWebviews(names = ['map', 'annotate', 'runs']) {
  const out = mkdtempSync(join(tmpdir(), 'embedlab-webview-'));
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: Object.fromEntries(names.map((n) => [n, `webview/${n}/main.ts`])),
    outdir: out,
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    tsconfig: join(root, 'webview', 'tsconfig.json'),
    logLevel: 'silent',
  });
  return out;
}

/** A known theme name from a query parameter (dark by default). */
const themeName = (t) => (t && Object.hasOwn(THEMES, t) ? t : 'dark');

const NONCE = 'dGVzdC1ub25jZS0xMjM0';
/** The same CSP the extension uses (src/host/panels/common/html.ts), with 'self' for cspSource. */
const CSP = `default-src 'none'; img-src 'self' data:; font-src 'self'; style-src 'self' 'nonce-${NONCE}'; script-src 'self' 'nonce-${NONCE}'`;

function page(panel, theme) {
  const t = THEMES[theme];
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="UTF-8"><title>${panel}</title>
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<script nonce="${NONCE}" src="/theme.js?theme=${theme}"></script>
<link rel="stylesheet" nonce="${NONCE}" href="/webview.css">
<script nonce="${NONCE}" src="/fixture.js"></script>
<script nonce="${NONCE}" src="/fake-host.js"></script>
</head>
<body class="${t.bodyClass}" data-vscode-theme-kind="${t.bodyClass}" data-restore="test-key" data-panel="${panel}">
<div id="app" class="app app-${panel}"></div>
<script type="module" nonce="${NONCE}" src="/vscode-elements.js"></script>
<script nonce="${NONCE}" src="/bundle/${panel}.js"></script>
</body></html>`;
}

/**
 * Serves one panel. `fixture` is JSON data for the fake host; `mapFixture` is used by the runs
 * panel's getRunMap. Returns { url(theme, state?), close() }.
 */
export async function servePanel(bundleDir, panel, fixture, extra = {}) {
  const fixtureJs = `window.__PANEL__ = ${JSON.stringify(panel)};\nwindow.__FIXTURE__ = ${JSON.stringify(fixture)};\nwindow.__MAP_FIXTURE__ = ${JSON.stringify(extra.mapFixture ?? null)};`;
  const files = {
    '/webview.css': [join(root, 'media', 'webview.css'), 'text/css'],
    '/fake-host.js': [join(here, 'fake-host.js'), 'text/javascript'],
    '/vscode-elements.js': [join(root, 'node_modules', '@vscode-elements', 'elements', 'dist', 'bundled.js'), 'text/javascript'],
  };
  const server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const send = (body, type) => {
      res.writeHead(200, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (u.pathname === '/') {
      const theme = themeName(u.searchParams.get('theme'));
      const state = u.searchParams.get('state');
      let html = page(panel, theme);
      if (state) html = html.replace(`<script nonce="${NONCE}" src="/fake-host.js">`, `<script nonce="${NONCE}">window.__INITIAL_STATE__ = ${state};</script><script nonce="${NONCE}" src="/fake-host.js">`);
      return send(html, 'text/html');
    }
    if (u.pathname === '/fixture.js') return send(fixtureJs, 'text/javascript');
    if (u.pathname === '/theme.js') {
      // like VS Code: theme variables set through CSSOM on <html> (inline style attributes are blocked by the CSP)
      const theme = themeName(u.searchParams.get('theme'));
      return send(`for (const [k, v] of Object.entries(${JSON.stringify(THEMES[theme].vars)})) document.documentElement.style.setProperty(k, v);`, 'text/javascript');
    }
    if (u.pathname.startsWith('/bundle/')) {
      const f = join(bundleDir, u.pathname.slice('/bundle/'.length));
      if (existsSync(f)) return send(readFileSync(f), 'text/javascript');
    }
    const file = files[u.pathname];
    if (file && existsSync(file[0])) return send(readFileSync(file[0]), file[1]);
    res.writeHead(404);
    res.end();
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const port = server.address().port;
  return {
    url: (theme = 'dark', state) => `http://127.0.0.1:${port}/?theme=${theme}${state ? `&state=${encodeURIComponent(JSON.stringify(state))}` : ''}`,
    close: () => new Promise((ok) => server.close(ok)),
  };
}

/** Opens a page, collects page errors, waits for the panel's data-ready flag. */
export async function openPanel(browser, url, viewport = { width: 1200, height: 800 }, initScript) {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  const p = await context.newPage();
  if (initScript) await p.addInitScript(initScript);
  const errors = [];
  p.on('pageerror', (e) => errors.push(String(e)));
  p.on('console', (m) => { if (m.type() === 'error' && !/favicon|404/.test(m.text())) errors.push(m.text()); });
  await p.goto(url);
  await p.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  return { page: p, errors, close: () => context.close() };
}

export async function screenshot(p, name) {
  mkdirSync(screenshotDir, { recursive: true });
  const file = join(screenshotDir, `${name}.png`);
  await p.screenshot({ path: file });
  return file;
}

export function removeDir(dir) {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * The before/after of a suite on one panel: bundles the panel, serves it with `fixture` (an object,
 * or an async function that makes one), launches chromium; `open(theme, viewport)` opens a page.
 * Registers node:test's before and after hooks in the calling file.
 */
export function panelSuite(panel, fixture) {
  let dir, server, browser;
  before(async () => {
    const data = typeof fixture === 'function' ? await fixture() : fixture;
    dir = await buildWebviews([panel]);
    server = await servePanel(dir, panel, data);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    if (dir) removeDir(dir);
  });
  return { open: (theme, viewport, initScript) => openPanel(browser, server.url(theme), viewport, initScript) };
}
