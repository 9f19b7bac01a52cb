/** Categorical colours for the scatter (pure): a fixed palette that reads on dark and light themes. */

/** 20 distinguishable colours (RGB 0–255), Tableau-like, mid-luminance. */
export const PALETTE: readonly [number, number, number][] = [
  [78, 121, 167], [242, 142, 43], [225, 87, 89], [118, 183, 178], [89, 161, 79],
  [237, 201, 72], [176, 122, 161], [255, 157, 167], [156, 117, 95], [186, 176, 172],
  [31, 119, 180], [255, 127, 14], [44, 160, 44], [214, 39, 40], [148, 103, 189],
  [140, 86, 75], [227, 119, 194], [188, 189, 34], [23, 190, 207], [127, 127, 127],
];

/** Grey for outliers / "none". */
export const NONE_COLOUR: [number, number, number] = [128, 128, 128];

export function categoryColour(value: number): [number, number, number] {
  if (value < 0) return NONE_COLOUR;
  return PALETTE[value % PALETTE.length];
}

export function cssColour(value: number): string {
  const [r, g, b] = categoryColour(value);
  return `rgb(${r}, ${g}, ${b})`;
}

/**
 * Fills RGBA bytes per point from category values. `highlight` (optional, 1 = on) dims the
 * others; `hidden` (1 = filtered out) makes points fully transparent.
 */
export function fillColours(
  out: Uint8Array,
  values: ArrayLike<number>,
  highlight?: Uint8Array,
  hidden?: Uint8Array,
): Uint8Array {
  const n = values.length;
  for (let i = 0; i < n; i++) {
    const [r, g, b] = categoryColour(values[i]);
    const o = 4 * i;
    out[o] = r; out[o + 1] = g; out[o + 2] = b;
    let a = values[i] < 0 ? 140 : 220;
    if (highlight && !highlight[i]) a = 40;
    if (hidden && hidden[i]) a = 0;
    out[o + 3] = a;
  }
  return out;
}
