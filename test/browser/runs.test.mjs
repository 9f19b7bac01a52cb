// Run comparison in a real browser: named runs (rename with Enter/Escape), tags, notes, the
// collapsible config diff with readable labels, metric names from the shared vocabulary,
// curves with smoothing, per-run normalisation and colour by a config key, two maps, CSV and
// Markdown export; screenshots at 1280×800 in the dark, light and high-contrast themes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { buildWebviews, servePanel, launchBrowser, openPanel, screenshot, removeDir } from './harness.mjs';
import { mapFixture, runsFixture } from './fixtures.mjs';

const VIEW = { width: 1280, height: 800 };
let dir, server, browser;
before(async () => {
  dir = await buildWebviews(['runs']);
  server = await servePanel(dir, 'runs', runsFixture(), { mapFixture: mapFixture(1500) });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
  if (dir) removeDir(dir);
});

const sent = (page, method) => page.evaluate((m) => window.__received.filter((x) => x.method === m).map((x) => x.params), method);
const curveD = (page, run) => page.locator(`#curves path.curve[data-run="${run}"]`).getAttribute('d');

test('table: run names, readable differing settings, metrics in the shared vocabulary, a clear metrics heading', async () => {
  const o = await openPanel(browser, server.url('dark'), VIEW);
  try {
    const { page } = o;
    assert.equal(await page.locator('table.runs:not(.config-diff-table) tbody tr').count(), 2);
    assert.deepEqual(await page.locator('table.runs:not(.config-diff-table) .run-name-text').allTextContents(), [
      'MNR · head · 6 ep · lr 2e-5 · 20 Nov 10:00',
      'Dépêches AFP : CoSENT avec un taux d’apprentissage plus élevé, résumé et titre concaténés',
    ]);
    const heads = await page.locator('#runs-table thead th').allTextContents();
    assert.deepEqual(heads, ['Map', 'Run', 'Tags', 'Status', 'Duration', 'Spearman', 'Same label@10', 'NMI', 'Purity', 'ARI', 'Silhouette', 'Notes']);
    assert.match(await page.locator('#runs-table tr[data-run="run-b"] td.num').nth(1).textContent(), /^0\.745 \+0\.095$/);
    assert.equal(await page.locator('#metrics-heading').textContent(), 'Metrics — before → after training');
    assert.match(await page.locator('.runs-grid .hint').first().textContent(), /held-out evaluation data. Bar: after training; tick: the base encoder before training/);
    assert.deepEqual(await page.locator('.bar-group .bar-title').allTextContents(), ['Spearman correlation', 'Same label, nearest 10', 'Normalised mutual information', 'Cluster purity', 'Adjusted Rand index', 'Silhouette']);
    assert.equal(await page.locator('#curves path.curve').count(), 2);
    await page.waitForFunction(() => document.querySelectorAll('.map-cell [data-renderer]').length === 2);
    await screenshot(page, 'runs-dark');
    assert.deepEqual(o.errors, []);
  } finally {
    await o.close();
  }
});

test('rename: Escape cancels, Enter saves through the host, an empty name restores the default', async () => {
  const o = await openPanel(browser, server.url('dark'), VIEW);
  try {
    const { page } = o;
    const nameOf = (id) => page.locator(`#runs-table tr[data-run="${id}"] .run-name-text`);
    await nameOf('run-a').click();
    const input = page.locator('#runs-table tr[data-run="run-a"] .run-name-input');
    assert.equal(await input.inputValue(), '', 'a default name is not pre-filled: it shows as the placeholder');
    await input.fill('ne sera pas gardé');
    await input.press('Escape');
    assert.equal(await nameOf('run-a').textContent(), 'MNR · head · 6 ep · lr 2e-5 · 20 Nov 10:00');
    assert.deepEqual(await sent(page, 'setRunMeta'), []);
    await nameOf('run-a').click();
    await input.fill('Référence MNR — têtes légères');
    await input.press('Enter');
    await page.waitForFunction(() => document.querySelector('#runs-table tr[data-run="run-a"] .run-name-text')?.textContent === 'Référence MNR — têtes légères');
    assert.deepEqual(await sent(page, 'setRunMeta'), [{ runId: 'run-a', name: 'Référence MNR — têtes légères' }]);
    assert.match(await page.locator('#status').textContent(), /Renamed/);
    // the new name reaches the bars and the curve legend too
    assert.ok((await page.locator('.bar-label').allTextContents()).includes('Référence MNR — têtes légères'));
    await nameOf('run-a').click();
    await input.fill('');
    await input.press('Enter');
    await page.waitForFunction(() => document.querySelector('#runs-table tr[data-run="run-a"] .run-name-text')?.textContent.startsWith('MNR · head'));
    assert.deepEqual(o.errors, []);
  } finally {
    await o.close();
  }
});

test('tags: Enter adds a chip, × removes one; notes: Ctrl+Enter saves, Escape cancels', async () => {
  const o = await openPanel(browser, server.url('light'), VIEW);
  try {
    const { page } = o;
    const row = page.locator('#runs-table tr[data-run="run-a"]');
    await row.locator('.tag-input').fill('base line');
    await row.locator('.tag-input').press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('#runs-table tr[data-run="run-a"] .chip').length === 1);
    assert.equal(await row.locator('.chip-text').textContent(), 'base line');
    const rowB = page.locator('#runs-table tr[data-run="run-b"]');
    await rowB.locator('.chip[data-tag="français"] .chip-remove').click();
    await page.waitForFunction(() => document.querySelectorAll('#runs-table tr[data-run="run-b"] .chip').length === 2);
    assert.deepEqual((await sent(page, 'setRunMeta')).map((p) => p.tags), [['base line'], ['référence', 'titre+résumé']]);

    await row.locator('.notes-toggle').click();
    const area = page.locator('tr[data-notes-for="run-a"] textarea');
    await area.fill('brouillon');
    await area.press('Escape');
    assert.equal(await page.locator('tr[data-notes-for="run-a"]').count(), 0);
    assert.equal(await row.locator('.notes-toggle').textContent(), 'Add notes');
    await row.locator('.notes-toggle').click();
    await area.fill('Le MNR traite les paires notées 0 comme positives.\nÀ écarter.');
    await area.press('Control+Enter');
    await page.waitForFunction(() => document.querySelector('#runs-table tr[data-run="run-a"] .notes-toggle')?.textContent.startsWith('Le MNR traite'));
    assert.equal((await sent(page, 'setRunMeta')).at(-1).notes, 'Le MNR traite les paires notées 0 comme positives.\nÀ écarter.');
    // long French notes open under the run, in the three themes
    await rowB.locator('.notes-toggle').click();
    await screenshot(page, 'runs-light-notes');
    assert.deepEqual(o.errors, []);
  } finally {
    await o.close();
  }
});

test('config diff: collapsible, only the differing settings with readable labels, "show all" shows the rest', async () => {
  const o = await openPanel(browser, server.url('dark'), VIEW);
  try {
    const { page } = o;
    assert.equal(await page.locator('#config-diff').getAttribute('open'), '');
    assert.equal(await page.locator('#config-diff-summary').textContent(), 'Config — 4 of 9 settings differ');
    assert.deepEqual(await page.locator('#config-diff-body tbody th').allTextContents(), ['Batch size', 'Loss', 'Learning rate', 'Runner']);
    assert.deepEqual(await page.locator('#config-diff-body tr[data-key="loss"] td').allTextContents(), ['MNR', 'CoSENT']);
    assert.deepEqual(await page.locator('#config-diff-body tr[data-key="lr"] td').allTextContents(), ['2e-5', '5e-5']);
    await page.locator('#config-show-all').check();
    assert.equal(await page.locator('#config-diff-body tbody tr').count(), 9);
    assert.ok((await page.locator('#config-diff-body tbody th').allTextContents()).includes('Head › kind'));
    await page.locator('#config-diff-summary').click();
    assert.equal(await page.locator('#config-diff-body').isVisible(), false);
  } finally {
    await o.close();
  }
});

test('curves: smoothing redraws the curve with the raw one faint behind; normalise per run; colour by a config key', async () => {
  const o = await openPanel(browser, server.url('dark'), VIEW);
  try {
    const { page } = o;
    assert.equal(await page.locator('#curves path.curve-raw').count(), 0);
    const rawA = await curveD(page, 'run-a');
    assert.match(await page.locator('#curve-hint').textContent(), /scales differ/);
    await page.locator('#smoothing').fill('0.9');
    assert.equal(await page.locator('#smoothing-value').textContent(), '0.90');
    assert.equal(await page.locator('#curves path.curve-raw').count(), 2);
    assert.equal(await page.locator('#curves path.curve-raw').first().getAttribute('d'), rawA, 'the raw curve stays, faint');
    assert.notEqual(await curveD(page, 'run-a'), rawA);
    await page.locator('#smoothing').fill('0');
    assert.equal(await curveD(page, 'run-a'), rawA);

    // run-b's loss is 40× run-a's: on one axis run-a is a flat line at the bottom
    const height = async (run) => page.locator(`#curves path.curve[data-run="${run}"]`).evaluate((p) => p.getBBox().height);
    assert.ok((await height('run-a')) < 10, 'flattened on the shared axis');
    await page.locator('#normalise').check();
    assert.ok((await height('run-a')) > 100, 'spread over the chart when normalised per run');
    assert.deepEqual(await page.locator('#curves text').allTextContents().then((t) => t.slice(0, 2)), ['max', 'min']);

    await page.locator('#colour-by').selectOption('loss');
    assert.deepEqual(await page.locator('.curve-legend-item').allTextContents(), ['Loss = MNR', 'Loss = CoSENT']);
    await page.locator('#colour-by').selectOption('encoder');
    const strokes = await page.locator('#curves path.curve').evaluateAll((ps) => ps.map((p) => p.style.stroke));
    assert.equal(strokes[0], strokes[1], 'runs with the same encoder share a colour');
    assert.deepEqual(o.errors, []);
  } finally {
    await o.close();
  }
});

test('export sends CSV and Markdown with names, ids, tags and notes to the host', async () => {
  const o = await openPanel(browser, server.url('light'), VIEW);
  try {
    const { page } = o;
    await page.locator('#export-csv').click();
    await page.waitForFunction(() => /Saved/.test(document.querySelector('#status').textContent));
    await page.locator('#export-md').click();
    await page.waitForFunction(() => window.__received.filter((m) => m.method === 'saveExport').length === 2);
    const [csv, md] = await sent(page, 'saveExport');
    assert.equal(csv.format, 'csv');
    assert.equal(
      csv.content.split('\r\n')[0],
      'name,id,tags,notes,status,duration,Spearman correlation,Spearman correlation before,"Same label, nearest 10","Same label, nearest 10 before",' +
        'Normalised mutual information,Cluster purity,Adjusted Rand index,Silhouette,Batch size,Loss,Learning rate,Runner,Base encoder,Epochs,Head › kind,Training mode,Seed',
    );
    assert.match(csv.content, /\r\n"Dépêches AFP : CoSENT avec un taux d’apprentissage plus élevé, résumé et titre concaténés",run-b,"référence, français, titre\+résumé","Comparer avec le MNR/);
    assert.equal(md.format, 'markdown');
    assert.match(md.content, /^\| name \| id \| tags \| notes \| status \|/);
    assert.equal(md.content.trim().split('\n').length, 4);
  } finally {
    await o.close();
  }
});

test('maps of runs trained on labels: measured on the held-out records (training records faded), or marked when not', async () => {
  const o = await openPanel(browser, server.url('dark'), VIEW);
  try {
    const { page } = o;
    await page.waitForFunction(() => document.querySelectorAll('.map-cell[data-ready="true"]').length === 2);
    const note = (run, stage) => page.locator(`.map-cell[data-run="${run}"][data-stage="${stage}"] .split-note`);
    // Two runs: each "after" map. run-a held out every 10th of 1,500 records; run-b has no held-out split.
    assert.equal(await note('run-a', 'after').textContent(), 'Measured on the 150 held-out records; faded points are the records the run trained on.');
    assert.equal(await page.locator('.map-cell[data-run="run-a"]').getAttribute('data-scope'), 'held-out');
    assert.equal(await note('run-b', 'after').textContent(), 'Not a held-out result: measured on records whose labels the run trained on.');
    assert.match(await note('run-b', 'after').getAttribute('class'), /warning/);
    // Its table row says that its metrics are not held-out results; run-a's does not.
    assert.equal(await page.locator('#runs-table tr[data-run="run-b"] .split-note.warning').textContent(), 'Not held out: 1,200 evaluation examples are training examples');
    assert.equal(await page.locator('#runs-table tr[data-run="run-a"] .split-note').count(), 0);
    await page.locator('.maps').scrollIntoViewIfNeeded();
    await screenshot(page, 'runs-maps-held-out-dark');
    // One run: before and after are both measured on its held-out records.
    await page.locator('#runs-table tr[data-run="run-b"] input[type=checkbox]').first().uncheck();
    await page.waitForFunction(() => document.querySelectorAll('.map-cell[data-ready="true"]').length === 2 && document.querySelectorAll('.map-cell[data-stage="before"]').length === 1);
    assert.equal(await note('run-a', 'before').textContent(), 'Measured on the 150 held-out records; faded points are the records the run trained on.');
    assert.equal(await note('run-a', 'after').count(), 1);
    assert.deepEqual(o.errors, []);
  } finally {
    await o.close();
  }
  for (const theme of ['light', 'hc']) {
    const t = await openPanel(browser, server.url(theme), VIEW);
    try {
      await t.page.waitForFunction(() => document.querySelectorAll('.map-cell[data-ready="true"]').length === 2);
      await t.page.locator('.maps').scrollIntoViewIfNeeded();
      await screenshot(t.page, `runs-maps-held-out-${theme}`);
      assert.deepEqual(t.errors, []);
    } finally {
      await t.close();
    }
  }
});

test('screenshots: long French names and notes in the dark, light and high-contrast themes at 1280×800', async () => {
  for (const theme of ['dark', 'light', 'hc']) {
    const o = await openPanel(browser, server.url(theme), VIEW);
    try {
      const { page } = o;
      await page.locator('#smoothing').fill('0.6');
      await screenshot(page, `runs-${theme}-1280-top`);
      await page.locator('#runs-table tr[data-run="run-b"] .notes-toggle').click();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `${theme}: the page does not scroll sideways (${overflow}px)`);
      await screenshot(page, `runs-${theme}-1280`);
      assert.deepEqual(o.errors, []);
    } finally {
      await o.close();
    }
  }
});
