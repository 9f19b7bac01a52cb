/** Lasso and box selection in world coordinates (pure). */
import type { SpatialGrid } from './spatial-grid';

/** Even-odd rule: is (x, y) inside the polygon given as interleaved [x0, y0, x1, y1, …]? */
export function pointInPolygon(x: number, y: number, poly: ArrayLike<number>): boolean {
  const n = poly.length >> 1;
  let inside = false;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const xi = poly[2 * i], yi = poly[2 * i + 1], xj = poly[2 * j], yj = poly[2 * j + 1];
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Indices (ascending) of points inside the polygon; `accept` filters (e.g. visible only). */
export function selectInPolygon(coords: Float32Array, poly: ArrayLike<number>, grid?: SpatialGrid, accept?: (i: number) => boolean): Int32Array {
  if (poly.length < 6) return new Int32Array(0);
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let k = 0; k < poly.length; k += 2) {
    minX = Math.min(minX, poly[k]); maxX = Math.max(maxX, poly[k]);
    minY = Math.min(minY, poly[k + 1]); maxY = Math.max(maxY, poly[k + 1]);
  }
  const out: number[] = [];
  const test = (i: number) => {
    const x = coords[2 * i], y = coords[2 * i + 1];
    if (x < minX || x > maxX || y < minY || y > maxY) return;
    if ((!accept || accept(i)) && pointInPolygon(x, y, poly)) out.push(i);
  };
  if (grid) grid.forCandidates(minX, minY, maxX, maxY, test);
  else for (let i = 0; i < coords.length >> 1; i++) test(i);
  return Int32Array.from(out.sort((a, b) => a - b));
}

/** Indices (ascending) of points inside the axis-aligned box spanned by two corners. */
export function selectInBox(coords: Float32Array, x0: number, y0: number, x1: number, y1: number, accept?: (i: number) => boolean): Int32Array {
  const minX = Math.min(x0, x1), maxX = Math.max(x0, x1), minY = Math.min(y0, y1), maxY = Math.max(y0, y1);
  const out: number[] = [];
  for (let i = 0; i < coords.length >> 1; i++) {
    const x = coords[2 * i], y = coords[2 * i + 1];
    if (x >= minX && x <= maxX && y >= minY && y <= maxY && (!accept || accept(i))) out.push(i);
  }
  return Int32Array.from(out);
}
