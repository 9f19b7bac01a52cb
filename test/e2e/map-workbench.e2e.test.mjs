// End-to-end: the cluster map as an analyst's workbench, in a real VS Code (code-server) with
// the extension loaded and the sample workspace (ag-news-sample, 300 AG News items):
//   Open Cluster Map (clustered on the way) → cluster names drawn on the map → Filters tab: a
//   label and a "contains" filter on the records' title field (counts checked against the
//   dataset file) → the table of the points that pass (T), sorted by a column → a row opens
//   its record beside the map (a real editor tab) and the map centres on it → lasso inside
//   the filter → the table lists the selection.
// Screenshots in the dark, light and high-contrast themes go to the artifacts folder.
// Run through `npm run test:e2e map-workbench` (it sets the E2E_* environment).
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  launchBrowser, workbenchUrl, openWorkbench, runCommand, screenshot, openActivityView, clearNotifications, setColorTheme, findWebviewFrame, pickIfOffered,
} from '../../scripts/e2e/vscode-e2e.mjs';

const baseUrl = process.env.E2E_URL;
const workspace = process.env.E2E_WORKSPACE;
const state = process.env.E2E_STATE;
const devPath = process.env.E2E_EXTENSION_DEV_PATH || undefined;
const artifacts = path.resolve(process.env.E2E_ARTIFACTS || '.vscode-e2e/artifacts');
const PROJECT = 'ag-news-sample';

const treeRow = (page, text) => page.locator('.part.sidebar .monaco-list-row', { hasText: text }).first();

/** The field value as the map sends it: whitespace collapsed, cut at 120 characters. */
const asSent = (text) => {
  const flat = String(text ?? '').replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 119)}…` : flat;
};

/** Painted (non-transparent) pixels of a canvas, read back inside the webview. */
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

test('the map workbench: cluster names, filters by label and by a record field, the table, a row opens its record', { timeout: 300_000 }, async (t) => {
  assert.ok(baseUrl && workspace && state, 'run through `npm run test:e2e` (E2E_URL, E2E_WORKSPACE, E2E_STATE)');
  const datasetFile = path.join(workspace, PROJECT, 'data', 'ag-news.jsonl');
  const records = fs.readFileSync(datasetFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const browser = await launchBrowser({ profileHome: path.join(artifacts, '.browser-home') });
  t.after(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  try {
    let t0 = Date.now();
    await openWorkbench(page, workbenchUrl(baseUrl, { folder: workspace, extensionDevelopmentPath: devPath }));
    await setColorTheme(page, state, 'dark');
    await openActivityView(page, 'Embedding Lab');
    await treeRow(page, PROJECT).waitFor({ timeout: 30_000 });

    // ---- Open Cluster Map (the project and dataset are picked when there is a choice) ------
    await runCommand(page, 'Embedding Lab: Open Cluster Map');
    await pickIfOffered(page, [PROJECT, 'ag-news']);
    const map = await findWebviewFrame(page, { selector: '#legend', timeout: 60_000 });
    await map.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 120_000 });
    assert.match(await map.locator('#status').textContent(), /^300 points · \d+ clusters/);
    t.diagnostic(`map ready in ${Date.now() - t0} ms`);

    // Cluster names (keywords here: no names were given) drawn on the overlay at the fitted view.
    await map.evaluate(() => window.__map.scatter.drawNow());
    const names = await map.evaluate(() => window.__map.names());
    const clusters = await map.evaluate(() => window.__map.points().clusters.map((c) => ({ id: c.id, keywords: c.keywords, name: c.name })));
    assert.ok(names.length >= 2, `${names.length} cluster names drawn`);
    for (const n of names) {
      const c = clusters.find((x) => x.id === n.id);
      assert.equal(n.text, c.name ?? c.keywords.slice(0, 3).join(', '));
    }
    assert.ok((await paintedPixels(map, '.scatter-overlay')) > 200, 'the names are painted on the overlay');

    // ---- Filters: label Sports, then title contains "win" -----------------------------------
    await map.locator('#tab-filters').click();
    const fields = await map.evaluate(() => window.__map.points().fields.map((f) => [f.name, f.kind]));
    assert.deepEqual(fields, [['title', 'text'], ['description', 'text']], 'the records\' own fields (id and label are not repeated)');
    await map.locator('[data-filter="label"] input[data-value="Sports"]').check();
    const sports = records.map((r) => r.label === 'Sports');
    const passing = (n) => map.waitForFunction((k) => document.querySelector('#filter-summary')?.dataset.passing === String(k), n, { timeout: 15_000 });
    await passing(sports.filter(Boolean).length);
    await map.locator('[data-field="title"] input[type="search"]').fill('win');
    const expected = records.map((r, i) => sports[i] && asSent(r.fields.title).toLowerCase().includes('win'));
    const n = expected.filter(Boolean).length;
    assert.ok(n >= 3, `the sample has Sports titles with "win" (${n})`);
    await passing(n);
    assert.deepEqual(await map.evaluate(() => Array.from(window.__map.filter())), expected.map(Number));
    assert.equal(await map.locator('#tab-filters .side-tab-badge').textContent(), '2');

    // ---- The table of the points that pass, sorted by title; a row opens its record --------
    await map.locator('.scatter-overlay').focus();
    await map.locator('.scatter-overlay').press('t');
    await map.locator('#table-panel:not([hidden]) .table-body .table-row').first().waitFor({ timeout: 10_000 });
    assert.equal(await map.locator('#table-caption').textContent(), `${n} of 300 points pass the filters`);
    await map.locator('.table-sort[data-column="field:title"]').click();
    const shown = await map.evaluate(() => Array.from(window.__map.table.shownRows));
    assert.deepEqual([...shown].sort((a, b) => a - b), expected.flatMap((ok, i) => (ok ? [i] : [])), 'the table lists the points that pass');
    const titles = shown.map((i) => asSent(records[i].fields.title));
    const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
    assert.deepEqual(titles, [...titles].sort(collator.compare), 'sorted by title');
    const drawn = await map.locator('.table-body .table-cell[data-column="field:title"]').allTextContents();
    assert.deepEqual(drawn, titles.slice(0, drawn.length), 'the rows drawn are the first in that order');
    const row = map.locator('.table-body .table-row').nth(1);
    const index = Number(await row.getAttribute('data-index'));
    const id = records[index].id;
    await row.click();
    await page.locator('.tabs-container .tab', { hasText: `Record ${id}` }).first().waitFor({ timeout: 20_000 });
    assert.equal(await map.evaluate(() => window.__map.scatter.marked), index, 'the record is ringed on the map');
    const view = await map.evaluate(() => window.__map.scatter.currentView);
    const xy = await map.evaluate((i) => Array.from(window.__map.points().coords.slice(2 * i, 2 * i + 2)), index);
    assert.ok(Math.abs(view.cx - xy[0]) < 1e-4 && Math.abs(view.cy - xy[1]) < 1e-4, 'and centred');
    t.diagnostic(`filters and table in ${Date.now() - t0} ms; ${n} points pass; opened ${id}`);

    // ---- Lasso over the whole plot: only the points that pass are selected ------------------
    t0 = Date.now();
    await map.locator('#fit').click();
    await map.locator('.scatter-overlay').press('l');
    const box = await map.locator('.scatter-overlay').boundingBox();
    const corners = [[0.02, 0.02], [0.98, 0.02], [0.98, 0.98], [0.02, 0.98], [0.02, 0.03]];
    await page.mouse.move(box.x + box.width * corners[0][0], box.y + box.height * corners[0][1]);
    await page.mouse.down();
    for (const [fx, fy] of corners.slice(1)) await page.mouse.move(box.x + box.width * fx, box.y + box.height * fy, { steps: 6 });
    await page.mouse.up();
    await map.waitForFunction((k) => document.querySelector('#selection-count').dataset.count === String(k), n, { timeout: 10_000 });
    assert.equal(await map.locator('#table-caption').textContent(), `${n} selected points`);
    assert.deepEqual((await map.evaluate(() => Array.from(window.__map.selection()))).sort((a, b) => a - b), expected.flatMap((ok, i) => (ok ? [i] : [])));

    // ---- Screenshots in three themes ---------------------------------------------------------
    await clearNotifications(page);
    for (const theme of ['dark', 'light', 'hcDark']) {
      await setColorTheme(page, state, theme);
      await page.mouse.move(640, 799);
      await page.waitForTimeout(400);
      t.diagnostic(`screenshot: ${await screenshot(page, artifacts, `map-workbench-${theme}`)}`);
    }
    await setColorTheme(page, state, 'dark');
    assert.deepEqual(pageErrors, []);
  } catch (err) {
    await page.screenshot({ path: path.join(artifacts, 'failure-map-workbench.png') }).catch(() => {});
    if (pageErrors.length) t.diagnostic(`page errors: ${pageErrors.slice(0, 5).join(' | ')}`);
    throw err;
  }
});
