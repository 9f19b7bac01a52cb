// End-to-end: "Fine-tune…" from the command palette with its quick picks (data, loss,
// mode, epochs, batch size, learning rate), a head fine-tune in the engine process,
// and the run in the project view. Until the built-in encoder lands, the sample project
// is pointed at the tiny ONNX test model (test/fixtures/models/tiny-bert-st6).
// Run through `npm run test:e2e`.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  launchBrowser, workbenchUrl, openWorkbench, runCommand, waitForNotification, pickQuickItem,
  acceptQuickPick, screenshot, openActivityView, clearNotifications, setColorTheme, findWebviewFrame,
} from '../../scripts/e2e/vscode-e2e.mjs';

const baseUrl = process.env.E2E_URL;
const workspace = process.env.E2E_WORKSPACE;
const state = process.env.E2E_STATE;
const devPath = process.env.E2E_EXTENSION_DEV_PATH || undefined;
const artifacts = path.resolve(process.env.E2E_ARTIFACTS || '.vscode-e2e/artifacts');
const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const treeRow = (page, text) => page.locator('.part.sidebar .monaco-list-row', { hasText: text }).first();

test('Fine-tune… from the palette runs a head fine-tune and the run shows in the project view', { timeout: 300_000 }, async (t) => {
  assert.ok(baseUrl && workspace && state, 'run through `npm run test:e2e`');
  const projectDir = path.join(workspace, 'ag-news-sample');
  const projectFile = path.join(projectDir, 'project.json');
  const project = JSON.parse(fs.readFileSync(projectFile, 'utf8'));
  project.encoder = path.join(repo, 'test/fixtures/models/tiny-bert-st6');
  fs.writeFileSync(projectFile, JSON.stringify(project, null, 2) + '\n');
  // Only the sample project: other tests may have made more.
  for (const name of fs.readdirSync(workspace)) {
    const dir = path.join(workspace, name);
    if (dir !== projectDir && fs.existsSync(path.join(dir, 'project.json'))) fs.rmSync(dir, { recursive: true, force: true });
  }

  const browser = await launchBrowser({ profileHome: path.join(artifacts, '.browser-home') });
  t.after(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  try {
    await openWorkbench(page, workbenchUrl(baseUrl, { folder: workspace, extensionDevelopmentPath: devPath }));
    await setColorTheme(page, state, 'dark');
    await openActivityView(page, 'Embedding Lab');
    await treeRow(page, 'ag-news-sample').waitFor({ timeout: 30_000 });

    let t0 = Date.now();
    await runCommand(page, 'Embedding Lab: Fine-tune…');
    await pickQuickItem(page, 'ag-news', { title: 'training data', exact: true });
    await acceptQuickPick(page, 'loss'); // MNR, the default, comes first
    await acceptQuickPick(page, 'what to train'); // head only
    await pickQuickItem(page, '1', { title: 'epochs', exact: true });
    await acceptQuickPick(page, 'batch size'); // 16
    await acceptQuickPick(page, 'learning rate'); // 2e-5
    t.diagnostic(`quick picks answered in ${Date.now() - t0} ms`);

    t0 = Date.now();
    const done = await waitForNotification(page, /run \S+ completed in/, { timeout: 180_000 });
    t.diagnostic(`fine-tune finished in ${Date.now() - t0} ms: ${done.replace(/\s+/g, ' ').slice(0, 160)}`);
    const runs = fs.readdirSync(path.join(projectDir, 'runs'));
    assert.equal(runs.length, 1);
    const summary = JSON.parse(fs.readFileSync(path.join(projectDir, 'runs', runs[0], 'summary.json'), 'utf8'));
    assert.equal(summary.status, 'completed');
    assert.equal(summary.loss, 'mnr');

    await clearNotifications(page);
    await treeRow(page, 'Runs').click();
    await treeRow(page, runs[0]).filter({ hasText: 'completed' }).waitFor({ timeout: 15_000 });
    t.diagnostic(`screenshot: ${await screenshot(page, artifacts, 'finetune-run-dark')}`);

    // The run in the run comparison, and the dataset's cluster map (panels open; their
    // own tests check their contents).
    t0 = Date.now();
    await runCommand(page, 'Embedding Lab: Compare Runs');
    await findWebviewFrame(page, { text: 'mnr', timeout: 60_000 });
    await page.waitForTimeout(1000);
    t.diagnostic(`run comparison shown in ${Date.now() - t0} ms; screenshot: ${await screenshot(page, artifacts, 'runs-panel-dark')}`);
    t0 = Date.now();
    await runCommand(page, 'Embedding Lab: Open Cluster Map');
    await page.locator('.tabs-container .tab', { hasText: 'ag-news' }).first().waitFor({ timeout: 60_000 });
    // The map job shows in the status bar while it runs (embed, kNN, UMAP, k-means).
    await page.locator('.part.statusbar', { hasText: 'Cluster map of ag-news' }).waitFor({ timeout: 30_000 }).catch(() => {});
    await page.locator('.part.statusbar', { hasText: 'Cluster map of ag-news' }).waitFor({ state: 'detached', timeout: 180_000 });
    await page.waitForTimeout(2000);
    t.diagnostic(`cluster map in ${Date.now() - t0} ms; screenshot: ${await screenshot(page, artifacts, 'map-panel-dark')}`);
  } catch (err) {
    await page.screenshot({ path: path.join(artifacts, 'failure-finetune.png') }).catch(() => {});
    throw err;
  }
});
