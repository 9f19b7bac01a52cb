import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterDisplayName, nameAnchors, placeNames, wrapText, zoomOutGrowth, type NameAnchor } from '../../../webview/map/cluster-name-labels';
import { sequentialColour, fillNumericColours, applyFilterAlpha, FILTERED_OUT_ALPHA } from '../../../webview/map/field-colours';
import { NONE_COLOUR } from '../../../webview/map/colours';

const lin = (v: number) => { const s = v / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };

/** 7 px per character, whatever the font size (a monospace stand-in for canvas measureText). */
const measure = (text: string, fontSize: number) => text.length * fontSize * 0.5;

test('a cluster shows its name, else its first three keywords', () => {
  assert.equal(clusterDisplayName({ id: 2, keywords: ['a', 'b', 'c', 'd'], name: '  Santé publique ' }), 'Santé publique');
  assert.equal(clusterDisplayName({ id: 2, keywords: ['a', 'b', 'c', 'd'], name: '' }), 'a, b, c');
  assert.equal(clusterDisplayName({ id: 2, keywords: [] }), '#2');
});

test('anchors: centroid and spread of the points that pass the filter; a cluster with none is left out', () => {
  const coords = Float32Array.from([0, 0, 2, 0, 10, 10, 10, 12, 50, 50]);
  const labels = Int32Array.from([0, 0, 1, 1, -1]);
  const clusters = [{ id: 0, size: 2, keywords: ['x'] }, { id: 1, size: 2, keywords: ['y'], name: 'Why' }];
  const a = nameAnchors(coords, labels, clusters);
  assert.deepEqual(a.map((x) => [x.id, x.text, x.x, x.y, x.size, x.spread]), [[0, 'x', 1, 0, 2, 1], [1, 'Why', 10, 11, 2, 1]]);
  const filtered = nameAnchors(coords, labels, clusters, Uint8Array.from([0, 0, 1, 0, 1]));
  assert.deepEqual(filtered.map((x) => [x.id, x.x, x.y, x.size]), [[1, 10, 10, 1]]);
});

test('long names wrap onto two lines, then end with an ellipsis', () => {
  const lines = wrapText('Élections législatives et recomposition de l’Assemblée nationale', 100, 10, measure);
  assert.equal(lines.length, 2);
  assert.ok(lines.every((l) => measure(l, 10) <= 100), JSON.stringify(lines));
  assert.ok(lines[1].endsWith('…'));
  assert.deepEqual(wrapText('Short', 100, 10, measure), ['Short']);
  // the last line ends after a whole word (its trailing comma dropped), not inside one
  assert.deepEqual(wrapText('Économie mondiale, marchés financiers et résultats trimestriels', 120, 10, measure), ['Économie mondiale,', 'marchés financiers et…']);
  assert.deepEqual(wrapText('Anticonstitutionnellement anticonstitutionnellement', 60, 10, measure), ['Anticonstit…'], 'a word longer than a line is still cut');
});

/** A 4×4 grid of clusters 10 world units apart, sizes decreasing. */
const grid: NameAnchor[] = Array.from({ length: 16 }, (_, k) => ({ id: k, text: `Cluster ${k}`, x: (k % 4) * 10, y: Math.floor(k / 4) * 10, size: 200 - k * 10, spread: 2 }));
const place = (zoom: number) => placeNames(grid, (x, y) => [400 + (x - 15) * zoom, 300 - (y - 15) * zoom], zoom, 800, 600, measure);

function assertNoOverlap(placed: ReturnType<typeof place>) {
  for (let i = 0; i < placed.length; i++) for (let j = i + 1; j < placed.length; j++) {
    const a = placed[i], b = placed[j];
    const apart = Math.abs(a.x - b.x) * 2 >= a.width + b.width || Math.abs(a.y - b.y) * 2 >= a.height + b.height;
    assert.ok(apart, `${a.text} and ${b.text} overlap`);
  }
}

test('zoom-aware: zoomed out only the largest names remain, zoomed in every one fits; never an overlap', () => {
  const out = place(2), fit = place(12), zoomed = place(18);
  assert.ok(out.length < fit.length, `zoomed out ${out.length} names, fitted ${fit.length}`);
  assert.equal(out[0].id, 0, 'the largest cluster keeps its name');
  assert.ok(out.length <= 3);
  assert.equal(zoomed.length, 16);
  for (const p of [out, fit, zoomed]) assertNoOverlap(p);
  // Bigger clusters get bigger text.
  assert.ok(zoomed.find((p) => p.id === 0)!.fontSize > zoomed.find((p) => p.id === 15)!.fontSize);
  // Zoomed out past the fitted view the names grow: fewer, larger.
  assert.equal(zoomOutGrowth(12, 12), 1);
  assert.equal(zoomOutGrowth(24, 12), 1);
  assert.equal(zoomOutGrowth(3, 12), 1.3);
  const bigger = placeNames(grid, (x, y) => [400 + (x - 15) * 2, 300 - (y - 15) * 2], 2, 800, 600, measure, { fitScale: 12 });
  assert.ok(bigger[0].fontSize > out[0].fontSize, `${bigger[0].fontSize} px zoomed out vs ${out[0].fontSize} px`);
});

test('a name off screen is not drawn; one near the edge is kept inside the canvas', () => {
  const placed = placeNames([{ id: 0, text: 'Edge', x: 0, y: 0, size: 10, spread: 5 }, { id: 1, text: 'Gone', x: 1000, y: 0, size: 9, spread: 5 }], (x, y) => [x + 1, 300 - y], 1, 800, 600, measure);
  assert.deepEqual(placed.map((p) => p.id), [0]);
  assert.ok(placed[0].x - placed[0].width / 2 >= 0);
});

test('numeric colours: a sequential scale, missing values grey; filtered-out points dimmed or hidden', () => {
  const lum = ([r, g, b]: readonly number[]) => 0.2126 * r + 0.7152 * g + 0.0722 * b;
  for (let k = 0; k < 10; k++) assert.ok(lum(sequentialColour((k + 1) / 10)) > lum(sequentialColour(k / 10)), `lighter at ${(k + 1) / 10}`);
  for (let k = 0; k < 10; k++) assert.ok(lum(sequentialColour((k + 1) / 10, 'light')) > lum(sequentialColour(k / 10, 'light')), 'monotone on light themes too');
  // Both ends stand out from the background (≈ 3:1): a dark editor (#1f1f1f) and a light one (#ffffff).
  const rel = (rgb: readonly number[]) => 0.2126 * lin(rgb[0]) + 0.7152 * lin(rgb[1]) + 0.0722 * lin(rgb[2]);
  const ratio = (a: readonly number[], b: readonly number[]) => (Math.max(rel(a), rel(b)) + 0.05) / (Math.min(rel(a), rel(b)) + 0.05);
  for (const t of [0, 1]) {
    assert.ok(ratio(sequentialColour(t, 'dark'), [31, 31, 31]) >= 2.8, `dark, t ${t}`);
    assert.ok(ratio(sequentialColour(t, 'light'), [255, 255, 255]) >= 2.8, `light, t ${t}`);
  }
  const rgba = fillNumericColours(new Uint8Array(12), Float64Array.from([10, NaN, 20]));
  assert.deepEqual(Array.from(rgba.slice(4, 7)), [...NONE_COLOUR]);
  assert.deepEqual(Array.from(rgba.slice(0, 3)), [...sequentialColour(0)]);
  assert.deepEqual(Array.from(rgba.slice(8, 11)), [...sequentialColour(1)]);
  const mask = Uint8Array.from([1, 0, 0]);
  assert.deepEqual([3, 7, 11].map((k) => applyFilterAlpha(Uint8Array.from(rgba), mask, false)[k]), [220, FILTERED_OUT_ALPHA, FILTERED_OUT_ALPHA]);
  assert.deepEqual([3, 7, 11].map((k) => applyFilterAlpha(Uint8Array.from(rgba), mask, true)[k]), [220, 0, 0]);
});

test('in a narrow map a name wraps to about half its width and stays inside it', () => {
  const placed = placeNames([{ id: 0, text: 'Élections législatives et recomposition', x: 0, y: 0, size: 10, spread: 5 }], () => [100, 150], 1, 200, 300, measure);
  assert.equal(placed.length, 1);
  assert.ok(placed[0].width <= 90, `${placed[0].width} px in a 200 px map`);
  assert.ok(placed[0].x - placed[0].width / 2 >= 0 && placed[0].x + placed[0].width / 2 <= 200);
});
