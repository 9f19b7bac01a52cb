/**
 * Times each stage of the map pipeline on the bench's hard set (bench/cluster.ts mapRows), one by one:
 * kNN, fuzzy graph, spectral start, UMAP 5-d SGD, HDBSCAN, UMAP 2-d SGD. For profiling
 * (`node --cpu-prof --import tsx bench/profile-map.ts [n] [stages]`); not part of `npm run bench`.
 * EMBEDLAB_PROFILE_KNN=<file> caches the kNN graph between runs (stages without `knn` then read it);
 * EMBEDLAB_PROFILE_EPOCHS and EMBEDLAB_PROFILE_THREADS set the UMAP epochs (200) and threads (default).
 * Stages: knn, u5, hdb, u2 (comma-separated; default all).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { subspaceBlobs } from './synthetic-sets';
import { nnDescentKnn } from '../src/engine/cluster/nn-descent';
import { fuzzySimplicialSet } from '../src/engine/cluster/fuzzy-graph';
import { spectralInit } from '../src/engine/cluster/umap-init';
import { umapLayout } from '../src/engine/cluster/umap';
import { hdbscan } from '../src/engine/cluster/hdbscan';
import type { KnnResult } from '../src/engine/cluster/knn';

const n = Number(process.argv[2] ?? 100_000);
const only = process.argv[3]?.split(',');
const want = (s: string) => !only || only.includes(s);
const cache = process.env.EMBEDLAB_PROFILE_KNN;
const epochs = Number(process.env.EMBEDLAB_PROFILE_EPOCHS ?? 200);
const threads = process.env.EMBEDLAB_PROFILE_THREADS ? Number(process.env.EMBEDLAB_PROFILE_THREADS) : undefined;

async function timed<T>(name: string, f: () => T | Promise<T>): Promise<T> {
  const t = performance.now();
  const c = process.cpuUsage();
  const v = await f();
  const u = process.cpuUsage(c);
  console.log(`${name}: ${((performance.now() - t) / 1000).toFixed(2)} s wall, ${((u.user + u.system) / 1e6).toFixed(2)} s CPU`);
  return v;
}

async function main(): Promise<void> {
  const x = subspaceBlobs(n, 384, 20, 12, 1, 0.1);
  let knn: KnnResult;
  if (cache && existsSync(cache) && !want('knn')) {
    const j = JSON.parse(readFileSync(cache, 'utf8')) as { n: number; k: number; indices: number[]; distances: number[] };
    knn = { n: j.n, k: j.k, indices: Int32Array.from(j.indices), distances: Float32Array.from(j.distances) } as KnnResult;
  } else {
    knn = await timed('knn', () => nnDescentKnn(x, 15, { seed: 1 }));
    if (cache) writeFileSync(cache, JSON.stringify({ n: knn.n, k: knn.k, indices: Array.from(knn.indices), distances: Array.from(knn.distances) }));
  }
  const graph = await timed('fuzzy graph', () => fuzzySimplicialSet(knn));
  const init = await timed('spectral 5', () => spectralInit(graph, 5, { seed: 1 }));
  const start = { rows: n, cols: 5, data: init };
  let l5: Float32Array | undefined;
  if (want('u5')) l5 = (await timed('umap 5-d', () => umapLayout(knn, { nComponents: 5, seed: 1, nEpochs: epochs, threads, minDist: 0, graph, init: start }))).data;
  if (want('hdb') && l5) await timed('hdbscan', () => hdbscan({ rows: n, cols: 5, data: l5! }, { minClusterSize: Math.max(10, Math.round(n / 100)), minSamples: 10 }));
  if (want('u2')) await timed('umap 2-d', () => umapLayout(knn, { nComponents: 2, seed: 1, nEpochs: epochs, threads, minDist: 0.1, graph, init: start }));
}

void main();
