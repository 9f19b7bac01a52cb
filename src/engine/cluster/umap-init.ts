/**
 * UMAP's spectral initialisation: the layout starts from the leading non-trivial eigenvectors of the
 * graph's normalised adjacency D^−½ W D^−½ (the smallest of the normalised Laplacian, as umap-learn's
 * `spectral_layout`), scaled to [0, 10] per axis. Starting there instead of from uniform noise gives
 * the layout its global arrangement before the first epoch.
 *
 * The eigenvectors come from subspace iteration on (I + D^−½ W D^−½)/2 (whose spectrum is in [0, 1]),
 * with the trivial vector √degree projected out each step and a Rayleigh–Ritz rotation at the end, so
 * the columns come in decreasing order of eigenvalue: the first two of a 5-d start are a 2-d start.
 */
import { gram, orthonormalize, symmetricEigen } from '../encoders/builtin/dense';
import { createRng, gaussian } from '../util/random';
import type { FuzzyGraph } from './fuzzy-graph';

export interface SpectralOptions {
  seed: number;
  /** Subspace iterations (default 100; stops earlier once the Ritz values settle). */
  maxIterations?: number;
}

/** n × dims start layout (row-major), each axis scaled to [0, 10] plus noise of 1e-4. */
export function spectralInit(graph: FuzzyGraph, dims: number, options: SpectralOptions): Float32Array {
  const { n } = graph;
  const rng = createRng(options.seed ^ 0x5bd1e995);
  const l = Math.min(dims, Math.max(1, n - 2));
  const invSqrtDeg = new Float64Array(n);
  for (let e = 0; e < graph.head.length; e++) invSqrtDeg[graph.head[e]] += graph.weight[e];
  const trivial = new Float64Array(n);
  let norm = 0;
  for (let i = 0; i < n; i++) {
    trivial[i] = Math.sqrt(invSqrtDeg[i]);
    norm += invSqrtDeg[i];
    invSqrtDeg[i] = invSqrtDeg[i] > 0 ? 1 / Math.sqrt(invSqrtDeg[i]) : 0;
  }
  norm = Math.sqrt(norm);
  for (let i = 0; i < n; i++) trivial[i] /= norm || 1;
  // Per-entry normalised weights, so one product is one pass over the entries.
  const rowStart = headOffsets(graph.head, n);
  const nw = new Float32Array(graph.head.length);
  for (let e = 0; e < nw.length; e++) nw[e] = graph.weight[e] * invSqrtDeg[graph.head[e]] * invSqrtDeg[graph.tail[e]];

  let y = Float32Array.from({ length: n * l }, () => gaussian(rng));
  let next = new Float32Array(n * l);
  deflate(y, trivial, n, l);
  orthonormalize(y, n, l);
  const maxIterations = options.maxIterations ?? 100;
  let previous = new Float64Array(l);
  for (let it = 0; it < maxIterations; it++) {
    applyOperator(rowStart, graph.tail, nw, y, next, n, l);
    deflate(next, trivial, n, l);
    if (it % 10 === 9) {
      // Ritz values (diagonal of Yᵀ P Y): stop once they no longer move.
      const g = gram(y, next, n, l);
      const values = Float64Array.from({ length: l }, (_, p) => g[p * l + p]);
      let change = 0;
      for (let p = 0; p < l; p++) change = Math.max(change, Math.abs(values[p] - previous[p]));
      previous = values;
      if (change < 1e-5) {
        [y, next] = [next, y];
        break;
      }
    }
    orthonormalize(next, n, l);
    [y, next] = [next, y];
  }
  orthonormalize(y, n, l);
  applyOperator(rowStart, graph.tail, nw, y, next, n, l);
  // Rayleigh–Ritz: rotate Y onto the eigenvectors of Yᵀ P Y, largest first.
  const { vectors } = symmetricEigen(gram(y, next, n, l), l);
  const out = new Float32Array(n * dims);
  for (let i = 0; i < n; i++) {
    for (let q = 0; q < l; q++) {
      let s = 0;
      for (let p = 0; p < l; p++) s += y[i * l + p] * vectors[p * l + q];
      out[i * dims + q] = s;
    }
  }
  // Axes beyond what the graph supports (tiny n) stay noise.
  for (let q = 0; q < dims; q++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = out[i * dims + q];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const scale = hi > lo ? 10 / (hi - lo) : 0;
    for (let i = 0; i < n; i++) out[i * dims + q] = (out[i * dims + q] - lo) * scale + 1e-4 * gaussian(rng) + (scale === 0 ? 10 * rng() : 0);
  }
  return out;
}

/**
 * next = (Y + D^−½ W D^−½ Y) / 2, Y and next n × l row-major. Row by row over the head-grouped
 * entries, one column at a time with the sum in a local: the row's few entries stay in L1 and the
 * sum in a register (scattering into `next` entry by entry took 3× as long at 100k points).
 */
function applyOperator(rowStart: Int32Array, tail: Int32Array, nw: Float32Array, y: Float32Array, next: Float32Array, n: number, l: number): void {
  for (let i = 0; i < n; i++) {
    const from = rowStart[i];
    const to = rowStart[i + 1];
    const oi = i * l;
    for (let p = 0; p < l; p++) {
      let s = 0;
      for (let e = from; e < to; e++) s += nw[e] * y[tail[e] * l + p];
      next[oi + p] = 0.5 * (y[oi + p] + s);
    }
  }
}

/** Where each point's entries start in a graph grouped by head (n + 1 offsets). */
function headOffsets(head: Int32Array, n: number): Int32Array {
  const rowStart = new Int32Array(n + 1);
  for (let e = 0; e < head.length; e++) {
    if (e > 0 && head[e] < head[e - 1]) throw new Error('UMAP: the graph entries must be grouped by head in increasing order');
    rowStart[head[e] + 1]++;
  }
  for (let i = 0; i < n; i++) rowStart[i + 1] += rowStart[i];
  return rowStart;
}

/** Removes from each column of Y (n × l) its component along the unit vector u. */
function deflate(y: Float32Array, u: Float64Array, n: number, l: number): void {
  const dots = new Float64Array(l);
  for (let i = 0; i < n; i++) for (let p = 0; p < l; p++) dots[p] += u[i] * y[i * l + p];
  for (let i = 0; i < n; i++) for (let p = 0; p < l; p++) y[i * l + p] -= u[i] * dots[p];
}
