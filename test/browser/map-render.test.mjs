// Map rendering at scale: a million synthetic points in the map webview, panned for a few seconds
// by a requestAnimationFrame-driven drag. Asserts that frames were drawn while panning and that
// points are visible, and that a pan does not redraw every point; the frame times (median, p95) and the WebGL renderer are written to
// test/browser/screenshots/map-render-1m.json (no timing assertion: the machine is shared).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measureMapPanning, saveMeasurement } from './map-render-measure.mjs';

test('a million points render and pan with WebGL; frame times are recorded', { timeout: 300_000 }, async () => {
  const m = await measureMapPanning({ n: 1_000_000, seconds: 3, shot: 'map-render-1m-dark' });
  const file = saveMeasurement('map-render-1m', m);
  console.log(`map render, ${m.n.toLocaleString('en-US')} points, ${m.renderer}: frame ${m.frameMs.median.toFixed(1)} ms median, ${m.frameMs.p95.toFixed(1)} ms p95 (${m.fps.toFixed(1)} fps), a draw while panning ${m.panDrawMs.median.toFixed(1)} ms, of every point ${m.fullDrawMs.median.toFixed(0)} ms → ${file}`);
  assert.deepEqual(m.errors, []);
  assert.equal(m.n, 1_000_000);
  assert.equal(m.rendererKind, 'webgl');
  assert.ok(m.panned, 'the drag moved the view');
  assert.ok(m.frames >= 10, `animation frames while panning: ${m.frames}`);
  assert.ok(m.draws >= 10, `scatter draws while panning: ${m.draws}`);
  // Panning moves the cached image of the points: at most one draw of all million points.
  assert.ok(m.fullDraws <= 1, `draws of every point while panning: ${m.fullDraws} of ${m.draws}`);
  // A wheel zoom shows the scaled image while the wheel turns and draws every point once it rests.
  assert.ok(m.wheel.zoomed, 'the wheel zoomed in');
  assert.equal(m.wheel.fullDrawsWhileTurning, 0);
  assert.equal(m.wheel.fullDrawsAfterRest, 1);
  // Twelve blobs of points: a good part of the 1280×800 canvas is covered.
  const share = m.litPixels / (m.canvas.width * m.canvas.height);
  assert.ok(share > 0.02, `drawn pixels: ${(100 * share).toFixed(1)} % of the canvas`);
});
