/**
 * The map pipeline's peers, run in the same bench run when the reference Python has them:
 * pynndescent (kNN), umap-learn (UMAP 5-d and 2-d, numba on every core) and scikit-learn's HDBSCAN,
 * chained as our pipeline chains kNN → UMAP 5-d → HDBSCAN → UMAP 2-d. The numba JIT is paid once
 * on a 5,000-point warm-up in the same process, outside the timing (our users re-cluster inside one
 * editor session), and reported on its own. Without them, the bench compares with the figures
 * measured in issue 14 and says so.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Matrix } from '../src/engine/util/matrix';
import { findSklearnPython } from './sklearn-baseline';

export interface MapStageSeconds {
  knn: number;
  umap5: number;
  hdbscan: number;
  umap2: number;
}

export interface PeerMapResult {
  stages: MapStageSeconds;
  labels: number[];
  /** The first call on the warm-up set: numba's JIT (or loading its cache) plus that small run. */
  warmupSeconds: number;
  importSeconds: number;
}

export interface MapPeer {
  label: string;
  run(x: Matrix, options: { minClusterSize: number; minSamples: number; epochs2d: number }): PeerMapResult;
}

/** Issue 14's figures (2-core machine, umap-learn on 2 threads, steady state), used when the peers are not installed. */
export const ISSUE_PEER_FIGURES: Record<number, Partial<MapStageSeconds> & { total: number }> = {
  10_000: { knn: 0.44, umap5: 3.7, hdbscan: 0.32, umap2: 3.8, total: 8.3 },
  100_000: { knn: 6.0, umap5: 46, hdbscan: 43, total: 180 },
};

const SCRIPT = `
import json, sys, time, warnings
warnings.filterwarnings('ignore')
t = time.perf_counter()
import numpy as np
import numba, pynndescent, umap
from sklearn.cluster import HDBSCAN
imports = time.perf_counter() - t
n, d, mcs, ms, epochs2d = (int(v) for v in sys.argv[2:7])
x = np.fromfile(sys.argv[1], dtype=np.float32).reshape(n, d)

def run(x, epochs2d):
    s = {}
    t = time.perf_counter()
    index = pynndescent.NNDescent(x, metric='cosine', n_neighbors=16, n_jobs=-1)
    idx, dist = index.neighbor_graph
    s['knn'] = time.perf_counter() - t
    t = time.perf_counter()
    e5 = umap.UMAP(n_neighbors=16, n_components=5, min_dist=0.0, n_epochs=200, metric='cosine', precomputed_knn=(idx, dist, index)).fit_transform(x)
    s['umap5'] = time.perf_counter() - t
    t = time.perf_counter()
    labels = HDBSCAN(min_cluster_size=mcs, min_samples=ms).fit(e5.astype(np.float64)).labels_
    s['hdbscan'] = time.perf_counter() - t
    t = time.perf_counter()
    umap.UMAP(n_neighbors=16, n_components=2, min_dist=0.1, n_epochs=epochs2d, metric='cosine', precomputed_knn=(idx, dist, index)).fit_transform(x)
    s['umap2'] = time.perf_counter() - t
    return s, labels

t = time.perf_counter()
run(x[:5000], 200)
warm = time.perf_counter() - t
s, labels = run(x, epochs2d)
print(json.dumps({"stages": s, "labels": labels.tolist(), "warmupSeconds": warm, "importSeconds": imports}))
`;

let cached: MapPeer | null | undefined;

/** The peers when the reference Python imports umap-learn, pynndescent and scikit-learn; else null. */
export function findMapPeer(): MapPeer | null {
  if (cached !== undefined) return cached;
  const py = findSklearnPython();
  if (!py) return (cached = null);
  const probe = spawnSync(py.path, ['-c', 'import umap, pynndescent, numba, importlib.metadata as m; print(m.version("umap-learn"), m.version("pynndescent"), numba.__version__)'], { encoding: 'utf8' });
  if (probe.status !== 0) return (cached = null);
  const [umapVersion, pynndescentVersion, numbaVersion] = probe.stdout.trim().split(/\s+/);
  const threads = availableParallelism();
  const label = `umap-learn ${umapVersion} + pynndescent ${pynndescentVersion} (numba ${numbaVersion}, ${threads} threads) + scikit-learn ${py.sklearn} HDBSCAN (${py.source})`;
  return (cached = {
    label,
    run(x, options) {
      const dir = mkdtempSync(path.join(tmpdir(), 'embedlab-bench-map-'));
      try {
        const file = path.join(dir, 'x.f32');
        writeFileSync(file, Buffer.from(x.data.buffer, x.data.byteOffset, x.data.byteLength));
        const args = [file, x.rows, x.cols, options.minClusterSize, options.minSamples, options.epochs2d].map(String);
        const r = spawnSync(py.path, ['-c', SCRIPT, ...args], {
          encoding: 'utf8',
          maxBuffer: 64 << 20,
          env: { ...process.env, NUMBA_NUM_THREADS: String(threads) },
        });
        if (r.status !== 0) throw new Error(`map peer failed: ${r.stderr.trim().split('\n').pop() ?? r.status}`);
        return JSON.parse(r.stdout.trim().split('\n').pop()!) as PeerMapResult;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  });
}
