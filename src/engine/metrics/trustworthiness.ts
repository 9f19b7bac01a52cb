import type { Matrix } from '../util/matrix';

/**
 * Trustworthiness of a low-dimensional layout (scikit-learn's `sklearn.manifold.trustworthiness`,
 * euclidean): 1 − 2 / (n·k·(2n − 3k − 1)) · Σᵢ Σ_{j among i's k nearest in the layout} max(0, r(i, j) − k),
 * where r(i, j) is j's rank among i's neighbours in the original space. 1 when every layout neighbour
 * is an original neighbour. Exact, O(n² log n): for evaluation sets of a few thousand points.
 */
export function trustworthiness(original: Matrix, layout: Matrix, k: number): number {
  const n = original.rows;
  if (layout.rows !== n) throw new Error(`trustworthiness: ${n} original points but ${layout.rows} in the layout`);
  if (!(k >= 1 && k < n / 2)) throw new Error(`trustworthiness: k must be in [1, n/2), got ${k} for ${n} points`);
  const rank = new Int32Array(n);
  const order = new Int32Array(n);
  const dist = new Float64Array(n);
  const near = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    squaredDistances(original, i, dist);
    dist[i] = Infinity;
    for (let j = 0; j < n; j++) order[j] = j;
    order.sort((p, q) => dist[p] - dist[q] || p - q);
    for (let r = 0; r < n; r++) rank[order[r]] = r + 1;
    squaredDistances(layout, i, near);
    near[i] = Infinity;
    for (let j = 0; j < n; j++) order[j] = j;
    order.sort((p, q) => near[p] - near[q] || p - q);
    for (let t = 0; t < k; t++) sum += Math.max(0, rank[order[t]] - k);
  }
  return 1 - (sum * 2) / (n * k * (2 * n - 3 * k - 1));
}

function squaredDistances(x: Matrix, i: number, out: Float64Array): void {
  const { rows, cols, data } = x;
  const o = i * cols;
  for (let j = 0; j < rows; j++) {
    let s = 0;
    const p = j * cols;
    for (let d = 0; d < cols; d++) {
      const v = data[o + d] - data[p + d];
      s += v * v;
    }
    out[j] = s;
  }
}
