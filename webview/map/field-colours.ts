/**
 * Colours for numeric fields and for filtered-out points (pure). Numbers use a sequential scale,
 * viridis, cut so that both ends stand out from the editor background (about 3:1 or more): on
 * dark themes from its middle-blue up to its yellow, on light themes from its dark purple up to
 * its green. Missing values are the grey of "none".
 */
import { NONE_COLOUR } from './colours';
import type { Rgb } from './colour-difference';

/** Viridis at t = 0, 0.1, …, 1 (matplotlib's values, rounded). */
const VIRIDIS: readonly Rgb[] = [
  [68, 1, 84], [72, 36, 117], [65, 68, 135], [53, 95, 141], [42, 120, 142], [33, 145, 140],
  [34, 168, 132], [68, 191, 112], [122, 209, 81], [189, 223, 38], [253, 231, 37],
];

/** The editor background the points are drawn on. */
export type Scheme = 'dark' | 'light';

/** The part of viridis used on each background. */
const RANGES: Record<Scheme, readonly [number, number]> = { dark: [0.35, 1], light: [0, 0.6] };

/** The colour at t in [0, 1] (clamped) on this background. */
export function sequentialColour(t: number, scheme: Scheme = 'dark'): Rgb {
  const [lo, hi] = RANGES[scheme];
  const u = lo + (hi - lo) * Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0));
  const x = u * (VIRIDIS.length - 1);
  const k = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - k;
  const a = VIRIDIS[k], b = VIRIDIS[k + 1];
  return [Math.round(a[0] + (b[0] - a[0]) * f), Math.round(a[1] + (b[1] - a[1]) * f), Math.round(a[2] + (b[2] - a[2]) * f)];
}

export function cssSequential(t: number, scheme: Scheme = 'dark'): string {
  const [r, g, b] = sequentialColour(t, scheme);
  return `rgb(${r}, ${g}, ${b})`;
}

/** Smallest and largest finite value; undefined when there is none. */
export function numericRange(values: ArrayLike<number>): { min: number; max: number } | undefined {
  let min = Infinity, max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? { min, max } : undefined;
}

/** RGBA per point on the sequential scale; `highlight` (1 = on) dims the others, as fillColours does. */
export function fillNumericColours(out: Uint8Array, values: ArrayLike<number>, highlight?: Uint8Array, scheme: Scheme = 'dark'): Uint8Array {
  const range = numericRange(values);
  const span = range && range.max > range.min ? range.max - range.min : 1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const missing = !Number.isFinite(v) || !range;
    const [r, g, b] = missing ? NONE_COLOUR : sequentialColour((v - range.min) / span, scheme);
    const o = 4 * i;
    out[o] = r; out[o + 1] = g; out[o + 2] = b;
    out[o + 3] = highlight && !highlight[i] ? 40 : missing ? 140 : 220;
  }
  return out;
}

/** Alpha of a point the filters leave out when it is dimmed (not hidden). */
export const FILTERED_OUT_ALPHA = 16;

/** Dims (or, with `hide`, hides) the points that do not pass the filter (mask 0). */
export function applyFilterAlpha(rgba: Uint8Array, mask: Uint8Array | undefined, hide: boolean): Uint8Array {
  if (!mask) return rgba;
  for (let i = 0; i < mask.length; i++) if (!mask[i]) rgba[4 * i + 3] = hide ? 0 : Math.min(rgba[4 * i + 3], FILTERED_OUT_ALPHA);
  return rgba;
}
