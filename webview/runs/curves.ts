/** Overlaid curves as SVG path data (pure math; the DOM part lives in main.ts). */
import type { Curve } from '../../src/protocol/runs';

export interface CurveBox {
  width: number;
  height: number;
  pad: number;
}

export interface Extent {
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
}

export function curvesExtent(curves: readonly Curve[]): Extent {
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (const c of curves) for (const p of c.points) {
    if (!Number.isFinite(p.value)) continue;
    minX = Math.min(minX, p.step); maxX = Math.max(maxX, p.step);
    minY = Math.min(minY, p.value); maxY = Math.max(maxY, p.value);
  }
  if (minX === Infinity) return { minX: 0, maxX: 1, minY: 0, maxY: 1 };
  if (maxX === minX) maxX = minX + 1;
  if (maxY === minY) { maxY += 0.5; minY -= 0.5; }
  return { minX, maxX, minY, maxY };
}

/** "M x y L x y …" for one curve in a box, y up. Non-finite values break the line. */
export function curvePath(c: Curve, e: Extent, box: CurveBox): string {
  const w = box.width - 2 * box.pad, hh = box.height - 2 * box.pad;
  let d = '';
  let pen = false;
  for (const p of c.points) {
    if (!Number.isFinite(p.value)) { pen = false; continue; }
    const x = box.pad + ((p.step - e.minX) / (e.maxX - e.minX)) * w;
    const y = box.pad + (1 - (p.value - e.minY) / (e.maxY - e.minY)) * hh;
    d += `${pen ? 'L' : 'M'}${x.toFixed(1)} ${y.toFixed(1)} `;
    pen = true;
  }
  return d.trim();
}
