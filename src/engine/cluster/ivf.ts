import type { Matrix } from '../util/matrix';
import { checkpoint, type JobOptions } from '../util/job';
import { createRng, sampleIndices } from '../util/random';
import { kmeans } from './kmeans';
import { finishKnn, normalizedCopy, TopKRows, type KnnResult } from './knn';
import { blockDots, gatherDots, rowDots } from './dots';
import { principalSubspace, projectRows } from './subspace';
import { NeighbourRows, refineKnn } from './knn-refine';

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

export interface IvfKnnOptions extends IvfBuildOptions {
  /** Cells (k-means, default √n) that group the rows. */
  nList?: number;
  /** Cells each cell's rows are compared with: itself and the nearest others (default 4). */
  cellProbes?: number;
  /**
   * Dimensions of the principal subspace the cells and the first candidates are computed in
   * (default 48 when the rows have more than 96; 0 works in the full space).
   */
  projectDims?: number;
  /** Neighbour-of-neighbour refinement rounds at most (default 2; 0 keeps the first graph). */
  refineRounds?: number;
}

/**
 * An approximate cosine kNN graph (self excluded), in three steps:
 *  1. rows are projected on their leading principal subspace (48-d), grouped into k-means cells
 *     there, and each cell's rows are compared with the rows of its `cellProbes` nearest cells by
 *     blocked dot products, keeping 2k candidates per row;
 *  2. the candidates are re-ranked by their exact cosine, keeping k;
 *  3. the graph is refined with neighbours of neighbours in the full space (knn-refine.ts).
 * At 100k × 384 this takes seconds where the exact graph takes a quarter of an hour;
 * bench/cluster.ts measures time and recall against the exact graph.
 */
export async function ivfKnn(x: Matrix, k: number, options: IvfKnnOptions = {}): Promise<KnnResult> {
  const { rows: n, cols: d } = x;
  if (!Number.isInteger(k) || k < 1) throw new Error(`kNN: k must be a positive integer, got ${k}`);
  if (k >= n) throw new Error(`kNN: need more than k=${k} points, got ${n}`);
  const data = normalizedCopy(x);
  const m = Math.min(d, options.projectDims ?? (d > 96 ? 48 : 0));
  const coarse: Matrix = m > 0 && m < d ? { rows: n, cols: m, data: projectRows(data, n, d, principalSubspace(data, n, d, m, { seed: options.seed }), m) } : x;
  const nList = options.nList ?? Math.max(1, Math.round(Math.sqrt(n)));
  const index = await buildIvfIndex(coarse, { ...options, nList });
  const pool = Math.min(n - 1, coarse === x ? k : 2 * k);
  const first = await cellScan(index, pool, Math.min(index.nList, options.cellProbes ?? 4), options);

  // Exact cosines of the candidates, in the caller's row ids.
  const graph = new NeighbourRows(n, k);
  const ids = new Int32Array(pool);
  const dots = new Float64Array(Math.max(pool, n));
  for (let p = 0; p < n; p++) {
    let count = 0;
    for (let t = 0; t < pool; t++) {
      const j = first.ids[p * pool + t];
      if (j >= 0) ids[count++] = index.order[j];
    }
    const i = index.order[p];
    gatherDots(data, i * d, data, ids, count, d, dots);
    for (let t = 0; t < count; t++) graph.push(i, 1 - dots[t], ids[t]);
  }
  if ((options.refineRounds ?? 2) > 0) await refineKnn(graph, data, d, { maxRounds: options.refineRounds ?? 2, signal: options.signal, onProgress: options.onProgress });
  // Rows still short of k entries (a tiny cell far from the others): scan every row for them.
  for (let i = 0; i < n; i++) {
    if (graph.ids[i * k + k - 1] >= 0) continue;
    rowDots(data, i * d, data, 0, n, d, dots, 0);
    for (let j = 0; j < n; j++) if (j !== i) graph.push(i, 1 - dots[j], j);
  }
  return finishKnn(graph, 'cosine');
}

/**
 * The first candidates, in index positions: each cell's rows against the rows of the `probes`
 * cells nearest to it (itself included), by blocked dot products of the index's vectors.
 */
async function cellScan(index: IvfIndex, pool: number, probes: number, options: JobOptions): Promise<NeighbourRows> {
  const { n, dim: d, offsets, vectors } = index;
  const rows = new NeighbourRows(n, pool);
  const near = nearestCells(index, probes);
  const B = 128;
  const dots = new Float64Array(B * B);
  let last = performance.now();
  for (let c = 0; c < index.nList; c++) {
    for (let q0 = offsets[c]; q0 < offsets[c + 1]; q0 += B) {
      const q1 = Math.min(offsets[c + 1], q0 + B);
      for (const p of near[c]) {
        for (let c0 = offsets[p]; c0 < offsets[p + 1]; c0 += B) {
          const c1 = Math.min(offsets[p + 1], c0 + B);
          blockDots(vectors, q0, q1, vectors, c0, c1, d, dots, B);
          for (let q = q0; q < q1; q++) {
            const r = (q - q0) * B - c0;
            for (let j = c0; j < c1; j++) if (j !== q) rows.push(q, 1 - dots[r + j], j);
          }
        }
      }
      if (performance.now() - last > 50) {
        options.onProgress?.({ stage: 'knn', done: q1, total: n });
        await checkpoint(options.signal);
        last = performance.now();
      }
    }
  }
  return rows;
}

/** For each cell, itself and the `probes − 1` cells whose centroids are most similar to its own. */
function nearestCells(index: IvfIndex, probes: number): Int32Array[] {
  const { nList, dim: d, centroids } = index;
  const sims = new Float64Array(nList * nList);
  blockDots(centroids, 0, nList, centroids, 0, nList, d, sims, nList);
  const out: Int32Array[] = [];
  for (let c = 0; c < nList; c++) {
    const others = Array.from({ length: nList }, (_, o) => o).filter((o) => o !== c);
    others.sort((a, b) => sims[c * nList + b] - sims[c * nList + a] || a - b);
    out.push(Int32Array.from([c, ...others.slice(0, probes - 1)]));
  }
  return out;
}
