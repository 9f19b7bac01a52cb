/**
 * UMAP's fuzzy simplicial set (the weighted graph its layout optimises) from a kNN graph, computed
 * with plain arrays. It follows umap-js 1.4 step for step (smoothKNNDistance,
 * computeMembershipStrengths, then the fuzzy union A + Aᵀ − A∘Aᵀ) so that the weights are the same
 * numbers; umap-js builds it from string-keyed maps, which takes minutes at 100k points
 * (test/unit/cluster/umap.test.ts checks both give the same graph and the same layout).
 */

/** umap-js's constants. */
const SMOOTH_K_TOLERANCE = 1e-5;
const MIN_K_DIST_SCALE = 1e-3;

export interface FuzzyGraphEntries {
  rows: number[];
  cols: number[];
  vals: number[];
}

/**
 * The entries (row, col, weight) of the fuzzy union of the kNN membership graph, as umap-js's
 * `fuzzySimplicialSet` with `setOpMixRatio` 1 and `localConnectivity` 1. `indices[i]` and
 * `distances[i]` list point i's neighbours as umap-js takes them (the point itself first, at 0).
 */
export function fuzzyGraphEntries(indices: readonly (readonly number[])[], distances: readonly (readonly number[])[], nNeighbors: number): FuzzyGraphEntries {
  const n = indices.length;
  const { sigmas, rhos } = smoothKnnDistance(distances, nNeighbors);
  // Membership strengths: row i's entries in the order of its neighbours (a repeated pair keeps its last value).
  const rowStart = new Int32Array(n + 1);
  const cols: number[] = [];
  const vals: number[] = [];
  for (let i = 0; i < n; i++) {
    const seen = new Map<number, number>();
    for (let j = 0; j < indices[i].length; j++) {
      const c = indices[i][j];
      if (c === -1) continue;
      let val: number;
      if (c === i) val = 0.0;
      else if (distances[i][j] - rhos[i] <= 0.0) val = 1.0;
      else val = Math.exp(-((distances[i][j] - rhos[i]) / sigmas[i]));
      const at = seen.get(c);
      if (at !== undefined) vals[at] = val;
      else {
        seen.set(c, cols.length);
        cols.push(c);
        vals.push(val);
      }
    }
    rowStart[i + 1] = cols.length;
  }
  const lookup = (i: number, j: number): number | undefined => {
    for (let t = rowStart[i]; t < rowStart[i + 1]; t++) if (cols[t] === j) return vals[t];
    return undefined;
  };
  // Fuzzy union over the keys of A and Aᵀ: (x + y) − x·y, x = A[i][j], y = A[j][i] (0 when absent).
  const out: FuzzyGraphEntries = { rows: [], cols: [], vals: [] };
  for (let i = 0; i < n; i++) {
    for (let t = rowStart[i]; t < rowStart[i + 1]; t++) {
      const j = cols[t];
      const x = vals[t];
      const back = lookup(j, i);
      const y = back ?? 0;
      out.rows.push(i);
      out.cols.push(j);
      out.vals.push(x + y - x * y);
      if (back === undefined) {
        // The key (j, i) exists only in Aᵀ: 0 + x − 0.
        out.rows.push(j);
        out.cols.push(i);
        out.vals.push(0 + x - 0 * x);
      }
    }
  }
  return out;
}

/** Per point, ρ (distance to the nearest neighbour) and σ (so that the memberships sum to log2 k), as umap-js. */
function smoothKnnDistance(distances: readonly (readonly number[])[], k: number): { sigmas: Float64Array; rhos: Float64Array } {
  const n = distances.length;
  const target = (Math.log(k) / Math.log(2)) * 1.0;
  const rhos = new Float64Array(n);
  const sigmas = new Float64Array(n);
  let meanOfMeans: number | undefined;
  for (let i = 0; i < n; i++) {
    const row = distances[i];
    let lo = 0.0;
    let hi = Infinity;
    let mid = 1.0;
    let nonZero = 0;
    let firstNonZero = 0;
    for (const d of row) if (d > 0.0 && nonZero++ === 0) firstNonZero = d;
    // localConnectivity 1: ρ is the first non-zero distance.
    if (nonZero >= 1) rhos[i] = firstNonZero;
    for (let it = 0; it < 64; it++) {
      let psum = 0.0;
      for (let j = 1; j < row.length; j++) {
        const d = row[j] - rhos[i];
        psum += d > 0 ? Math.exp(-(d / mid)) : 1.0;
      }
      if (Math.abs(psum - target) < SMOOTH_K_TOLERANCE) break;
      if (psum > target) {
        hi = mid;
        mid = (lo + hi) / 2.0;
      } else {
        lo = mid;
        if (hi === Infinity) mid *= 2;
        else mid = (lo + hi) / 2.0;
      }
    }
    sigmas[i] = mid;
    if (rhos[i] > 0.0) {
      const m = mean(row);
      if (sigmas[i] < MIN_K_DIST_SCALE * m) sigmas[i] = MIN_K_DIST_SCALE * m;
    } else {
      meanOfMeans ??= mean(distances.map(mean));
      if (sigmas[i] < MIN_K_DIST_SCALE * meanOfMeans) sigmas[i] = MIN_K_DIST_SCALE * meanOfMeans;
    }
  }
  return { sigmas, rhos };
}

/** umap-js's mean: a left-to-right sum divided by the length. */
function mean(xs: readonly number[]): number {
  return xs.reduce((s, v) => s + v) / xs.length;
}
