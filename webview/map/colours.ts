/**
 * Categorical colours and point shapes for the scatter (pure). The palette is Glasbey-style
 * (scripts/make-palette.ts: greedy max-min CIEDE2000 distance): every colour has at least 3:1
 * contrast on both the dark and the light editor background, and the smallest difference
 * between two of them is ΔE00 ≈ 17. Beyond its size the colours cycle and the point shape
 * changes per cycle (circle, square, triangle, diamond); the legend and the hover name the category.
 */
import type { Rgb } from './colour-difference';

export const PALETTE: readonly Rgb[] = [
  [165, 0, 255], // #a500ff violet
  [255, 0, 0], // #ff0000 red
  [0, 165, 0], // #00a500 green
  [255, 75, 150], // #ff4b96 pink
  [195, 135, 0], // #c38700 ochre
  [0, 120, 240], // #0078f0 blue
  [0, 165, 150], // #00a596 teal
  [165, 135, 210], // #a587d2 lavender
  [150, 90, 90], // #965a5a brown-red
  [120, 120, 45], // #78782d olive
  [30, 120, 75], // #1e784b dark green
  [30, 120, 135], // #1e7887 petrol
  [165, 90, 30], // #a55a1e brown
  [255, 30, 255], // #ff1eff magenta
  [180, 135, 150], // #b48796 mauve
  [195, 30, 150], // #c31e96 plum
];

/** Grey for outliers / "none". */
export const NONE_COLOUR: Rgb = [128, 128, 128];

/** Point shapes, one per cycle through the palette. */
export const SHAPES = ['circle', 'square', 'triangle', 'diamond'] as const;
export type Shape = (typeof SHAPES)[number];

/** The colour of a category slot (-1 = none). */
export function categoryColour(slot: number): Rgb {
  if (slot < 0) return NONE_COLOUR;
  return PALETTE[slot % PALETTE.length];
}

/** The shape index (into SHAPES) of a category slot: 0 in the first cycle of the palette. */
export function shapeIndex(slot: number): number {
  if (slot < 0) return 0;
  return Math.floor(slot / PALETTE.length) % SHAPES.length;
}

export function shapeOf(slot: number): Shape {
  return SHAPES[shapeIndex(slot)];
}

export function cssColour(slot: number): string {
  const [r, g, b] = categoryColour(slot);
  return `rgb(${r}, ${g}, ${b})`;
}

/** Shape index per point from category slots. */
export function fillShapes(out: Uint8Array, slots: ArrayLike<number>): Uint8Array {
  for (let i = 0; i < slots.length; i++) out[i] = shapeIndex(slots[i]);
  return out;
}

/**
 * Fills RGBA bytes per point from category slots. `highlight` (optional, 1 = on) dims the
 * others; `hidden` (1 = filtered out) makes points fully transparent.
 */
export function fillColours(
  out: Uint8Array,
  slots: ArrayLike<number>,
  highlight?: Uint8Array,
  hidden?: Uint8Array,
): Uint8Array {
  const n = slots.length;
  for (let i = 0; i < n; i++) {
    const [r, g, b] = categoryColour(slots[i]);
    const o = 4 * i;
    out[o] = r; out[o + 1] = g; out[o + 2] = b;
    let a = slots[i] < 0 ? 140 : 220;
    if (highlight && !highlight[i]) a = 40;
    if (hidden && hidden[i]) a = 0;
    out[o + 3] = a;
  }
  return out;
}
