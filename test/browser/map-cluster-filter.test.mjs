// Filter the map by cluster (issue 12, "filter by label, cluster, annotation status or any
// metadata field"): the cluster list of the Filters tab, largest first with the outliers last;
// two clusters ticked keep exactly their points; the others are dimmed; the outliers can be picked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { panelSuite, screenshot } from './harness.mjs';
import { mapFixture } from './fixtures.mjs';

const VIEWPORT = { width: 1280, height: 800 };
const fixture = mapFixture(2600, 11, { clusters: 13, lang: 'fr' });
const suite = panelSuite('map', fixture);

const passingIs = (page, n) => page.waitForFunction((k) => document.querySelector('#filter-summary').dataset.passing === String(k), n);

test('filter by cluster: two clusters keep exactly their points, the rest dimmed; the outliers too; clearing the ticks shows all', async () => {
  for (const theme of ['dark', 'light', 'hc']) {
    const o = await suite.open(theme, VIEWPORT);
    try {
      const { page } = o;
      await page.locator('#tab-filters').click();
      const items = page.locator('[data-filter="cluster"] input[type="checkbox"]');
      assert.equal(await items.count(), 14, '13 clusters and the outliers');
      assert.equal(await items.last().getAttribute('data-value'), '-1', 'the outliers come last');
      const sizes = await page.locator('[data-filter="cluster"] .filter-count').allTextContents();
      const counted = sizes.slice(0, 13).map((t) => Number(t.replace(/,/g, '')));
      assert.deepEqual(counted, [...counted].sort((a, b) => b - a), 'largest cluster first');

      await page.locator('[data-filter="cluster"] input[data-value="0"]').check();
      await page.locator('[data-filter="cluster"] input[data-value="3"]').check();
      let expected = fixture.clusterLabels.map((c) => c === 0 || c === 3);
      await passingIs(page, expected.filter(Boolean).length);
      assert.deepEqual(await page.evaluate(() => Array.from(window.__map.filter())), expected.map(Number));
      assert.equal(await page.locator('#tab-filters .side-tab-badge').textContent(), '1', 'one filter (two values)');
      const out = expected.findIndex((ok) => !ok), kept = expected.findIndex(Boolean);
      assert.ok(await page.evaluate((i) => window.__map.alphaOf(i), out) < 30, 'dimmed');
      assert.ok(await page.evaluate((i) => window.__map.alphaOf(i), kept) > 200, 'kept');
      await screenshot(page, `map-${theme}-fr-filter-clusters`);

      await page.locator('[data-filter="cluster"] input[data-value="-1"]').check();
      expected = fixture.clusterLabels.map((c) => c === 0 || c === 3 || c === -1);
      await passingIs(page, expected.filter(Boolean).length);
      assert.deepEqual(await page.evaluate(() => Array.from(window.__map.filter())), expected.map(Number));

      for (const v of ['0', '3', '-1']) await page.locator(`[data-filter="cluster"] input[data-value="${v}"]`).uncheck();
      await passingIs(page, 2600);
      assert.deepEqual(o.errors, []);
    } finally {
      await o.close();
    }
  }
});
