import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseFrame, covers, neededRect, visibleRect } from '../../../webview/map/raster-cache';
import { fitView, panBy, toScreen, zoomAt } from '../../../webview/map/view-transform';

const data = { minX: -10, minY: -5, maxX: 10, maxY: 5 };
const W = 800, H = 600, PAD = 8;

test('a fitted view: the frame is the padded data, and any pan at that zoom stays covered', () => {
  const v = fitView(data, W, H);
  const f = chooseFrame(v, W, H, data, PAD, 4096);
  assert.ok(f);
  const need = neededRect(v, W, H, data, PAD);
  assert.ok(need);
  assert.ok(f.rect.minX <= need.minX && f.rect.maxX >= need.maxX && f.rect.minY <= need.minY && f.rect.maxY >= need.maxY);
  for (const [dx, dy] of [[0, 0], [150, -90], [-700, 0], [0, 2000], [5000, 5000]]) {
    assert.ok(covers(f, panBy(v, dx, dy), W, H, data, PAD), `pan ${dx},${dy}`);
  }
  // A zoom needs a new image.
  assert.equal(covers(f, zoomAt(v, W, H, 400, 300, 1.25), W, H, data, PAD), false);
});

test('zoomed in: the frame is the view plus one view of margin; a pan past the margin needs a redraw', () => {
  const v = { cx: 0, cy: 0, scale: 400 }; // the view shows 2 × 1.5 world units of a 20 × 10 layout
  const f = chooseFrame(v, W, H, data, PAD, 4096);
  assert.ok(f);
  const vis = visibleRect(v, W, H);
  assert.ok(Math.abs((f.rect.maxX - f.rect.minX) - 3 * (vis.maxX - vis.minX)) < 2 / v.scale);
  assert.ok(Math.abs((f.rect.maxY - f.rect.minY) - 3 * (vis.maxY - vis.minY)) < 2 / v.scale);
  assert.equal(f.width, Math.round((f.rect.maxX - f.rect.minX) * v.scale));
  assert.ok(covers(f, panBy(v, 790, 0), W, H, data, PAD));
  assert.equal(covers(f, panBy(v, 810, 0), W, H, data, PAD), false);
  assert.equal(covers(f, panBy(v, 0, -610), W, H, data, PAD), false);
});

test('the frame edges fall on whole screen pixels of the view it was made for', () => {
  const v = { cx: 0.123, cy: -0.456, scale: 37.7 };
  const f = chooseFrame(v, W, H, data, PAD, 4096);
  assert.ok(f);
  const [left, top] = toScreen(v, W, H, f.rect.minX, f.rect.maxY);
  assert.ok(Math.abs(left - Math.round(left)) < 1e-6, `left ${left}`);
  assert.ok(Math.abs(top - Math.round(top)) < 1e-6, `top ${top}`);
});

test('the frame is capped at maxPx per side, around the view', () => {
  const v = { cx: 3, cy: 1, scale: 2000 };
  const f = chooseFrame(v, W, H, data, PAD, 1024);
  assert.ok(f);
  assert.ok(f.width <= 1024 && f.height <= 1024);
  assert.ok(covers(f, v, W, H, data, PAD), 'the view itself is covered');
});

test('nothing to draw: a view far from the data has no frame, and no needed rectangle', () => {
  const v = { cx: 1000, cy: 1000, scale: 50 };
  assert.equal(neededRect(v, W, H, data, PAD), undefined);
  assert.equal(chooseFrame(v, W, H, data, PAD, 4096), undefined);
});
