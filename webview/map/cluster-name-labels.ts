/**
 * Cluster names drawn on the map at their centroids (Embedding Atlas / Nomic Atlas style),
 * zoom-aware and without overlaps (pure placement, plus a small canvas drawing function):
 * - a cluster shows its name when it has one, else its first three keywords;
 * - bigger clusters get bigger text (11–16 px) and are placed first; zoomed out past the fitted
 *   view, the text grows (up to 1.3×): fewer, larger names;
 * - a cluster is named only once it covers some room on screen (its spread × zoom), except the
 *   three largest; a name that would overlap one already placed is left out. Zoomed out, the
 *   clusters shrink and crowd, so only the largest names remain; zoomed in, more fit;
 * - long names wrap onto a second line, then are cut with an ellipsis (the legend and the hover
 *   have them in full).
 * Drawing: cluster-name-layer.ts.
 */
import type { ClusterInfo } from '../../src/protocol/map';

/** A cluster's anchor in world coordinates. */
export interface NameAnchor {
  id: number;
  text: string;
  x: number;
  y: number;
  /** Points counted (those passing the filters). */
  size: number;
  /** Root-mean-square distance of its points to the centroid (world units). */
  spread: number;
}

/** A name placed on screen: centre (x, y) and box, in CSS px. */
export interface PlacedName {
  id: number;
  /** The full name (the drawn lines may cut it). */
  text: string;
  lines: string[];
  x: number;
  y: number;
  width: number;
  height: number;
  fontSize: number;
}

export interface PlaceOptions {
  minFont?: number;
  maxFont?: number;
  maxWidth?: number;
  /** Screen spread (px) a cluster needs before its name is shown (the largest ones excepted). */
  minSpread?: number;
  /** How many of the largest clusters are named whatever their spread. */
  alwaysTop?: number;
  padding?: number;
  /** The fitted view's scale, when known: zoomed out past it (zoom < fitScale) the names grow. */
  fitScale?: number;
}

const DEFAULTS: Required<PlaceOptions> = { minFont: 11, maxFont: 16, maxWidth: 190, minSpread: 14, alwaysTop: 3, padding: 4, fitScale: 0 };

/** How much bigger the names are at this zoom: 1 at the fitted view and closer, up to 1.3 four times further out. */
export function zoomOutGrowth(zoom: number, fitScale: number): number {
  if (!(fitScale > 0) || !(zoom > 0) || zoom >= fitScale) return 1;
  return 1 + 0.3 * Math.min(1, Math.log2(fitScale / zoom) / 2);
}

/** Line height of a name, from its font size. */
export const lineHeight = (fontSize: number) => Math.round(fontSize * 1.25);

/** The name drawn for a cluster: its name, else its first three keywords, else "#id". */
export function clusterDisplayName(c: Pick<ClusterInfo, 'id' | 'keywords' | 'name'>): string {
  const name = c.name?.trim();
  if (name) return name;
  return c.keywords.length ? c.keywords.slice(0, 3).join(', ') : `#${c.id}`;
}

/** Centroid and spread per cluster over the points that pass `mask` (clusters without any are left out). */
export function nameAnchors(coords: Float32Array, labels: Int32Array, clusters: readonly ClusterInfo[], mask?: Uint8Array): NameAnchor[] {
  const index = new Map(clusters.map((c, k) => [c.id, k]));
  const k = clusters.length;
  const sx = new Float64Array(k), sy = new Float64Array(k), sxx = new Float64Array(k), count = new Float64Array(k);
  for (let i = 0; i < labels.length; i++) {
    if (mask && !mask[i]) continue;
    const c = index.get(labels[i]);
    if (c === undefined) continue;
    const x = coords[2 * i], y = coords[2 * i + 1];
    sx[c] += x; sy[c] += y; sxx[c] += x * x + y * y; count[c]++;
  }
  const out: NameAnchor[] = [];
  clusters.forEach((c, j) => {
    if (count[j] === 0) return;
    const x = sx[j] / count[j], y = sy[j] / count[j];
    const spread = Math.sqrt(Math.max(0, sxx[j] / count[j] - x * x - y * y));
    out.push({ id: c.id, text: clusterDisplayName(c), x, y, size: count[j], spread });
  });
  return out;
}

/** `text` cut with an ellipsis to fit `maxWidth` at this font size. */
export function fitText(text: string, maxWidth: number, fontSize: number, measure: (text: string, fontSize: number) => number): string {
  if (measure(text, fontSize) <= maxWidth) return text;
  let lo = 0, hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (measure(text.slice(0, mid).trimEnd() + '…', fontSize) <= maxWidth) lo = mid;
    else hi = mid - 1;
  }
  return text.slice(0, lo).trimEnd() + '…';
}

/** Word-wraps `text` into at most `maxLines` lines of `maxWidth`; the last line is cut with an ellipsis when needed. */
export function wrapText(text: string, maxWidth: number, fontSize: number, measure: (text: string, fontSize: number) => number, maxLines = 2): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let k = 0;
  while (k < words.length && lines.length < maxLines - 1) {
    let line = words[k++];
    while (k < words.length && measure(`${line} ${words[k]}`, fontSize) <= maxWidth) line += ` ${words[k++]}`;
    if (measure(line, fontSize) > maxWidth) {
      // One word longer than a line: cut it here.
      lines.push(fitText(line, maxWidth, fontSize, measure));
      return lines;
    }
    lines.push(line);
  }
  if (k < words.length) lines.push(fitWords(words.slice(k), maxWidth, fontSize, measure));
  return lines;
}

/** `words` on one line of `maxWidth`: whole, else the most whole words that fit before "…", else cut inside the first word. */
function fitWords(words: readonly string[], maxWidth: number, fontSize: number, measure: (text: string, fontSize: number) => number): string {
  const all = words.join(' ');
  if (measure(all, fontSize) <= maxWidth) return all;
  let n = 0;
  while (n < words.length && measure(`${words.slice(0, n + 1).join(' ').replace(/[\s,;:.–—-]+$/u, '')}…`, fontSize) <= maxWidth) n++;
  if (n === 0) return fitText(all, maxWidth, fontSize, measure);
  return `${words.slice(0, n).join(' ').replace(/[\s,;:.–—-]+$/u, '')}…`;
}

const overlaps = (a: PlacedName, b: PlacedName, pad: number) =>
  Math.abs(a.x - b.x) * 2 < a.width + b.width + 2 * pad && Math.abs(a.y - b.y) * 2 < a.height + b.height + 2 * pad;

/**
 * Places the names: largest clusters first, each kept when it is on screen, covers enough room
 * (or is among the largest) and overlaps none placed before.
 */
export function placeNames(
  anchors: readonly NameAnchor[],
  project: (x: number, y: number) => readonly [number, number],
  zoom: number,
  width: number,
  height: number,
  measure: (text: string, fontSize: number) => number,
  options: PlaceOptions = {},
): PlacedName[] {
  const o = { ...DEFAULTS, ...options };
  const order = [...anchors].sort((a, b) => b.size - a.size || a.id - b.id);
  const biggest = order[0]?.size ?? 1;
  const growth = zoomOutGrowth(zoom, o.fitScale);
  const placed: PlacedName[] = [];
  order.forEach((a, rank) => {
    if (rank >= o.alwaysTop && a.spread * zoom < o.minSpread) return;
    const [x, y] = project(a.x, a.y);
    if (x < 0 || y < 0 || x > width || y > height) return;
    const fontSize = Math.round((o.minFont + (o.maxFont - o.minFont) * Math.sqrt(a.size / biggest)) * growth);
    // In a narrow map a name takes at most about half its width.
    const lines = wrapText(a.text, Math.min(o.maxWidth * growth, Math.max(60, width * 0.45)), fontSize, measure);
    const w = Math.max(...lines.map((l) => measure(l, fontSize))), h = lines.length * lineHeight(fontSize) + 2;
    if (w > width - 4 || h > height - 4) return;
    // Kept inside the canvas.
    const cx = Math.min(Math.max(x, w / 2 + 2), width - w / 2 - 2);
    const cy = Math.min(Math.max(y, h / 2 + 2), height - h / 2 - 2);
    const name: PlacedName = { id: a.id, text: a.text, lines, x: cx, y: cy, width: w, height: h, fontSize };
    if (placed.some((p) => overlaps(p, name, o.padding))) return;
    placed.push(name);
  });
  return placed;
}
