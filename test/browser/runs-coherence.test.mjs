// Compare Runs with an LLM-judged coherence: its own column beside NMI and silhouette, the cell
// marked "LLM-judged" and its title naming the model.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { buildWebviews, servePanel, launchBrowser, openPanel, screenshot, removeDir } from './harness.mjs';
import { mapFixture, runsFixture } from './fixtures.mjs';

const fixture = runsFixture();
fixture.runs[1].metrics.llmCoherence = 3.75;
fixture.runs[1].coherenceJudgedBy = 'gpt-4o-mini (4 of 4 clusters)';
let dir, server, browser;
before(async () => {
  dir = await buildWebviews(['runs']);
  server = await servePanel(dir, 'runs', fixture, { mapFixture: mapFixture(500) });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
  if (dir) removeDir(dir);
});

test('the coherence column is marked LLM-judged and names the model', async () => {
  const o = await openPanel(browser, server.url('dark'), { width: 1280, height: 800 });
  try {
    const heads = await o.page.locator('table.runs:not(.config-diff-table) thead th').allTextContents();
    const col = heads.indexOf('Coherence (LLM)');
    assert.ok(col > heads.indexOf('NMI') && heads.includes('Silhouette'), heads.join(' | '));
    const cells = o.page.locator('table.runs:not(.config-diff-table) tbody tr').nth(1).locator('th, td');
    const cell = cells.nth(col);
    assert.equal(await cell.textContent(), '3.75 LLM-judged');
    assert.match(await cell.getAttribute('title'), /^LLM-judged by gpt-4o-mini \(4 of 4 clusters\)/);
    assert.equal(await o.page.locator('table.runs:not(.config-diff-table) tbody tr').nth(0).locator('th, td').nth(col).textContent(), '');
    await screenshot(o.page, 'runs-dark-coherence');
    assert.deepEqual(o.errors, []);
  } finally {
    await o.close();
  }
});
