import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exactKnn } from '../../../src/engine/cluster/knn';
import { umapLayout } from '../../../src/engine/cluster/umap';
import { createRng, gaussian } from '../../../src/engine/util/random';
import { CancelledError } from '../../../src/engine/util/job';
import { fuzzyGraphEntries } from '../../../src/engine/cluster/fuzzy-graph';
import { UMAP } from 'umap-js';
import { SparseMatrix } from 'umap-js/dist/matrix';

function twoBlobs(): { rows: number; cols: number; data: Float32Array } {
  const rng = createRng(5);
  const n = 50;
  const d = 8;
  const data = new Float32Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) data[i * d + j] = gaussian(rng) * 0.3 + (i < 25 ? (j === 0 ? 4 : 0) : j === 1 ? 4 : 0);
  return { rows: n, cols: d, data };
}

test('seeded UMAP on 50 points: same seed, same layout; the two groups separate', async () => {
  const knn = await exactKnn(twoBlobs(), 10, { metric: 'euclidean' });
  const a = await umapLayout(knn, { nComponents: 2, seed: 7, nEpochs: 100 });
  const b = await umapLayout(knn, { nComponents: 2, seed: 7, nEpochs: 100 });
  const c = await umapLayout(knn, { nComponents: 2, seed: 8, nEpochs: 100 });
  assert.equal(a.rows, 50);
  assert.equal(a.cols, 2);
  assert.deepEqual(a.data, b.data);
  assert.notDeepEqual(a.data, c.data);
  // Every point is nearer to its own group's centre than to the other's.
  const centre = (from: number): number[] => {
    const s = [0, 0];
    for (let i = from; i < from + 25; i++) for (let j = 0; j < 2; j++) s[j] += a.data[i * 2 + j] / 25;
    return s;
  };
  const [c0, c1] = [centre(0), centre(25)];
  for (let i = 0; i < 50; i++) {
    const p = [a.data[i * 2], a.data[i * 2 + 1]];
    const d0 = Math.hypot(p[0] - c0[0], p[1] - c0[1]);
    const d1 = Math.hypot(p[0] - c1[0], p[1] - c1[1]);
    assert.ok(i < 25 ? d0 < d1 : d1 < d0, `point ${i}`);
  }
});

test('UMAP stops and rejects with CancelledError when the signal aborts', async () => {
  const knn = await exactKnn(twoBlobs(), 10);
  const controller = new AbortController();
  await assert.rejects(
    umapLayout(knn, {
      nComponents: 2,
      seed: 1,
      nEpochs: 500,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.done >= 20) controller.abort();
      },
    }),
    CancelledError,
  );
});

/** umap-js's inputs from a kNN graph, as umapLayout builds them (the point itself first). */
function umapInputs(knn: Awaited<ReturnType<typeof exactKnn>>): { indices: number[][]; distances: number[][] } {
  const indices: number[][] = [];
  const distances: number[][] = [];
  for (let i = 0; i < knn.n; i++) {
    indices.push([i, ...knn.indices.subarray(i * knn.k, (i + 1) * knn.k)]);
    distances.push([0, ...Array.from(knn.distances.subarray(i * knn.k, (i + 1) * knn.k), (d) => Math.max(0, d))]);
  }
  return { indices, distances };
}

function blobs(n: number, d: number, seed: number) {
  const rng = createRng(seed);
  const data = Float32Array.from({ length: n * d }, (_, t) => gaussian(rng) + (Math.floor(t / d) % 3) * 2 * ((t % d) % 2));
  return { rows: n, cols: d, data };
}

test('our fuzzy graph has exactly the entries and weights of umap-js’s own fuzzySimplicialSet', async () => {
  const knn = await exactKnn(blobs(240, 6, 9), 12);
  const { indices, distances } = umapInputs(knn);
  const umap = new UMAP({ nNeighbors: 13, nComponents: 2, random: createRng(1) });
  umap.setPrecomputedKNN(indices, distances);
  const theirs = (umap as unknown as { fuzzySimplicialSet(x: number[][], k: number, mix: number): SparseMatrix })
    .fuzzySimplicialSet(indices.map(() => []), 13, 1.0)
    .getAll();
  const e = fuzzyGraphEntries(indices, distances, 13);
  const ours = new SparseMatrix(e.rows, e.cols, e.vals, [240, 240]).getAll();
  assert.equal(ours.length, theirs.length);
  ours.forEach((entry, t) => assert.deepEqual(entry, theirs[t], `entry ${t}`));
});

test('umapLayout with the fast graph gives umap-js’s own layout, bit for bit', async () => {
  const knn = await exactKnn(blobs(180, 6, 4), 10);
  const ours = await umapLayout(knn, { nComponents: 2, seed: 3, nEpochs: 60, minDist: 0.1 });
  const { indices, distances } = umapInputs(knn);
  const umap = new UMAP({ nComponents: 2, nNeighbors: 11, nEpochs: 60, minDist: 0.1, spread: 1, random: createRng(3) });
  umap.setPrecomputedKNN(indices, distances);
  const epochs = umap.initializeFit(indices.map(() => []));
  for (let e = 0; e < epochs; e++) umap.step();
  assert.deepEqual(Array.from(ours.data), umap.getEmbedding().flat().map((v) => Math.fround(v)));
});
