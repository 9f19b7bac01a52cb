/**
 * The leading principal subspace of a set of rows, for a cheap first pass of the approximate kNN:
 * dot products of the rows projected on it rank candidates nearly as the full dot products do
 * (embeddings keep most of their energy in a few dozen directions), at a fraction of the cost.
 * Uncentred: it approximates the second-moment matrix XᵀX, whose quadratic form is what dot
 * products see. Found by subspace iteration on a sample of rows.
 */
import { createRng, gaussian, sampleIndices } from '../util/random';
import { blockDots } from './dots';

export interface SubspaceOptions {
  /** Rows used to estimate XᵀX (default 8192). */
  sampleSize?: number;
  /** Subspace iterations (default 8). */
  iterations?: number;
  seed?: number;
}

/** An orthonormal basis (m rows of width d) of the leading m-dimensional subspace of the n × d rows. */
export function principalSubspace(data: Float32Array, n: number, d: number, m: number, options: SubspaceOptions = {}): Float32Array {
  if (m > d) throw new Error(`subspace: ${m} dimensions asked of ${d}`);
  const rng = createRng(options.seed ?? 42);
  const rows = sampleIndices(n, Math.min(n, options.sampleSize ?? 8192), rng);
  // Second-moment matrix (upper triangle, then mirrored).
  const moment = new Float64Array(d * d);
  for (const r of rows) {
    const o = r * d;
    for (let a = 0; a < d; a++) {
      const va = data[o + a];
      if (va === 0) continue;
      const ra = a * d;
      for (let b = a; b < d; b++) moment[ra + b] += va * data[o + b];
    }
  }
  for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) moment[a * d + b] = moment[b * d + a];
  // Subspace iteration: Q ← orthonormalise(M·Q), Q stored as m rows of width d.
  let q = new Float64Array(m * d);
  for (let t = 0; t < q.length; t++) q[t] = gaussian(rng);
  orthonormalizeRows(q, m, d);
  const iterations = options.iterations ?? 8;
  for (let it = 0; it < iterations; it++) {
    const next = new Float64Array(m * d);
    for (let c = 0; c < m; c++) {
      const qc = c * d;
      for (let a = 0; a < d; a++) {
        let s = 0;
        const ra = a * d;
        for (let b = 0; b < d; b++) s += moment[ra + b] * q[qc + b];
        next[qc + a] = s;
      }
    }
    orthonormalizeRows(next, m, d);
    q = next;
  }
  return Float32Array.from(q);
}

/** The n rows projected on the basis (m × d): an n × m row-major array. */
export function projectRows(data: Float32Array, n: number, d: number, basis: Float32Array, m: number): Float32Array {
  const out = new Float32Array(n * m);
  const block = 256;
  const dots = new Float64Array(block * m);
  for (let i0 = 0; i0 < n; i0 += block) {
    const i1 = Math.min(n, i0 + block);
    blockDots(data, i0, i1, basis, 0, m, d, dots, m);
    for (let t = 0; t < (i1 - i0) * m; t++) out[i0 * m + t] = dots[t];
  }
  return out;
}

/** Modified Gram–Schmidt on the rows; a row that vanishes is replaced by the first unit axis outside the span so far. */
function orthonormalizeRows(q: Float64Array, m: number, d: number): void {
  for (let c = 0; c < m; c++) {
    const o = c * d;
    let norm = orthogonalize(q, c, d);
    for (let axis = 0; norm < 1e-8 && axis < d; axis++) {
      q.fill(0, o, o + d);
      q[o + axis] = 1;
      norm = orthogonalize(q, c, d);
    }
    for (let t = 0; t < d; t++) q[o + t] /= norm;
  }
}

/** Removes from row c its components along rows 0..c−1 (orthonormal); returns its remaining norm. */
function orthogonalize(q: Float64Array, c: number, d: number): number {
  const o = c * d;
  for (let prev = 0; prev < c; prev++) {
    const p = prev * d;
    let s = 0;
    for (let t = 0; t < d; t++) s += q[o + t] * q[p + t];
    for (let t = 0; t < d; t++) q[o + t] -= s * q[p + t];
  }
  let norm = 0;
  for (let t = 0; t < d; t++) norm += q[o + t] * q[o + t];
  return Math.sqrt(norm);
}
