/**
 * Clustering speed on synthetic clustered data: exact and approximate cosine kNN on
 * 384-d gaussian blobs, UMAP (umap-js on our kNN graph) and HDBSCAN on 5-d blobs, at 10k
 * and 100k points, with scikit-learn (NearestNeighbors brute force, HDBSCAN) measured in
 * the same run when Python with scikit-learn is present (single-threaded BLAS).
 * The 100k UMAP row runs only with EMBEDLAB_BENCH_FULL=1 (it takes minutes in umap-js).
 */
import type { BenchRow, BenchSection } from './types';
import { fmtRatio, fmtSeconds, timeIt } from './types';
import { sklearnSeconds } from './sklearn-baseline';
import { exactKnn } from '../src/engine/cluster/knn';
import { ivfKnn } from '../src/engine/cluster/ivf';
import { umapLayout } from '../src/engine/cluster/umap';
import { hdbscan } from '../src/engine/cluster/hdbscan';
import { createRng, gaussian } from '../src/engine/util/random';
import type { Matrix } from '../src/engine/util/matrix';

/** n points around `centers` gaussian centres in d dimensions. */
export function gaussianBlobs(n: number, d: number, centers: number, seed: number, spread = 1): Matrix {
  const rng = createRng(seed);
  const c = Float32Array.from({ length: centers * d }, () => gaussian(rng) * 4);
  const data = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const k = Math.floor(rng() * centers);
    for (let j = 0; j < d; j++) data[i * d + j] = c[k * d + j] + gaussian(rng) * spread;
  }
  return { rows: n, cols: d, data };
}

function row(task: string, ours: number, base: number | undefined, note?: string): BenchRow {
  return {
    task,
    ours: fmtSeconds(ours),
    baseline: base === undefined ? '' : `${fmtSeconds(base)} (scikit-learn)`,
    ratio: base === undefined ? '' : fmtRatio(base / ours),
    note,
  };
}

export const clusterBench: BenchSection = {
  name: 'cluster',
  async run() {
    const rows: BenchRow[] = [];
    const full = process.env.EMBEDLAB_BENCH_FULL === '1';
    const k = 15;
    // kNN, 384-d.
    const x10 = gaussianBlobs(10_000, 384, 20, 1);
    const exact10 = await timeIt(() => exactKnn(x10, k));
    const skKnn = (xm: Matrix): number | undefined =>
      sklearnSeconds(xm, `from sklearn.neighbors import NearestNeighbors\nt=time.perf_counter()\nNearestNeighbors(n_neighbors=${k + 1}, metric='cosine', algorithm='brute').fit(x).kneighbors(x)\nprint(time.perf_counter()-t)`);
    rows.push(row('exact cosine kNN (k=15), 10k × 384', exact10.seconds, skKnn(x10)));
    const approx10 = await timeIt(() => ivfKnn(x10, k, { seed: 1 }));
    let hit = 0;
    for (let t = 0; t < x10.rows * k; t++) {
      const i = Math.floor(t / k);
      const truth = exact10.value.indices.subarray(i * k, (i + 1) * k);
      if (truth.includes(approx10.value.indices[t])) hit++;
    }
    rows.push(row('approximate (IVF) kNN, 10k × 384', approx10.seconds, undefined, `recall@15 ${(hit / (x10.rows * k)).toFixed(3)}`));
    const x100 = gaussianBlobs(100_000, 384, 50, 2);
    const approx100 = await timeIt(() => ivfKnn(x100, k, { seed: 1 }));
    rows.push(row('approximate (IVF) kNN, 100k × 384', approx100.seconds, full ? skKnn(x100) : undefined, 'baseline: exact brute force, with EMBEDLAB_BENCH_FULL=1'));
    // UMAP on the kNN graph.
    const u10 = await timeIt(() => umapLayout(exact10.value, { nComponents: 2, seed: 1, nEpochs: 200 }));
    rows.push(row('UMAP 2-d (umap-js, 200 epochs, precomputed kNN), 10k', u10.seconds, undefined));
    if (full) {
      const u100 = await timeIt(() => umapLayout(approx100.value, { nComponents: 2, seed: 1, nEpochs: 200 }));
      rows.push(row('UMAP 2-d (umap-js, 200 epochs, precomputed kNN), 100k', u100.seconds, undefined));
    }
    // HDBSCAN on 5-d blobs.
    for (const n of [10_000, 100_000]) {
      const x = gaussianBlobs(n, 5, 12, 3 + n, 1);
      const ours = await timeIt(() => hdbscan(x, { minClusterSize: 50, minSamples: 10 }));
      const base = sklearnSeconds(x, `from sklearn.cluster import HDBSCAN\nt=time.perf_counter()\nHDBSCAN(min_cluster_size=50, min_samples=10).fit(x.astype(np.float64))\nprint(time.perf_counter()-t)`);
      const nClusters = new Set(ours.value.labels).size - (ours.value.labels.includes(-1) ? 1 : 0);
      rows.push(row(`HDBSCAN (mcs 50, ms 10), ${n / 1000}k × 5`, ours.seconds, base, `${nClusters} clusters, ${n <= 12_000 ? 'Prim' : 'Borůvka k-d tree'} MST`));
    }
    return rows;
  },
};
