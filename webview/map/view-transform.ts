/**
 * Pure 2D view math for the scatter: world (layout) ↔ screen (CSS px), fitting, wheel zoom
 * around the cursor, panning. The view is a centre in world units and a scale in px/unit.
 */
export interface View {
  cx: number;
  cy: number;
  /** CSS pixels per world unit. */
  scale: number;
}

export interface Bounds {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/** Bounds of interleaved (x, y) coordinates; NaN entries are skipped. */
export function boundsOf(coords: Float32Array): Bounds {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i + 1 < coords.length; i += 2) {
    const x = coords[i], y = coords[i + 1];
    if (Number.isNaN(x) || Number.isNaN(y)) continue;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  if (minX === Infinity) return { minX: 0, minY: 0, maxX: 1, maxY: 1 };
  return { minX, minY, maxX, maxY };
}

/** The view that shows `b` in a `width`×`height` canvas with `padding` px on each side. */
export function fitView(b: Bounds, width: number, height: number, padding = 24): View {
  const w = Math.max(b.maxX - b.minX, 1e-9);
  const hh = Math.max(b.maxY - b.minY, 1e-9);
  const scale = Math.min(Math.max(width - 2 * padding, 1) / w, Math.max(height - 2 * padding, 1) / hh);
  return { cx: (b.minX + b.maxX) / 2, cy: (b.minY + b.maxY) / 2, scale };
}

/** World → screen. Screen y grows downwards, world y upwards. */
export function toScreen(v: View, width: number, height: number, x: number, y: number): [number, number] {
  return [width / 2 + (x - v.cx) * v.scale, height / 2 - (y - v.cy) * v.scale];
}

/** Screen → world. */
export function toWorld(v: View, width: number, height: number, sx: number, sy: number): [number, number] {
  return [v.cx + (sx - width / 2) / v.scale, v.cy - (sy - height / 2) / v.scale];
}

/** Zoom by `factor` keeping the world point under (sx, sy) fixed. */
export function zoomAt(v: View, width: number, height: number, sx: number, sy: number, factor: number, minScale = 1e-6, maxScale = 1e9): View {
  const [wx, wy] = toWorld(v, width, height, sx, sy);
  const scale = Math.min(maxScale, Math.max(minScale, v.scale * factor));
  // keep (wx, wy) at (sx, sy): cx = wx - (sx - w/2)/scale
  return { scale, cx: wx - (sx - width / 2) / scale, cy: wy + (sy - height / 2) / scale };
}

/** Pan by a screen-space drag of (dx, dy) px. */
export function panBy(v: View, dx: number, dy: number): View {
  return { scale: v.scale, cx: v.cx - dx / v.scale, cy: v.cy + dy / v.scale };
}

/** The 3×3 column-major matrix mapping world to WebGL clip space for this view. */
export function clipMatrix(v: View, width: number, height: number): Float32Array {
  const sx = (2 * v.scale) / width;
  const sy = (2 * v.scale) / height;
  return new Float32Array([sx, 0, 0, 0, sy, 0, -v.cx * sx, -v.cy * sy, 1]);
}
