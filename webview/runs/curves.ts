/** Overlaid curves as SVG path data (pure math; the DOM part lives in main.ts). */
import type { Curve, CurvePoint } from '../../src/protocol/runs';

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

/**
 * Exponential moving average with TensorBoard's debiasing (what W&B calls "smoothing"):
 * weight 0 returns the values, 0.99 is very smooth. Non-finite values stay as they are and
 * do not enter the average.
 */
export function smoothPoints(points: readonly CurvePoint[], weight: number): CurvePoint[] {
  const w = Math.min(0.999, Math.max(0, weight));
  if (w === 0) return points.map((p) => ({ ...p }));
  let last = 0;
  let n = 0;
  return points.map((p) => {
    if (!Number.isFinite(p.value)) return { ...p };
    last = last * w + (1 - w) * p.value;
    n++;
    return { step: p.step, value: last / (1 - Math.pow(w, n)) };
  });
}

/** The values mapped onto 0…1 by the curve's own minimum and maximum (a flat curve sits at 0.5). */
export function normalisePoints(points: readonly CurvePoint[]): CurvePoint[] {
  const finite = points.map((p) => p.value).filter(Number.isFinite);
  if (finite.length === 0) return points.map((p) => ({ ...p }));
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  return points.map((p) => ({ step: p.step, value: Number.isFinite(p.value) ? (hi > lo ? (p.value - lo) / (hi - lo) : 0.5) : p.value }));
}

/** The runs' spans (max − min) differ by more than `ratio`: one shared axis would flatten some curves. */
export function scalesDiffer(curves: readonly Curve[], ratio = 10): boolean {
  const spans = curves
    .map((c) => c.points.map((p) => p.value).filter(Number.isFinite))
    .filter((v) => v.length > 1)
    .map((v) => Math.max(...v) - Math.min(...v))
    .filter((s) => s > 0);
  return spans.length > 1 && Math.max(...spans) / Math.min(...spans) > ratio;
}

/** Colour groups by a config key: each distinct value (in first-seen order) gets the next colour index. */
export function colourGroups(values: readonly (string | number | boolean | null | undefined)[]): { index: number[]; labels: string[] } {
  const seen = new Map<string, number>();
  const index = values.map((v) => {
    const k = v === undefined || v === null ? '—' : String(v);
    let i = seen.get(k);
    if (i === undefined) seen.set(k, (i = seen.size));
    return i;
  });
  return { index, labels: [...seen.keys()] };
}
