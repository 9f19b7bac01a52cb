import { findABParams } from 'umap-js/dist/umap';
import { fuzzySimplicialSet, type FuzzyGraph } from './fuzzy-graph';
import { spectralInit } from './umap-init';
import { optimizeLayout } from './umap-optimize';
import type { Matrix } from '../util/matrix';
import { throwIfCancelled, type JobOptions } from '../util/job';
import type { KnnResult } from './knn';

export interface UmapOptions extends JobOptions {
  nComponents: number;
  seed: number;
  /** Epochs (default: umap-learn's choice, 500 below 10k points and 200 from there). */
  nEpochs?: number;
  minDist?: number;
  spread?: number;
  /** The fuzzy graph of `knn`, when the caller already built it (several layouts of one graph). */
  graph?: FuzzyGraph;
  /**
   * The start layout, n × m with m ≥ nComponents (its first nComponents columns are used), e.g. a
   * spectral start computed once for a 5-d and a 2-d layout; default: the spectral start of the graph.
   */
  init?: Matrix;
  /** Threads for the SGD (default: up to 4 cores from 5,000 points); the layout is the same for any count. */
  threads?: number;
}

/** umap-learn's default epoch count. */
export function defaultEpochs(n: number): number {
  return n < 10_000 ? 500 : 200;
}

/**
 * A UMAP layout from a precomputed kNN graph: the fuzzy simplicial set of the graph (fuzzy-graph.ts),
 * a spectral start (umap-init.ts), then umap-learn's SGD (umap-sgd.ts, on several threads: umap-optimize.ts), with umap-js's a/b curve fit.
 * It never sees the vectors. Seeded: one seed, one layout. Progress per 5 epochs; when the signal
 * aborts, this rejects with CancelledError. test/unit/cluster/umap.test.ts checks its layouts against
 * umap-learn's on the same graph by trustworthiness.
 */
export async function umapLayout(knn: KnnResult, options: UmapOptions): Promise<Matrix> {
  const { n } = knn;
  const dim = options.nComponents;
  throwIfCancelled(options.signal);
  const graph = options.graph ?? fuzzySimplicialSet(knn);
  if (graph.n !== n) throw new Error(`UMAP: the graph has ${graph.n} points but the kNN graph ${n}`);
  const data = new Float32Array(n * dim);
  const init = options.init;
  if (init) {
    if (init.rows !== n || init.cols < dim) throw new Error(`UMAP: the start layout is ${init.rows}×${init.cols}, need ${n}×${dim} or wider`);
    for (let i = 0; i < n; i++) for (let d = 0; d < dim; d++) data[i * dim + d] = init.data[i * init.cols + d];
  } else data.set(spectralInit(graph, dim, { seed: options.seed }));
  throwIfCancelled(options.signal);
  const { a, b } = findABParams(options.spread ?? 1, options.minDist ?? 0.1);
  await optimizeLayout(graph, data, dim, {
    nEpochs: options.nEpochs ?? defaultEpochs(n),
    a,
    b,
    seed: options.seed,
    threads: options.threads,
    stage: `umap-${dim}d`,
    signal: options.signal,
    onProgress: options.onProgress,
  });
  return { rows: n, cols: dim, data };
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
