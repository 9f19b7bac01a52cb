// Cluster map in a real browser: hover → tooltip, search → highlighted count, lasso → selection
// and labelRecords, box → Clear label (clearLabels), click → neighbours, view state survives a reload, screenshots.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { buildWebviews, servePanel, launchBrowser, openPanel, screenshot, removeDir } from './harness.mjs';
import { mapFixture } from './fixtures.mjs';

const fixture = mapFixture(2000);
let dir, server, browser;

before(async () => {
  dir = await buildWebviews(['map']);
  server = await servePanel(dir, 'map', fixture);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
  if (dir) removeDir(dir);
});

/** World → client px, from the page's current view (independent of the scatter's own code). */
async function projector(page) {
  const { view, rect } = await page.evaluate(() => {
    const s = window.__map.scatter;
    const r = document.querySelector('.scatter-overlay').getBoundingClientRect();
    return { view: s.currentView, rect: { left: r.left, top: r.top, width: r.width, height: r.height } };
  });
  return {
    toClient: (x, y) => [rect.left + rect.width / 2 + (x - view.cx) * view.scale, rect.top + rect.height / 2 - (y - view.cy) * view.scale],
    toWorld: (cx, cy) => [view.cx + (cx - rect.left - rect.width / 2) / view.scale, view.cy - (cy - rect.top - rect.height / 2) / view.scale],
  };
}

function mostIsolatedPoint(coords) {
  let best = -1, bestD = -1;
  const n = coords.length / 2;
  for (let i = 0; i < n; i++) {
    let d = Infinity;
    for (let j = 0; j < n; j++) if (j !== i) d = Math.min(d, Math.hypot(coords[2 * i] - coords[2 * j], coords[2 * i + 1] - coords[2 * j + 1]));
    if (d > bestD) { bestD = d; best = i; }
  }
  return best;
}

function inside(x, y, poly) {
  let c = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i], [xj, yj] = poly[j];
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) c = !c;
  }
  return c;
}

test('map renders with WebGL, hover shows the text, click lists neighbours', async () => {
  const o = await openPanel(browser, server.url('dark'));
  try {
    const renderer = await o.page.evaluate(() => document.querySelector('#plot').dataset.renderer);
    assert.equal(renderer, 'webgl');
    assert.equal(await o.page.locator('#legend .legend-item').count(), 6); // 5 clusters + outliers
    const target = mostIsolatedPoint(fixture.coords);
    const p = await projector(o.page);
    const [x, y] = p.toClient(fixture.coords[2 * target], fixture.coords[2 * target + 1]);
    await o.page.mouse.move(x + 1, y + 1);
    await o.page.waitForSelector('#tooltip:not([hidden])');
    assert.equal(await o.page.locator('#tooltip .tooltip-text').textContent(), fixture.texts[target]);
    await screenshot(o.page, 'map-dark-hover');
    await o.page.mouse.click(x + 1, y + 1);
    await o.page.waitForSelector('#neighbours .neighbour');
    assert.equal(await o.page.locator('#neighbours .neighbour').count(), 10);
    const req = await o.page.evaluate(() => window.__received.find((m) => m.method === 'neighbours'));
    assert.deepEqual(req.params, { index: target, k: 10 });
    assert.deepEqual(o.errors, []);
  } finally {
    await o.close();
  }
});

test('search highlights the matches and reports their count', async () => {
  const o = await openPanel(browser, server.url('dark'));
  try {
    await o.page.locator('#search input').fill('football');
    await o.page.waitForFunction(() => document.querySelector('#status').dataset.matches !== '' && document.querySelector('#status').dataset.matches !== undefined);
    const expected = fixture.texts.filter((t) => t.toLowerCase().includes('football')).length;
    assert.ok(expected > 0);
    assert.equal(await o.page.evaluate(() => document.querySelector('#status').dataset.textMatches), String(expected));
    assert.equal(await o.page.evaluate(() => document.querySelector('#status').dataset.matches), String(expected + 3), 'text and semantic matches are highlighted');
    assert.match(await o.page.locator('#status').textContent(), new RegExp(`${expected} text matches · 3 similar`));
    assert.equal(await o.page.locator('#search-results .neighbour').count(), 3, 'the semantic matches are listed');
    await screenshot(o.page, 'map-dark-search');
  } finally {
    await o.close();
  }
});

/** Draws a lasso (24-gon, radius 2.5 world units) around the cluster centred at (5, 5); returns the indices inside it. */
async function lassoCluster(page) {
  await page.locator('.scatter-overlay').focus();
  await page.keyboard.press('l');
  const p = await projector(page);
  // drawn in whole pixels, so the expected set uses the drawn polygon mapped back to the world
  const screen = [];
  for (let k = 0; k < 24; k++) {
    const a = (2 * Math.PI * k) / 24;
    const [cx, cy] = p.toClient(5 + 2.5 * Math.cos(a), 5 + 2.5 * Math.sin(a));
    screen.push([Math.round(cx), Math.round(cy)]);
  }
  await page.mouse.move(...screen[0]);
  await page.mouse.down();
  for (const pt of screen.slice(1)) await page.mouse.move(...pt, { steps: 2 });
  await page.mouse.up();
  const poly = screen.map(([sx, sy]) => p.toWorld(sx, sy));
  const expected = [];
  for (let i = 0; i < fixture.coords.length / 2; i++) if (inside(fixture.coords[2 * i], fixture.coords[2 * i + 1], poly)) expected.push(i);
  return expected;
}

/** The label name of every point, as the map currently has them. */
const labelNamesOf = (page) => page.evaluate(() => {
  const pts = window.__map.points();
  return Array.from(pts.labels, (v) => (v < 0 ? null : pts.labelNames[v]));
});

test('lasso selects the points inside the drawn polygon and labels them', async () => {
  const o = await openPanel(browser, server.url('light'));
  try {
    const expected = (await lassoCluster(o.page)).length;
    assert.ok(expected > 100, `expected many points, got ${expected}`);
    await o.page.waitForFunction(() => document.querySelector('#selection-count').dataset.count !== undefined);
    assert.equal(await o.page.evaluate(() => document.querySelector('#selection-count').dataset.count), String(expected));
    await screenshot(o.page, 'map-light-lasso');
    await o.page.locator('#label-input input').fill('sports');
    await o.page.locator('#label-selection').click();
    const cmd = await o.page.evaluate(() => window.__received.find((m) => m.method === 'labelRecords'));
    assert.equal(cmd.kind, 'command');
    assert.equal(cmd.params.label, 'sports');
    assert.equal(cmd.params.indices.length, expected);
  } finally {
    await o.close();
  }
});

test('Clear label takes back the labels of a box selection: those points show their own labels again', async () => {
  const o = await openPanel(browser, server.url('dark'));
  try {
    const lassoed = await lassoCluster(o.page);
    assert.ok(lassoed.length > 100);
    await o.page.locator('#label-input input').fill('picked');
    await o.page.locator('#label-selection').click();
    await o.page.waitForFunction(() => window.__map.points()?.labelNames.includes('picked'));
    assert.match(await o.page.locator('#selection-count').textContent(), new RegExp(`Labelled ${lassoed.length} as “picked” — Clear label takes it back`));
    await o.page.locator('#colour-by').selectOption('label');
    const labelled = await labelNamesOf(o.page);
    const inLasso = new Set(lassoed);
    labelled.forEach((l, i) => assert.equal(l, inLasso.has(i) ? 'picked' : fixture.labelNames[fixture.labels[i]], `point ${i}`));
    const pickedLegend = o.page.locator('#legend .legend-item', { hasText: 'picked' });
    assert.equal(await pickedLegend.locator('.legend-size').textContent(), String(lassoed.length));
    await screenshot(o.page, 'map-dark-labelled');

    // A box over the left half of the cluster at (5, 5), reaching past it.
    await o.page.locator('.scatter-overlay').focus();
    await o.page.keyboard.press('b');
    const p = await projector(o.page);
    const [x0, y0] = p.toClient(1.5, 9).map(Math.round);
    const [x1, y1] = p.toClient(5, 1).map(Math.round);
    await o.page.mouse.move(x0, y0);
    await o.page.mouse.down();
    await o.page.mouse.move(x1, y1, { steps: 8 });
    await o.page.mouse.up();
    const [wx0, wy0] = p.toWorld(x0, y0), [wx1, wy1] = p.toWorld(x1, y1);
    const boxed = [];
    for (let i = 0; i < fixture.coords.length / 2; i++) {
      const x = fixture.coords[2 * i], y = fixture.coords[2 * i + 1];
      if (x >= Math.min(wx0, wx1) && x <= Math.max(wx0, wx1) && y >= Math.min(wy0, wy1) && y <= Math.max(wy0, wy1)) boxed.push(i);
    }
    await o.page.waitForFunction((n) => document.querySelector('#selection-count').dataset.count === String(n), boxed.length);
    assert.deepEqual(await o.page.evaluate(() => Array.from(window.__map.selection())), boxed);
    const boxedLabelled = boxed.filter((i) => inLasso.has(i));
    assert.ok(boxedLabelled.length > 20 && boxedLabelled.length < lassoed.length, `the box takes part of the labelled points (${boxedLabelled.length})`);
    assert.ok(boxed.length > boxedLabelled.length, 'and some points without a map label');

    // Clear label, from the keyboard: Tab from "Label selection" to "Clear label", then Enter.
    await o.page.locator('#label-selection').focus();
    await o.page.keyboard.press('Tab');
    assert.equal(await o.page.evaluate(() => document.activeElement?.id), 'clear-label');
    await o.page.keyboard.press('Enter');
    await o.page.waitForFunction(() => /Cleared/.test(document.querySelector('#selection-count').textContent));
    const req = await o.page.evaluate(() => window.__received.filter((m) => m.method === 'clearLabels'));
    assert.equal(req.length, 1);
    assert.equal(req[0].kind, 'request');
    assert.deepEqual(req[0].params.indices, boxed);
    assert.equal(await o.page.locator('#selection-count').textContent(), `Cleared the map labels of ${boxedLabelled.length} of ${boxed.length} selected`);
    await o.page.waitForFunction((n) => {
      const item = [...document.querySelectorAll('#legend .legend-item')].find((b) => b.querySelector('.legend-keywords')?.textContent === 'picked');
      return item?.querySelector('.legend-size')?.textContent === String(n);
    }, lassoed.length - boxedLabelled.length);
    const cleared = new Set(boxedLabelled);
    (await labelNamesOf(o.page)).forEach((l, i) => assert.equal(l, inLasso.has(i) && !cleared.has(i) ? 'picked' : fixture.labelNames[fixture.labels[i]], `point ${i}`));
    await screenshot(o.page, 'map-dark-cleared');

    // Clearing again: nothing left to take back.
    await o.page.locator('#clear-label').click();
    await o.page.waitForFunction(() => /None of the/.test(document.querySelector('#selection-count').textContent));
    assert.equal(await o.page.locator('#selection-count').textContent(), `None of the ${boxed.length} selected has a label given on the map`);
    assert.deepEqual(o.errors, []);
  } finally {
    await o.close();
  }
});

test('zoom and legend state survive a reload through setState', async () => {
  const o = await openPanel(browser, server.url('dark'));
  let state;
  try {
    const box = await o.page.locator('.scatter-overlay').boundingBox();
    await o.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await o.page.mouse.wheel(0, -600);
    await o.page.locator('#legend .legend-item').first().click();
    await o.page.waitForFunction(() => window.__state?.ui?.focusClusters?.length === 1);
    state = await o.page.evaluate(() => window.__state);
    assert.equal(state.restore, 'test-key');
    assert.ok(state.ui.view.scale > 0);
  } finally {
    await o.close();
  }
  const again = await openPanel(browser, server.url('dark', state));
  try {
    const view = await again.page.evaluate(() => window.__map.scatter.currentView);
    assert.ok(Math.abs(view.scale - state.ui.view.scale) < 1e-6);
    assert.ok(Math.abs(view.cx - state.ui.view.cx) < 1e-6);
    assert.equal(await again.page.locator('#legend .legend-item[aria-pressed="true"]').count(), 1);
    await screenshot(again.page, 'map-dark-restored');
  } finally {
    await again.close();
  }
});

test('100k points load, draw and pick', async () => {
  const big = mapFixture(100_000, 3);
  const s = await servePanel(dir, 'map', big);
  const o = await openPanel(browser, s.url('dark'));
  try {
    const ms = await o.page.evaluate(() => {
      const gl = document.querySelector('.scatter-gl').getContext('webgl');
      const px = new Uint8Array(4);
      const t = performance.now();
      for (let k = 0; k < 5; k++) {
        window.__map.scatter.drawNow();
        gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px); // wait for the GPU (software here)
      }
      return (performance.now() - t) / 5;
    });
    const pickMs = await o.page.evaluate(() => {
      const s = window.__map.scatter;
      const r = document.querySelector('.scatter-overlay').getBoundingClientRect();
      const t = performance.now();
      let hits = 0;
      for (let k = 0; k < 1000; k++) if (s.pick(r.left + (k * 37) % r.width, r.top + (k * 53) % r.height) >= 0) hits++;
      return { per: (performance.now() - t) / 1000, hits };
    });
    console.log(`# 100k points: draw ${ms.toFixed(1)} ms/frame (swiftshader), pick ${pickMs.per.toFixed(3)} ms, ${pickMs.hits}/1000 hits`);
    assert.ok(pickMs.hits > 0);
    assert.match(await o.page.locator('#status').textContent(), /100,000 points/);
    await screenshot(o.page, 'map-dark-100k');
  } finally {
    await o.close();
    await s.close();
  }
});

test('without WebGL the map falls back to a 2D canvas and still picks', async () => {
  const noWebgl = () => {
    const original = HTMLCanvasElement.prototype.getContext;
    HTMLCanvasElement.prototype.getContext = function (type, ...rest) {
      return type === 'webgl' || type === 'webgl2' ? null : original.call(this, type, ...rest);
    };
  };
  const o = await openPanel(browser, server.url('light'), undefined, noWebgl);
  try {
    assert.equal(await o.page.evaluate(() => document.querySelector('#plot').dataset.renderer), 'canvas2d');
    const target = mostIsolatedPoint(fixture.coords);
    const p = await projector(o.page);
    const [x, y] = p.toClient(fixture.coords[2 * target], fixture.coords[2 * target + 1]);
    await o.page.mouse.move(x, y);
    await o.page.waitForSelector('#tooltip:not([hidden])');
    assert.equal(await o.page.locator('#tooltip .tooltip-text').textContent(), fixture.texts[target]);
    await screenshot(o.page, 'map-light-canvas2d');
    assert.deepEqual(o.errors, []);
  } finally {
    await o.close();
  }
});
