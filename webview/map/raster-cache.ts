/**
 * Geometry of the scatter's raster cache. With many points, drawing every point each frame is
 * too slow (a software WebGL needs about a second for a million), so the points are drawn once
 * into an offscreen image that covers the view plus a margin, at the current zoom; a pan then
 * only moves that image. The cache is redrawn when the zoom, the canvas or the data changes, or
 * when the pan shows a part of the layout that the image does not cover. Pure functions, in world
 * units and CSS px.
 */
import type { Bounds, View } from './view-transform';

/** What a cached image shows: the world rectangle `rect`, drawn at `scale` px per unit. */
export interface CacheFrame {
  rect: Bounds;
  scale: number;
  /** The image size in CSS px (rect × scale, rounded up). */
  width: number;
  height: number;
}

/** The world rectangle a `width`×`height` canvas shows with view `v`. */
export function visibleRect(v: View, width: number, height: number): Bounds {
  const hw = width / (2 * v.scale), hh = height / (2 * v.scale);
  return { minX: v.cx - hw, maxX: v.cx + hw, minY: v.cy - hh, maxY: v.cy + hh };
}

/** The overlap of two rectangles, or undefined when they do not overlap. */
export function intersect(a: Bounds, b: Bounds): Bounds | undefined {
  const r = { minX: Math.max(a.minX, b.minX), minY: Math.max(a.minY, b.minY), maxX: Math.min(a.maxX, b.maxX), maxY: Math.min(a.maxY, b.maxY) };
  return r.minX <= r.maxX && r.minY <= r.maxY ? r : undefined;
}

/** `b` grown by `d` on every side. */
export function grow(b: Bounds, d: number): Bounds {
  return { minX: b.minX - d, minY: b.minY - d, maxX: b.maxX + d, maxY: b.maxY + d };
}

/**
 * The part of the layout that matters for a view: the visible rectangle ∩ the data bounds grown
 * by `padPx` (half the largest point), or undefined when no point can be seen.
 */
export function neededRect(v: View, width: number, height: number, data: Bounds, padPx: number): Bounds | undefined {
  return intersect(visibleRect(v, width, height), grow(data, padPx / v.scale));
}

/** True when `frame` can show view `v` without a redraw: same zoom, and it covers every visible point. */
export function covers(frame: CacheFrame, v: View, width: number, height: number, data: Bounds, padPx: number): boolean {
  if (frame.scale !== v.scale) return false;
  const need = neededRect(v, width, height, data, padPx);
  if (!need) return true;
  const r = frame.rect;
  return need.minX >= r.minX && need.maxX <= r.maxX && need.minY >= r.minY && need.maxY <= r.maxY;
}

/**
 * The frame to draw for view `v`: the visible rectangle grown by `marginFactor` × its size on each
 * side, cut to the (padded) data bounds, no larger than `maxPx` CSS px on a side (then it is
 * centred on the view), its edges on whole screen pixels. Undefined when no point can be seen.
 */
export function chooseFrame(v: View, width: number, height: number, data: Bounds, padPx: number, maxPx: number, marginFactor = 1): CacheFrame | undefined {
  if (!neededRect(v, width, height, data, padPx)) return undefined;
  const vis = visibleRect(v, width, height);
  const mx = (vis.maxX - vis.minX) * marginFactor, my = (vis.maxY - vis.minY) * marginFactor;
  let rect = intersect({ minX: vis.minX - mx, maxX: vis.maxX + mx, minY: vis.minY - my, maxY: vis.maxY + my }, grow(data, padPx / v.scale));
  if (!rect) return undefined;
  const maxWorld = maxPx / v.scale;
  const clampAxis = (lo: number, hi: number, centre: number): [number, number] => {
    if (hi - lo <= maxWorld) return [lo, hi];
    const a = Math.max(lo, Math.min(centre - maxWorld / 2, hi - maxWorld));
    return [a, a + maxWorld];
  };
  const [x0, x1] = clampAxis(rect.minX, rect.maxX, v.cx);
  const [y0, y1] = clampAxis(rect.minY, rect.maxY, v.cy);
  // Whole screen pixels: the left and top edges fall on the canvas's pixel grid for this view, so
  // the image moved by whole pixels lands exactly where a direct draw would put the points.
  const left = Math.floor(width / 2 + (x0 - v.cx) * v.scale);
  const top = Math.floor(height / 2 - (y1 - v.cy) * v.scale);
  const w = Math.max(1, Math.min(Math.ceil(maxPx), Math.ceil(width / 2 + (x1 - v.cx) * v.scale) - left));
  const h = Math.max(1, Math.min(Math.ceil(maxPx), Math.ceil(height / 2 - (y0 - v.cy) * v.scale) - top));
  const minX = v.cx + (left - width / 2) / v.scale;
  const maxY = v.cy - (top - height / 2) / v.scale;
  rect = { minX, maxX: minX + w / v.scale, minY: maxY - h / v.scale, maxY };
  return { rect, scale: v.scale, width: w, height: h };
}
