// Beyond the palette (issue 12, problem 5): a category field with more values than the 16
// palette colours. The colours cycle and the shape changes per cycle — in the legend and on the
// points — so that two values never look the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { panelSuite, screenshot } from './harness.mjs';
import { mapFixture } from './fixtures.mjs';

const VIEWPORT = { width: 1280, height: 800 };
const SOURCES = Array.from({ length: 22 }, (_, k) => `Quotidien régional numéro ${String(k + 1).padStart(2, '0')}`);
const fixture = mapFixture(1200, 5, { clusters: 5, lang: 'fr' });
// every record gets one of 22 sources (names sorted, as the host sends them)
fixture.fields = [{ name: 'source', kind: 'category', names: SOURCES, values: fixture.ids.map((_, i) => i % SOURCES.length) }];

const suite = panelSuite('map', fixture);

test('22 sources on a 16-colour palette: the colours cycle, and the shape tells the cycles apart in the legend and on the points', async () => {
  for (const theme of ['dark', 'light', 'hc']) {
    const o = await suite.open(theme, VIEWPORT);
    try {
      const { page } = o;
      // what the map hands its (WebGL) renderer: one shape index per point
      await page.evaluate(() => {
        const r = window.__map.scatter.renderer;
        const set = r.setShapes.bind(r);
        r.setShapes = (s) => { window.__shapes = Array.from(s); set(s); };
      });
      await page.locator('#colour-by').selectOption('field:source');
      const items = await page.locator('#legend .legend-item').evaluateAll((bs) => bs.map((b) => {
        const sw = b.querySelector('.swatch');
        return { text: b.querySelector('.legend-keywords').textContent, slot: Number(sw.dataset.slot), colour: sw.style.background, shape: [...sw.classList].find((c) => c.startsWith('shape-')) };
      }));
      assert.equal(items.length, 22);
      const bySlot = new Map(items.map((it) => [it.slot, it]));
      assert.equal(bySlot.get(16).colour, bySlot.get(0).colour, 'slot 16 reuses the first colour');
      assert.equal(bySlot.get(0).shape, 'shape-circle');
      assert.equal(bySlot.get(16).shape, 'shape-square', 'with another shape');
      const looks = new Set(items.map((it) => `${it.colour} ${it.shape}`));
      assert.equal(looks.size, 22, 'no two sources look the same in the legend');

      // The points: a record of the 17th source is drawn as a square in the first source's colour.
      const shapes = await page.evaluate(() => window.__shapes);
      const first = SOURCES.indexOf(bySlot.get(0).text); // record i has source i % 22
      const seventeenth = SOURCES.indexOf(bySlot.get(16).text);
      assert.equal(shapes[first], 0, 'circle');
      assert.equal(shapes[seventeenth], 1, 'square');
      assert.deepEqual(await page.evaluate((i) => window.__map.colourOf(i), seventeenth), await page.evaluate((i) => window.__map.colourOf(i), first));
      await screenshot(page, `map-${theme}-palette-cycle`);
      assert.deepEqual(o.errors, []);
    } finally {
      await o.close();
    }
  }
});
