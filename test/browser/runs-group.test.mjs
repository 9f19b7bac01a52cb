// Compare Runs grouped by a config key (W&B "Group by"): a collapsible group row with the count
// and mean ± sd of each metric above its runs, one mean curve per group over a min–max band
// (the runs on demand), grouped CSV export, the group key kept through setState; screenshots
// at 1280×800 in the dark, light and high-contrast themes with long French names and notes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { buildWebviews, servePanel, launchBrowser, openPanel, screenshot, removeDir } from './harness.mjs';
import { groupedRunsFixture, mapFixture } from './fixtures.mjs';

const VIEW = { width: 1280, height: 800 };
let dir, server, browser;
before(async () => {
  dir = await buildWebviews(['runs']);
  server = await servePanel(dir, 'runs', groupedRunsFixture(), { mapFixture: mapFixture(400) });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
  if (dir) removeDir(dir);
});

const rowKeys = (page) => page.locator('#runs-table table.runs tbody tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.group ? `group ${tr.dataset.group}` : tr.dataset.run));

test('group by loss: group rows with count and mean ± sd above their runs, collapsible; ungrouping restores the runs', async () => {
  const o = await openPanel(browser, server.url('dark'), VIEW);
  try {
    const { page } = o;
    assert.equal(await page.locator('tr.group-row').count(), 0);
    await page.locator('#group-by').selectOption('loss');
    assert.deepEqual(await rowKeys(page), ['group "cosent"', 'g-cos-1', 'g-cos-2', 'g-cos-3', 'group "mnr"', 'g-mnr-1', 'g-mnr-2']);
    const cos = page.locator('tr.group-row[data-group=\'"cosent"\']');
    assert.equal(await cos.locator('.group-label').textContent(), 'Loss = CoSENT');
    assert.equal(await cos.locator('.group-count').textContent(), '3 runs · mean ± sd');
    assert.equal(await cos.locator('.group-status').textContent(), '3 completed');
    // Spearman 0.74, 0.70, 0.75: mean 0.730, sample sd √(0.0014 / 2) = 0.026; MNR 0.69, 0.67: 0.680 ± 0.014
    assert.deepEqual(await cos.locator('td.group-stat').allTextContents(), ['0.730 ± 0.026', '0.547 ± 0.035']);
    assert.deepEqual(await page.locator('tr.group-row[data-group=\'"mnr"\'] td.group-stat').allTextContents(), ['0.680 ± 0.014', '0.485 ± 0.021']);
    assert.match(await cos.locator('td.group-stat').first().getAttribute('title'), /mean ± sample standard deviation over 3 runs \(min 0\.700, max 0\.750\)/);
    assert.equal(await page.locator('#colour-by').isDisabled(), true, 'a group has one colour');
    assert.deepEqual(await page.locator('.bar-group[data-metric="spearman"] .bar-value').allTextContents(), ['0.740', '0.700', '0.750', '0.690', '0.670'], 'bars in group order');

    await cos.locator('.group-toggle').click();
    assert.equal(await cos.locator('.group-toggle').getAttribute('aria-expanded'), 'false');
    assert.deepEqual(await rowKeys(page), ['group "cosent"', 'group "mnr"', 'g-mnr-1', 'g-mnr-2']);
    await cos.locator('.group-toggle').click();
    assert.equal(await page.locator('tr.group-member').count(), 5);

    await page.locator('#group-by').selectOption('');
    assert.deepEqual(await rowKeys(page), ['g-cos-1', 'g-mnr-1', 'g-cos-2', 'g-cos-3', 'g-mnr-2']);
    assert.equal(await page.locator('#colour-by').isDisabled(), false);
    assert.deepEqual(o.errors, []);
  } finally {
    await o.close();
  }
});

test('grouped curves: one mean curve per group over a min–max band; "show the runs" draws each run in its group colour', async () => {
  const o = await openPanel(browser, server.url('dark'), VIEW);
  try {
    const { page } = o;
    assert.equal(await page.locator('#show-members-label').isVisible(), false);
    await page.locator('#group-by').selectOption('loss');
    assert.equal(await page.locator('#curves path.curve-group').count(), 2);
    assert.equal(await page.locator('#curves path.curve-band').count(), 2);
    assert.equal(await page.locator('#curves path.curve-member').count(), 0);
    assert.deepEqual(await page.locator('.curve-legend-item').allTextContents(), ['Loss = CoSENT (3)', 'Loss = MNR (2)']);
    // the band holds the mean: its box contains the mean curve's box
    const box = (sel) => page.locator(sel).evaluate((p) => { const b = p.getBBox(); return [b.x, b.y, b.x + b.width, b.y + b.height]; });
    const band = await box('#curves path.curve-band[data-group=\'"cosent"\']');
    const mean = await box('#curves path.curve-group[data-group=\'"cosent"\']');
    assert.ok(band[3] - band[1] > 10, 'the runs spread into a visible band');
    assert.ok(mean[0] >= band[0] - 0.5 && mean[1] >= band[1] - 0.5 && mean[2] <= band[2] + 0.5 && mean[3] <= band[3] + 0.5, `mean ${mean} inside band ${band}`);

    await page.locator('#show-members').check();
    const members = await page.locator('#curves path.curve-member').evaluateAll((ps) => ps.map((p) => [p.dataset.run, p.style.stroke]));
    assert.equal(members.length, 5);
    const strokeOf = (id) => members.find(([r]) => r === id)[1];
    assert.equal(strokeOf('g-cos-1'), strokeOf('g-cos-3'));
    assert.notEqual(strokeOf('g-cos-1'), strokeOf('g-mnr-1'));
    assert.equal(await page.locator('#curves path.curve-group[data-group=\'"mnr"\']').evaluate((p) => p.style.stroke), strokeOf('g-mnr-2'));
    // smoothing smooths the runs before they are averaged
    const before = await page.locator('#curves path.curve-group').first().getAttribute('d');
    await page.locator('#smoothing').fill('0.8');
    assert.notEqual(await page.locator('#curves path.curve-group').first().getAttribute('d'), before);
    assert.deepEqual(o.errors, []);
  } finally {
    await o.close();
  }
});

test('the group key, folded groups and "show the runs" survive a reload through setState', async () => {
  const o = await openPanel(browser, server.url('light'), VIEW);
  let state;
  try {
    const { page } = o;
    await page.locator('#group-by').selectOption('lr');
    await page.locator('tr.group-row[data-group="0.00005"] .group-toggle').click();
    await page.locator('#show-members').check();
    state = await page.evaluate(() => window.__state);
    assert.equal(state.ui.groupBy, 'lr');
    assert.deepEqual(state.ui.collapsedGroups, ['0.00005']);
  } finally {
    await o.close();
  }
  const again = await openPanel(browser, server.url('light', state), VIEW);
  try {
    const { page } = again;
    assert.equal(await page.locator('#group-by').inputValue(), 'lr');
    assert.deepEqual(await page.locator('tr.group-row .group-label').allTextContents(), ['Learning rate = 2e-5', 'Learning rate = 5e-5']);
    assert.deepEqual(await rowKeys(page), ['group 0.00002', 'g-cos-1', 'g-mnr-1', 'g-cos-2', 'g-mnr-2', 'group 0.00005']);
    assert.equal(await page.locator('#show-members').isChecked(), true);
    assert.equal(await page.locator('#curves path.curve-member').count(), 5);
    assert.deepEqual(again.errors, []);
  } finally {
    await again.close();
  }
});

test('grouped export: each group row (count, mean, sd) before its runs, in CSV and Markdown', async () => {
  const o = await openPanel(browser, server.url('dark'), VIEW);
  try {
    const { page } = o;
    await page.locator('#group-by').selectOption('loss');
    await page.locator('#export-csv').click();
    await page.locator('#export-md').click();
    await page.waitForFunction(() => window.__received.filter((m) => m.method === 'saveExport').length === 2);
    const [csv, md] = await page.evaluate(() => window.__received.filter((m) => m.method === 'saveExport').map((m) => m.params.content));
    const lines = csv.split('\r\n');
    assert.match(lines[0], /^group,row,runs,name,id,tags,notes,status,duration,Spearman correlation,Spearman correlation sd,Spearman correlation before,Normalised mutual information,Normalised mutual information sd,/);
    assert.match(lines[1], /^CoSENT,group,3,Loss = CoSENT,,,,,,0\.73,0\.0264575,0\.65,0\.546667,0\.0351188,/);
    assert.match(lines[2], /^CoSENT,run,,"CoSENT sur les dépêches régionales, titre et chapeau concaténés, graine 1",g-cos-1,référence,/);
    assert.match(lines[5], /^MNR,group,2,Loss = MNR,/);
    assert.equal(lines.length, 9);
    assert.match(md.split('\n')[2], /^\| CoSENT \| group \| 3 \| Loss = CoSENT \|/);
    assert.deepEqual(o.errors, []);
  } finally {
    await o.close();
  }
});

test('training notes: a small evaluation set warns under the run’s name; the loss, the pairs kept and the epochs fold under "How it trained"', async () => {
  const o = await openPanel(browser, server.url('dark'), VIEW);
  try {
    const { page } = o;
    const cell = page.locator('#runs-table tr[data-run="g-mnr-1"] th.run-name');
    assert.equal(await cell.locator('.split-note.warning.small-eval').textContent(),
      'Not enough annotations yet (n < 30): the evaluation uses 9 held-out examples, so its metrics and early stopping mean little');
    assert.equal(await cell.locator('.training-notes summary').textContent(), 'How it trained (3)');
    assert.equal(await cell.locator('.training-notes li').first().isVisible(), false, 'folded at first');
    await cell.locator('.training-notes summary').click();
    assert.deepEqual(await cell.locator('.training-notes li').allTextContents(), [
      'Scored pairs: the mnr loss treats every pair as a match, so only the pairs scored ≥ 0.8 train',
      'Kept 41 of 112 training pairs (scored ≥ 0.8) and 9 of 24 held-out pairs',
      'Up to 10 epochs, stopping early after 2 evaluations without improvement; the best evaluation\'s model is kept',
    ]);
    // runs without notes show none
    assert.equal(await page.locator('#runs-table tr[data-run="g-cos-1"] .training-notes, #runs-table tr[data-run="g-cos-1"] .small-eval').count(), 0);
    await cell.scrollIntoViewIfNeeded();
    await screenshot(page, 'runs-training-notes-dark');
    assert.deepEqual(o.errors, []);
  } finally {
    await o.close();
  }
});

test('screenshots: grouped runs with long French names and notes in the dark, light and high-contrast themes at 1280×800', async () => {
  for (const theme of ['dark', 'light', 'hc']) {
    const o = await openPanel(browser, server.url(theme), VIEW);
    try {
      const { page } = o;
      await page.locator('#group-by').selectOption('loss');
      await page.locator('#show-members').check();
      await page.locator('#smoothing').fill('0.6');
      await page.locator('#runs-table tr[data-run="g-cos-1"] .notes-toggle').click();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `${theme}: the page does not scroll sideways (${overflow}px)`);
      await screenshot(page, `runs-grouped-${theme}-1280`);
      await page.locator('#curves').scrollIntoViewIfNeeded();
      await screenshot(page, `runs-grouped-${theme}-1280-curves`);
      assert.deepEqual(o.errors, []);
    } finally {
      await o.close();
    }
  }
});
