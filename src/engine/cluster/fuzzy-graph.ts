/**
 * UMAP's fuzzy simplicial set (the weighted graph its layout optimises) from a kNN graph, on typed
 * arrays in O(n·k): per point ρ (distance to the nearest neighbour) and σ (so that the memberships
 * sum to log2 of the neighbour count), the directed memberships exp(−(d − ρ)/σ), then the fuzzy union
 * A + Aᵀ − A∘Aᵀ. It follows umap-learn's `fuzzy_simplicial_set` with local connectivity 1 and set-op
 * mix ratio 1; the kNN graph is taken as umap-learn takes it, with the point itself as a neighbour at
 * distance 0 (so `n_neighbors` is k + 1).
 */
import type { KnnResult } from './knn';

const SMOOTH_K_TOLERANCE = 1e-5;
const MIN_K_DIST_SCALE = 1e-3;
const BISECTION_STEPS = 64;

/**
 * A symmetric sparse graph as a list of directed entries (both (i, j) and (j, i) are listed),
 * grouped by head in increasing order. `weight` is in (0, 1].
 */
export interface FuzzyGraph {
  n: number;
  head: Int32Array;
  tail: Int32Array;
  weight: Float32Array;
}

/** Per point ρ and σ (umap-learn's smooth_knn_dist on the k non-self neighbours). */
export function smoothKnnDistances(knn: KnnResult): { rhos: Float64Array; sigmas: Float64Array } {
  const { n, k, distances } = knn;
  const target = Math.log2(k + 1);
  const rhos = new Float64Array(n);
  const sigmas = new Float64Array(n);
  // umap-learn's rows include the point itself at 0: its means divide by k + 1.
  let meanAll = 0;
  for (let t = 0; t < n * k; t++) meanAll += Math.max(0, distances[t]);
  meanAll /= n * (k + 1);
  for (let i = 0; i < n; i++) {
    const o = i * k;
    let rho = 0;
    let rowSum = 0;
    for (let t = 0; t < k; t++) {
      const d = Math.max(0, distances[o + t]);
      rowSum += d;
      if (rho === 0 && d > 0) rho = d;
    }
    rhos[i] = rho;
    let lo = 0;
    let hi = Infinity;
    let mid = 1;
    for (let it = 0; it < BISECTION_STEPS; it++) {
      let psum = 0;
      for (let t = 0; t < k; t++) {
        const d = Math.max(0, distances[o + t]) - rho;
        psum += d > 0 ? Math.exp(-(d / mid)) : 1;
      }
      if (Math.abs(psum - target) < SMOOTH_K_TOLERANCE) break;
      if (psum > target) {
        hi = mid;
        mid = (lo + hi) / 2;
      } else {
        lo = mid;
        mid = hi === Infinity ? mid * 2 : (lo + hi) / 2;
      }
    }
    const floor = MIN_K_DIST_SCALE * (rho > 0 ? rowSum / (k + 1) : meanAll);
    sigmas[i] = Math.max(mid, floor);
  }
  return { rhos, sigmas };
}

/** The fuzzy union of the kNN membership graph (neighbour ids of −1 and repeated ids are skipped). */
export function fuzzySimplicialSet(knn: KnnResult): FuzzyGraph {
  const { n, k, indices, distances } = knn;
  const { rhos, sigmas } = smoothKnnDistances(knn);
  // Directed memberships A[i][j], row by row.
  const w = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < k; t++) {
      const j = indices[i * k + t];
      if (j < 0 || j === i) continue;
      const d = Math.max(0, distances[i * k + t]) - rhos[i];
      w[i * k + t] = d <= 0 || sigmas[i] === 0 ? 1 : Math.exp(-(d / sigmas[i]));
    }
  }
  // Aᵀ in compressed rows: for each j, the i that list j, with A[i][j].
  const inStart = new Int32Array(n + 1);
  for (let t = 0; t < n * k; t++) if (w[t] > 0) inStart[indices[t] + 1]++;
  for (let j = 0; j < n; j++) inStart[j + 1] += inStart[j];
  const inFrom = new Int32Array(inStart[n]);
  const inWeight = new Float64Array(inStart[n]);
  const fill = inStart.slice(0, n);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < k; t++) {
      const x = w[i * k + t];
      if (!(x > 0)) continue;
      const at = fill[indices[i * k + t]]++;
      inFrom[at] = i;
      inWeight[at] = x;
    }
  }
  // Row i of the union: its out-entries and in-entries merged by neighbour (stamp marks the row).
  const stamp = new Int32Array(n).fill(-1);
  const outW = new Float64Array(n);
  const inW = new Float64Array(n);
  let cap = Math.max(16, 2 * n * k);
  let head = new Int32Array(cap);
  let tail = new Int32Array(cap);
  let weight = new Float32Array(cap);
  let size = 0;
  let scratch = new Int32Array(4 * k + 16); // a row's neighbours; grown when a row has more
  for (let i = 0; i < n; i++) {
    let m = 0;
    const need = k + inStart[i + 1] - inStart[i];
    if (need > scratch.length) scratch = new Int32Array(need * 2);
    for (let t = 0; t < k; t++) {
      const x = w[i * k + t];
      if (!(x > 0)) continue;
      const j = indices[i * k + t];
      if (stamp[j] !== i) {
        stamp[j] = i;
        inW[j] = 0;
        scratch[m++] = j;
      }
      outW[j] = x; // a repeated neighbour keeps its last membership
    }
    for (let s = inStart[i]; s < inStart[i + 1]; s++) {
      const j = inFrom[s];
      if (stamp[j] !== i) {
        stamp[j] = i;
        outW[j] = 0;
        scratch[m++] = j;
      }
      inW[j] = inWeight[s];
    }
    const row = scratch.subarray(0, m).sort();
    if (size + m > cap) {
      cap = Math.max(cap * 2, size + m);
      head = grow(head, cap);
      tail = grow(tail, cap);
      const wNext = new Float32Array(cap);
      wNext.set(weight);
      weight = wNext;
    }
    for (const j of row) {
      const x = outW[j];
      const y = inW[j];
      const v = x + y - x * y;
      if (!(v > 0)) continue;
      head[size] = i;
      tail[size] = j;
      weight[size] = v;
      size++;
    }
  }
  return { n, head: head.slice(0, size), tail: tail.slice(0, size), weight: weight.slice(0, size) };
}

function grow(a: Int32Array, cap: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(cap);
  b.set(a);
  return b;
}
