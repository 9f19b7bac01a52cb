import type { Matrix } from '../util/matrix';
import { createRng, sampleIndices } from '../util/random';

export interface SilhouetteOptions {
  /** Distance between points (default euclidean, as scikit-learn). */
  metric?: 'cosine' | 'euclidean';
  /** Score a random subset of this many points (distances among the subset only). */
  sampleSize?: number;
  seed?: number;
}

/**
 * Mean silhouette coefficient (scikit-learn's `silhouette_score`). Points labelled -1
 * (noise) are left out. Points alone in their cluster score 0. NaN when fewer than 2 or
 * more than n-1 clusters remain.
 */
export function silhouette(x: Matrix, labels: ArrayLike<number>, options: SilhouetteOptions = {}): number {
  if (labels.length !== x.rows) throw new Error(`silhouette: ${x.rows} points but ${labels.length} labels`);
  let idx: number[] = [];
  for (let i = 0; i < x.rows; i++) if (labels[i] !== -1) idx.push(i);
  if (options.sampleSize !== undefined && options.sampleSize < idx.length) {
    const pick = sampleIndices(idx.length, options.sampleSize, createRng(options.seed ?? 0));
    idx = pick.sort((a, b) => a - b).map((k) => idx[k]);
  }
  const n = idx.length;
  const codes = new Map<number, number>();
  const lab = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    let c = codes.get(labels[idx[k]]);
    if (c === undefined) {
      c = codes.size;
      codes.set(labels[idx[k]], c);
    }
    lab[k] = c;
  }
  const nc = codes.size;
  if (nc < 2 || nc > n - 1) return Number.NaN;
  const sizes = new Float64Array(nc);
  for (let k = 0; k < n; k++) sizes[lab[k]]++;

  const d = x.cols;
  const data = x.data;
  const cosine = options.metric === 'cosine';
  const norms = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let s = 0;
    const o = idx[k] * d;
    for (let j = 0; j < d; j++) s += data[o + j] * data[o + j];
    norms[k] = Math.sqrt(s);
  }
  // sums[k * nc + c]: total distance from point k to the points of cluster c.
  const sums = cosine ? cosineDistanceSums(data, d, idx, lab, nc, norms) : new Float64Array(n * nc);
  for (let a = 0; a < n && !cosine; a++) {
    const oa = idx[a] * d;
    for (let b = a + 1; b < n; b++) {
      const ob = idx[b] * d;
      let dist: number;
      if (cosine) {
        let s = 0;
        for (let j = 0; j < d; j++) s += data[oa + j] * data[ob + j];
        const nn = norms[a] * norms[b];
        dist = 1 - (nn > 0 ? s / nn : 0);
        if (dist < 0) dist = 0;
      } else {
        let s = 0;
        for (let j = 0; j < d; j++) {
          const t = data[oa + j] - data[ob + j];
          s += t * t;
        }
        dist = Math.sqrt(s);
      }
      sums[a * nc + lab[b]] += dist;
      sums[b * nc + lab[a]] += dist;
    }
  }
  let total = 0;
  for (let k = 0; k < n; k++) {
    const own = lab[k];
    if (sizes[own] <= 1) continue; // silhouette 0
    const a = sums[k * nc + own] / (sizes[own] - 1);
    let b = Infinity;
    for (let c = 0; c < nc; c++) if (c !== own) b = Math.min(b, sums[k * nc + c] / sizes[c]);
    const m = Math.max(a, b);
    if (m > 0) total += (b - a) / m;
  }
  return total / n;
}

/**
 * The cosine-distance sums of every point to every cluster in O(n·k·d) instead of O(n²·d): with
 * unit rows u, Σ_{b∈c, b≠a} (1 − u_a·u_b) = |c| − u_a·S_c (− (1 − u_a·u_a) for a's own cluster),
 * S_c being the sum of the unit rows of cluster c. A zero row is at distance 1 from every other
 * row, as in the pairwise form. Equal to the pairwise sums up to rounding (and to its clamp of a
 * rounding-negative distance at 0), which the summing in float64 keeps far below the score's
 * precision.
 */
function cosineDistanceSums(
  data: Float32Array,
  d: number,
  idx: readonly number[],
  lab: Int32Array,
  nc: number,
  norms: Float64Array,
): Float64Array {
  const n = idx.length;
  const centroidSums = new Float64Array(nc * d);
  const sizes = new Float64Array(nc);
  const unit = new Float64Array(d);
  const unitRow = (k: number): number => {
    const o = idx[k] * d;
    const f = norms[k] > 0 ? 1 / norms[k] : 0;
    let self = 0;
    for (let j = 0; j < d; j++) {
      unit[j] = data[o + j] * f;
      self += unit[j] * unit[j];
    }
    return self;
  };
  for (let k = 0; k < n; k++) {
    unitRow(k);
    const oc = lab[k] * d;
    for (let j = 0; j < d; j++) centroidSums[oc + j] += unit[j];
    sizes[lab[k]]++;
  }
  const sums = new Float64Array(n * nc);
  for (let k = 0; k < n; k++) {
    const self = unitRow(k);
    for (let c = 0; c < nc; c++) {
      let s = 0;
      for (let j = 0, oc = c * d; j < d; j++) s += unit[j] * centroidSums[oc + j];
      sums[k * nc + c] = sizes[c] - s - (c === lab[k] ? 1 - self : 0);
    }
  }
  return sums;
}
