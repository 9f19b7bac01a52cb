// Map rendering speed in a real browser: the map webview with n synthetic points (made in the
// page by the fake host), panned for a few seconds by a drag driven from requestAnimationFrame.
// Frame times come from the rAF timestamps while panning; the scatter's own draws are counted.
// Used by map-render.test.mjs and, as a child process, by the bench's 'render' section:
//   node test/browser/map-render-measure.mjs [n] [seconds]   → one JSON object on stdout
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWebviews, servePanel, launchBrowser, openPanel, removeDir, screenshot, screenshotDir } from './harness.mjs';

/** Median and 95th percentile of a list of numbers (nearest rank). */
export function percentiles(values) {
  const s = [...values].sort((a, b) => a - b);
  const at = (q) => (s.length ? s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] : NaN);
  return { median: at(0.5), p95: at(0.95) };
}

/** The WebGL renderer string the page gets (WEBGL_debug_renderer_info), e.g. "ANGLE (… SwiftShader …)". */
function rendererInfo() {
  const gl = document.createElement('canvas').getContext('webgl');
  if (!gl) return { renderer: 'no WebGL', vendor: '' };
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  return {
    renderer: String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER)),
    vendor: String(gl.getParameter(ext ? ext.UNMASKED_VENDOR_WEBGL : gl.VENDOR)),
  };
}

/** Runs in the page: drags the map in a circle for `seconds`, one pointermove per animation frame. */
async function panInPage({ seconds }) {
  const s = window.__map.scatter;
  const overlay = document.querySelector('.scatter-overlay');
  const r = overlay.getBoundingClientRect();
  const cx = r.left + r.width / 2, cy = r.top + r.height / 2;
  const fire = (type, x, y, buttons) => overlay.dispatchEvent(new window.PointerEvent(type, {
    clientX: x, clientY: y, pointerId: 1, pointerType: 'mouse', isPrimary: true, button: 0, buttons, bubbles: true,
  }));
  let draws = 0;
  const drawNow = s.drawNow.bind(s);
  s.drawNow = () => { draws++; drawNow(); };
  const viewBefore = s.currentView;
  // Draws of every point (the WebGL renderer counts them; a pan over a cached image makes none).
  const fullDrawsBefore = s.renderer.fullDraws ?? 0;
  const stamps = [];
  fire('pointerdown', cx, cy, 1);
  const start = performance.now();
  await new Promise((done) => {
    const step = (t) => {
      stamps.push(t);
      const a = ((t - start) / 2000) * 2 * Math.PI; // one turn every 2 s, radius 120 px
      fire('pointermove', cx + 120 * Math.cos(a) - 120, cy + 120 * Math.sin(a), 1);
      if (t - start < seconds * 1000) requestAnimationFrame(step);
      else done();
    };
    requestAnimationFrame(step);
  });
  const viewDuring = s.currentView;
  const fullDraws = (s.renderer.fullDraws ?? 0) - fullDrawsBefore;
  fire('pointerup', cx, cy, 0);
  delete s.drawNow;
  // A wheel zoom over five frames, then a rest: the full draw should wait for the rest.
  const beforeWheel = s.renderer.fullDraws ?? 0;
  for (let k = 0; k < 5; k++) {
    overlay.dispatchEvent(new window.WheelEvent('wheel', { clientX: cx, clientY: cy, deltaY: -40, bubbles: true, cancelable: true }));
    await new Promise((ok) => requestAnimationFrame(ok));
  }
  const wheelFullDraws = (s.renderer.fullDraws ?? 0) - beforeWheel;
  await new Promise((ok) => setTimeout(ok, 400));
  await new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok)));
  const settledFullDraws = (s.renderer.fullDraws ?? 0) - beforeWheel;
  const viewZoomed = s.currentView;

  // The cost of a draw, waited for: draw, then read a pixel back (which finishes the GPU work).
  // Same view: what a pan costs; a view a hair zoomed: a draw of every point.
  const canvas = document.querySelector('.scatter-gl');
  const gl = canvas.getContext('webgl');
  const px = new Uint8Array(4);
  const timed = () => {
    const t = performance.now();
    s.drawNow();
    gl?.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px);
    return performance.now() - t;
  };
  const syncMs = [], fullMs = [];
  for (let k = 0; k < 3; k++) syncMs.push(timed());
  const view = s.currentView;
  for (let k = 0; k < 3; k++) {
    s.setView({ ...view, scale: view.scale * (k % 2 ? 1 : 1.0001) });
    fullMs.push(timed());
  }
  s.setView(view);
  s.drawNow();
  // Drawn pixels: the scatter canvas keeps its drawing buffer, so it can be read back whole.
  let lit = 0;
  if (gl) {
    const w = gl.drawingBufferWidth, h = gl.drawingBufferHeight;
    const all = new Uint8Array(4 * w * h);
    gl.readPixels(0, 0, w, h, gl.RGBA, gl.UNSIGNED_BYTE, all);
    for (let i = 3; i < all.length; i += 4) if (all[i] > 0) lit++;
  }
  return {
    stamps, draws, fullDraws, wheelFullDraws, settledFullDraws, zoomed: viewZoomed.scale > viewDuring.scale, viewBefore, viewDuring, syncMs, fullMs, litPixels: lit,
    points: s.pointCount, rendererKind: s.rendererKind, canvas: { width: canvas.width, height: canvas.height },
  };
}

/**
 * Opens the map with `n` synthetic points, pans for `seconds`, returns the measurement:
 * frame times (median, p95, fps), draws, the renderer and how long the data took to load.
 */
export async function measureMapPanning({ n = 1_000_000, seconds = 4, viewport = { width: 1280, height: 800 }, shot } = {}) {
  const dir = await buildWebviews(['map']);
  const server = await servePanel(dir, 'map', { synthetic: { n, clusters: 12, seed: 3 } });
  const browser = await launchBrowser();
  try {
    const t0 = Date.now();
    const o = await openPanel(browser, server.url('dark'), viewport);
    try {
      await o.page.waitForFunction(() => window.__map?.scatter?.hasView && window.__map.scatter.pointCount > 0, null, { timeout: 120_000 });
      const loadSeconds = (Date.now() - t0) / 1000;
      const gpu = await o.page.evaluate(rendererInfo);
      // Let the first draws settle before measuring.
      await o.page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
      const m = await o.page.evaluate(panInPage, { seconds });
      if (shot) await screenshot(o.page, shot);
      const frames = m.stamps.slice(1).map((t, i) => t - m.stamps[i]);
      const { median, p95 } = percentiles(frames);
      const sync = percentiles(m.syncMs);
      const full = percentiles(m.fullMs);
      return {
        n: m.points, seconds, viewport, renderer: gpu.renderer, vendor: gpu.vendor,
        software: /swiftshader|llvmpipe|software/i.test(gpu.renderer),
        rendererKind: m.rendererKind, frames: frames.length, draws: m.draws, fullDraws: m.fullDraws,
        wheel: { zoomed: m.zoomed, fullDrawsWhileTurning: m.wheelFullDraws, fullDrawsAfterRest: m.settledFullDraws },
        frameMs: { median, p95 }, fps: 1000 / median,
        panDrawMs: { median: sync.median, max: Math.max(...m.syncMs) },
        fullDrawMs: { median: full.median, max: Math.max(...m.fullMs) },
        panned: m.viewBefore.cx !== m.viewDuring.cx || m.viewBefore.cy !== m.viewDuring.cy,
        litPixels: m.litPixels, canvas: m.canvas, loadSeconds, errors: o.errors,
      };
    } finally {
      await o.close();
    }
  } finally {
    await browser.close();
    await server.close();
    removeDir(dir);
  }
}

/** Writes a measurement to test/browser/screenshots/<name>.json; returns the path. */
export function saveMeasurement(name, result) {
  mkdirSync(screenshotDir, { recursive: true });
  const file = join(screenshotDir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ measuredAt: new Date().toISOString(), ...result }, null, 2) + '\n');
  return file;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const n = Number(process.argv[2] ?? 1_000_000);
  const seconds = Number(process.argv[3] ?? 4);
  const result = await measureMapPanning({ n, seconds });
  process.stdout.write(JSON.stringify(result) + '\n');
}
