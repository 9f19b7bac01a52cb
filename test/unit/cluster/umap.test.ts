import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { exactKnn, type KnnResult } from '../../../src/engine/cluster/knn';
import { umapLayout } from '../../../src/engine/cluster/umap';
import { fuzzySimplicialSet } from '../../../src/engine/cluster/fuzzy-graph';
import { spectralInit } from '../../../src/engine/cluster/umap-init';
import { splitByEdges } from '../../../src/engine/cluster/umap-optimize';
import { trustworthiness } from '../../../src/engine/metrics';
import { createRng, gaussian } from '../../../src/engine/util/random';
import { CancelledError } from '../../../src/engine/util/job';
import type { Matrix } from '../../../src/engine/util/matrix';

function twoBlobs(): Matrix {
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

/** The stored reference: a kNN graph, umap-learn's fuzzy graph and layouts of it, scikit-learn's trustworthiness of them. */
interface UmapReference {
  n: number;
  dim: number;
  k: number;
  trustworthinessK: number;
  x: number[];
  indices: number[];
  distances: number[];
  graph: { rows: number[]; cols: number[]; vals: number[] };
  layouts: { dims: number; minDist: number; seed: number; trustworthiness: number; layout: number[] | null }[];
  pca2: { trustworthiness: number };
  noise2: { layout: number[]; trustworthiness: number };
}

const reference = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'cluster', 'umap-learn.json'), 'utf8')) as UmapReference;
const refX: Matrix = { rows: reference.n, cols: reference.dim, data: Float32Array.from(reference.x) };
const refKnn: KnnResult = { n: reference.n, k: reference.k, indices: Int32Array.from(reference.indices), distances: Float32Array.from(reference.distances), metric: 'euclidean' };

test('our fuzzy graph has the entries and weights of umap-learn’s fuzzy_simplicial_set on the same kNN graph', () => {
  const ours = fuzzySimplicialSet(refKnn);
  const theirs = new Map<number, number>();
  reference.graph.rows.forEach((r, t) => theirs.set(r * reference.n + reference.graph.cols[t], reference.graph.vals[t]));
  assert.equal(ours.head.length, theirs.size);
  for (let e = 0; e < ours.head.length; e++) {
    const want = theirs.get(ours.head[e] * reference.n + ours.tail[e]);
    assert.ok(want !== undefined, `entry (${ours.head[e]}, ${ours.tail[e]}) is not in umap-learn's graph`);
    assert.ok(Math.abs(ours.weight[e] - want) < 1e-5, `entry (${ours.head[e]}, ${ours.tail[e]}): ${ours.weight[e]} vs ${want}`);
  }
});

test('trustworthiness equals scikit-learn’s on umap-learn’s layout and on noise', () => {
  const k = reference.trustworthinessK;
  const first = reference.layouts.find((l) => l.layout)!;
  assert.ok(Math.abs(trustworthiness(refX, { rows: reference.n, cols: first.dims, data: Float32Array.from(first.layout!) }, k) - first.trustworthiness) < 1e-4);
  assert.ok(Math.abs(trustworthiness(refX, { rows: reference.n, cols: 2, data: Float32Array.from(reference.noise2.layout) }, k) - reference.noise2.trustworthiness) < 1e-4);
});

for (const [dims, minDist] of [
  [2, 0.1],
  [5, 0],
] as const) {
  test(`our ${dims}-d layout is as trustworthy as umap-learn’s on the same kNN graph (min_dist ${minDist}, 200 epochs, 3 seeds)`, async () => {
    const k = reference.trustworthinessK;
    const theirs = reference.layouts.filter((l) => l.dims === dims).map((l) => l.trustworthiness);
    for (const seed of [0, 1, 2]) {
      const layout = await umapLayout(refKnn, { nComponents: dims, seed, nEpochs: 200, minDist });
      const ours = trustworthiness(refX, layout, k);
      assert.ok(ours >= Math.min(...theirs) - 0.005, `seed ${seed}: trustworthiness ${ours.toFixed(4)}, umap-learn ${theirs.map((t) => t.toFixed(4)).join(', ')}`);
      // A layout that only kept the coarse shape (PCA) scores far lower.
      assert.ok(ours > reference.pca2.trustworthiness + 0.02);
    }
  });
}

test('the layout is the same bit for bit on 1, 2 and 3 threads', async () => {
  const runs: Float32Array[] = [];
  for (const threads of [1, 2, 3]) runs.push((await umapLayout(refKnn, { nComponents: 5, seed: 4, nEpochs: 60, minDist: 0, threads })).data);
  assert.deepEqual(runs[1], runs[0]);
  assert.deepEqual(runs[2], runs[0]);
});

test('the threads get contiguous point ranges of about equal edge counts', () => {
  const rowStart = Int32Array.from([0, 10, 10, 30, 31, 40, 60]);
  assert.deepEqual(splitByEdges(rowStart, 2), [
    { from: 0, to: 3 },
    { from: 3, to: 6 },
  ]);
  assert.deepEqual(splitByEdges(rowStart, 1), [{ from: 0, to: 6 }]);
});

test('the spectral start already separates two groups along its first axis, scaled to [0, 10]', async () => {
  const knn = await exactKnn(twoBlobs(), 10, { metric: 'euclidean' });
  const init = spectralInit(fuzzySimplicialSet(knn), 2, { seed: 1 });
  const first = Array.from({ length: 50 }, (_, i) => init[i * 2]);
  assert.ok(Math.min(...first) > -0.01 && Math.max(...first) < 10.01);
  const left = first.slice(0, 25);
  const right = first.slice(25);
  assert.ok(Math.max(...left) < Math.min(...right) || Math.max(...right) < Math.min(...left), 'the first axis splits the groups');
});
