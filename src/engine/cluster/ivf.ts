import type { Matrix } from '../util/matrix';
import { checkpoint, type JobOptions } from '../util/job';
import { createRng, sampleIndices } from '../util/random';
import { kmeans } from './kmeans';
import { normalizedCopy, TopKRows } from './knn';
import { blockDots, rowDots } from './dots';

/**
 * An inverted-file (IVF) index for cosine similarity: k-means cells over normalised
 * vectors, each cell's vectors stored contiguously. A query scans only the `nProbe` cells
 * whose centroids are closest, which trades a little recall for a large speed-up.
 */
export interface IvfIndex {
  n: number;
  dim: number;
  nList: number;
  centroids: Float32Array;
  /** Cell c holds rows order[offsets[c]..offsets[c+1]); `vectors` is in that order. */
  offsets: Int32Array;
  order: Int32Array;
  vectors: Float32Array;
}

export interface IvfBuildOptions extends JobOptions {
  nList?: number;
  seed?: number;
  /** Points used to train the centroids (default 32 per cell, at most n). */
  trainSize?: number;
}

/** Rows per block when assigning rows to cells. */
const ASSIGN_BLOCK = 128;

/** Builds an IVF index over the rows of x (normalised internally). */
export async function buildIvfIndex(x: Matrix, options: IvfBuildOptions = {}): Promise<IvfIndex> {
  const { rows: n, cols: d } = x;
  const data = normalizedCopy(x);
  const nList = Math.max(1, Math.min(n, options.nList ?? Math.round(Math.sqrt(n))));
  const rng = createRng(options.seed ?? 42);
  const trainSize = Math.min(n, options.trainSize ?? nList * 32);
  const sample = sampleIndices(n, trainSize, rng);
  const train = new Float32Array(sample.length * d);
  sample.forEach((r, t) => train.set(data.subarray(r * d, (r + 1) * d), t * d));
  const km = await kmeans({ rows: sample.length, cols: d, data: train }, {
    k: nList,
    seed: options.seed ?? 42,
    nInit: 1,
    maxIter: 10,
    signal: options.signal,
  });
  const centroids = normalizedCopy(km.centroids);
  const cell = new Int32Array(n);
  const dots = new Float64Array(ASSIGN_BLOCK * nList);
  for (let i0 = 0; i0 < n; i0 += ASSIGN_BLOCK) {
    const i1 = Math.min(n, i0 + ASSIGN_BLOCK);
    blockDots(data, i0, i1, centroids, 0, nList, d, dots, nList);
    for (let i = i0; i < i1; i++) {
      const r = (i - i0) * nList;
      let bestC = 0;
      for (let c = 1; c < nList; c++) if (dots[r + c] > dots[r + bestC]) bestC = c;
      cell[i] = bestC;
    }
    if (i0 % (ASSIGN_BLOCK * 16) === 0) {
      options.onProgress?.({ stage: 'ivf', done: i1, total: n });
      await checkpoint(options.signal);
    }
  }
  const offsets = new Int32Array(nList + 1);
  for (let i = 0; i < n; i++) offsets[cell[i] + 1]++;
  for (let c = 0; c < nList; c++) offsets[c + 1] += offsets[c];
  const fill = offsets.slice(0, nList);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[fill[cell[i]]++] = i;
  const vectors = new Float32Array(n * d);
  for (let p = 0; p < n; p++) vectors.set(data.subarray(order[p] * d, (order[p] + 1) * d), p * d);
  return { n, dim: d, nList, centroids, offsets, order, vectors };
}

/** Default number of cells to probe: enough for recall@10 ≳ 0.9 on clustered data. */
export function defaultProbes(index: IvfIndex): number {
  return Math.min(index.nList, Math.max(8, Math.ceil(index.nList / 10)));
}

/** The cells to probe for a (normalised) query, best first. */
function probeCells(index: IvfIndex, q: Float32Array, nProbe: number): Int32Array {
  const { nList, dim: d, centroids } = index;
  const scores = new Float64Array(nList);
  for (let c = 0; c < nList; c++) {
    let s = 0;
    for (let t = 0, co = c * d; t < d; t++) s += q[t] * centroids[co + t];
    scores[c] = s;
  }
  const cells = Array.from({ length: nList }, (_, c) => c).sort((a, b) => scores[b] - scores[a] || a - b);
  return Int32Array.from(cells.slice(0, nProbe));
}

/**
 * The k most similar rows to a normalised query: ids and cosine similarities, best first.
 * `exclude` skips one row id (the query's own row).
 */
export function searchIvf(
  index: IvfIndex,
  q: Float32Array,
  k: number,
  nProbe = defaultProbes(index),
  exclude = -1,
): { ids: Int32Array; scores: Float32Array } {
  const top = new TopKRows(1, k);
  const d = index.dim;
  const { vectors, offsets, order } = index;
  let dots = new Float64Array(256);
  for (const c of probeCells(index, q, nProbe)) {
    const size = offsets[c + 1] - offsets[c];
    if (dots.length < size) dots = new Float64Array(size);
    rowDots(q, 0, vectors, offsets[c], offsets[c + 1], d, dots, 0);
    for (let t = 0; t < size; t++) {
      const id = order[offsets[c] + t];
      if (id !== exclude) top.push(0, 1 - dots[t], id);
    }
  }
  const scores = new Float32Array(k);
  for (let t = 0; t < k; t++) scores[t] = 1 - top.keys[t];
  return { ids: top.ids, scores };
}
