// End-to-end: LLM assist (issue 13's "Done when") in a real VS Code (code-server), on the sample
// project (ag-news-sample), against the tests' local OpenAI-compatible chat server, started here on
// a free port:
//   Set LLM API Key → Name Topics with LLM… (the endpoint asked once, the cost modal answered) →
//   the toast opens the Cluster Map: the names drawn at the centroids and in the legend → Judge
//   Clusters with LLM… → the map offers "Colour: coherence (LLM-judged)" → Rename Topic… gives a
//   cluster a long French name, which wins over the model's when the topics are named again →
//   Pre-score Pairs with LLM… (20 pairs, modal) → the toast opens Annotate Pairs: the pre-scored
//   pairs come first, the hint hidden; with embeddingLab.annotate.showLlmHint on it shows and the
//   saved entries record hintShown → LLM vs Human Agreement: Spearman, α and n, checked against
//   the files. The key reaches the chat server's header and no file of the project or the settings.
// Screenshots (dark, light, high contrast) of the named map and of the agreement report.
// Run through `npm run test:e2e llm-assist` (it sets the E2E_* environment).
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { tsImport } from 'tsx/esm/api';
import {
  launchBrowser, workbenchUrl, openWorkbench, runCommand, answerInput, pickQuickItem, pickIfOffered, answerDialog,
  clickNotificationButton, waitForNotification, clearNotifications, screenshot, openActivityView, setColorTheme,
  findWebviewFrame, setUserSettings, setBooleanSettingInUi, waitFor,
} from '../../scripts/e2e/vscode-e2e.mjs';

const baseUrl = process.env.E2E_URL;
const workspace = process.env.E2E_WORKSPACE;
const state = process.env.E2E_STATE;
const devPath = process.env.E2E_EXTENSION_DEV_PATH || undefined;
const artifacts = path.resolve(process.env.E2E_ARTIFACTS || '.vscode-e2e/artifacts');
const PROJECT = 'ag-news-sample';
const DATASET = 'ag-news';
const MODEL = 'e2e-chat';
const KEY = `sk-e2e-llm-${process.pid}-do-not-store`;
/** What a user would call the first cluster (long, French: it must stay readable on the map). */
const RENAMED = 'Économie mondiale, marchés financiers et résultats trimestriels des entreprises';
const PRESCORE_COUNT = 20;
/** Pairs annotated before the hint setting is turned on; the rest of the 20 are annotated with it. */
const HIDDEN_FIRST = 10;

const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));
const readJsonl = (file) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []);
const pairKey = (a, b) => (a < b ? `${a}|${b}` : `${b}|${a}`);

/** Average ranks (ties share their mean rank). */
function ranks(values) {
  const order = values.map((v, i) => [v, i]).sort((a, b) => a[0] - b[0]);
  const out = new Array(values.length);
  for (let s = 0; s < order.length;) {
    let e = s;
    while (e + 1 < order.length && order[e + 1][0] === order[s][0]) e++;
    for (let k = s; k <= e; k++) out[order[k][1]] = (s + e) / 2 + 1;
    s = e + 1;
  }
  return out;
}

function pearson(x, y) {
  const mx = x.reduce((a, b) => a + b, 0) / x.length;
  const my = y.reduce((a, b) => a + b, 0) / y.length;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** Krippendorff's alpha, interval metric, two coders who both rated every unit: 1 - D_o / D_e. */
function intervalAlpha(pairs) {
  const values = pairs.flat();
  const n = values.length;
  const observed = pairs.reduce((s, [a, b]) => s + 2 * (a - b) ** 2, 0) / n;
  let expected = 0;
  for (const v of values) for (const w of values) expected += (v - w) ** 2;
  expected /= n * (n - 1);
  return 1 - observed / expected;
}

/** Every file under `dir` whose bytes contain `needle` (binary files included). */
function filesContaining(dir, needle) {
  const hits = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && fs.readFileSync(p).includes(needle)) hits.push(p);
    }
  };
  walk(dir);
  return hits;
}

test('LLM assist: name, judge and rename topics on the map; pre-score 20 pairs, annotate them, the agreement report', { timeout: 300_000 }, async (t) => {
  assert.ok(baseUrl && workspace && state, 'run through `npm run test:e2e` (E2E_URL, E2E_WORKSPACE, E2E_STATE)');
  const projectDir = path.join(workspace, PROJECT);
  const records = readJsonl(path.join(projectDir, 'data', `${DATASET}.jsonl`));
  const labelOf = new Map(records.map((r) => [r.id, r.label]));
  const labelOfText = new Map(records.map((r) => [r.text.replace(/\s+/g, ' ').trim(), r.label]));
  const projectFiles = ['topics.json', 'prescores.jsonl', 'annotations.jsonl'].map((f) => path.join(projectDir, f));
  const before = new Map(projectFiles.map((f) => [f, fs.existsSync(f) ? fs.readFileSync(f) : undefined]));

  // ---- The chat server: the tests' own, in this process, on a free port ------------------------
  const { startChatServer, demoAnswer } = await tsImport('../fixtures/chat-server/chat-server.ts', import.meta.url);
  /** The model's pair score: .75 when the two news items share their label, else .25, wrong on purpose for some pairs. */
  const pairScore = (prompt) => {
    const textA = /Text A:\n([^\n]*)/.exec(prompt)?.[1] ?? '';
    const textB = /Text B:\n([^\n]*)/.exec(prompt)?.[1] ?? '';
    const same = labelOfText.get(textA) !== undefined && labelOfText.get(textA) === labelOfText.get(textB);
    const wrong = (textA.length + textB.length) % 4 === 0;
    return same !== wrong ? 0.75 : 0.25;
  };
  const chat = await startChatServer({
    answer: (req, language) => {
      const user = req.body.messages.find((m) => m.role === 'user')?.content ?? '';
      if (user.includes('Text A:')) return { score: pairScore(user), reason: 'Both items are news about the same kind of event.' };
      return demoAnswer(req, language);
    },
  });
  t.after(() => chat.close());
  const endpoint = `${chat.base}/v1#${MODEL}`;
  t.diagnostic(`chat server on ${chat.base}`);

  t.after(() => {
    // Leave the sample project and the settings as the other e2e tests expect them.
    for (const [f, content] of before) {
      if (content === undefined) fs.rmSync(f, { force: true });
      else fs.writeFileSync(f, content);
    }
    setUserSettings(state, { 'embeddingLab.llm.endpoint': '', 'embeddingLab.annotate.showLlmHint': false, 'embeddingLab.activeLoop.every': 20 });
  });
  // No active-loop round after the 20 annotations: it would train a run in the sample project.
  setUserSettings(state, { 'embeddingLab.llm.endpoint': '', 'embeddingLab.annotate.showLlmHint': false, 'embeddingLab.activeLoop.every': 0 });

  const browser = await launchBrowser({ profileHome: path.join(artifacts, '.browser-home') });
  t.after(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  try {
    const t0 = Date.now();
    await openWorkbench(page, workbenchUrl(baseUrl, { folder: workspace, extensionDevelopmentPath: devPath }));
    await setColorTheme(page, state, 'dark');
    await openActivityView(page, 'Embedding Lab');
    await page.locator('.part.sidebar .monaco-list-row', { hasText: PROJECT }).first().waitFor({ timeout: 30_000 });

    // ---- Set LLM API Key (kept in secret storage) ------------------------------------------------
    await runCommand(page, 'Embedding Lab: Set LLM API Key');
    await answerInput(page, KEY);

    // ---- Name Topics with LLM…: the endpoint asked once, the cost answered ------------------------
    await runCommand(page, 'Embedding Lab: Name Topics with LLM…');
    const endpointBox = page.locator('.quick-input-widget .quick-input-title', { hasText: 'chat endpoint for LLM assist' });
    await pickIfOffered(page, [PROJECT, DATASET], { until: endpointBox });
    await endpointBox.waitFor({ timeout: 15_000 });
    await answerInput(page, endpoint);
    const nameModal = await answerDialog(page, 'Name Topics with LLM', 'Send', { timeout: 120_000 });
    t.diagnostic(`modal: ${nameModal.replace(/\s+/g, ' ')}`);
    const clusterCount = Number(/send (\d+) requests? to e2e-chat/.exec(nameModal)?.[1]);
    assert.ok(clusterCount >= 2, `one request per cluster (${clusterCount})`);
    assert.match(nameModal, /tokens/, 'the modal estimates the tokens');
    const named = await clickNotificationButton(page, /named \d+ topics of "ag-news"/, 'Open Cluster Map', { timeout: 120_000 });
    assert.match(named, new RegExp(`named ${clusterCount} topics of "ag-news" \\(0 from the cache\\)`));
    assert.equal(chat.requests.length, clusterCount);
    for (const r of chat.requests) assert.equal(r.headers.authorization, `Bearer ${KEY}`, 'the key goes in the request header');
    const topics = readJson(path.join(projectDir, 'topics.json'));
    assert.equal(topics.names.length, clusterCount);
    assert.ok(topics.names.every((n) => n.model === MODEL));

    // ---- The map: names at the centroids and in the legend -----------------------------------------
    const map = await findWebviewFrame(page, { selector: '#legend', timeout: 60_000 });
    await map.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 120_000 });
    // The clusters with their names and sizes, largest first (the map places names largest first
    // and leaves out one that would overlap a bigger one's: the largest is always drawn).
    const llmNames = await map.evaluate(() => {
      const { clusters, clusterLabels } = window.__map.points();
      const size = (id) => clusterLabels.filter((l) => l === id).length;
      return clusters
        .filter((c) => c.id >= 0)
        .map((c) => ({ id: c.id, name: c.name, source: c.nameSource, size: size(c.id) }))
        .sort((a, b) => b.size - a.size || a.id - b.id);
    });
    assert.equal(llmNames.length, clusterCount);
    assert.deepEqual(new Set(llmNames.map((c) => c.name)), new Set(topics.names.map((n) => n.name)), 'the map shows the names of topics.json');
    /** The names drawn on the overlay once the map has drawn `expected` (no reading before the redraw). */
    const drawnNames = (expected) => map.waitForFunction((want) => {
      window.__map.scatter.drawNow();
      const placed = window.__map.names();
      return want.every((w) => placed.some((p) => p.text === w)) && placed;
    }, expected, { timeout: 20_000 }).then((h) => h.jsonValue());
    const placed = await drawnNames([llmNames[0].name]);
    const llmNameSet = new Set(llmNames.map((c) => c.name));
    for (const p of placed) assert.ok(llmNameSet.has(p.text), `"${p.text}" drawn on the map is an LLM name`);
    assert.ok(placed.length >= Math.min(2, clusterCount), `${placed.length} of ${clusterCount} names drawn (a name that would overlap a bigger one's is left out)`);
    await assertAtCentroids(map, placed);
    assertNoOverlap(placed);
    const legendNames = await map.locator('#legend .legend-name').allTextContents();
    assert.deepEqual(new Set(legendNames), new Set(llmNames.map((c) => c.name)), 'the legend lists the names');
    assert.ok((await map.locator('#legend .legend-keywords').count()) >= clusterCount, 'the keywords stay visible');
    t.diagnostic(`named and shown in ${Date.now() - t0} ms: ${llmNames.map((c) => c.name).join(' | ')}`);

    // ---- Judge Clusters with LLM…: the map offers the coherence colouring -------------------------
    await clearNotifications(page);
    await runCommand(page, 'Embedding Lab: Judge Clusters with LLM…');
    await pickIfOffered(page, [PROJECT, DATASET], { until: page.locator('.monaco-dialog-box') });
    const judgeModal = await answerDialog(page, 'Judge Clusters with LLM', 'Send', { timeout: 60_000 });
    assert.match(judgeModal, new RegExp(`send ${clusterCount} requests? to ${MODEL}`));
    const judged = await waitForNotification(page, /judged \d+ of \d+ clusters/, { timeout: 120_000 });
    assert.match(judged, new RegExp(`judged ${clusterCount} of ${clusterCount} clusters of "ag-news", mean coherence 4\\.00 \\(LLM-judged, ${MODEL}\\)`));
    await map.locator('#colour-by option[value="coherence"]').waitFor({ state: 'attached', timeout: 20_000 });
    assert.equal(await map.locator('#colour-by option[value="coherence"]').textContent(), 'Colour: coherence (LLM-judged)');
    await map.locator('#colour-by').selectOption('coherence');
    await map.locator('#legend[aria-label="Coherence (LLM-judged)"]').waitFor({ timeout: 10_000 });
    assert.match(await map.locator('#legend').innerText(), /4\/5/);
    await map.locator('#colour-by').selectOption('cluster');
    await map.locator('#legend[aria-label="Clusters"]').waitFor({ timeout: 10_000 });

    // ---- Rename Topic…: the user's name wins, also after naming again -----------------------------
    await clearNotifications(page);
    const target = llmNames[0]; // the largest cluster: its name is always drawn
    await runCommand(page, 'Embedding Lab: Rename Topic…');
    await pickIfOffered(page, [PROJECT, DATASET], { until: page.locator('.quick-input-widget .quick-input-title', { hasText: 'Rename Topic' }) });
    await pickQuickItem(page, `${target.id}: ${target.name}`, { title: 'Rename Topic' });
    await page.locator('.quick-input-widget .quick-input-title', { hasText: `name of cluster ${target.id}` }).waitFor({ timeout: 15_000 });
    await answerInput(page, RENAMED);
    await drawnNames([RENAMED]);
    const requestsBefore = chat.requests.length;
    await runCommand(page, 'Embedding Lab: Name Topics with LLM…');
    await pickIfOffered(page, [PROJECT, DATASET], { until: page.locator('.notifications-toasts .notification-toast', { hasText: 'from the cache' }) });
    const again = await waitForNotification(page, /named \d+ topics of "ag-news"/, { timeout: 60_000 });
    assert.match(again, new RegExp(`\\(${clusterCount} from the cache\\)`), 'naming again costs nothing');
    assert.equal(chat.requests.length, requestsBefore);
    const renamedOnMap = await map.evaluate((id) => window.__map.points().clusters.find((c) => c.id === id), target.id);
    assert.equal(renamedOnMap.name, RENAMED);
    assert.equal(renamedOnMap.nameSource, 'user');
    assert.ok(readJson(path.join(projectDir, 'topics.json')).names.some((n) => n.name === target.name), 'the model\'s name is still cached beside yours');
    const placedRenamed = await drawnNames([RENAMED]);
    assertNoOverlap(placedRenamed);
    assert.ok((await map.locator('#legend .legend-name[data-source="user"]').allTextContents()).includes(RENAMED));

    // ---- Screenshots of the named map ------------------------------------------------------------
    await clearNotifications(page);
    for (const theme of ['dark', 'light', 'hcDark']) {
      await setColorTheme(page, state, theme);
      await page.mouse.move(640, 799);
      await drawnNames([RENAMED]);
      t.diagnostic(`screenshot: ${await screenshot(page, artifacts, `llm-map-names-${theme}`)}`);
    }
    await setColorTheme(page, state, 'dark');

    // ---- Pre-score 20 pairs from the palette ----------------------------------------------------
    await runCommand(page, 'Embedding Lab: Pre-score Pairs with LLM…');
    await pickIfOffered(page, [PROJECT, DATASET], { until: page.locator('.quick-input-widget .quick-input-title', { hasText: 'how many pairs' }) });
    await pickQuickItem(page, String(PRESCORE_COUNT), { exact: true, title: 'how many pairs' });
    const prescoreModal = await answerDialog(page, `Pre-score ${PRESCORE_COUNT} pairs with ${MODEL}?`, 'Pre-score', { timeout: 120_000 });
    assert.match(prescoreModal, new RegExp(`${PRESCORE_COUNT} requests to `));
    await clickNotificationButton(page, `${PRESCORE_COUNT} of ${PRESCORE_COUNT} pairs pre-scored`, 'Annotate Pairs', { timeout: 120_000 });
    const prescores = readJsonl(path.join(projectDir, 'prescores.jsonl'));
    assert.equal(prescores.length, PRESCORE_COUNT);
    assert.ok(prescores.every((p) => p.source === 'llm' && p.model === MODEL && typeof p.score === 'number'));
    const prescored = new Map(prescores.map((p) => [pairKey(p.id1, p.id2), p.score]));

    // ---- Annotate them: the pre-scored pairs first, the hint hidden ----------------------------------
    let annotate = await findWebviewFrame(page, { selector: '#anchors', timeout: 60_000 });
    await annotate.waitForFunction(() => document.body.dataset.ready === 'true' && !!document.body.dataset.pair, null, { timeout: 60_000 });
    // (the disagreement queue lists pairs people scored; any other strategy serves the pre-scored pairs first)
    if ((await annotate.locator('#strategy').inputValue()) === 'disagreement') {
      await annotate.locator('#strategy').selectOption('stratified');
      await annotate.waitForFunction(() => !!document.body.dataset.pair && document.querySelector('#pair-meta').textContent.startsWith('Stratified'), null, { timeout: 60_000 });
    }
    const annotationsFile = path.join(projectDir, 'annotations.jsonl');
    const annotatedBefore = readJsonl(annotationsFile).length;
    await annotate.locator('#left').click();
    let hintScreenshot;
    const annotateOne = async (expectHint) => {
      const pair = await annotate.evaluate(() => document.body.dataset.pair);
      const [id1, id2] = pair.split('|');
      assert.ok(prescored.has(pairKey(id1, id2)), `the pair on screen (${pair}) is a pre-scored one`);
      if (expectHint) {
        await annotate.locator('#llm-hint:not([hidden])').waitFor({ timeout: 15_000 });
        assert.match(await annotate.locator('#llm-hint').innerText(), new RegExp(`^LLM hint \\(${MODEL}\\): \\.\\d+ — `));
        if (!hintScreenshot) hintScreenshot = await screenshot(page, artifacts, 'llm-annotate-hint-dark');
      } else {
        assert.equal(await annotate.locator('#llm-hint').isHidden(), true, 'the hint is hidden by default');
        assert.ok(!(await annotate.evaluate(() => document.body.innerText)).includes('LLM hint'));
      }
      const n = readJsonl(annotationsFile).length;
      await page.keyboard.press(labelOf.get(id1) === labelOf.get(id2) ? '5' : '1');
      await waitFor(`annotation of ${pair} on disk`, () => readJsonl(annotationsFile).length === n + 1);
      await annotate.waitForFunction((prev) => !!document.body.dataset.pair && document.body.dataset.pair !== prev, pair, { timeout: 60_000 });
      return readJsonl(annotationsFile).at(-1);
    };
    for (let i = 0; i < HIDDEN_FIRST; i++) {
      const saved = await annotateOne(false);
      assert.equal(saved.hintShown, undefined, 'no hint was shown');
    }

    // ---- With the setting on, the hint shows and the saved entries record it ----------------------
    // in the Settings editor, as a user does; then back to the annotation tab, which finds the pair it showed
    const onScreen = await annotate.evaluate(() => document.body.dataset.pair);
    await setBooleanSettingInUi(page, 'embeddingLab.annotate.showLlmHint', true);
    await page.locator('.tabs-container .tab', { hasText: 'Annotate:' }).first().click();
    annotate = await findWebviewFrame(page, { selector: '#anchors', timeout: 30_000 });
    await annotate.waitForFunction((p) => document.body.dataset.pair === p, onScreen, { timeout: 30_000 });
    await annotate.locator('#left').click();
    for (let i = HIDDEN_FIRST; i < PRESCORE_COUNT; i++) {
      const saved = await annotateOne(true);
      assert.equal(saved.hintShown, true, 'the saved entry records that the hint was shown');
    }
    assert.equal(readJsonl(annotationsFile).length, annotatedBefore + PRESCORE_COUNT);
    t.diagnostic(`screenshot: ${hintScreenshot}`);

    // ---- LLM vs Human Agreement: Spearman, alpha, n, as computed from the files ----------------------
    const human = readJsonl(annotationsFile).slice(annotatedBefore);
    const both = human.map((a) => [prescored.get(pairKey(a.id1, a.id2)), a.score]);
    const spearman = pearson(ranks(both.map((b) => b[0])), ranks(both.map((b) => b[1])));
    const alpha = intervalAlpha(both);
    const meanAbs = both.reduce((s, [a, b]) => s + Math.abs(a - b), 0) / both.length;
    await clearNotifications(page);
    await runCommand(page, 'Embedding Lab: LLM vs Human Agreement');
    await pickIfOffered(page, [PROJECT], { until: page.locator('.notifications-toasts .notification-toast', { hasText: 'vs people on' }) });
    const report = await waitForNotification(page, /LLM \(.+\) vs people on \d+ pairs/, { timeout: 60_000 });
    t.diagnostic(`report: ${report.replace(/\s+/g, ' ')}`);
    assert.match(report, new RegExp(`LLM \\(${MODEL}\\) vs people on ${PRESCORE_COUNT} pairs: Spearman ${spearman.toFixed(2)}, Krippendorff's α ${alpha.toFixed(2)}, mean \\|Δ\\| ${meanAbs.toFixed(2)}`));
    for (const theme of ['dark', 'light', 'hcDark']) {
      await setColorTheme(page, state, theme);
      await page.mouse.move(640, 799);
      await page.locator('.notifications-toasts .notification-toast', { hasText: 'vs people on' }).first().waitFor({ timeout: 10_000 });
      t.diagnostic(`screenshot: ${await screenshot(page, artifacts, `llm-agreement-${theme}`)}`);
    }
    await setColorTheme(page, state, 'dark');
    // "Show Largest Differences": the log lists the pairs where the model and the people differ most
    await clickNotificationButton(page, 'vs people on', 'Show Largest Differences');
    await page.locator('.part.panel .monaco-editor .view-lines', { hasText: /people\s\d\.\d\d,\sLLM\s\d\.\d\d/ }).first().waitFor({ timeout: 20_000 });
    t.diagnostic(`screenshot: ${await screenshot(page, artifacts, 'llm-agreement-log-dark')}`);

    // ---- The key reached no file of the project or the settings ---------------------------------
    assert.deepEqual(filesContaining(projectDir, KEY), [], 'no project file holds the key');
    assert.deepEqual(filesContaining(path.join(state, 'user-data', 'User'), KEY), [], 'no settings file holds the key');
    assert.deepEqual(pageErrors, [], 'no uncaught errors in the workbench');
    t.diagnostic(`journey in ${((Date.now() - t0) / 1000).toFixed(1)} s, ${chat.requests.length} chat requests`);
  } catch (err) {
    await page.screenshot({ path: path.join(artifacts, 'failure-llm-assist.png') }).catch(() => {});
    if (pageErrors.length) t.diagnostic(`page errors: ${pageErrors.slice(0, 5).join(' | ')}`);
    throw err;
  }
});

/**
 * Each drawn name sits at its cluster's centroid: the mean of its points, projected with the map's
 * current view onto the overlay (a name pushed inside the canvas edge may move towards it).
 */
async function assertAtCentroids(map, placed) {
  const off = await map.evaluate((names) => {
    const { coords, clusterLabels } = window.__map.points();
    const v = window.__map.scatter.currentView;
    const overlay = document.querySelector('.scatter-overlay');
    const w = overlay.clientWidth, hh = overlay.clientHeight;
    return names.map((p) => {
      let x = 0, y = 0, n = 0;
      for (let i = 0; i < clusterLabels.length; i++) if (clusterLabels[i] === p.id) { x += coords[2 * i]; y += coords[2 * i + 1]; n++; }
      const sx = w / 2 + (x / n - v.cx) * v.scale, sy = hh / 2 - (y / n - v.cy) * v.scale;
      const edge = p.x - p.width / 2 < 3 || p.x + p.width / 2 > w - 3 || p.y - p.height / 2 < 3 || p.y + p.height / 2 > hh - 3;
      return { text: p.text, dx: Math.abs(sx - p.x), dy: Math.abs(sy - p.y), edge };
    });
  }, placed);
  for (const o of off) if (!o.edge) assert.ok(o.dx < 1.5 && o.dy < 1.5, `"${o.text}" is drawn ${o.dx.toFixed(1)}, ${o.dy.toFixed(1)} px from its centroid`);
}

/** No two drawn names overlap (their boxes, as placed around x, y). */
function assertNoOverlap(placed) {
  for (let a = 0; a < placed.length; a++) {
    for (let b = a + 1; b < placed.length; b++) {
      const p = placed[a], q = placed[b];
      const apart = Math.abs(p.x - q.x) * 2 >= p.width + q.width || Math.abs(p.y - q.y) * 2 >= p.height + q.height;
      assert.ok(apart, `"${p.text}" and "${q.text}" overlap`);
    }
  }
}
