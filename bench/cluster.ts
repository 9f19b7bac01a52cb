/**
 * Clustering speed at 10k and 100k points:
 *  - cosine kNN (k = 15) on 384-d rows: exact (blocked products) at 10k against scikit-learn's
 *    brute-force NearestNeighbors; the approximate graph (NN-descent from RP-tree leaves, the
 *    pipeline's path above 2k rows) at 10k and 100k on two sets, with its recall against brute force
 *    (at 100k on sampled rows);
 *  - UMAP 5-d (umap-js on our kNN graph, 200 epochs, the clustering pipeline's setting; at 100k the
 *    200-epoch time is projected from 40 timed epochs unless EMBEDLAB_BENCH_FULL=1);
 *  - HDBSCAN (min cluster size 50, min samples 10) on 5-d blobs, against scikit-learn's HDBSCAN.
 * The 384-d rows are synthetic embeddings: gaussian clusters in a 24-d latent space mapped linearly
 * into 384-d, plus a little isotropic noise (sentence embeddings have a low intrinsic dimension);
 * the second set is issue 14's hard one, 12 clusters in a 20-d subspace (`subspaceBlobs`).
 * scikit-learn runs with one BLAS thread, like our JavaScript. EMBEDLAB_BENCH_FULL=1 adds the
 * scikit-learn brute-force kNN at 100k and the full UMAP run at 100k (minutes each).
 */
import type { BenchRow, BenchSection } from './types';
import { fmtRatio, fmtSeconds, timeIt } from './types';
import { sklearnLabel, sklearnOnMatrix, sklearnSeconds } from './sklearn-baseline';
import { ari } from '../src/engine/metrics';
import { exactKnn, normalizedCopy, type KnnResult } from '../src/engine/cluster/knn';
import { nnDescentKnn } from '../src/engine/cluster/nn-descent';
import { rowDots } from '../src/engine/cluster/dots';
import { umapLayout } from '../src/engine/cluster/umap';
import { hdbscan } from '../src/engine/cluster/hdbscan';
import { createRng, gaussian } from '../src/engine/util/random';
import type { Matrix } from '../src/engine/util/matrix';
import { knnRecall as recall, subspaceBlobs } from './synthetic-sets';

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

/**
 * Synthetic embeddings: n points of `centers` unit gaussian clusters (centres spread 2) in a
 * `latent`-d space, mapped into d dimensions by a fixed random linear map, plus noise 0.05.
 */
export function latentBlobs(n: number, d: number, latent: number, centers: number, seed: number): Matrix {
  const rng = createRng(seed);
  const map = Float32Array.from({ length: latent * d }, () => gaussian(rng) / Math.sqrt(latent));
  const c = Float32Array.from({ length: centers * latent }, () => gaussian(rng) * 2);
  const data = new Float32Array(n * d);
  const z = new Float64Array(latent);
  for (let i = 0; i < n; i++) {
    const k = Math.floor(rng() * centers);
    for (let a = 0; a < latent; a++) z[a] = c[k * latent + a] + gaussian(rng);
    for (let j = 0; j < d; j++) {
      let s = 0.05 * gaussian(rng);
      for (let a = 0; a < latent; a++) s += z[a] * map[a * d + j];
      data[i * d + j] = s;
    }
  }
  return { rows: n, cols: d, data };
}

/** Share of the graph's neighbours that are true (cosine) neighbours, on `samples` rows checked by brute force. */
export function sampledRecall(x: Matrix, graph: KnnResult, samples: number, seed: number): number {
  const { rows: n, cols: d } = x;
  const { k } = graph;
  const data = normalizedCopy(x);
  const dots = new Float64Array(n);
  const rng = createRng(seed);
  let hit = 0;
  for (let s = 0; s < samples; s++) {
    const i = Math.floor(rng() * n);
    rowDots(data, i * d, data, 0, n, d, dots, 0);
    dots[i] = -Infinity;
    const best: number[] = [];
    for (let j = 0; j < n; j++) {
      if (best.length === k && dots[j] <= dots[best[k - 1]]) continue;
      let p = best.length;
      while (p > 0 && dots[best[p - 1]] < dots[j]) p--;
      best.splice(p, 0, j);
      if (best.length > k) best.pop();
    }
    const truth = new Set(best);
    for (let t = 0; t < k; t++) if (truth.has(graph.indices[i * k + t])) hit++;
  }
  return hit / (samples * k);
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

const K = 15;

/** The pipeline's approximate graph, timed in wall-clock and CPU seconds (the machine may be shared). */
async function timedKnn(x: Matrix): Promise<{ seconds: number; cpu: number; value: KnnResult }> {
  const cpu0 = process.cpuUsage();
  const { seconds, value } = await timeIt(() => nnDescentKnn(x, K, { seed: 1 }));
  const cpu = process.cpuUsage(cpu0);
  return { seconds, cpu: (cpu.user + cpu.system) / 1e6, value };
}

/**
 * UMAP at 100k: with EMBEDLAB_BENCH_FULL=1 all 200 epochs; otherwise (to keep `npm run bench` near
 * ten minutes) the set-up and epochs 10–50 are timed, and the 200-epoch time is projected from them
 * (umap-js's sampling schedule makes every epoch cost about the same).
 */
async function umap100k(graph: KnnResult, full: boolean): Promise<BenchRow> {
  const task = 'UMAP 5-d (umap-js, 200 epochs, on our kNN graph), 100k';
  const t0 = performance.now();
  if (full) {
    await umapLayout(graph, { nComponents: 5, seed: 1, nEpochs: 200, minDist: 0 });
    return row(task, (performance.now() - t0) / 1000, undefined, 'all 200 epochs');
  }
  const marks = new Map<number, number>();
  const controller = new AbortController();
  const done = umapLayout(graph, {
    nComponents: 5,
    seed: 1,
    nEpochs: 200,
    minDist: 0,
    signal: controller.signal,
    onProgress: (p) => {
      marks.set(p.done, performance.now());
      if (p.done >= 50) controller.abort();
    },
  });
  await done.catch((e: Error) => {
    if (e.name !== 'CancelledError') throw e;
  });
  const perEpoch = (marks.get(50)! - marks.get(10)!) / 1000 / 40;
  const setup = (marks.get(10)! - t0) / 1000 - 10 * perEpoch;
  return {
    task,
    ours: `≈ ${fmtSeconds(setup + 200 * perEpoch)} (projected)`,
    baseline: '',
    ratio: '',
    note: `set-up ${fmtSeconds(setup)} + 200 × ${(perEpoch * 1000).toFixed(0)} ms per epoch (epochs 10–50 timed; EMBEDLAB_BENCH_FULL=1 runs all 200)`,
  };
}

function sklearnKnn(x: Matrix): number | undefined {
  return sklearnSeconds(
    x,
    `from sklearn.neighbors import NearestNeighbors\nt=time.perf_counter()\nNearestNeighbors(n_neighbors=${K + 1}, metric='cosine', algorithm='brute').fit(x).kneighbors(x)\nprint(time.perf_counter()-t)`,
  );
}

export const clusterBench: BenchSection = {
  name: 'cluster',
  async run() {
    const rows: BenchRow[] = [];
    const full = process.env.EMBEDLAB_BENCH_FULL === '1';
    const progress = (what: string) => process.stderr.write(`bench: cluster: ${what}\n`);

    // Two sets of 384-d rows: the synthetic embeddings (24-d latent clusters), and issue 14's hard set
    // (12 gaussian clusters in a 20-d subspace, where an IVF graph reached only 0.67 at 100k).
    const sets = [
      { name: 'latent 24-d clusters', make: (n: number) => (n >= 100_000 ? latentBlobs(n, 384, 24, 50, 2) : latentBlobs(n, 384, 24, 5, 1)) },
      { name: '12 clusters in a 20-d subspace', make: (n: number) => subspaceBlobs(n, 384, 20, 12, 1) },
    ];
    let exact10: KnnResult | undefined;
    let approx100: KnnResult | undefined;
    for (const [s, set] of sets.entries()) {
      progress(`kNN 10k, ${set.name}`);
      const x10 = set.make(10_000);
      if (s === 0) {
        const exact = await timeIt(() => exactKnn(x10, K));
        exact10 = exact.value;
        rows.push(row('exact cosine kNN (k=15), 10k × 384', exact.seconds, sklearnKnn(x10), `blocked products; baseline: NearestNeighbors(brute), ${sklearnLabel()}`));
      }
      const approx10 = await timedKnn(x10);
      const recall10 = s === 0 ? recall(exact10!, approx10.value) : sampledRecall(x10, approx10.value, 1000, 7);
      rows.push(
        row(
          `approximate cosine kNN (NN-descent, k=15), 10k × 384, ${set.name}`,
          approx10.seconds,
          undefined,
          `recall@15 ${recall10.toFixed(3)} against ${s === 0 ? 'the exact graph' : 'brute force on 1000 rows'}; ${approx10.cpu.toFixed(2)} s CPU`,
        ),
      );
      progress(`kNN 100k, ${set.name}`);
      const x100 = set.make(100_000);
      const approx = await timedKnn(x100);
      if (s === 0) approx100 = approx.value;
      rows.push(
        row(
          `approximate cosine kNN (NN-descent, k=15), 100k × 384, ${set.name}`,
          approx.seconds,
          full ? sklearnKnn(x100) : undefined,
          `recall@15 ${sampledRecall(x100, approx.value, 300, 7).toFixed(3)} on 300 rows checked by brute force; ${approx.cpu.toFixed(2)} s CPU${full ? '' : ' (scikit-learn brute force with EMBEDLAB_BENCH_FULL=1)'}`,
        ),
      );
    }

    progress('UMAP 10k');
    const u10 = await timeIt(() => umapLayout(exact10!, { nComponents: 5, seed: 1, nEpochs: 200, minDist: 0 }));
    rows.push(row('UMAP 5-d (umap-js, 200 epochs, on our kNN graph), 10k', u10.seconds, undefined, 'the clustering pipeline’s setting'));
    progress('UMAP 100k');
    rows.push(await umap100k(approx100!, full));

    for (const n of [10_000, 100_000]) {
      progress(`HDBSCAN ${n / 1000}k`);
      const x = gaussianBlobs(n, 5, 12, 3 + n, 1);
      const ours = await timeIt(() => hdbscan(x, { minClusterSize: 50, minSamples: 10 }));
      const base = sklearnOnMatrix<{ seconds: number; labels: number[] }>(
        x,
        `from sklearn.cluster import HDBSCAN\nt=time.perf_counter()\nl=HDBSCAN(min_cluster_size=50, min_samples=10).fit(x.astype(np.float64)).labels_\nprint(json.dumps({"seconds": time.perf_counter()-t, "labels": l.tolist()}))`,
      );
      const count = (labels: ArrayLike<number>) => new Set(Array.from(labels).filter((l) => l >= 0)).size;
      const agreement = base ? `; scikit-learn finds ${count(base.labels)}, ARI ${ari(Array.from(ours.value.labels), base.labels).toFixed(4)} between the two` : '';
      rows.push(row(`HDBSCAN (min cluster size 50, min samples 10), ${n / 1000}k × 5`, ours.seconds, base?.seconds, `${count(ours.value.labels)} clusters (12 generated, some overlap)${agreement}`));
    }
    return rows;
  },
};
