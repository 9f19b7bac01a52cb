// End-to-end: the analyst's workbench journey of issue 12, in a real VS Code (code-server) with the
// extension loaded, on a fresh project made in the UI from a CSV that has a `label` column:
//   New Project → Import Data: the label picker's focused row is "label" (Enter, no click) → Embed:
//   its toast offers "Cluster" → the map → Annotate Pairs in another tab, ten pairs with the keyboard →
//   back on the map tab: the points are still spread over the plot (no Fit pressed) → Fine-tune… on
//   the annotated (scored) pairs: the default loss is the score-aware one the engine picks (cosine),
//   MNR says it keeps only the pairs scored ≥ 0.75, losses that cannot use scored pairs are not
//   offered, and ten annotations give "not enough annotations yet (n < 30)" → Find Similar: the
//   fine-tuned run among the encoders, a result opens its record and the map rings and centres it,
//   no hash in any title; the second query reuses the first one's search index (the extension's log)
//   → Export Clusters asks which clustering (the run, clustered on export) and writes the text column.
// Screenshots (dark, light, high contrast) go to the artifacts folder.
// Run: node scripts/e2e/run.mjs workbench-journey (it sets the E2E_* environment).
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  launchBrowser, workbenchUrl, openWorkbench, runCommand, answerInput, pickQuickItem, acceptQuickPick, screenshot, openActivityView,
  clearNotifications, setColorTheme, findWebviewFrame, waitForFile, waitForNotification, waitFor, clickNotificationButton, readExtensionLog,
} from '../../scripts/e2e/vscode-e2e.mjs';

const baseUrl = process.env.E2E_URL;
const workspace = process.env.E2E_WORKSPACE;
const state = process.env.E2E_STATE;
const devPath = process.env.E2E_EXTENSION_DEV_PATH || undefined;
const artifacts = path.resolve(process.env.E2E_ARTIFACTS || '.vscode-e2e/artifacts');
const PROJECT = 'workbench-journey';
const DATASET = 'news-labelled';
/** Annotations made: fewer than 30, so the evaluation set is too small to mean much. */
const ANNOTATIONS = 10;
/** An internal hash (an encoder's fit or cache key) in a title. */
const HASH = /\b[0-9a-f]{10,}\b|builtin:/;

const quickTitle = (page) => page.locator('.quick-input-widget .quick-input-title');
const quickRows = (page) => page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
const lineCount = (file) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0);

/** A CSV field, quoted. */
const csvField = (v) => `"${String(v ?? '').replace(/"/g, '""')}"`;

/** RFC 4180 rows (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field); rows.push(row); row = []; field = '';
    } else field += c;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows;
}

/** How far the painted pixels of a canvas spread: their count and bounding box as fractions of the canvas. */
function paintedExtent(frame, selector) {
  return frame.evaluate((sel) => {
    const src = document.querySelector(sel);
    if (!src || !src.width || !src.height) return { n: 0, w: 0, h: 0 };
    const c = document.createElement('canvas');
    c.width = src.width;
    c.height = src.height;
    const ctx = c.getContext('2d');
    ctx.drawImage(src, 0, 0);
    const data = ctx.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    let x0 = c.width;
    let x1 = -1;
    let y0 = c.height;
    let y1 = -1;
    for (let i = 3, p = 0; i < data.length; i += 4, p++) {
      if (data[i] === 0) continue;
      n++;
      const x = p % c.width;
      const y = (p - x) / c.width;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
    return n ? { n, w: (x1 - x0 + 1) / c.width, h: (y1 - y0 + 1) / c.height } : { n: 0, w: 0, h: 0 };
  }, selector);
}

/** The rows of the open quick pick, as the user reads them (label, description, detail). */
async function quickPickRows(page) {
  return (await quickRows(page).allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
}

test('the workbench journey: import with a label column, embed → cluster, the map survives a tab switch, fine-tune on scored pairs, Find Similar, Export Clusters', { timeout: 300_000 }, async (t) => {
  assert.ok(baseUrl && workspace && state, 'run through `node scripts/e2e/run.mjs` (E2E_URL, E2E_WORKSPACE, E2E_STATE)');
  const projectDir = path.join(workspace, PROJECT);
  fs.rmSync(projectDir, { recursive: true, force: true });
  // The CSV: AG News items with their label in a `label` column, not the first one.
  const source = fs.readFileSync(path.join(workspace, 'ag-news-300.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const csvFile = path.join(workspace, `${DATASET}.csv`);
  fs.writeFileSync(csvFile, ['id,title,description,label', ...source.map((r) => [r.id, r.title, r.description, r.label].map(csvField).join(','))].join('\n') + '\n');
  t.after(() => {
    fs.rmSync(projectDir, { recursive: true, force: true });
    fs.rmSync(csvFile, { force: true });
  });

  const browser = await launchBrowser({ profileHome: path.join(artifacts, '.browser-home') });
  t.after(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  const started = Date.now();
  let t0 = Date.now();
  const lap = (name) => {
    t.diagnostic(`${name}: ${Date.now() - t0} ms`);
    t0 = Date.now();
  };
  try {
    await openWorkbench(page, workbenchUrl(baseUrl, { folder: workspace, extensionDevelopmentPath: devPath }));
    await setColorTheme(page, state, 'dark');
    await openActivityView(page, 'Embedding Lab');
    await runCommand(page, 'View: Close All Editors'); // maps restored from an earlier test would be found first
    lap('workbench');

    // ---- New Project (it becomes the active one), Import Data from its toast ---------------------
    await runCommand(page, 'Embedding Lab: New Project');
    await answerInput(page, PROJECT);
    await waitForFile(path.join(projectDir, 'project.json'));
    await clickNotificationButton(page, `project "${PROJECT}" created`, 'Import Data');
    const input = page.locator('.quick-input-widget input');
    await quickTitle(page).filter({ hasText: 'Import Data' }).waitFor({ timeout: 15_000 });
    await waitFor('the open dialog to list its folder', async () => (await input.inputValue()).endsWith('/') && (await quickRows(page).filter({ hasText: 'project.json' }).count()) > 0);
    await input.fill(csvFile);
    await quickRows(page).filter({ hasText: 'stsb-100.jsonl' }).first().waitFor({ timeout: 10_000 });
    await waitFor('the typed path to stay', async () => (await input.inputValue()) === csvFile, { timeout: 5_000 });
    await page.keyboard.press('Enter');
    await quickTitle(page).filter({ hasText: 'Fields that make the text' }).waitFor({ timeout: 30_000 });
    await quickRows(page).filter({ hasText: 'description' }).first().waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter'); // title and description are preselected
    await quickTitle(page).filter({ hasText: 'Text template' }).waitFor({ timeout: 15_000 });
    assert.equal(await input.inputValue(), '{title}. {description}');
    await page.keyboard.press('Enter');
    // The label picker: the `label` column is the focused (default) row; Enter takes it.
    await quickTitle(page).filter({ hasText: 'Label field' }).waitFor({ timeout: 15_000 });
    const focused = page.locator('.quick-input-list .monaco-list-row.focused');
    await focused.first().waitFor({ timeout: 10_000 });
    assert.equal((await focused.first().locator('.label-name').innerText()).trim(), 'label', 'the label column is the default row');
    await page.keyboard.press('Enter');
    await quickTitle(page).filter({ hasText: 'Dataset name' }).waitFor({ timeout: 15_000 });
    assert.equal(await input.inputValue(), DATASET);
    await page.keyboard.press('Enter');
    await waitForNotification(page, `imported 300 records into "${DATASET}"`, { timeout: 60_000 });
    const project = JSON.parse(fs.readFileSync(path.join(projectDir, 'project.json'), 'utf8'));
    assert.deepEqual(project.datasets.map((d) => [d.name, d.count, d.label]), [[DATASET, 300, 'label']], 'imported with its label column');
    const records = fs.readFileSync(path.join(projectDir, 'data', `${DATASET}.jsonl`), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    lap('new project and import (label column by default)');

    // ---- Embed; its toast offers Cluster; the cluster toast opens the map --------------------------
    await clearNotifications(page);
    await runCommand(page, 'Embedding Lab: Embed');
    const embedded = await clickNotificationButton(page, /embedded 300 texts/, 'Cluster', { timeout: 90_000 });
    assert.doesNotMatch(embedded, HASH, 'no hash in the Embed toast');
    await acceptQuickPick(page, 'Cluster — algorithm');
    await clickNotificationButton(page, `clusters in "${DATASET}"`, 'Open Cluster Map', { timeout: 120_000 });
    let map = await findWebviewFrame(page, { selector: '#legend', timeout: 60_000 });
    await map.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 60_000 });
    assert.match(await map.locator('#status').textContent(), /^300 points · \d+ clusters/);
    const spread = (e) => e.n > 500 && e.w > 0.3 && e.h > 0.3;
    const before = await waitFor('the points drawn over the plot', async () => {
      const e = await paintedExtent(map, '.scatter-gl');
      return spread(e) ? e : undefined;
    }, { timeout: 20_000 });
    const viewBefore = await map.evaluate(() => window.__map.scatter.currentView);
    lap('embed, cluster, map');

    // ---- Annotate Pairs in another tab: ten pairs with the keyboard ----------------------------------
    await runCommand(page, 'Embedding Lab: Annotate Pairs');
    const annotate = await findWebviewFrame(page, { selector: '#anchors', timeout: 60_000 });
    await annotate.waitForFunction(() => !!document.body.dataset.pair, null, { timeout: 60_000 });
    await annotate.locator('#left').click();
    const labelOf = new Map(records.map((r) => [r.id, r.label]));
    const annotations = path.join(projectDir, 'annotations.jsonl');
    for (let done = 1; done <= ANNOTATIONS; done++) {
      const pair = await annotate.evaluate(() => document.body.dataset.pair);
      const [id1, id2] = pair.split('|');
      await page.keyboard.press(labelOf.get(id1) === labelOf.get(id2) ? '5' : done % 2 ? '1' : '3');
      await waitFor(`annotation ${done} on disk`, () => lineCount(annotations) === done);
      await annotate.waitForFunction((prev) => !!document.body.dataset.pair && document.body.dataset.pair !== prev, pair, { timeout: 60_000 });
    }
    const scores = fs.readFileSync(annotations, 'utf8').trim().split('\n').map((l) => JSON.parse(l).score);
    t.diagnostic(`annotation scores: ${scores.join(' ')}`);
    lap('annotate ten pairs');

    // ---- Back to the map's tab: still spread, no Fit pressed ----------------------------------------
    await page.locator('.tabs-container .tab', { hasText: `Cluster Map: ${DATASET}` }).first().click();
    // A hidden webview is not kept: the map's page loads again and restores its state.
    map = await findWebviewFrame(page, { selector: '#legend', timeout: 30_000 });
    await map.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 60_000 });
    const after = await waitFor('the points spread again after the tab switch', async () => {
      const e = await paintedExtent(map, '.scatter-gl');
      return spread(e) && e.n > before.n * 0.5 ? e : undefined;
    }, { timeout: 15_000 }).catch(async (err) => {
      throw new Error(`${err.message}: before ${JSON.stringify(before)}, now ${JSON.stringify(await paintedExtent(map, '.scatter-gl'))}, view ${JSON.stringify(await map.evaluate(() => window.__map.scatter.currentView))}`);
    });
    const viewAfter = await map.evaluate(() => window.__map.scatter.currentView);
    assert.deepEqual(viewAfter, viewBefore, 'the view is the one the user left');
    t.diagnostic(`painted before ${JSON.stringify(before)}, after ${JSON.stringify(after)}`);
    t.diagnostic(`screenshot: ${await screenshot(page, artifacts, 'workbench-journey-map-back')}`);
    lap('map after the tab switch');

    // ---- Fine-tune… on the annotated pairs ------------------------------------------------------------
    await runCommand(page, 'Embedding Lab: Fine-tune…');
    await pickQuickItem(page, 'Annotated pairs', { title: 'training data' });
    await quickTitle(page).filter({ hasText: 'loss' }).waitFor({ timeout: 15_000 });
    await quickRows(page).first().waitFor({ timeout: 10_000 });
    const lossRows = await quickPickRows(page);
    t.diagnostic(`loss rows: ${lossRows.join(' | ')}`);
    assert.match(lossRows[0], /^Follow the data: cosine.*default/, 'the default follows the scores');
    assert.match(lossRows[0], /follows the 0–1 scores/);
    assert.equal(await page.locator('.quick-input-list .monaco-list-row.focused .label-name').first().innerText(), 'Follow the data: cosine');
    assert.match(lossRows.find((r) => r.startsWith('Multiple negatives ranking')) ?? '', /only the pairs scored ≥ 0\.75 train/, 'MNR says which pairs it keeps');
    assert.ok(lossRows.some((r) => r.startsWith('CoSENT')), 'CoSENT is offered');
    assert.ok(!lossRows.some((r) => /^(Triplet|DEC)/.test(r)), 'losses that cannot use scored pairs are not offered');
    await page.keyboard.press('Enter');
    await acceptQuickPick(page, 'what to train'); // head only
    await acceptQuickPick(page, 'epochs'); // automatic
    await acceptQuickPick(page, 'batch size');
    await acceptQuickPick(page, 'learning rate');
    const trained = await waitForNotification(page, /run ".+" completed in/, { timeout: 120_000 });
    t.diagnostic(`fine-tune toast: ${trained}`);
    assert.match(trained, /not enough annotations yet \(n < 30\)/, 'the small evaluation set is called out');
    const runId = fs.readdirSync(path.join(projectDir, 'runs')).find((d) => fs.existsSync(path.join(projectDir, 'runs', d, 'summary.json')));
    const summary = JSON.parse(fs.readFileSync(path.join(projectDir, 'runs', runId, 'summary.json'), 'utf8'));
    assert.equal(summary.loss, 'cosine', 'trained with the score-aware loss');
    assert.equal(summary.status, 'completed');
    const runName = trained.match(/run "(.+)" completed in/)[1];
    lap('fine-tune on annotated pairs');

    // ---- Find Similar with the fine-tuned run; a result opens and the map shows it ----------------------
    await clearNotifications(page);
    const query = records[7].fields.title;
    const findSimilar = async () => {
      await runCommand(page, 'Embedding Lab: Find Similar');
      await answerInput(page, query);
      await quickTitle(page).filter({ hasText: 'search with which encoder?' }).waitFor({ timeout: 15_000 });
      assert.doesNotMatch(await quickTitle(page).innerText(), HASH);
      const encoders = await quickPickRows(page);
      assert.ok(encoders.some((r) => r.startsWith(`${runName} (fine-tuned run)`)), `the run is offered: ${encoders.join(' | ')}`);
      assert.ok(encoders.every((r) => !HASH.test(r)), `no hash among the encoders: ${encoders.join(' | ')}`);
      await pickQuickItem(page, `${runName} (fine-tuned run)`);
      await quickTitle(page).filter({ hasText: `Most similar in "${DATASET}"` }).waitFor({ timeout: 60_000 });
      const title = await quickTitle(page).innerText();
      assert.match(title, new RegExp(`\\(${runName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(fine-tuned run\\)\\)`));
      assert.doesNotMatch(title, HASH);
      return quickPickRows(page);
    };
    const logLines = () => readExtensionLog(state).split('\n').filter((l) => l.includes(`find similar in ${DATASET}`));
    const hits = await findSimilar();
    assert.ok(hits.length >= 10, `${hits.length} results`);
    const firstHit = quickRows(page).first();
    const hitId = (await firstHit.innerText()).match(/\d\.\d{3} · (\S+)/)[1];
    const hitIndex = records.findIndex((r) => r.id === hitId);
    assert.ok(hitIndex >= 0, `the result ${hitId} is a record of the dataset`);
    await firstHit.click();
    const recordTab = page.locator('.tabs-container .tab', { hasText: `Record ${hitId} · ${DATASET}` }).first();
    await recordTab.waitFor({ timeout: 20_000 });
    assert.doesNotMatch(await recordTab.innerText(), HASH);
    map = await findWebviewFrame(page, { selector: '#legend', timeout: 30_000 });
    await map.waitForFunction((i) => document.body.dataset.ready === 'true' && window.__map.scatter.marked === i, hitIndex, { timeout: 30_000 });
    const view = await map.evaluate(() => window.__map.scatter.currentView);
    const xy = await map.evaluate((i) => Array.from(window.__map.points().coords.slice(2 * i, 2 * i + 2)), hitIndex);
    assert.ok(Math.abs(view.cx - xy[0]) < 1e-4 && Math.abs(view.cy - xy[1]) < 1e-4, 'the map centres the record');
    const firstLog = await waitFor('the first search in the log', () => logLines().at(-1));
    t.diagnostic(`log: ${firstLog}`);
    assert.match(firstLog, /embeddings: (\d+ texts? from the project's embedding cache, \d+ embedded now|reused)/);
    lap('find similar (run), record opened, map focused');

    // The second query reuses the first one's search index: nothing is embedded again.
    const seen = logLines().length;
    await findSimilar();
    await page.keyboard.press('Escape');
    const secondLog = await waitFor('the second search in the log', () => logLines().length > seen && logLines().at(-1));
    t.diagnostic(`log: ${secondLog}`);
    assert.match(secondLog, /embeddings: reused the search index of an earlier search \(no text embedded\)$/);
    lap('find similar again (reused)');

    // ---- Export Clusters: which clustering (the run), then the CSV with the text column --------------
    await runCommand(page, 'Embedding Lab: Export Clusters (CSV)');
    await quickTitle(page).filter({ hasText: 'which clustering' }).waitFor({ timeout: 15_000 });
    const clusterings = await quickPickRows(page);
    t.diagnostic(`clusterings: ${clusterings.join(' | ')}`);
    assert.match(clusterings[0], /^Built-in \(TF-IDF\/LSA\).*project encoder/);
    assert.ok(clusterings.every((r) => !HASH.test(r)), 'no hash among the clusterings');
    await pickQuickItem(page, `${runName} (fine-tuned run)`);
    await quickTitle(page).filter({ hasText: 'Export Clusters (CSV)' }).waitFor({ timeout: 15_000 });
    await waitFor('the save dialog\'s file name', async () => (await input.inputValue()).endsWith('.csv'));
    const target = await input.inputValue();
    await page.keyboard.press('Enter');
    const wrote = await waitForNotification(page, /wrote 300 rows/, { timeout: 120_000 });
    t.diagnostic(`export toast: ${wrote}`);
    const out = path.isAbsolute(target) ? target : path.join(projectDir, path.basename(target));
    const rows = parseCsv(await waitForFile(out)).filter((r) => r.length > 1);
    const header = rows[0];
    assert.ok(header.includes('text') && header.includes('cluster') && header.includes('label'), `columns: ${header.join(',')}`);
    assert.equal(rows.length, 301);
    const byId = new Map(records.map((r) => [r.id, r]));
    for (const row of rows.slice(1, 20)) {
      const rec = byId.get(row[header.indexOf('id')]);
      assert.equal(row[header.indexOf('text')], rec.text, `the text of ${rec.id}`);
      assert.equal(row[header.indexOf('label')], rec.label);
    }
    assert.match(path.basename(out), new RegExp(`^${DATASET}-clusters-${runId}\\.csv$`), 'the run\'s clustering, named after the run');
    lap('export clusters (run)');

    // ---- Screenshots in three themes ------------------------------------------------------------------
    await clearNotifications(page);
    await page.locator('.tabs-container .tab', { hasText: `Cluster Map: ${DATASET}` }).first().click();
    for (const theme of ['dark', 'light', 'hcDark']) {
      await setColorTheme(page, state, theme);
      await page.mouse.move(640, 799);
      // The workbench and the map are painted in the theme (the class switches before the colours do).
      await page.waitForFunction((light) => {
        const lum = (el) => { const [r, g, b] = getComputedStyle(el).backgroundColor.match(/\d+/g).map(Number); return (r + g + b) / 3; };
        const side = document.querySelector('.monaco-workbench .part.sidebar');
        return !!side && (light ? lum(side) > 150 : lum(side) < 100);
      }, theme === 'light', { timeout: 15_000 });
      map = await findWebviewFrame(page, { selector: '#legend', timeout: 15_000 });
      await map.waitForFunction((light) => {
        const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\d+/g).map(Number);
        return light ? (r + g + b) / 3 > 150 : (r + g + b) / 3 < 100;
      }, theme === 'light', { timeout: 15_000 });
      t.diagnostic(`screenshot: ${await screenshot(page, artifacts, `workbench-journey-${theme}`)}`);
    }
    await setColorTheme(page, state, 'dark');
    t.diagnostic(`journey in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    assert.deepEqual(pageErrors, [], 'no uncaught errors in the workbench');
  } catch (err) {
    await page.screenshot({ path: path.join(artifacts, 'failure-workbench-journey.png') }).catch(() => {});
    if (pageErrors.length) t.diagnostic(`page errors: ${pageErrors.slice(0, 5).join(' | ')}`);
    throw err;
  }
});
