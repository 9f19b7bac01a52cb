// Generates the map's categorical palette (webview/map/colours.ts) the Glasbey way: greedy
// max-min CIEDE2000 distance over an sRGB grid, restricted to colours with at least 3:1 contrast
// (WCAG, graphical objects) against both the dark (#1f1f1f) and the light (#ffffff) editor
// backgrounds, and far from the outlier grey. Prints the palette and its smallest distances.
//   node --import tsx scripts/make-palette.ts [size]
import { contrast, deltaE2000, lab, type Rgb } from '../webview/map/colour-difference';

const size = Number(process.argv[2] ?? 16);
const DARK: Rgb = [31, 31, 31], LIGHT: Rgb = [255, 255, 255], GREY: Rgb = [128, 128, 128];
interface Candidate { c: Rgb; lab: number[]; min: number }
const candidates: Candidate[] = [];
for (let r = 0; r <= 255; r += 15) for (let g = 0; g <= 255; g += 15) for (let b = 0; b <= 255; b += 15) {
  const c: Rgb = [r, g, b];
  if (contrast(c, DARK) >= 3 && contrast(c, LIGHT) >= 3) candidates.push({ c, lab: lab(c), min: deltaE2000(lab(c), lab(GREY)) }); // the grey counts like a chosen colour
}
const chosen: Candidate[] = [];
while (chosen.length < size) {
  let best = candidates[0];
  for (const x of candidates) if (x.min > best.min) best = x;
  chosen.push(best);
  for (const x of candidates) x.min = Math.min(x.min, deltaE2000(x.lab, best.lab));
}
const hex = (c: Rgb) => `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
for (const [i, x] of chosen.entries()) {
  let nearest = Infinity;
  for (const y of chosen.slice(0, i)) nearest = Math.min(nearest, deltaE2000(x.lab, y.lab));
  console.log(`[${x.c.join(', ')}], // ${hex(x.c)} dark ${contrast(x.c, DARK).toFixed(2)} light ${contrast(x.c, LIGHT).toFixed(2)} ΔE00 to earlier ${nearest.toFixed(1)}`);
}
