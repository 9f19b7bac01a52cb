import type { Matrix } from '../util/matrix';
import { checkpoint, type JobOptions } from '../util/job';
import { blockDots } from './dots';

/**
 * A k-nearest-neighbour graph: row i of `indices` (n×k, row-major) holds the ids of the k
 * nearest points to i (itself excluded), nearest first; `distances` the matching distances
 * (cosine distance 1 − cos, or Euclidean).
 */
export interface KnnResult {
  n: number;
  k: number;
  indices: Int32Array;
  distances: Float32Array;
  metric: KnnMetric;
}

export type KnnMetric = 'cosine' | 'euclidean';

export interface KnnOptions extends JobOptions {
  metric?: KnnMetric;
  /** Rows per block of the blocked product (memory stays O(block² + n·k)). */
  blockSize?: number;
}

/** Copies the rows and L2-normalises them (zero rows stay zero). */
export function normalizedCopy(x: Matrix): Float32Array {
  const { rows, cols } = x;
  const out = new Float32Array(x.data);
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    let s = 0;
    for (let j = 0; j < cols; j++) s += out[o + j] * out[o + j];
    if (s > 0) {
      const inv = 1 / Math.sqrt(s);
      for (let j = 0; j < cols; j++) out[o + j] *= inv;
    }
  }
  return out;
}

/**
 * Keeps, per row, the k best (smallest) keys seen so far, sorted ascending. Insertion sort
 * is the fastest choice for the small k of kNN graphs.
 */
export class TopKRows {
  readonly keys: Float64Array;
  readonly ids: Int32Array;
  constructor(readonly n: number, readonly k: number) {
    this.keys = new Float64Array(n * k).fill(Infinity);
    this.ids = new Int32Array(n * k).fill(-1);
  }
  /** The current k-th best key of row i (Infinity until k candidates were seen). */
  worst(i: number): number {
    return this.keys[i * this.k + this.k - 1];
  }
  push(i: number, key: number, id: number): void {
    const k = this.k;
    const base = i * k;
    if (!(key < this.keys[base + k - 1])) return;
    let p = k - 1;
    while (p > 0 && this.keys[base + p - 1] > key) {
      this.keys[base + p] = this.keys[base + p - 1];
      this.ids[base + p] = this.ids[base + p - 1];
      p--;
    }
    this.keys[base + p] = key;
    this.ids[base + p] = id;
  }
}

/**
 * Exact kNN by blocked matrix products. For cosine the rows are normalised first and the
 * distance is 1 − cos; for Euclidean, ‖a‖² + ‖b‖² − 2a·b. Only the upper triangle of
 * blocks is computed (the product is symmetric). O(n²·d) time, O(n·k + block²) memory.
 */
export async function exactKnn(x: Matrix, k: number, options: KnnOptions = {}): Promise<KnnResult> {
  const { rows: n, cols: d } = x;
  const metric = options.metric ?? 'cosine';
  if (!Number.isInteger(k) || k < 1) throw new Error(`kNN: k must be a positive integer, got ${k}`);
  if (k >= n) throw new Error(`kNN: need more than k=${k} points, got ${n}`);
  const data = metric === 'cosine' ? normalizedCopy(x) : x.data;
  const norms = new Float64Array(n);
  if (metric === 'euclidean') {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0, o = i * d; j < d; j++) s += data[o + j] * data[o + j];
      norms[i] = s;
    }
  }
  const top = new TopKRows(n, k);
  const B = options.blockSize ?? 128;
  const nBlocks = Math.ceil(n / B);
  const totalPairs = (nBlocks * (nBlocks + 1)) / 2;
  let donePairs = 0;
  const dots = new Float64Array(B * B);
  let lastYield = performance.now();
  for (let bi = 0; bi < nBlocks; bi++) {
    const i0 = bi * B;
    const i1 = Math.min(n, i0 + B);
    for (let bj = bi; bj < nBlocks; bj++) {
      const j0 = bj * B;
      const j1 = Math.min(n, j0 + B);
      blockDots(data, i0, i1, data, j0, j1, d, dots, B);
      for (let i = i0; i < i1; i++) {
        const rowOff = (i - i0) * B;
        for (let j = bj === bi ? i + 1 : j0; j < j1; j++) {
          const s = dots[rowOff + (j - j0)];
          const dist = metric === 'cosine' ? 1 - s : Math.max(0, norms[i] + norms[j] - 2 * s);
          top.push(i, dist, j);
          top.push(j, dist, i);
        }
      }
      donePairs++;
      if (performance.now() - lastYield > 50) {
        options.onProgress?.({ stage: 'knn', done: donePairs, total: totalPairs });
        await checkpoint(options.signal);
        lastYield = performance.now();
      }
    }
  }
  options.onProgress?.({ stage: 'knn', done: totalPairs, total: totalPairs });
  return finishKnn(top, metric);
}

/** Turns collected top-k keys (rows sorted ascending) into a KnnResult (square roots for Euclidean). */
export function finishKnn(top: { n: number; k: number; keys: Float64Array; ids: Int32Array }, metric: KnnMetric): KnnResult {
  const distances = new Float32Array(top.keys.length);
  for (let t = 0; t < distances.length; t++) {
    const v = top.keys[t];
    distances[t] = metric === 'euclidean' ? Math.sqrt(Math.max(0, v)) : v;
  }
  return { n: top.n, k: top.k, indices: top.ids, distances, metric };
}
