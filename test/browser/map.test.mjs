// Cluster map in a real browser: hover → tooltip, search → highlighted count, lasso → selection
// and labelRecords, box → Clear label (clearLabels), click → neighbours, view state survives a reload, screenshots.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { buildWebviews, servePanel, launchBrowser, openPanel, screenshot, removeDir } from './harness.mjs';
import { mapFixture } from './fixtures.mjs';
import { THEMES } from './themes.mjs';

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

function mostIsolatedPoint(coords, accept = () => true) {
  let best = -1, bestD = -1;
  const n = coords.length / 2;
  for (let i = 0; i < n; i++) {
    if (!accept(i)) continue;
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
    // The list numbers ("10.") fit in the list's indent: the scrolling side panel clips what sticks out.
    const indent = await o.page.evaluate(() => {
      const ol = document.querySelector('#neighbours .neighbour-list');
      const li = ol.querySelector('li:last-child');
      const probe = document.createElement('span');
      probe.textContent = `${ol.children.length}. `;
      probe.style.cssText = 'position:absolute;visibility:hidden;white-space:pre';
      li.append(probe);
      const marker = probe.getBoundingClientRect().width;
      probe.remove();
      return { marker, padding: parseFloat(getComputedStyle(ol).paddingLeft) };
    });
    assert.ok(indent.marker <= indent.padding, `"10. " needs ${indent.marker.toFixed(1)} px, the list indent is ${indent.padding} px`);
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

/** Draws a lasso (24-gon, radius r world units) around (cx, cy), by default the cluster at (5, 5); returns the indices inside it. */
async function lassoCluster(page, { cx = 5, cy = 5, r = 2.5, coords = fixture.coords } = {}) {
  await page.locator('.scatter-overlay').focus();
  await page.keyboard.press('l');
  const p = await projector(page);
  // drawn in whole pixels, so the expected set uses the drawn polygon mapped back to the world
  const screen = [];
  for (let k = 0; k < 24; k++) {
    const a = (2 * Math.PI * k) / 24;
    const [sx, sy] = p.toClient(cx + r * Math.cos(a), cy + r * Math.sin(a));
    screen.push([Math.round(sx), Math.round(sy)]);
  }
  await page.mouse.move(...screen[0]);
  await page.mouse.down();
  for (const pt of screen.slice(1)) await page.mouse.move(...pt, { steps: 2 });
  await page.mouse.up();
  const poly = screen.map(([sx, sy]) => p.toWorld(sx, sy));
  const expected = [];
  for (let i = 0; i < coords.length / 2; i++) if (inside(coords[2 * i], coords[2 * i + 1], poly)) expected.push(i);
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

// ---- the workbench: hidden/shown view, stable colours, side tabs, toolbar, tooltip ----------------

const VIEWPORT = { width: 1280, height: 800 };
const frFixture = mapFixture(2600, 11, { clusters: 13, lang: 'fr' });
const LONG_STATUS = 'Recherche sémantique terminée : 1 234 correspondances textuelles et 987 résultats proches par le sens, regroupés dans treize catégories différentes — cliquez sur un point pour voir ses voisins les plus proches';

/** Waits for two animation frames (ResizeObserver callbacks and a draw). */
const frames = (page) => page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));

/** The bounding box (CSS px, relative to the plot) of the pixels the WebGL canvas drew. */
async function renderedBox(page) {
  return page.evaluate(() => {
    window.__map.scatter.drawNow();
    const c = document.querySelector('.scatter-gl');
    const gl = c.getContext('webgl');
    const w = gl.drawingBufferWidth, hh = gl.drawingBufferHeight;
    const px = new Uint8Array(4 * w * hh);
    gl.readPixels(0, 0, w, hh, gl.RGBA, gl.UNSIGNED_BYTE, px);
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity, count = 0;
    for (let y = 0; y < hh; y++) for (let x = 0; x < w; x++) {
      if (px[4 * (y * w + x) + 3] === 0) continue;
      count++;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
    return { minX, minY, maxX, maxY, count, width: w, height: hh };
  });
}

function assertSameBox(actual, expected, what) {
  for (const k of ['minX', 'minY', 'maxX', 'maxY', 'width', 'height']) assert.ok(Math.abs(actual[k] - expected[k]) <= 1, `${what}: ${k} ${actual[k]} vs ${expected[k]}`);
}

/** The box is spread over the plot, not collapsed to a dot. */
function assertSpread(box, what) {
  assert.ok(box.maxX - box.minX > 0.5 * box.width || box.maxY - box.minY > 0.5 * box.height, `${what}: points collapsed to ${JSON.stringify(box)}`);
}

test('a hidden map (0×0 canvas) keeps its view: shown again, and reopened from its state, the points are where they were', async () => {
  const o = await openPanel(browser, server.url('dark'), VIEWPORT);
  try {
    const fitted = await renderedBox(o.page);
    assertSpread(fitted, 'first paint');
    // Reopened from the state saved without any interaction (VS Code recreates a hidden panel's page).
    const untouched = await o.page.evaluate(() => window.__state);
    const again = await openPanel(browser, server.url('dark', untouched), VIEWPORT);
    try {
      assertSameBox(await renderedBox(again.page), fitted, 'reopened from the untouched state');
    } finally {
      await again.close();
    }
    // Zoom in, then hide (the canvas gets 0×0), refetch while hidden, and show again.
    const box = await o.page.locator('.scatter-overlay').boundingBox();
    await o.page.mouse.move(box.x + box.width * 0.4, box.y + box.height * 0.45);
    await o.page.mouse.wheel(0, -300);
    await frames(o.page);
    const view = await o.page.evaluate(() => window.__map.scatter.currentView);
    const zoomed = await renderedBox(o.page);
    await o.page.evaluate(() => { document.body.style.display = 'none'; });
    await frames(o.page);
    assert.equal(await o.page.evaluate(() => document.querySelector('.scatter-overlay').getBoundingClientRect().width), 0);
    const fetches = await o.page.evaluate(() => window.__received.filter((m) => m.method === 'getPoints').length);
    await o.page.evaluate(() => window.postMessage({ kind: 'notification', method: 'dataChanged', params: { reason: 'labels' } }, '*'));
    await o.page.waitForFunction((n) => window.__received.filter((m) => m.method === 'getPoints').length > n, fetches);
    await o.page.waitForTimeout(100);
    await frames(o.page);
    await o.page.evaluate(() => { document.body.style.display = ''; });
    await frames(o.page);
    assert.deepEqual(await o.page.evaluate(() => window.__map.scatter.currentView), view);
    assertSameBox(await renderedBox(o.page), zoomed, 'shown again');
    const state = await o.page.evaluate(() => window.__state);
    assert.deepEqual(state.ui.view, view);
    const reopened = await openPanel(browser, server.url('dark', state), VIEWPORT);
    try {
      assertSameBox(await renderedBox(reopened.page), zoomed, 'reopened after hiding');
    } finally {
      await reopened.close();
    }
    assert.deepEqual(o.errors, []);
  } finally {
    await o.close();
  }
});

test('a map whose data arrives while it is hidden fits the points once it has a size', async () => {
  const reference = await openPanel(browser, server.url('dark'), VIEWPORT);
  const fitted = await renderedBox(reference.page);
  await reference.close();
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
  try {
    const page = await context.newPage();
    await page.addInitScript(() => {
      new MutationObserver((_, o) => {
        if (!document.documentElement) return;
        document.documentElement.style.display = 'none';
        o.disconnect();
      }).observe(document, { childList: true });
    });
    await page.goto(server.url('dark'));
    await page.waitForFunction(() => document.body?.dataset.ready === 'true');
    await frames(page);
    assert.equal(await page.evaluate(() => window.__state?.ui?.view), undefined, 'no view is saved before the map has a size');
    await page.evaluate(() => { document.documentElement.style.display = ''; });
    await frames(page);
    const box = await renderedBox(page);
    assertSpread(box, 'shown after loading hidden');
    assertSameBox(box, fitted, 'shown after loading hidden');
  } finally {
    await context.close();
  }
});

const frServer = () => servePanel(dir, 'map', frFixture);

/** Legend swatch colour per entry text. */
const legendColours = (page) => page.evaluate(() => Object.fromEntries([...document.querySelectorAll('#legend .legend-item')].map((b) => [b.querySelector('.legend-keywords').textContent, getComputedStyle(b.querySelector('.swatch')).backgroundColor])));

test('label colours are stable: a new, bigger label sorted first leaves the colours of the others alone', async () => {
  const o = await openPanel(browser, server.url('dark'), VIEWPORT);
  try {
    await o.page.locator('#colour-by').selectOption('label');
    const before = await legendColours(o.page);
    const pointBefore = await o.page.evaluate(() => window.__map.colourOf(1)); // fixture label 1 = Sports
    assert.equal(new Set(Object.values(before)).size, Object.keys(before).length, 'distinct colours');
    // Lasso a whole cluster and label it "Actualités" (sorted before every other name, more points than any).
    const lassoed = await lassoCluster(o.page);
    await o.page.locator('#label-input input').fill('Actualités');
    await o.page.locator('#label-selection').click();
    await o.page.waitForFunction(() => [...document.querySelectorAll('#legend .legend-keywords')].some((e) => e.textContent === 'Actualités'));
    const after = await legendColours(o.page);
    for (const [name, colour] of Object.entries(before)) if (name !== 'no label') assert.equal(after[name], colour, `${name} kept its colour`);
    assert.ok(!Object.entries(before).some(([, c]) => c === after['Actualités']), 'the new label has a colour of its own');
    const sportsPoint = (await labelNamesOf(o.page)).findIndex((l, i) => l === 'Sports' && !lassoed.includes(i));
    assert.ok(sportsPoint >= 0);
    assert.deepEqual(await o.page.evaluate((i) => window.__map.colourOf(i), sportsPoint), pointBefore, 'a Sports point is drawn in the same colour');
    await screenshot(o.page, 'map-dark-new-label');
    assert.deepEqual(o.errors, []);
  } finally {
    await o.close();
  }
});

test('13 French clusters: the side panel has tabs; a click shows and rings the neighbours, a search shows its results, Escape clears', async () => {
  const s = await frServer();
  try {
    for (const theme of ['dark', 'light', 'hc']) {
      const o = await openPanel(browser, s.url(theme), VIEWPORT);
      try {
        assert.equal(await o.page.locator('#legend .legend-item').count(), 14);
        const colours = Object.values(await legendColours(o.page));
        assert.equal(new Set(colours).size, 14, 'every cluster and the outliers have their own colour');
        assert.equal(await o.page.locator('[role="tab"][aria-selected="true"]').getAttribute('id'), 'tab-legend');
        await screenshot(o.page, `map-${theme}-fr-legend`);

        // Click a point: the Neighbours tab opens, its list is in view, the neighbours are ringed.
        const target = mostIsolatedPoint(frFixture.coords.slice(0, 400), (i) => frFixture.clusterLabels[i] >= 0);
        const p = await projector(o.page);
        const [x, y] = p.toClient(frFixture.coords[2 * target], frFixture.coords[2 * target + 1]);
        await o.page.mouse.move(x, y);
        await o.page.waitForSelector('#tooltip:not([hidden])');
        const expectedLabel = frFixture.labelNames[frFixture.labels[target]];
        assert.equal(await o.page.locator('#tooltip .tooltip-label-name').textContent(), expectedLabel, 'hover names the label');
        const cluster = frFixture.clusterLabels[target];
        const info = frFixture.clusters[cluster];
        assert.equal(await o.page.locator('#tooltip .tooltip-head').textContent(), `rec-${target} · cluster #${cluster} ${info.name ?? info.keywords.slice(0, 3).join(', ')}`, 'hover names the cluster (its name, else its keywords)');
        await screenshot(o.page, `map-${theme}-fr-hover`);
        await o.page.mouse.click(x, y);
        await o.page.waitForSelector('#neighbours .neighbour');
        assert.equal(await o.page.locator('[role="tab"][aria-selected="true"]').getAttribute('id'), 'tab-neighbours');
        await assertInView(o.page, '#neighbours .neighbour >> nth=9');
        const ringed = await o.page.evaluate(() => Array.from(window.__map.scatter.rings));
        const listed = await o.page.locator('#neighbours .neighbour').evaluateAll((bs) => bs.map((b) => Number(b.dataset.index)));
        assert.deepEqual(ringed, listed, 'the neighbours are ringed on the map');
        await screenshot(o.page, `map-${theme}-fr-neighbours`);

        // Search: the Search tab opens with the matches in view.
        await o.page.locator('#search input').fill('satellite');
        await o.page.waitForFunction(() => document.querySelector('#tab-search').getAttribute('aria-selected') === 'true' && document.querySelector('#text-matches .neighbour'));
        await assertInView(o.page, '#text-matches .neighbour >> nth=0');
        await assertInView(o.page, '#search-results .neighbour >> nth=0');
        await screenshot(o.page, `map-${theme}-fr-search`);

        // Keyboard: the tabs are reachable and switch with the arrow keys.
        await o.page.locator('#tab-search').focus();
        await o.page.keyboard.press('ArrowRight');
        assert.equal(await o.page.evaluate(() => document.activeElement?.id), 'tab-legend');
        assert.equal(await o.page.locator('#panel-legend').isVisible(), true);
        await o.page.keyboard.press('End');
        assert.equal(await o.page.evaluate(() => document.activeElement?.id), 'tab-search');

        // Escape on the map clears the search, its highlight and the neighbour rings.
        await o.page.locator('.scatter-overlay').focus();
        await o.page.keyboard.press('Escape');
        await o.page.waitForFunction(() => document.querySelector('#status').dataset.matches === '');
        assert.equal(await o.page.locator('#search input').inputValue(), '');
        assert.deepEqual(await o.page.evaluate(() => Array.from(window.__map.scatter.rings)), []);
        assert.deepEqual(o.errors, []);
      } finally {
        await o.close();
      }
    }
  } finally {
    await s.close();
  }
});

async function assertInView(page, selector) {
  const ok = await page.locator(selector).evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight + 1 && el.checkVisibility();
  });
  assert.ok(ok, `${selector} is visible without scrolling the page`);
}

test('a long status text does not move the toolbar buttons; the tooltip hides while lassoing', async () => {
  const s = await frServer();
  const o = await openPanel(browser, s.url('dark'), VIEWPORT);
  try {
    const boxes = () => o.page.evaluate(() => ['#search', '#colour-by', '#mode-pan', '#mode-lasso', '#mode-box', '#fit', '#plot'].map((q) => {
      const r = document.querySelector(q).getBoundingClientRect();
      return [q, Math.round(r.x), Math.round(r.y), Math.round(r.width), Math.round(r.height)];
    }));
    const before = await boxes();
    await o.page.evaluate((t) => { document.querySelector('#status').textContent = t; }, LONG_STATUS);
    await frames(o.page);
    assert.deepEqual(await boxes(), before);
    // And a real status change: a search with many matches.
    await o.page.locator('#search input').fill('région');
    await o.page.waitForFunction(() => /text match/.test(document.querySelector('#status').textContent));
    assert.deepEqual(await boxes(), before);
    assert.equal(await o.page.locator('#status').getAttribute('title'), await o.page.locator('#status').textContent());
    await screenshot(o.page, 'map-dark-fr-long-status');
    await o.page.keyboard.press('Escape');

    // Hover a point, then lasso from there: the tooltip goes away for the drag.
    const p = await projector(o.page);
    const [x, y] = p.toClient(frFixture.coords[0], frFixture.coords[1]);
    await o.page.mouse.move(x, y);
    await o.page.waitForSelector('#tooltip:not([hidden])');
    await o.page.locator('.scatter-overlay').focus();
    await o.page.keyboard.press('l');
    await o.page.mouse.move(x, y);
    await o.page.waitForSelector('#tooltip:not([hidden])');
    await o.page.mouse.down();
    await o.page.mouse.move(x + 40, y, { steps: 4 });
    assert.equal(await o.page.locator('#tooltip').isHidden(), true, 'no tooltip while lassoing');
    await o.page.mouse.move(x + 40, y + 40, { steps: 4 });
    assert.equal(await o.page.locator('#tooltip').isHidden(), true, 'no tooltip while lassoing');
    await o.page.mouse.up();
    assert.deepEqual(o.errors, []);
  } finally {
    await o.close();
    await s.close();
  }
});

test('focusRecord (Find Similar chose a result): the map centres on the record, rings it and lists its neighbours', async () => {
  const o = await openPanel(browser, server.url('dark'));
  try {
    await o.page.waitForFunction(() => document.body.dataset.ready === 'true');
    const target = 1234;
    await o.page.evaluate((index) => window.postMessage({ kind: 'notification', method: 'focusRecord', params: { index } }, '*'), target);
    await o.page.waitForSelector('#neighbours .neighbour');
    const state = await o.page.evaluate(() => ({ view: window.__map.scatter.currentView, marked: window.__map.scatter.marked }));
    assert.equal(state.marked, target, 'the record is ringed');
    assert.ok(Math.abs(state.view.cx - fixture.coords[2 * target]) < 1e-6 && Math.abs(state.view.cy - fixture.coords[2 * target + 1]) < 1e-6, 'the view is centred on it');
    const req = await o.page.evaluate(() => window.__received.filter((m) => m.method === 'neighbours').at(-1));
    assert.deepEqual(req.params, { index: target, k: 10 });
    await o.page.evaluate(() => window.postMessage({ kind: 'notification', method: 'focusRecord', params: { index: 999999 } }, '*'));
    assert.equal(await o.page.evaluate(() => window.__map.scatter.marked), target, 'an index beyond the points is ignored');
    assert.deepEqual(o.errors, []);
  } finally {
    await o.close();
  }
});

// ---- the analyst's workbench: cluster names, filters, table, colour by field ------------------

const hex = (c) => [1, 3, 5].map((k) => parseInt(c.slice(k, k + 2), 16));
const luminance = (rgb) => {
  const [r, g, b] = rgb.map((v) => { const s = v / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const contrast = (a, b) => { const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };

/** Mean position of each cluster's points (outliers left out), as the map computes its anchors. */
function centroids(f) {
  const sums = new Map();
  f.clusterLabels.forEach((c, i) => {
    if (c < 0) return;
    const s = sums.get(c) ?? [0, 0, 0];
    s[0] += f.coords[2 * i]; s[1] += f.coords[2 * i + 1]; s[2]++;
    sums.set(c, s);
  });
  return new Map([...sums].map(([c, [x, y, n]]) => [c, [x / n, y / n]]));
}

/** Pixels of the overlay canvas inside a name's box that have the text colour (and the halo's). */
function namePixels(page, box, text, halo) {
  return page.evaluate(({ box, text, halo }) => {
    const c = document.querySelector('.scatter-overlay');
    const dpr = c.width / c.getBoundingClientRect().width;
    const x0 = Math.round((box.x - box.width / 2) * dpr), y0 = Math.round((box.y - box.height / 2) * dpr);
    const w = Math.round(box.width * dpr), hh = Math.round(box.height * dpr);
    const d = c.getContext('2d').getImageData(x0, y0, w, hh).data;
    const near = (k, rgb) => Math.abs(d[k] - rgb[0]) + Math.abs(d[k + 1] - rgb[1]) + Math.abs(d[k + 2] - rgb[2]) < 40 && d[k + 3] > 220;
    let ink = 0, haloPx = 0;
    for (let k = 0; k < d.length; k += 4) {
      if (near(k, text)) ink++;
      else if (near(k, halo)) haloPx++;
    }
    return { ink, halo: haloPx };
  }, { box, text, halo });
}

function assertNoOverlap(placed) {
  for (let i = 0; i < placed.length; i++) for (let j = i + 1; j < placed.length; j++) {
    const a = placed[i], b = placed[j];
    assert.ok(Math.abs(a.x - b.x) * 2 >= a.width + b.width || Math.abs(a.y - b.y) * 2 >= a.height + b.height, `“${a.text}” and “${b.text}” overlap`);
  }
}

test('cluster names are drawn at their centroids (names, else keywords), readable in every theme, fewer when zoomed out, none overlapping', async () => {
  const s = await frServer();
  const centres = centroids(frFixture);
  try {
    for (const theme of ['dark', 'light', 'hc']) {
      const o = await openPanel(browser, s.url(theme), VIEWPORT);
      try {
        const text = hex(THEMES[theme].vars['--vscode-editor-foreground']), halo = hex(THEMES[theme].vars['--vscode-editor-background']);
        assert.ok(contrast(text, halo) >= 7, `${theme}: names in the editor foreground on a halo of its background`);
        await o.page.evaluate(() => window.__map.scatter.drawNow());
        const placed = await o.page.evaluate(() => window.__map.names());
        assert.ok(placed.length >= 10, `${theme}: ${placed.length} names at the fitted view`);
        assertNoOverlap(placed);
        const p = await projector(o.page);
        for (const n of placed) {
          const info = frFixture.clusters[n.id];
          assert.equal(n.text, info.name ?? info.keywords.slice(0, 3).join(', '));
          const [cx, cy] = p.toClient(...centres.get(n.id));
          const rect = await o.page.locator('.scatter-overlay').boundingBox();
          assert.ok(Math.abs(rect.x + n.x - cx) < 1 && Math.abs(rect.y + n.y - cy) < 1, `“${n.text}” at its cluster's centroid`);
          // Drawn: the overlay has the text colour and its halo inside the name's box.
          const px = await namePixels(o.page, n, text, halo);
          assert.ok(px.ink > 20 && px.halo > 20, `${theme}: “${n.text}” is drawn (${JSON.stringify(px)})`);
        }
        assert.ok(placed.some((n) => n.text === 'transport, grève, cheminots'), 'a cluster without a name shows its keywords');
        assert.ok(placed.some((n) => n.lines.length === 2), 'a long name wraps');
        const legendName = await o.page.locator('#legend .legend-item[data-cluster="0"] .legend-name').textContent();
        assert.equal(legendName, frFixture.clusters[0].name, 'the legend shows the name beside the keywords');
        assert.equal(await o.page.locator('#legend .legend-item[data-cluster="0"] .legend-keywords').textContent(), frFixture.clusters[0].keywords.join(', '));
        await screenshot(o.page, `map-${theme}-fr-names`);

        if (theme === 'dark') {
          // Zoomed out: fewer (and only the largest) names; zoomed in: every cluster in view is named.
          const box = await o.page.locator('.scatter-overlay').boundingBox();
          await o.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
          await o.page.mouse.wheel(0, 900);
          await frames(o.page);
          const out = await o.page.evaluate(() => window.__map.names());
          assert.ok(out.length >= 1 && out.length < placed.length / 2, `zoomed out: ${out.length} names (fitted: ${placed.length})`);
          assertNoOverlap(out);
          await screenshot(o.page, 'map-dark-fr-names-zoomed-out');
          await o.page.locator('#fit').click();
          await o.page.mouse.move(box.x + box.width * 0.55, box.y + box.height * 0.5);
          await o.page.mouse.wheel(0, -500);
          await frames(o.page);
          const zin = await o.page.evaluate(() => window.__map.names());
          const q = await projector(o.page);
          const inView = [...centres].filter(([, [x, y]]) => {
            const [sx, sy] = q.toClient(x, y);
            return sx > box.x + 60 && sx < box.x + box.width - 60 && sy > box.y + 30 && sy < box.y + box.height - 30;
          }).map(([c]) => c);
          assert.ok(inView.length >= 2);
          await screenshot(o.page, 'map-dark-fr-names-zoomed-in');
          for (const c of inView) assert.ok(zin.some((n) => n.id === c), `zoomed in: cluster #${c} is named (${JSON.stringify(zin.map((n) => [n.id, Math.round(n.x), Math.round(n.y)]))})`);
          assertNoOverlap(zin);
          await screenshot(o.page, 'map-dark-fr-names-zoomed-in');
          // N hides the names (the button says so), N again shows them.
          await o.page.locator('.scatter-overlay').focus();
          await o.page.keyboard.press('n');
          await frames(o.page);
          assert.deepEqual(await o.page.evaluate(() => window.__map.names()), []);
          assert.equal(await o.page.locator('#toggle-names').getAttribute('aria-pressed'), 'false');
          await o.page.keyboard.press('n');
          await frames(o.page);
          assert.ok((await o.page.evaluate(() => window.__map.names())).length > 0);
        }
        assert.deepEqual(o.errors, []);
      } finally {
        await o.close();
      }
    }
  } finally {
    await s.close();
  }
});

/** The fixture's value of a field per point (null = missing). */
const fieldValues = (f, name) => {
  const field = f.fields.find((x) => x.name === name);
  return field.kind === 'category' ? field.values.map((v) => (v < 0 ? null : field.names[v])) : field.values;
};

test('filters by a field, a range, a label and the annotation status dim the others; lasso takes only the points that pass; hide; clear', async () => {
  const s = await frServer();
  try {
    for (const theme of ['dark', 'light', 'hc']) {
      const o = await openPanel(browser, s.url(theme), VIEWPORT);
      try {
        await o.page.locator('#tab-filters').click();
        const source = fieldValues(frFixture, 'source'), year = fieldValues(frFixture, 'année');
        await o.page.locator('[data-field="source"] input[data-value="Le Monde"]').check();
        await o.page.locator('[data-field="source"] input[data-value="Libération"]').check();
        let expected = source.map((v) => v === 'Le Monde' || v === 'Libération');
        const passing = () => o.page.evaluate(() => Number(document.querySelector('#filter-summary').dataset.passing));
        await o.page.waitForFunction((n) => document.querySelector('#filter-summary').dataset.passing === String(n), expected.filter(Boolean).length);
        // A number range: year ≥ 2005 (points without a year drop out).
        await o.page.locator('[data-field="année"] input[aria-label="année at least"]').fill('2005');
        await o.page.locator('[data-field="année"] input[aria-label="année at least"]').press('Tab');
        expected = expected.map((ok, i) => ok && year[i] !== null && year[i] >= 2005);
        await o.page.waitForFunction((n) => document.querySelector('#filter-summary').dataset.passing === String(n), expected.filter(Boolean).length);
        assert.deepEqual(await o.page.evaluate(() => Array.from(window.__map.filter())), expected.map(Number));
        assert.match(await o.page.locator('#filter-summary').textContent(), new RegExp(`^${expected.filter(Boolean).length} of 2,600 points pass 2 filters\\.$`));
        assert.equal(await o.page.locator('#tab-filters .side-tab-badge').textContent(), '2');
        // Dimmed, not hidden.
        const out = expected.findIndex((ok) => !ok), kept = expected.findIndex(Boolean);
        assert.ok(await o.page.evaluate((i) => window.__map.alphaOf(i), out) < 30);
        assert.ok(await o.page.evaluate((i) => window.__map.alphaOf(i), kept) > 200);
        await screenshot(o.page, `map-${theme}-fr-filters`);

        if (theme === 'dark') {
          // Lasso around cluster #0 (centred at (4, 0)): only the points that pass are selected.
          const drawn = await lassoCluster(o.page, { cx: 4, cy: 0, r: 2.2, coords: frFixture.coords });
          const want = drawn.filter((i) => expected[i]);
          assert.ok(want.length > 5 && want.length < drawn.length, `${want.length} of ${drawn.length} lassoed pass`);
          await o.page.waitForFunction((n) => document.querySelector('#selection-count').dataset.count === String(n), want.length);
          assert.deepEqual(await o.page.evaluate(() => Array.from(window.__map.selection())), want);
          // A label filter narrows the selection to what still passes.
          await o.page.locator('[data-filter="label"] input[data-value="Monde"]').check();
          expected = expected.map((ok, i) => ok && frFixture.labelNames[frFixture.labels[i]] === 'Monde');
          await o.page.waitForFunction((n) => document.querySelector('#filter-summary').dataset.passing === String(n), expected.filter(Boolean).length);
          assert.deepEqual(await o.page.evaluate(() => Array.from(window.__map.selection())), want.filter((i) => expected[i]));
          // Annotation status, then hide the others (alpha 0: not drawn, not pickable).
          await o.page.locator('#filter-annotation').selectOption('not-annotated');
          expected = expected.map((ok, i) => ok && !frFixture.annotated[i]);
          await o.page.waitForFunction((n) => document.querySelector('#filter-summary').dataset.passing === String(n), expected.filter(Boolean).length);
          await o.page.locator('#filter-hide').check();
          await o.page.waitForFunction((i) => window.__map.alphaOf(i) === 0, out);
          await screenshot(o.page, 'map-dark-fr-filters-hidden');
          // The filters are UI state: a reload (the panel hidden and shown) keeps them.
          const state = await o.page.evaluate(() => window.__state);
          const again = await openPanel(browser, s.url('dark', state), VIEWPORT);
          try {
            assert.equal(await again.page.evaluate(() => Number(document.querySelector('#filter-summary').dataset.passing)), expected.filter(Boolean).length);
            assert.equal(await again.page.locator('[data-field="source"] input[data-value="Le Monde"]').isChecked(), true);
            assert.equal(await again.page.locator('[data-field="année"] input[aria-label="année at least"]').inputValue(), '2005');
          } finally {
            await again.close();
          }
          await o.page.locator('#clear-filters').click();
          await o.page.waitForFunction(() => document.querySelector('#filter-summary').dataset.passing === '2600');
          assert.equal(await o.page.locator('[data-field="source"] input[data-value="Le Monde"]').isChecked(), false);
          assert.equal(await o.page.evaluate(() => window.__map.filter()), undefined);
          assert.ok(await o.page.evaluate((i) => window.__map.alphaOf(i), out) > 100);
        }
        assert.ok((await passing()) > 0);
        assert.deepEqual(o.errors, []);
      } finally {
        await o.close();
      }
    }
  } finally {
    await s.close();
  }
});

test('the table lists the selection (virtualised), sorts by a column, and a row opens the record and centres it on the map', async () => {
  const s = await frServer();
  try {
    for (const theme of ['dark', 'light', 'hc']) {
      const o = await openPanel(browser, s.url(theme), VIEWPORT);
      try {
        await o.page.locator('.scatter-overlay').focus();
        await o.page.keyboard.press('t');
        await o.page.waitForSelector('#table-panel:not([hidden]) .table-body .table-row');
        assert.equal(await o.page.locator('#table-caption').textContent(), 'All 2,600 points');
        const rendered = await o.page.locator('.table-body .table-row').count();
        assert.ok(rendered > 3 && rendered < 40, `only the rows in view are in the DOM (${rendered} of 2,600)`);
        // The map keeps a usable height with the table open.
        assert.ok((await o.page.locator('#plot').boundingBox()).height >= 300);

        const drawn = await lassoCluster(o.page, { cx: 4, cy: 0, r: 2.5, coords: frFixture.coords });
        await o.page.waitForFunction((n) => document.querySelector('#table-caption').textContent === `${n} selected points`, drawn.length);
        assert.deepEqual(await o.page.evaluate(() => Array.from(window.__map.table.shownRows)), drawn);
        // Sort by year: ascending, then descending (missing years last both ways).
        const year = fieldValues(frFixture, 'année');
        const sorted = (dir) => [...drawn].map((i, at) => ({ i, at })).sort((a, b) => {
          const x = year[a.i], y = year[b.i];
          if (x === null || y === null) return x === y ? a.at - b.at : x === null ? 1 : -1;
          return (dir === 'asc' ? x - y : y - x) || a.at - b.at;
        }).map((r) => r.i);
        await o.page.locator('.table-sort[data-column="field:année"]').click();
        assert.deepEqual(await o.page.evaluate(() => Array.from(window.__map.table.shownRows)), sorted('asc'));
        assert.equal(await o.page.locator('.table-head-cell:has([data-column="field:année"])').getAttribute('aria-sort'), 'ascending');
        // The rows are redrawn on the next animation frame: wait for the first five, then compare.
        const expectedYears = sorted('asc').slice(0, 5).map((i) => (year[i] === null ? '' : String(year[i])));
        const firstYearsNow = () => Array.from(document.querySelectorAll('.table-body .table-row .table-cell[data-column="field:année"]')).slice(0, 5).map((c) => c.textContent);
        await o.page.waitForFunction((want) => JSON.stringify(Array.from(document.querySelectorAll('.table-body .table-row .table-cell[data-column="field:année"]')).slice(0, 5).map((c) => c.textContent)) === want, JSON.stringify(expectedYears), { timeout: 5000 }).catch(() => {});
        const firstYears = await o.page.evaluate(firstYearsNow);
        assert.deepEqual(firstYears, expectedYears, 'years without a thousands separator');
        await o.page.locator('.table-sort[data-column="field:année"]').click();
        assert.deepEqual(await o.page.evaluate(() => Array.from(window.__map.table.shownRows)), sorted('desc'));
        assert.equal(await o.page.locator('.table-head-cell:has([data-column="field:année"])').getAttribute('aria-sort'), 'descending');
        await screenshot(o.page, `map-${theme}-fr-table`);

        if (theme === 'dark') {
          // Scroll to the end: the last rows are drawn.
          await o.page.locator('#points-table').evaluate((el) => { el.scrollTop = el.scrollHeight; });
          await o.page.waitForFunction((n) => document.querySelector(`.table-body .table-row[data-row="${n - 1}"]`), drawn.length);
          // A click on a row opens the record and centres it on the map.
          const row = o.page.locator('.table-body .table-row').last();
          const index = Number(await row.getAttribute('data-index'));
          await row.click();
          await o.page.waitForFunction((i) => window.__received.some((m) => m.method === 'openRecord' && m.params.index === i), index);
          const cmd = await o.page.evaluate(() => window.__received.filter((m) => m.method === 'openRecord').at(-1));
          assert.equal(cmd.kind, 'command');
          const view = await o.page.evaluate(() => window.__map.scatter.currentView);
          assert.equal(await o.page.evaluate(() => window.__map.scatter.marked), index, 'the record is ringed on the map');
          assert.ok(Math.abs(view.cx - frFixture.coords[2 * index]) < 1e-5 && Math.abs(view.cy - frFixture.coords[2 * index + 1]) < 1e-5, 'and centred');
          // Keyboard: Home, Down, Enter opens the second row.
          await o.page.locator('#points-table').focus();
          await o.page.keyboard.press('Home');
          await o.page.keyboard.press('ArrowDown');
          await o.page.keyboard.press('Enter');
          const second = sorted('desc')[1];
          await o.page.waitForFunction((i) => window.__received.filter((m) => m.method === 'openRecord').at(-1)?.params.index === i, second);
          assert.equal(await o.page.locator('.table-body .table-row.active').getAttribute('data-index'), String(second));
          // Sorting is UI state: kept after a reload.
          const state = await o.page.evaluate(() => window.__state);
          assert.deepEqual(state.ui.tableSort, { key: 'field:année', dir: 'desc' });
          assert.equal(state.ui.tableOpen, true);
        }
        assert.deepEqual(o.errors, []);
      } finally {
        await o.close();
      }
    }
  } finally {
    await s.close();
  }
});

test('colour by a field: categories on the palette with a legend, numbers on a sequential scale with its range', async () => {
  const s = await frServer();
  try {
    for (const theme of ['dark', 'light', 'hc']) {
      const o = await openPanel(browser, s.url(theme), VIEWPORT);
      try {
        const options = await o.page.locator('#colour-by option').evaluateAll((os) => os.map((x) => x.value));
        assert.ok(options.includes('field:source') && options.includes('field:année') && !options.includes('field:auteur'), 'categories and numbers, not free text');
        await o.page.locator('#colour-by').selectOption('field:source');
        const legend = await legendColours(o.page);
        const sources = [...new Set(fieldValues(frFixture, 'source').filter((v) => v !== null))].sort();
        assert.deepEqual(Object.keys(legend).sort(), [...sources, '(missing)'].sort());
        assert.equal(new Set(Object.values(legend)).size, sources.length + 1, 'a colour per source');
        const source = fieldValues(frFixture, 'source');
        const a = source.indexOf('Le Monde'), b = source.indexOf('Le Monde', a + 1), c = source.indexOf('Libération');
        const colourOf = (i) => o.page.evaluate((k) => window.__map.colourOf(k), i);
        assert.deepEqual(await colourOf(a), await colourOf(b));
        assert.notDeepEqual(await colourOf(a), await colourOf(c));
        assert.equal(await o.page.locator('#tab-legend .side-tab-label').textContent(), 'source');
        await screenshot(o.page, `map-${theme}-fr-colour-source`);

        await o.page.locator('#colour-by').selectOption('field:année');
        await o.page.waitForSelector('#legend-scale');
        assert.deepEqual(await o.page.locator('#legend-scale .legend-scale-ends span').allTextContents(), ['1990', '2024']);
        const year = fieldValues(frFixture, 'année');
        // Viridis cut to stand out from the background: from blue to yellow on dark, from purple to green on light.
        const [low, high] = theme === 'light' ? [[68, 1, 84], [34, 168, 132]] : [[48, 108, 142], [253, 231, 37]];
        assert.deepEqual(await colourOf(year.indexOf(1990)), low, 'the smallest value: the low end of the scale');
        assert.deepEqual(await colourOf(year.indexOf(2024)), high, 'the largest: the high end');
        const bg = hex(THEMES[theme].vars['--vscode-editor-background']);
        for (const end of [low, high]) assert.ok(contrast(end, bg) >= 2.8, `${theme}: rgb(${end}) stands out from the background (${contrast(end, bg).toFixed(2)}:1)`);
        assert.deepEqual(await colourOf(year.indexOf(null)), [128, 128, 128], 'missing: grey');
        await screenshot(o.page, `map-${theme}-fr-colour-year`);
        assert.deepEqual(o.errors, []);
      } finally {
        await o.close();
      }
    }
  } finally {
    await s.close();
  }
});

test('the side tabs never cut their names: they wrap in a narrow side panel (the map beside a record in code-server)', async () => {
  const s = await frServer();
  try {
    for (const width of [930, 460, 1280]) {
      const o = await openPanel(browser, s.url('light'), { width, height: 800 });
      try {
        const tabs = await o.page.evaluate(() => {
          const side = document.querySelector('.side').getBoundingClientRect();
          return [...document.querySelectorAll('.side-tab')].map((b) => {
            const label = b.querySelector('.side-tab-label');
            const r = b.getBoundingClientRect();
            return { text: label.textContent, cut: label.scrollWidth > label.clientWidth + 0.5, inside: r.left >= side.left - 0.5 && r.right <= side.right + 0.5 };
          });
        });
        assert.deepEqual(tabs.map((t) => t.text), ['Clusters', 'Filters', 'Neighbours', 'Search']);
        for (const t of tabs) assert.ok(!t.cut && t.inside, `${width} px: the tab “${t.text}” shows whole inside the side panel`);
        if (width === 930) await screenshot(o.page, 'map-light-side-tabs-930');
        assert.deepEqual(o.errors, []);
      } finally {
        await o.close();
      }
    }
  } finally {
    await s.close();
  }
});

test('a narrow map (a record opened beside it): the side panel goes under the plot, the names stay inside it', async () => {
  const s = await frServer();
  try {
    for (const theme of ['dark', 'light']) {
      const o = await openPanel(browser, s.url(theme, { ui: { tableOpen: true } }), { width: 460, height: 800 });
      try {
        const plot = await o.page.locator('#plot').boundingBox();
        const side = await o.page.locator('.side').boundingBox();
        assert.ok(plot.width >= 400, `the plot keeps the width (${plot.width} px)`);
        assert.ok(side.y >= plot.y + plot.height - 1, 'the side panel is under the plot');
        assert.ok(plot.height >= 150, `and the plot keeps some height (${plot.height} px)`);
        await o.page.evaluate(() => window.__map.scatter.drawNow());
        const placed = await o.page.evaluate(() => window.__map.names());
        assert.ok(placed.length >= 1);
        for (const n of placed) assert.ok(n.x - n.width / 2 >= 0 && n.x + n.width / 2 <= plot.width && n.width <= plot.width * 0.5, `“${n.text}” fits in the plot`);
        assertNoOverlap(placed);
        await screenshot(o.page, `map-${theme}-fr-narrow`);
        assert.deepEqual(o.errors, []);
      } finally {
        await o.close();
      }
    }
  } finally {
    await s.close();
  }
});
