import { test } from 'node:test';
import assert from 'node:assert/strict';
import { boundsOf, clipMatrix, fitView, panBy, toScreen, toWorld, zoomAt } from '../../../webview/map/view-transform';
import { SpatialGrid } from '../../../webview/map/spatial-grid';
import { pointInPolygon, selectInBox, selectInPolygon } from '../../../webview/map/selection';
import { fillColours, PALETTE, NONE_COLOUR } from '../../../webview/map/colours';

test('fitView centres the bounds and fits the larger side with padding', () => {
  const b = boundsOf(new Float32Array([0, 0, 10, 0, 10, 5, NaN, 3]));
  assert.deepEqual(b, { minX: 0, minY: 0, maxX: 10, maxY: 5 });
  const v = fitView(b, 220, 220, 10);
  assert.equal(v.cx, 5);
  assert.equal(v.cy, 2.5);
  assert.equal(v.scale, 20); // (220 - 20) / 10
  assert.deepEqual(toScreen(v, 220, 220, 0, 0), [10, 160]);
  assert.deepEqual(toScreen(v, 220, 220, 10, 5), [210, 60]);
});

test('toWorld inverts toScreen; zoomAt keeps the cursor point fixed; panBy moves by pixels', () => {
  const v = { cx: 3, cy: -2, scale: 7 };
  const [sx, sy] = toScreen(v, 400, 300, 1.5, 4);
  const [wx, wy] = toWorld(v, 400, 300, sx, sy);
  assert.ok(Math.abs(wx - 1.5) < 1e-9 && Math.abs(wy - 4) < 1e-9);
  const z = zoomAt(v, 400, 300, 120, 80, 2.5);
  assert.equal(z.scale, 17.5);
  const before = toWorld(v, 400, 300, 120, 80);
  const after = toWorld(z, 400, 300, 120, 80);
  assert.ok(Math.abs(before[0] - after[0]) < 1e-9 && Math.abs(before[1] - after[1]) < 1e-9);
  const p = panBy(v, 14, -7); // drag right 14 px, up 7 px
  assert.deepEqual([p.cx, p.cy], [1, -3]);
});

test('clipMatrix maps the view centre to 0,0 and the right edge to x = 1', () => {
  const v = { cx: 2, cy: 1, scale: 10 };
  const m = clipMatrix(v, 200, 100);
  const apply = (x: number, y: number) => [m[0] * x + m[3] * y + m[6], m[1] * x + m[4] * y + m[7]];
  assert.deepEqual(apply(2, 1), [0, 0]);
  const [xr] = apply(2 + 10, 1); // 100 px right of centre = right edge
  assert.ok(Math.abs(xr - 1) < 1e-6);
  const [, yt] = apply(2, 1 + 5); // 50 px up = top edge
  assert.ok(Math.abs(yt - 1) < 1e-6);
});

test('SpatialGrid.nearest equals brute force on random points', () => {
  let s = 12345;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const n = 3000;
  const coords = new Float32Array(2 * n);
  for (let i = 0; i < 2 * n; i++) coords[i] = rnd() * 100 - 50;
  const grid = new SpatialGrid(coords);
  for (let q = 0; q < 200; q++) {
    const x = rnd() * 110 - 55, y = rnd() * 110 - 55, r = 0.5 + rnd() * 3;
    let best = -1, bestD = r * r;
    for (let i = 0; i < n; i++) {
      const d = (coords[2 * i] - x) ** 2 + (coords[2 * i + 1] - y) ** 2;
      if (d < bestD) { bestD = d; best = i; }
    }
    assert.equal(grid.nearest(x, y, r), best, `query ${q}`);
  }
});

test('SpatialGrid.nearest honours accept and returns -1 outside the radius', () => {
  const coords = new Float32Array([0, 0, 1, 0, 5, 5]);
  const grid = new SpatialGrid(coords, 1);
  assert.equal(grid.nearest(0.1, 0, 0.5), 0);
  assert.equal(grid.nearest(0.1, 0, 2, (i) => i !== 0), 1);
  assert.equal(grid.nearest(3, 3, 0.5), -1);
});

test('pointInPolygon: square, concave polygon, outside', () => {
  const square = [0, 0, 4, 0, 4, 4, 0, 4];
  assert.equal(pointInPolygon(2, 2, square), true);
  assert.equal(pointInPolygon(5, 2, square), false);
  // a "C" shape: the notch (2..4, 1..3) is outside
  const c = [0, 0, 4, 0, 4, 1, 2, 1, 2, 3, 4, 3, 4, 4, 0, 4];
  assert.equal(pointInPolygon(1, 2, c), true);
  assert.equal(pointInPolygon(3, 2, c), false);
  assert.equal(pointInPolygon(3, 0.5, c), true);
});

test('selectInPolygon (with and without grid) and selectInBox pick the expected indices', () => {
  const coords = new Float32Array([1, 2, 3, 2, 3, 0.5, 10, 10, 1, 3.5]);
  const c = [0, 0, 4, 0, 4, 1, 2, 1, 2, 3, 4, 3, 4, 4, 0, 4];
  assert.deepEqual([...selectInPolygon(coords, c)], [0, 2, 4]);
  assert.deepEqual([...selectInPolygon(coords, c, new SpatialGrid(coords, 1))], [0, 2, 4]);
  assert.deepEqual([...selectInPolygon(coords, c, undefined, (i) => i !== 2)], [0, 4]);
  assert.deepEqual([...selectInBox(coords, 4, 4, 0.5, 1)], [0, 1, 4]);
  assert.equal(selectInPolygon(coords, [0, 0, 1, 1]).length, 0);
});

test('fillColours: palette per cluster, grey outliers, dimmed non-highlighted, hidden transparent', () => {
  const out = fillColours(new Uint8Array(16), [0, -1, 21, 3], Uint8Array.from([1, 1, 0, 1]), Uint8Array.from([0, 0, 0, 1]));
  assert.deepEqual([...out.slice(0, 4)], [...PALETTE[0], 220]);
  assert.deepEqual([...out.slice(4, 8)], [...NONE_COLOUR, 140]);
  assert.deepEqual([...out.slice(8, 12)], [...PALETTE[21 % PALETTE.length], 40]);
  assert.equal(out[15], 0);
});
