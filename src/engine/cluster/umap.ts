import { UMAP } from 'umap-js';
import { SparseMatrix } from 'umap-js/dist/matrix';
import { fuzzyGraphEntries } from './fuzzy-graph';
import { typedLayoutStepper, type UmapOptimizationState } from './umap-sgd';
import type { Matrix } from '../util/matrix';
import { CancelledError, type JobOptions } from '../util/job';
import { createRng } from '../util/random';
import type { KnnResult } from './knn';

export interface UmapOptions extends JobOptions {
  nComponents: number;
  seed: number;
  /** Epochs (default: umap-js's choice, 500 below 10k points and 200 above). */
  nEpochs?: number;
  minDist?: number;
  spread?: number;
}

/**
 * A UMAP layout from a precomputed kNN graph (umap-js with `setPrecomputedKNN`, so it never
 * sees the vectors). The graph's first `k` neighbours are used, with the point itself
 * prepended as umap-js expects. Seeded; the epoch callback reports progress and stops
 * the fit when the signal is aborted (then this rejects with CancelledError).
 */
export async function umapLayout(knn: KnnResult, options: UmapOptions): Promise<Matrix> {
  const { n, k } = knn;
  const indices: number[][] = new Array(n);
  const distances: number[][] = new Array(n);
  for (let i = 0; i < n; i++) {
    const ids = [i];
    const ds = [0];
    for (let t = 0; t < k; t++) {
      ids.push(knn.indices[i * k + t]);
      ds.push(Math.max(0, knn.distances[i * k + t]));
    }
    indices[i] = ids;
    distances[i] = ds;
  }
  const random = createRng(options.seed);
  const umap = new UMAP({
    nComponents: options.nComponents,
    nNeighbors: k + 1,
    nEpochs: options.nEpochs,
    minDist: options.minDist ?? 0.1,
    spread: options.spread ?? 1,
    random,
  });
  umap.setPrecomputedKNN(indices, distances);
  useFastInternals(umap, indices, distances, k + 1, random);
  if (options.signal?.aborted) throw new CancelledError();
  // umap-js only needs the row count of X once the kNN graph is given.
  const placeholder: number[][] = Array.from({ length: n }, () => []);
  const total = umap.initializeFit(placeholder);
  let cancelled = false;
  const embedding = await umap.fitAsync(placeholder, (epoch) => {
    if (options.signal?.aborted) {
      cancelled = true;
      return false;
    }
    if (epoch % 10 === 0 || epoch === total) options.onProgress?.({ stage: `umap-${options.nComponents}d`, done: epoch, total });
    return true;
  });
  if (cancelled || options.signal?.aborted) throw new CancelledError();
  const d = options.nComponents;
  const out = new Float32Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) out[i * d + j] = embedding[i][j];
  return { rows: n, cols: d, data: out };
}

/** The first k neighbours of each row of a kNN graph with at least k columns. */
export function truncateKnn(knn: KnnResult, k: number): KnnResult {
  if (k >= knn.k) return knn;
  const indices = new Int32Array(knn.n * k);
  const distances = new Float32Array(knn.n * k);
  for (let i = 0; i < knn.n; i++) {
    indices.set(knn.indices.subarray(i * knn.k, i * knn.k + k), i * k);
    distances.set(knn.distances.subarray(i * knn.k, i * knn.k + k), i * k);
  }
  return { ...knn, k, indices, distances };
}

/** The umap-js 1.4 internals we replace (private in its typings). */
interface UmapInternals {
  fuzzySimplicialSet: () => SparseMatrix;
  makeSearchGraph: () => SparseMatrix;
  optimizeLayoutStep: (n: number) => number[][];
  optimizationState: UmapOptimizationState;
}

/**
 * Swaps three umap-js methods for equivalent, faster code (the result is umap-js's own bit for bit;
 * test/unit/cluster/umap.test.ts compares them), which makes 100k points minutes faster:
 *  - the fuzzy graph, built with arrays (fuzzy-graph.ts) instead of string-keyed sparse matrices;
 *  - the search graph, which only `transform()` uses and we never call, is left empty;
 *  - the SGD epoch, run on flat typed arrays (umap-sgd.ts) instead of one array per point.
 * Initialisation, the a/b curve fit, the sampling schedule and the random draws stay umap-js's.
 */
export function useFastInternals(umap: UMAP, indices: number[][], distances: number[][], nNeighbors: number, random: () => number): void {
  const n = indices.length;
  const internals = umap as unknown as UmapInternals;
  // Another umap-js release may rename them: then umap-js runs as it is, slowly but correctly.
  if (
    typeof internals.fuzzySimplicialSet !== 'function' ||
    typeof internals.makeSearchGraph !== 'function' ||
    typeof internals.optimizeLayoutStep !== 'function' ||
    typeof internals.optimizationState !== 'object'
  )
    return;
  internals.fuzzySimplicialSet = () => {
    const e = fuzzyGraphEntries(indices, distances, nNeighbors);
    return new SparseMatrix(e.rows, e.cols, e.vals, [n, n]);
  };
  internals.makeSearchGraph = () => new SparseMatrix([], [], [], [n, n]);
  const step = typedLayoutStepper(random);
  internals.optimizeLayoutStep = (epoch) => step(internals.optimizationState, epoch);
}
