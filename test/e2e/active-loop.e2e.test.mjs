// End-to-end: the active loop (Prodigy's "teach") in a real VS Code (code-server). With the
// setting embeddingLab.activeLoop.every small, the user annotates pairs of a fresh project with
// the keyboard (scored 1 when the two AG News items share their label, else 0): stratified pairs
// first, then, once the loop has a run, "Most uncertain" pairs, and keeps annotating while the
// loop re-trains in the background: each round is an
// ordinary run "active-loop-<n>" (head mode, CoSENT, tagged "active-loop", a fixed held-out part
// of the annotations never trained on), the status bar and the panel show Spearman on the
// held-out annotations ("Active loop: Spearman 0.41 → 0.58 (n=60)"), the queue of suggestions is
// replaced by pairs chosen with the new run (the panel says so and each pair shows the run's
// cosine), and the run is listed in Compare Runs. The project is removed at the end.
// Run through `npm run test:e2e` (it sets the E2E_* environment).
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import {
  launchBrowser, workbenchUrl, openWorkbench, runCommand, pickQuickItem, screenshot, openActivityView,
  clearNotifications, setColorTheme, findWebviewFrame, setUserSettings, waitFor,
} from '../../scripts/e2e/vscode-e2e.mjs';

const baseUrl = process.env.E2E_URL;
const workspace = process.env.E2E_WORKSPACE;
const state = process.env.E2E_STATE;
const devPath = process.env.E2E_EXTENSION_DEV_PATH || undefined;
const artifacts = path.resolve(process.env.E2E_ARTIFACTS || '.vscode-e2e/artifacts');
const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const PROJECT = 'active-loop-demo';
/** New annotations between two rounds, small for the test (the default is 20). */
const EVERY = 12;
/** Annotations at most before the loop must have shown its Spearman and changed the suggestions. */
const MAX_ANNOTATIONS = 120;

/** "Active loop: Spearman 0.41 → 0.58 (n=60)", after "training on 72 annotations · " while a round trains. */
const SPEARMAN = /Active loop: (training on \d+ annotations(?: \(\+1 queued\))? · )?Spearman -?\d\.\d\d → -?\d\.\d\d \(n=\d+\)$/;
const lineCount = (file) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0);
const readJson = (file) => { try { return JSON.parse(fs.readFileSync(file, 'utf8')); } catch { return undefined; } };

function embedlab(args) {
  return execFileSync(process.execPath, [path.join(repo, 'bin/embedlab.js'), ...args], { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

test('the active loop: annotate, the background re-train, its Spearman in the status bar, the suggestions change', { timeout: 600_000 }, async (t) => {
  assert.ok(baseUrl && workspace && state, 'run through `npm run test:e2e`');
  const projectDir = path.join(workspace, PROJECT);
  fs.rmSync(projectDir, { recursive: true, force: true });
  embedlab(['init', projectDir, '--name', PROJECT, '--text', '{title}. {description}', '--json']);
  embedlab(['import', path.join(workspace, 'ag-news-300.jsonl'), '--project', projectDir, '--name', 'news', '--text', '{title}. {description}', '--label', 'label', '--id', 'id', '--json']);
  const labelOf = new Map(fs.readFileSync(path.join(projectDir, 'data', 'news.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).map((r) => [r.id, r.label]));
  assert.equal(labelOf.size, 300);
  setUserSettings(state, { 'embeddingLab.activeLoop.every': EVERY });
  t.after(() => {
    setUserSettings(state, { 'embeddingLab.activeLoop.every': 20 });
    fs.rmSync(projectDir, { recursive: true, force: true });
  });

  const browser = await launchBrowser({ profileHome: path.join(artifacts, '.browser-home') });
  t.after(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  // the loop's own item (the job item reads "Active loop (57 annotations) 40%")
  const statusBarLoop = page.locator('.part.statusbar .statusbar-item', { hasText: 'Active loop:' }).first();
  try {
    await openWorkbench(page, workbenchUrl(baseUrl, { folder: workspace, extensionDevelopmentPath: devPath }));
    await setColorTheme(page, state, 'dark');
    await openActivityView(page, 'Embedding Lab');

    // ---- Annotate Pairs on the new project, stratified pairs (the default) ----------------------
    await runCommand(page, 'Embedding Lab: Annotate Pairs');
    const chooser = page.locator('.quick-input-widget .quick-input-title', { hasText: 'choose a project' });
    if (await chooser.waitFor({ timeout: 5_000 }).then(() => true, () => false)) await pickQuickItem(page, PROJECT, { title: 'choose a project' });
    const annotate = await findWebviewFrame(page, { selector: '#anchors', timeout: 60_000 });
    await annotate.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 60_000 });
    await annotate.locator('#strategy').selectOption('stratified');
    await annotate.waitForFunction(() => !!document.body.dataset.pair && document.querySelector('#pair-meta').textContent.startsWith('Stratified'), null, { timeout: 60_000 });
    assert.equal(await annotate.locator('#active-loop').textContent(), `Active loop: first run after ${EVERY} more annotations`);
    await annotate.locator('#left').click();

    // ---- Annotate with the keyboard; the loop trains in the background ------------------------
    const annotations = path.join(projectDir, 'annotations.jsonl');
    const summaryOf = (n) => readJson(path.join(projectDir, 'runs', `active-loop-${n}`, 'summary.json'));
    let savedWhileTraining = 0;
    let firstRunSeenAt;
    let done = 0;
    let uncertainFrom;
    const t0 = Date.now();
    const loopChanged = async () => {
      const refreshed = Number(await annotate.evaluate(() => document.body.dataset.refreshed ?? '0'));
      const meta = await annotate.locator('#pair-meta').textContent();
      const bar = (await statusBarLoop.count()) ? await statusBarLoop.textContent() : '';
      return refreshed >= 1 && /active-loop run -?\d\.\d{3}/.test(meta) && SPEARMAN.test(bar);
    };
    while (!(await loopChanged())) {
      assert.ok(done < MAX_ANNOTATIONS, `after ${done} annotations the loop had not shown a Spearman and new suggestions`);
      if (uncertainFrom === undefined && summaryOf(1)?.status === 'completed') {
        // the loop has a run: "Most uncertain" now asks where it and the base disagree
        uncertainFrom = done;
        await annotate.locator('#strategy').selectOption('uncertain');
        await annotate.waitForFunction(() => !!document.body.dataset.pair && document.querySelector('#pair-meta').textContent.startsWith('Most uncertain'), null, { timeout: 60_000 });
        assert.match(await annotate.locator('#pair-meta').textContent(), /active-loop run -?\d\.\d{3}/, 'the pairs come with the run\'s cosine');
        await annotate.locator('#left').click();
      }
      const pair = await annotate.evaluate(() => document.body.dataset.pair);
      const [id1, id2] = pair.split('|');
      const key = labelOf.get(id1) === labelOf.get(id2) ? '5' : '1';
      const training = [1, 2, 3, 4, 5, 6, 7].some((n) => summaryOf(n)?.status === 'running');
      await page.keyboard.press(key);
      done++;
      await waitFor(`annotation ${done} on disk`, () => lineCount(annotations) === done);
      if (training) savedWhileTraining++;
      if (!firstRunSeenAt && fs.existsSync(path.join(projectDir, 'runs', 'active-loop-1'))) firstRunSeenAt = done;
      await annotate.waitForFunction((prev) => !!document.body.dataset.pair && document.body.dataset.pair !== prev, pair, { timeout: 60_000 });
    }
    t.diagnostic(`${done} annotations in ${((Date.now() - t0) / 1000).toFixed(1)} s; active-loop-1 appeared at ${firstRunSeenAt}; "Most uncertain" from ${uncertainFrom}; ${savedWhileTraining} saved while a round was training`);
    assert.ok(firstRunSeenAt >= EVERY, `the first round starts after ${EVERY} annotations, not before (seen at ${firstRunSeenAt})`);

    // ---- The runs the loop made: ordinary runs, named, tagged, held-out part in the config ------
    const rounds = fs.readdirSync(path.join(projectDir, 'runs')).filter((d) => /^active-loop-\d+$/.test(d)).sort();
    t.diagnostic(`rounds: ${rounds.map((r) => `${r} ${summaryOf(r.split('-').pop())?.status} ${JSON.stringify(summaryOf(r.split('-').pop())?.after ?? {})}`).join('; ')}`);
    const first = readJson(path.join(projectDir, 'runs', 'active-loop-1', 'config.json'));
    assert.equal(first.mode, 'head');
    assert.equal(first.options.loss, 'cosent');
    assert.equal(first.options.activeLoop.round, 1);
    assert.ok(first.options.activeLoop.annotations >= EVERY);
    assert.equal(summaryOf(1).status, 'completed');
    const meta = fs.readFileSync(path.join(projectDir, 'runs', 'active-loop-1', 'meta.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(meta.at(-1).name, 'active-loop-1');
    assert.deepEqual(meta.at(-1).tags, ['active-loop']);
    // the held-out annotations never reach a training file
    const heldOut = new Set();
    for (const r of rounds) {
      const c = readJson(path.join(projectDir, 'runs', r, 'config.json'));
      if (c?.options.eval) for (const l of fs.readFileSync(c.options.eval.file, 'utf8').trim().split('\n')) heldOut.add(`${JSON.parse(l).text1}\u0000${JSON.parse(l).text2}`);
    }
    for (const r of rounds) {
      const c = readJson(path.join(projectDir, 'runs', r, 'config.json'));
      for (const l of fs.readFileSync(c.options.train.file, 'utf8').trim().split('\n')) assert.ok(!heldOut.has(`${JSON.parse(l).text1}\u0000${JSON.parse(l).text2}`), `${r} trains on no held-out pair`);
    }

    // ---- The status bar and the panel show the same Spearman line --------------------------------
    const bar = (await statusBarLoop.textContent()).trim();
    const line = await annotate.locator('#active-loop').textContent();
    t.diagnostic(`status bar: ${bar}; panel: ${line}; message: ${await annotate.locator('#message').textContent()}`);
    assert.match(line, SPEARMAN);
    assert.match(bar, SPEARMAN);
    assert.match(await annotate.locator('#message').textContent(), /active loop trained a new run: \d+ new pairs? queued|^Saved/);
    await clearNotifications(page);
    await page.mouse.move(640, 799);
    t.diagnostic(`screenshot: ${await screenshot(page, artifacts, 'active-loop-dark')}`);

    // ---- Compare Runs lists the loop's run under its name -------------------------------------------
    await runCommand(page, 'Embedding Lab: Compare Runs');
    if (await chooser.waitFor({ timeout: 3_000 }).then(() => true, () => false)) await pickQuickItem(page, PROJECT, { title: 'choose a project' });
    const runs = await findWebviewFrame(page, { selector: '#maps', timeout: 60_000 });
    await runs.locator('tr[data-run="active-loop-1"]').waitFor({ timeout: 30_000 });
    assert.equal(await runs.locator('tr[data-run="active-loop-1"] .run-name-text').textContent(), 'active-loop-1');
    assert.equal(await runs.locator('tr[data-run="active-loop-1"] .chip[data-tag="active-loop"]').count(), 1);
    t.diagnostic(`screenshot: ${await screenshot(page, artifacts, 'active-loop-runs-dark')}`);
    assert.deepEqual(pageErrors, [], 'no uncaught errors in the workbench');
  } catch (err) {
    await page.screenshot({ path: path.join(artifacts, 'failure-active-loop.png') }).catch(() => {});
    if (pageErrors.length) t.diagnostic(`page errors: ${pageErrors.slice(0, 5).join(' | ')}`);
    throw err;
  }
});
