// End-to-end: the extension in a real VS Code (code-server) with the sample workspace.
// Checks activation on a workspace with a project, the project view (datasets with
// sizes), a job in the engine child process with progress, and the Clean Data panel
// (switches and their counts, paged and filtered examples, Apply with its modal, the file
// on disk and the project view after it); saves screenshots in the dark and light themes
// (Clean Data's to docs/screenshots/ for the README; E2E_SCREENSHOTS overrides the folder).
// (New Project and the rest of the loop: workflow.e2e.test.mjs.)
// Run through `npm run test:e2e` (it sets the E2E_* environment).
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  launchBrowser, workbenchUrl, openWorkbench, runCommand, waitForNotification,
  setColorTheme, screenshot, openActivityView, clearNotifications, findWebviewFrame,
} from '../../scripts/e2e/vscode-e2e.mjs';

const baseUrl = process.env.E2E_URL;
const workspace = process.env.E2E_WORKSPACE;
const state = process.env.E2E_STATE;
const devPath = process.env.E2E_EXTENSION_DEV_PATH || undefined;
const artifacts = path.resolve(process.env.E2E_ARTIFACTS || '.vscode-e2e/artifacts');
const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const shots = path.resolve(process.env.E2E_SCREENSHOTS || path.join(repo, 'docs/screenshots'));

const treeRow = (page, text) => page.locator('.part.sidebar .monaco-list-row', { hasText: text }).first();

/** Screenshot of the whole workbench for the README, after the toasts are gone. */
async function readmeShot(page, name) {
  await clearNotifications(page);
  await page.mouse.move(640, 799).catch(() => {});
  await page.locator('.part.statusbar', { hasText: 'Activating Extensions' }).waitFor({ state: 'detached', timeout: 10_000 }).catch(() => {});
  await page.waitForTimeout(400);
  return screenshot(page, shots, name);
}

test('project view, engine job and Clean Data in a real VS Code', { timeout: 300_000 }, async (t) => {
  assert.ok(baseUrl && workspace && state, 'run through `npm run test:e2e` (E2E_URL, E2E_WORKSPACE, E2E_STATE)');
  const browser = await launchBrowser({ profileHome: path.join(artifacts, '.browser-home') });
  t.after(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
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

    // Clean Data: the panel (a webview). Default rules first, then switch URLs off and on,
    // Short texts on (at 20 words), watch the counts and the record total follow, page the
    // examples, filter them by rule, Apply, confirm the modal: the file on disk, project.json
    // and the project view change.
    t0 = Date.now();
    await clearNotifications(page);
    await runCommand(page, 'Embedding Lab: Clean Data');
    const clean = await findWebviewFrame(page, { selector: '#rules [data-rule="urls"]', timeout: 60_000 });
    const idle = () => clean.waitForFunction(() => document.body.dataset.ready === 'true' && document.body.dataset.computing === 'false', null, { timeout: 90_000 });
    const count = (rule) => clean.locator(`[data-count="${rule}"]`).textContent();
    const waitCount = (rule, re) => clean.waitForFunction(({ rule, src }) => new RegExp(src).test(document.querySelector(`[data-count="${rule}"]`)?.textContent ?? ''), { rule, src: re.source }, { timeout: 90_000 });
    await idle();
    assert.match(await clean.locator('#title').textContent(), /^Clean "ag-news" · 300 records$/);
    await page.locator('.tabs-container .tab', { hasText: 'Clean Data' }).first().waitFor({ timeout: 15_000 });
    // Defaults: whitespace and URLs on (the fixture has double spaces and Reuters links).
    const whitespace = Number((await count('whitespace')).match(/^(\d+) changed$/)?.[1]);
    assert.ok(whitespace > 0, `whitespace count: ${await count('whitespace')}`);
    const urls = Number((await count('urls')).match(/^(\d+) changed$/)?.[1]);
    assert.ok(urls > 0, `URLs count: ${await count('urls')}`);
    assert.equal(await clean.locator('#rule-urls').isChecked(), true);
    assert.match(await clean.locator('#status').textContent(), /^300 records → 300$/);
    assert.equal(await count('min-words'), '0 removed if on');
    // Examples: 20 a page, Next shows the next 20.
    const pageText = () => clean.locator('#page').textContent();
    const total = Number((await pageText()).match(/^1–20 of (\d+)$/)?.[1]);
    assert.ok(total >= whitespace + urls, `examples of every rule, paged: ${await pageText()}`);
    assert.equal(await clean.locator('.example').count(), 20);
    const firstIds = await clean.locator('.example').evaluateAll((els) => els.map((e) => e.dataset.id));
    await clean.locator('#next').click();
    await clean.waitForFunction((n) => document.querySelector('#page').textContent === `21–40 of ${n}`, total, { timeout: 15_000 });
    const secondIds = await clean.locator('.example').evaluateAll((els) => els.map((e) => e.dataset.id));
    assert.equal(secondIds.length, 20);
    assert.ok(secondIds.every((id) => !firstIds.includes(id)), 'page 2 shows other examples');
    // Switch URLs off: still measured ("if on"); on again.
    await clean.locator('#rule-urls').uncheck();
    await waitCount('urls', new RegExp(`^${urls} changed if on$`));
    await idle();
    await clean.locator('#rule-urls').check();
    await waitCount('urls', new RegExp(`^${urls} changed$`));
    await idle();
    // The examples of URLs show the links struck out.
    await clean.locator('#filter').selectOption('urls');
    await clean.waitForFunction((n) => document.querySelector('#page').textContent === `1–${n} of ${n}`, urls, { timeout: 15_000 });
    const struck = await clean.locator('.example .before del.removed').allTextContents();
    assert.ok(struck.length >= urls && struck.some((s) => /http:\/\//.test(s)), `removed spans: ${struck.slice(0, 3).join(' | ')}`);
    assert.ok((await clean.locator('.example .after').allTextContents()).every((a) => !/http:\/\//.test(a)), 'no link left after');
    // Short texts at 20 words: records go; the total follows.
    await clean.locator('#rule-min-words').check();
    await clean.locator('#opt-min-words-min').fill('20');
    await clean.locator('#opt-min-words-min').press('Tab');
    await waitCount('min-words', /^[1-9]\d* removed$/);
    await idle();
    const removed = Number((await count('min-words')).match(/^(\d+) removed$/)[1]);
    const kept = 300 - removed;
    assert.match(await clean.locator('#status').textContent(), new RegExp(`^300 records → ${kept}$`));
    t.diagnostic(`Clean Data preview in ${Date.now() - t0} ms: whitespace ${whitespace}, URLs ${urls}, short texts ${removed} removed`);
    await clean.locator('#filter').selectOption('');
    await clean.waitForFunction(() => /^1–20 of \d+$/.test(document.querySelector('#page').textContent), null, { timeout: 15_000 });
    await clean.locator('#title').click(); // no focus ring on the number field in the screenshots
    for (const theme of ['light', 'dark']) {
      await setColorTheme(page, state, theme);
      t.diagnostic(`screenshot: ${await readmeShot(page, `clean-${theme}`)}`);
    }
    // Apply: a modal names the rules; the dataset is rewritten.
    await clean.locator('#apply').click();
    const dialog = page.locator('.monaco-dialog-box', { hasText: 'cleaning rules' });
    await dialog.waitFor({ timeout: 15_000 });
    assert.match(await dialog.innerText(), /Apply \d+ cleaning rules \(.*urls.*min-words.*\) to "ag-news"\?/s);
    await dialog.locator('.monaco-button', { hasText: /^Apply$/ }).click();
    await clean.locator('#result:not([hidden])').waitFor({ timeout: 90_000 });
    assert.match(await clean.locator('#result').textContent(), new RegExp(`^Applied\\. 300 records → ${kept}; \\d+ texts changed; records removed: Short texts ${removed}\\.$`));
    const datasetFile = path.join(workspace, 'ag-news-sample', 'data', 'ag-news.jsonl');
    const records = fs.readFileSync(datasetFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    assert.equal(records.length, kept);
    assert.ok(records.every((r) => !/https?:\/\//.test(r.text) && !/ {2}/.test(r.text)), 'links and double spaces are gone from the file');
    assert.ok(records.every((r) => r.text.match(/[\p{L}\p{N}]+/gu).length >= 20), 'no text under 20 words is left');
    const projectJson = JSON.parse(fs.readFileSync(path.join(workspace, 'ag-news-sample', 'project.json'), 'utf8'));
    assert.equal(projectJson.datasets[0].count, kept);
    assert.deepEqual(projectJson.cleaning.find((r) => r.rule === 'min-words')?.options?.min, 20);
    await treeRow(page, `${kept} records`).waitFor({ timeout: 15_000 });
    // The panel re-reads the dataset: the title and a fresh preview (nothing left to remove).
    await clean.waitForFunction((n) => document.querySelector('#title').textContent === `Clean "ag-news" · ${n} records`, kept, { timeout: 30_000 });
    await waitCount('urls', /^0 changed$/);
    await waitCount('min-words', /^0 removed$/);
    t.diagnostic(`Clean Data applied in ${Date.now() - t0} ms total`);
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
