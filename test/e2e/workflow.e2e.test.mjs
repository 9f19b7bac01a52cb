// End-to-end: the whole loop a new user goes through, in a real VS Code (code-server) with
// the extension loaded, from the small fixture that ships with the repo:
//   New Project → Import Data (open dialog, field quick picks) → Embed → Cluster (quick pick)
//   → the cluster map (points drawn, legend with topic keywords, neighbours on click,
//   search) → Annotate Pairs (three pairs with the keys 1–5; annotations.jsonl has 3 lines)
//   → Fine-tune… (quick picks, a short head fine-tune) → Compare Runs (the run under the
//   name the toast gave, its before/after maps, a rename saved to meta.jsonl and the tree).
// Screenshots of each webview in the dark and light themes (and the map in high contrast) go
// to docs/screenshots/ (for the README; E2E_SCREENSHOTS overrides the folder), the others to
// the artifacts folder.
// Run through `npm run test:e2e` (it sets the E2E_* environment).
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  launchBrowser, workbenchUrl, openWorkbench, runCommand, waitForNotification, waitForFile, answerInput, pickQuickItem,
  acceptQuickPick, screenshot, openActivityView, clearNotifications, setColorTheme, findWebviewFrame, waitFor,
} from '../../scripts/e2e/vscode-e2e.mjs';

const baseUrl = process.env.E2E_URL;
const workspace = process.env.E2E_WORKSPACE;
const state = process.env.E2E_STATE;
const devPath = process.env.E2E_EXTENSION_DEV_PATH || undefined;
const artifacts = path.resolve(process.env.E2E_ARTIFACTS || '.vscode-e2e/artifacts');
const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const shots = path.resolve(process.env.E2E_SCREENSHOTS || path.join(repo, 'docs/screenshots'));
const PROJECT = 'news-demo';
const DATASET = 'ag-news-300';

const treeRow = (page, text) => page.locator('.part.sidebar .monaco-list-row', { hasText: text }).first();
const toast = (page, text) => page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
const lineCount = (file) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0);

/** Painted (non-transparent) pixels of the map's canvas, read back inside the webview. */
function paintedPixels(frame, selector) {
  return frame.evaluate((sel) => {
    const src = document.querySelector(sel);
    if (!src || !src.width || !src.height) return 0;
    const c = document.createElement('canvas');
    c.width = src.width;
    c.height = src.height;
    const ctx = c.getContext('2d');
    ctx.drawImage(src, 0, 0);
    const data = ctx.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
    return n;
  }, selector);
}

/** A point's position inside the scatter's overlay element (from the page's own projection). */
function pointPosition(frame, index) {
  return frame.evaluate((i) => {
    const s = window.__map.scatter;
    const p = s.clientPositionOf(i);
    const r = document.querySelector('.scatter-overlay').getBoundingClientRect();
    return { x: p.x - r.left, y: p.y - r.top };
  }, index);
}

/** Screenshot of the whole workbench for the README, after the toasts are gone. */
async function readmeShot(page, name, { keepPointer = false } = {}) {
  await clearNotifications(page);
  if (!keepPointer) await page.mouse.move(640, 799).catch(() => {});
  await page.locator('.part.statusbar', { hasText: 'Activating Extensions' }).waitFor({ state: 'detached', timeout: 10_000 }).catch(() => {});
  await page.waitForTimeout(400);
  return screenshot(page, shots, name);
}

test('a new project from the fixture: embed, cluster, map, annotate, fine-tune, compare runs', { timeout: 420_000 }, async (t) => {
  assert.ok(baseUrl && workspace && state, 'run through `npm run test:e2e`');
  const projectDir = path.join(workspace, PROJECT);
  fs.rmSync(projectDir, { recursive: true, force: true });
  const fixture = path.join(workspace, 'ag-news-300.jsonl');
  assert.ok(fs.existsSync(fixture), 'the sample workspace has the raw fixture file');

  const browser = await launchBrowser({ profileHome: path.join(artifacts, '.browser-home') });
  t.after(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  const timings = {};
  let t0 = Date.now();
  const lap = (name) => {
    timings[name] = Date.now() - t0;
    t.diagnostic(`${name}: ${timings[name]} ms`);
    t0 = Date.now();
  };
  try {
    await openWorkbench(page, workbenchUrl(baseUrl, { folder: workspace, extensionDevelopmentPath: devPath }));
    await setColorTheme(page, state, 'dark');
    await openActivityView(page, 'Embedding Lab');
    await treeRow(page, 'ag-news-sample').waitFor({ timeout: 30_000 });
    lap('workbench and project view');

    // ---- New Project, then Import Data from its notification --------------------------
    await runCommand(page, 'Embedding Lab: New Project');
    await answerInput(page, PROJECT);
    await waitForFile(path.join(projectDir, 'project.json'));
    await toast(page, `project "${PROJECT}" created`).locator('.monaco-button', { hasText: 'Import Data' }).click();
    // The open dialog (VS Code's own, in the browser): once it shows its folder, type the path.
    const input = page.locator('.quick-input-widget input');
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Import Data' }).waitFor({ timeout: 15_000 });
    await waitFor('the open dialog to list its folder', async () => (await input.inputValue()).endsWith('/') && (await page.locator('.quick-input-list .monaco-list-row', { hasText: 'project.json' }).count()) > 0);
    await page.waitForTimeout(500);
    await input.fill(fixture);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'stsb-100.jsonl' }).first().waitFor({ timeout: 10_000 });
    await page.waitForTimeout(300);
    assert.equal(await input.inputValue(), fixture);
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Fields that make the text' }).waitFor({ timeout: 30_000 });
    await page.keyboard.press('Enter'); // title and description are preselected
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Text template' }).waitFor({ timeout: 15_000 });
    assert.equal(await input.inputValue(), '{title}. {description}');
    await page.keyboard.press('Enter');
    await pickQuickItem(page, 'label', { title: 'Label field', exact: true });
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Dataset name' }).waitFor({ timeout: 15_000 });
    assert.equal(await input.inputValue(), DATASET);
    await page.keyboard.press('Enter');
    await waitForNotification(page, `imported 300 records into "${DATASET}"`, { timeout: 60_000 });
    const project = JSON.parse(fs.readFileSync(path.join(projectDir, 'project.json'), 'utf8'));
    assert.deepEqual(project.datasets.map((d) => [d.name, d.count, d.label]), [[DATASET, 300, 'label']]);
    await treeRow(page, PROJECT).waitFor({ timeout: 15_000 });
    lap('new project and import');

    // ---- Embed and Cluster ---------------------------------------------------------------
    await clearNotifications(page);
    await runCommand(page, 'Embedding Lab: Embed');
    const embedded = await waitForNotification(page, /embedded 300 texts/, { timeout: 90_000 });
    assert.match(embedded, /with Built-in \(TF-IDF\/LSA\)/);
    assert.doesNotMatch(embedded, /builtin:[0-9a-f]/, 'no encoder hash in the toast');
    lap('embed (built-in encoder)');
    // The Embed toast offers Cluster, which runs Cluster on that dataset.
    await toast(page, /embedded 300 texts/).locator('.monaco-button', { hasText: 'Cluster' }).click();
    await pickQuickItem(page, 'HDBSCAN, outliers reassigned', { title: 'Cluster — algorithm', exact: true });
    const clustered = await waitForNotification(page, `clusters in "${DATASET}"`, { timeout: 120_000 });
    const clusterCount = Number(clustered.match(/(\d+) clusters in/)?.[1]);
    assert.ok(clusterCount >= 2, clustered);
    assert.match(clustered, /NMI \d\.\d\d/);
    assert.equal(fs.readdirSync(path.join(projectDir, '.cache', 'clusters')).filter((f) => f.endsWith('.bin')).length, 1, 'the clustering is saved in the project cache');
    lap('cluster (HDBSCAN)');

    // ---- The cluster map -------------------------------------------------------------------
    await toast(page, `clusters in "${DATASET}"`).locator('.monaco-button', { hasText: 'Open Cluster Map' }).click();
    const map = await findWebviewFrame(page, { selector: '#legend', timeout: 60_000 });
    await map.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 60_000 });
    assert.match(await map.locator('#status').textContent(), new RegExp(`^300 points · ${clusterCount} clusters`));
    assert.match(await map.locator('#caption').textContent(), /^HDBSCAN \(min size 10, outliers reassigned\) · builtin · NMI \d\.\d\d$/);
    const keywords = await map.locator('#legend .legend-keywords').allTextContents();
    assert.equal(keywords.length, clusterCount, 'one legend row per cluster (no outliers left)');
    assert.ok(keywords.every((k) => k.split(', ').length >= 3), `topic keywords in the legend: ${keywords.join(' | ')}`);
    const painted = await paintedPixels(map, '.scatter-gl');
    assert.ok(painted > 1000, `the points are drawn (${painted} painted pixels)`);
    t.diagnostic(`map: ${clusterCount} clusters, ${painted} painted pixels, renderer ${await map.locator('.plot').getAttribute('data-renderer')}`);
    // Search: words and meaning.
    await map.locator('#search input').fill('oil prices');
    await map.waitForFunction(() => document.querySelector('#status').dataset.textMatches !== '', null, { timeout: 30_000 });
    const textMatches = Number(await map.evaluate(() => document.querySelector('#status').dataset.textMatches));
    assert.ok(textMatches >= 1, 'some texts contain "oil prices"');
    await map.locator('#search-results .neighbour').first().waitFor({ timeout: 30_000 });
    assert.match(await map.locator('#search-results .neighbour-text').first().textContent(), /oil/i, 'the closest in meaning is about oil');
    await map.locator('#search input').fill('');
    await map.waitForFunction(() => !document.querySelector('#status').dataset.textMatches, null, { timeout: 10_000 });
    // Click a point: its nearest neighbours in the embedding space; hover shows its text.
    const pos = await pointPosition(map, 0);
    await map.locator('.scatter-overlay').click({ position: pos });
    await map.locator('#neighbours .neighbour').nth(9).waitFor({ timeout: 30_000 });
    await map.locator('.scatter-overlay').hover({ position: pos });
    await map.locator('#tooltip:not([hidden])').waitFor({ timeout: 10_000 });
    lap('cluster map');
    await clearNotifications(page);
    await map.locator('.scatter-overlay').hover({ position: pos });
    t.diagnostic(`screenshot: ${await readmeShot(page, 'map-dark', { keepPointer: true })}`);
    await setColorTheme(page, state, 'hcDark');
    await map.locator('.scatter-overlay').hover({ position: { x: pos.x, y: pos.y + 1 } });
    await map.locator('#tooltip:not([hidden])').waitFor({ timeout: 10_000 });
    t.diagnostic(`screenshot: ${await readmeShot(page, 'map-hc', { keepPointer: true })}`);
    await setColorTheme(page, state, 'light');
    await map.locator('.scatter-overlay').hover({ position: { x: pos.x + 1, y: pos.y } });
    await map.locator('#tooltip:not([hidden])').waitFor({ timeout: 10_000 });
    t.diagnostic(`screenshot: ${await readmeShot(page, 'map-light', { keepPointer: true })}`);

    // ---- Annotate three pairs with the keyboard ------------------------------------------
    const annotations = path.join(projectDir, 'annotations.jsonl');
    await runCommand(page, 'Embedding Lab: Annotate Pairs');
    const annotate = await findWebviewFrame(page, { selector: '#anchors', timeout: 60_000 });
    t.diagnostic(`annotation panel open in ${Date.now() - t0} ms`);
    await annotate.waitForFunction(() => !!document.body.dataset.pair, null, { timeout: 60_000 });
    t.diagnostic(`first pair shown after ${Date.now() - t0} ms`);
    await annotate.locator('#left').click();
    const keys = ['4', '2', '5'];
    const seen = [];
    for (const [k, key] of keys.entries()) {
      seen.push(await annotate.evaluate(() => document.body.dataset.pair));
      await page.keyboard.press(key);
      await waitFor(`annotation ${k + 1} on disk`, () => lineCount(annotations) === k + 1);
      await annotate.waitForFunction((prev) => !!document.body.dataset.pair && document.body.dataset.pair !== prev, seen.at(-1), { timeout: 60_000 });
    }
    const entries = fs.readFileSync(annotations, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(entries.length, 3);
    assert.deepEqual(entries.map((e) => e.score), [0.75, 0.25, 1]);
    assert.deepEqual(entries.map((e) => `${e.id1}|${e.id2}`), seen);
    assert.ok(entries.every((e) => e.annotator && e.time), 'annotator and time recorded');
    await annotate.locator('#progress[data-annotated="3"]').waitFor({ timeout: 15_000 });
    await treeRow(page, '3 pairs').waitFor({ timeout: 15_000 });
    lap('annotate three pairs');
    t.diagnostic(`screenshot: ${await readmeShot(page, 'annotate-light')}`);
    await setColorTheme(page, state, 'dark');
    t.diagnostic(`screenshot: ${await readmeShot(page, 'annotate-dark')}`);

    // ---- Fine-tune… from the palette -------------------------------------------------------
    await runCommand(page, 'Embedding Lab: Fine-tune…');
    await pickQuickItem(page, DATASET, { title: 'training data', exact: true });
    await acceptQuickPick(page, 'loss'); // "Follow the data", the default, comes first: labels → MNR on same-label pairs
    await acceptQuickPick(page, 'what to train'); // head only
    await acceptQuickPick(page, 'epochs'); // Automatic, the default of engine/defaults.ts: early stopping on the held-out part
    await acceptQuickPick(page, 'batch size'); // 32
    await pickQuickItem(page, '1e-2', { title: 'learning rate', exact: true }); // a head on 300 texts learns fast
    const done = await waitForNotification(page, /run ".+" completed in/, { timeout: 180_000 });
    const runName = done.match(/run "(.+)" completed in/)[1];
    const runDirs = fs.readdirSync(path.join(projectDir, 'runs')).filter((d) => fs.statSync(path.join(projectDir, 'runs', d)).isDirectory());
    assert.equal(runDirs.length, 1, `one run: ${runDirs.join(', ')}`);
    const runId = runDirs[0];
    const summary = JSON.parse(fs.readFileSync(path.join(projectDir, 'runs', runId, 'summary.json'), 'utf8'));
    assert.equal(summary.status, 'completed');
    assert.equal(summary.loss, 'mnr');
    assert.equal(summary.mode, 'head');
    const config = JSON.parse(fs.readFileSync(path.join(projectDir, 'runs', runId, 'config.json'), 'utf8'));
    assert.equal(config.options.lossChoice.requested, 'auto');
    assert.equal(config.options.epochs, undefined, 'automatic epochs');
    assert.equal(config.resolved.epochs, 10, 'up to the cap, stopping early on the held-out records');
    assert.ok(config.data.eval.heldOutIds.length > 0, 'the held-out split is stated in config.json');
    assert.equal(config.options.batchSize, 32);
    assert.equal(config.options.lr, 1e-2);
    lap('fine-tune (head, automatic epochs)');

    // ---- Compare Runs: the run, its curves and its before/after maps ----------------------------
    await toast(page, /run ".+" completed in/).locator('.monaco-button', { hasText: 'Compare Runs' }).click();
    const runs = await findWebviewFrame(page, { selector: '#maps', timeout: 60_000 });
    await runs.locator(`table.runs tbody tr[data-run="${runId}"]`).waitFor({ timeout: 30_000 });
    assert.match(await runs.locator(`tr[data-run="${runId}"] .status-completed`).textContent(), /completed/);
    assert.equal(await runs.locator(`tr[data-run="${runId}"] .run-name-text`).textContent(), runName, 'the run under the name the toast gave');
    await runs.locator('.map-cell[data-ready="true"]').nth(1).waitFor({ timeout: 180_000 });
    const stages = await runs.locator('.map-cell').evaluateAll((cells) => cells.map((c) => c.dataset.stage));
    assert.deepEqual(stages, ['before', 'after']);
    const captions = await runs.locator('.map-cell figcaption').allTextContents();
    assert.ok(captions.every((c) => /\d+ clusters · 300 points/.test(c)), captions.join(' | '));
    assert.match(captions[1], new RegExp(`run:${runId}`));
    assert.ok((await paintedPixels(runs, '.map-cell[data-stage="after"] .scatter-gl')) > 500, 'the after map is drawn');
    await runs.locator('#curves path.curve').first().waitFor({ timeout: 10_000 });
    // The run in the project view: expand the project's Runs group (the only one with a run).
    await page.locator('.part.sidebar .monaco-list-row', { has: page.locator('.label-name', { hasText: /^Runs$/ }) })
      .filter({ has: page.locator('.label-description', { hasText: /^1$/ }) }).first().click();
    await treeRow(page, runName).filter({ hasText: 'completed' }).waitFor({ timeout: 15_000 });
    // Rename the run in the table: saved in the run's meta.jsonl, shown in the tree.
    const newName = 'head on AG News labels';
    await runs.locator(`tr[data-run="${runId}"] .run-name-text`).click();
    await runs.locator(`tr[data-run="${runId}"] .run-name-input`).fill(newName);
    await runs.locator(`tr[data-run="${runId}"] .run-name-input`).press('Enter');
    await runs.locator(`tr[data-run="${runId}"] .run-name-text`, { hasText: newName }).waitFor({ timeout: 15_000 });
    await waitFor('the new name in meta.jsonl', () => {
      const meta = path.join(projectDir, 'runs', runId, 'meta.jsonl');
      return fs.existsSync(meta) && fs.readFileSync(meta, 'utf8').split('\n').filter(Boolean).some((l) => JSON.parse(l).name === newName);
    });
    await treeRow(page, newName).filter({ hasText: 'completed' }).waitFor({ timeout: 15_000 });
    // The config diff folds away (it is open at first), so the maps come up.
    assert.equal(await runs.locator('#config-diff').evaluate((d) => d.open), true);
    await runs.locator('#config-diff-summary').click();
    await runs.locator('#config-diff-body').waitFor({ state: 'hidden', timeout: 5_000 });
    lap('compare runs (before/after maps, rename)');
    t.diagnostic(`screenshot: ${await readmeShot(page, 'runs-dark')}`);
    await setColorTheme(page, state, 'light');
    t.diagnostic(`screenshot: ${await readmeShot(page, 'runs-light')}`);
    await setColorTheme(page, state, 'dark');
    t.diagnostic(`timings (ms): ${JSON.stringify(timings)}`);
    assert.deepEqual(pageErrors, [], 'no uncaught errors in the workbench');
  } catch (err) {
    await page.screenshot({ path: path.join(artifacts, 'failure-workflow.png') }).catch(() => {});
    if (pageErrors.length) t.diagnostic(`page errors: ${pageErrors.slice(0, 5).join(' | ')}`);
    throw err;
  }
});
