// Topic names (the user's or an LLM's) and LLM-judged coherence on the cluster map: names in the
// legend beside the keywords, as text (never HTML), a user's name marked, "Colour: coherence"
// with a 5-to-1 legend. Dark, light and high contrast at 1280×800 with long French names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { panelSuite, screenshot } from './harness.mjs';
import { mapFixture } from './fixtures.mjs';

const VIEWPORT = { width: 1280, height: 800 };
const NAMES = [
  'Élections régionales et recomposition des majorités',
  'Sécheresse et restrictions d’eau agricoles',
  '<img src=x onerror="window.__pwned=1"> Santé & hôpitaux',
  'Transports urbains',
  'Rentrée scolaire',
];
const fixture = mapFixture(2000, 7, { clusters: 13, lang: 'fr' });
fixture.clusters.forEach((c, i) => {
  if (i < NAMES.length) Object.assign(c, { name: NAMES[i], description: 'Une phrase.', nameSource: i === 1 ? 'user' : 'llm' });
  if (i < 10) c.coherence = 1 + (i % 5);
});
const suite = panelSuite('map', fixture);

test('names show in the legend beside the keywords, as text; a user name is marked', async () => {
  for (const theme of ['dark', 'light', 'hc']) {
    const o = await suite.open(theme, VIEWPORT);
    try {
      const names = await o.page.locator('#legend .legend-name').allTextContents();
      // (the fixture names some other clusters too)
      for (const n of NAMES) assert.ok(names.includes(n), `${n} in the legend`);
      const item = o.page.locator('#legend .legend-item[data-cluster="0"]');
      assert.equal(await item.locator('.legend-name').textContent(), NAMES[0]);
      assert.equal(await item.locator('.legend-name-keywords').textContent(), fixture.clusters[0].keywords.slice(0, 5).join(', '), 'the keywords stay visible');
      assert.match(await item.getAttribute('title'), /Élections régionales .* \(LLM name\): /);
      assert.equal(await o.page.locator('#legend .legend-item[data-cluster="1"] .legend-name').getAttribute('data-source'), 'user');
      assert.equal(await o.page.locator('#legend img').count(), 0, 'a name is never parsed as HTML');
      assert.equal(await o.page.evaluate(() => window.__pwned), undefined);
      // Long names stay inside the side panel.
      const overflow = await o.page.evaluate(() => [...document.querySelectorAll('#legend .legend-item')].some((b) => b.scrollWidth > b.clientWidth + 1));
      assert.equal(overflow, false, 'no legend row overflows');
      // …and are read in full: the name wraps instead of ending in an ellipsis.
      const clipped = await o.page.evaluate(() => [...document.querySelectorAll('#legend .legend-name')]
        .filter((n) => n.scrollHeight > n.clientHeight + 1 || n.scrollWidth > n.clientWidth + 1).map((n) => n.textContent));
      assert.deepEqual(clipped, [], 'no legend name is cut');
      await screenshot(o.page, `map-${theme}-fr-names`);
      assert.deepEqual(o.errors, []);
    } finally {
      await o.close();
    }
  }
});

test('colour by coherence: legend from 5/5 down to 1/5, then the unjudged', async () => {
  const o = await suite.open('dark', VIEWPORT);
  try {
    const options = await o.page.locator('select option').allTextContents();
    assert.ok(options.includes('Colour: coherence (LLM-judged)'), options.join(' | '));
    const select = o.page.locator('select', { has: o.page.locator('option[value="coherence"]') });
    await select.selectOption('coherence');
    const tags = await o.page.locator('#legend .legend-item .legend-id').allTextContents();
    assert.deepEqual(tags, ['5/5', '4/5', '3/5', '2/5', '1/5']);
    const last = await o.page.locator('#legend .legend-item').last().textContent();
    assert.match(last, /not judged/);
    assert.equal(await o.page.locator('#tab-legend').textContent().then((t) => /Coherence \(LLM-judged\)/.test(t)), true);
    await screenshot(o.page, 'map-dark-fr-coherence');
    assert.deepEqual(o.errors, []);
  } finally {
    await o.close();
  }
});
