/**
 * Synthetic embedding sets with known neighbourhoods, shared by the kNN bench and the kNN tests.
 */
import { createRng, gaussian } from '../src/engine/util/random';
import type { Matrix } from '../src/engine/util/matrix';
import type { KnnResult } from '../src/engine/cluster/knn';

/**
 * The hard set of issue 14: n points of `centers` unit gaussian clusters in a `sub`-d space
 * (centres uniform in [−10, 10]^sub, as scikit-learn's make_blobs draws them), placed in d
 * dimensions on a random orthonormal basis, plus isotropic gaussian noise `noise` per dimension.
 * `labels`, when given (n entries), receives each point's cluster.
 * Inside a cluster the neighbours live in about sub + a few dimensions, which is what makes cells
 * and low-dimensional projections miss them.
 */
export function subspaceBlobs(n: number, d: number, sub: number, centers: number, seed: number, noise = 0.1, labels?: Int32Array): Matrix {
  const rng = createRng(seed);
  // Orthonormal basis: gaussian rows, Gram–Schmidt.
  const basis = new Float64Array(sub * d);
  for (let a = 0; a < sub; a++) {
    const o = a * d;
    for (let j = 0; j < d; j++) basis[o + j] = gaussian(rng);
    for (let b = 0; b < a; b++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += basis[o + j] * basis[b * d + j];
      for (let j = 0; j < d; j++) basis[o + j] -= s * basis[b * d + j];
    }
    let norm = 0;
    for (let j = 0; j < d; j++) norm += basis[o + j] ** 2;
    for (let j = 0; j < d; j++) basis[o + j] /= Math.sqrt(norm);
  }
  const c = Float64Array.from({ length: centers * sub }, () => rng() * 20 - 10);
  const data = new Float32Array(n * d);
  const z = new Float64Array(sub);
  for (let i = 0; i < n; i++) {
    const k = Math.floor(rng() * centers);
    if (labels) labels[i] = k;
    for (let a = 0; a < sub; a++) z[a] = c[k * sub + a] + gaussian(rng);
    for (let j = 0; j < d; j++) {
      let s = noise * gaussian(rng);
      for (let a = 0; a < sub; a++) s += z[a] * basis[a * d + j];
      data[i * d + j] = s;
    }
  }
  return { rows: n, cols: d, data };
}

/** Share of the approximate graph's neighbours that are in the exact graph. */
export function knnRecall(exact: KnnResult, approx: KnnResult): number {
  const { n, k } = exact;
  let hit = 0;
  for (let i = 0; i < n; i++) {
    const truth = new Set(exact.indices.subarray(i * k, (i + 1) * k));
    for (let t = 0; t < k; t++) if (truth.has(approx.indices[i * k + t])) hit++;
  }
  return hit / (n * k);
}
