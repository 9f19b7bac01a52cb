// End-to-end: the extension in a real VS Code (code-server) with the sample workspace.
// Checks activation on a workspace with a project, the project view (datasets with
// sizes), a job in the engine child process with progress, Clean Data (preview, apply),
// and saves screenshots in the dark and light themes. (New Project and the rest of the
// loop: workflow.e2e.test.mjs.)
// Run through `npm run test:e2e` (it sets the E2E_* environment).
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  launchBrowser, workbenchUrl, openWorkbench, runCommand, waitForNotification,
  setColorTheme, screenshot, openActivityView, clearNotifications,
} from '../../scripts/e2e/vscode-e2e.mjs';

const baseUrl = process.env.E2E_URL;
const workspace = process.env.E2E_WORKSPACE;
const state = process.env.E2E_STATE;
const devPath = process.env.E2E_EXTENSION_DEV_PATH || undefined;
const artifacts = path.resolve(process.env.E2E_ARTIFACTS || '.vscode-e2e/artifacts');

const treeRow = (page, text) => page.locator('.part.sidebar .monaco-list-row', { hasText: text }).first();

test('project view, engine job and Clean Data in a real VS Code', { timeout: 240_000 }, async (t) => {
  assert.ok(baseUrl && workspace && state, 'run through `npm run test:e2e` (E2E_URL, E2E_WORKSPACE, E2E_STATE)');
  const browser = await launchBrowser({ profileHome: path.join(artifacts, '.browser-home') });
  t.after(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  try {
    let t0 = Date.now();
    await openWorkbench(page, workbenchUrl(baseUrl, { folder: workspace, extensionDevelopmentPath: devPath }));
    t.diagnostic(`workbench ready in ${Date.now() - t0} ms`);

    // Activation on workspaceContains:**/project.json, then the tree shows the sample project.
    t0 = Date.now();
    await openActivityView(page, 'Embedding Lab');
    await treeRow(page, 'ag-news-sample').waitFor({ timeout: 30_000 });
    await treeRow(page, '300 records').waitFor({ timeout: 15_000 });
    t.diagnostic(`project view filled in ${Date.now() - t0} ms`);

    // A job in the engine child process, with progress in a notification.
    t0 = Date.now();
    const tries = await runCommand(page, 'Embedding Lab: Check Engine');
    const note = await waitForNotification(page, 'the engine process (pid', { timeout: 60_000 });
    assert.match(note, /round trip \d+ ms/);
    t.diagnostic(`engine job ran in ${Date.now() - t0} ms (palette tries: ${tries}): ${note.split('\n')[0]}`);

    // Clean Data: default rules, preview as a Markdown report, then Apply from the notification.
    t0 = Date.now();
    await runCommand(page, 'Embedding Lab: Clean Data');
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Clean "ag-news": rules' }).waitFor({ timeout: 30_000 });
    await page.keyboard.press('Enter');
    const question = await waitForNotification(page, 'cleaning would change', { timeout: 90_000 });
    const [, changed, removed] = question.match(/change (\d+) texts and remove (\d+) of 300 records/) ?? [];
    assert.ok(changed !== undefined, `unexpected preview message: ${question}`);
    await page.locator('.tabs-container .tab', { hasText: 'Cleaning preview of ag-news' }).first().waitFor({ timeout: 15_000 });
    await page.locator('.part.editor .view-lines', { hasText: 'Cleaning preview of "ag-news"' }).first().waitFor({ timeout: 15_000 });
    t.diagnostic(`Clean Data preview in ${Date.now() - t0} ms: ${changed} changed, ${removed} removed`);
    t.diagnostic(`screenshot: ${await screenshot(page, artifacts, 'clean-preview')}`);
    await page.locator('.notifications-toasts .notification-toast', { hasText: 'cleaning would change' })
      .locator('.monaco-button', { hasText: 'Apply' }).click();
    await waitForNotification(page, `cleaned: 300 → ${300 - Number(removed)} records`, { timeout: 90_000 });
    const datasetFile = path.join(workspace, 'ag-news-sample', 'data', 'ag-news.jsonl');
    const lines = fs.readFileSync(datasetFile, 'utf8').split('\n').filter(Boolean).length;
    assert.equal(lines, 300 - Number(removed));
    await treeRow(page, `${lines} records`).waitFor({ timeout: 15_000 });
    t.diagnostic(`Clean Data applied in ${Date.now() - t0} ms total`);
    await clearNotifications(page);

    await clearNotifications(page);
    await treeRow(page, 'ag-news-sample').hover();
    for (const theme of ['dark', 'light']) {
      await setColorTheme(page, state, theme);
      t.diagnostic(`screenshot: ${await screenshot(page, artifacts, `project-view-${theme}`)}`);
    }
    await setColorTheme(page, state, 'dark');
  } catch (err) {
    await page.screenshot({ path: path.join(artifacts, 'failure-project.png') }).catch(() => {});
    if (pageErrors.length) t.diagnostic(`page errors: ${pageErrors.slice(0, 5).join(' | ')}`);
    throw err;
  }
});
