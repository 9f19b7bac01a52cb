// Cluster map in a real browser: hover → tooltip, search → highlighted count, lasso → selection
// and labelRecords, click → neighbours, view state survives a reload, screenshots.
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

test('lasso selects the points inside the drawn polygon and labels them', async () => {
  const o = await openPanel(browser, server.url('light'));
  try {
    await o.page.locator('.scatter-overlay').focus();
    await o.page.keyboard.press('l');
    const p = await projector(o.page);
    // a hexagon around the cluster centred at (5, 5), radius 2.5 world units, drawn in whole pixels
    const screen = [];
    for (let k = 0; k < 24; k++) {
      const a = (2 * Math.PI * k) / 24;
      const [cx, cy] = p.toClient(5 + 2.5 * Math.cos(a), 5 + 2.5 * Math.sin(a));
      screen.push([Math.round(cx), Math.round(cy)]);
    }
    await o.page.mouse.move(...screen[0]);
    await o.page.mouse.down();
    for (const pt of screen.slice(1)) await o.page.mouse.move(...pt, { steps: 2 });
    await o.page.mouse.up();
    const poly = screen.map(([sx, sy]) => p.toWorld(sx, sy));
    let expected = 0;
    for (let i = 0; i < fixture.coords.length / 2; i++) if (inside(fixture.coords[2 * i], fixture.coords[2 * i + 1], poly)) expected++;
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
