// Run comparison in a real browser: two runs, config differences highlighted, metric bars,
// curves, two maps, CSV and Markdown export through the host; screenshots in both themes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { buildWebviews, servePanel, launchBrowser, openPanel, screenshot, removeDir } from './harness.mjs';
import { mapFixture, runsFixture } from './fixtures.mjs';

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

test('table shows two runs with the differing config highlighted', async () => {
  const o = await openPanel(browser, server.url('dark'));
  try {
    const { page } = o;
    assert.equal(await page.locator('table.runs tbody tr').count(), 2);
    const diffHeaders = await page.locator('table.runs thead th.diff').allTextContents();
    assert.deepEqual(diffHeaders, ['batchSize', 'learningRate', 'loss']);
    assert.deepEqual((await page.locator('table.runs thead th').allTextContents()).slice(4, 8), ['batchSize', 'learningRate', 'loss', 'Spearman']);
    assert.equal(await page.locator('table.runs tbody tr[data-run="run-b"] td.diff').count(), 3);
    assert.equal(await page.locator('table.runs tbody tr[data-run="run-b"] td.same').count(), 4);
    assert.equal(await page.locator('.bar-group').count(), 6);
    assert.equal(await page.locator('#curves path.curve').count(), 2);
    await page.waitForFunction(() => document.querySelectorAll('.map-cell [data-renderer]').length === 2);
    assert.match(await page.locator('.map-cell figcaption').first().textContent(), /1,500 points/);
    await screenshot(page, 'runs-dark');
    assert.deepEqual(o.errors, []);
  } finally {
    await o.close();
  }
});

test('export sends CSV and Markdown to the host', async () => {
  const o = await openPanel(browser, server.url('light'));
  try {
    const { page } = o;
    await page.locator('#export-csv').click();
    await page.waitForFunction(() => /Saved/.test(document.querySelector('#status').textContent));
    await page.locator('#export-md').click();
    await page.waitForFunction(() => window.__received.filter((m) => m.method === 'saveExport').length === 2);
    const [csv, md] = await page.evaluate(() => window.__received.filter((m) => m.method === 'saveExport').map((m) => m.params));
    assert.equal(csv.format, 'csv');
    assert.equal(csv.content.split('\r\n')[0], 'run,status,duration,Spearman,Top-k same label,Purity,NMI,ARI,Silhouette,batchSize,learningRate,loss,encoder,epochs,mode,seed');
    assert.match(csv.content, /\r\ncosent-lr5e-5,completed,4 min 12 s,0\.745,/);
    assert.equal(md.format, 'markdown');
    assert.match(md.content, /^\| run \| status \|/);
    assert.equal(md.content.trim().split('\n').length, 4);
    await screenshot(page, 'runs-light');
  } finally {
    await o.close();
  }
});
