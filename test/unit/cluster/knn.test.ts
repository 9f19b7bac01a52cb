import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exactKnn } from '../../../src/engine/cluster/knn';
import { nnDescentKnn } from '../../../src/engine/cluster/nn-descent';
import { createRng, gaussian } from '../../../src/engine/util/random';
import type { Matrix } from '../../../src/engine/util/matrix';

function blobs(n: number, d: number, centers: number, seed: number): Matrix {
  const rng = createRng(seed);
  const c = Array.from({ length: centers * d }, () => gaussian(rng) * 3);
  const data = new Float32Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) data[i * d + j] = c[(i % centers) * d + j] + gaussian(rng);
  return { rows: n, cols: d, data };
}

/** Brute-force neighbours computed independently, in double precision. */
function brute(x: Matrix, k: number, metric: 'cosine' | 'euclidean'): { ids: number[][]; dists: number[][] } {
  const { rows: n, cols: d, data } = x;
  const ids: number[][] = [];
  const dists: number[][] = [];
  for (let i = 0; i < n; i++) {
    const all: [number, number][] = [];
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let ab = 0;
      let aa = 0;
      let bb = 0;
      let e = 0;
      for (let t = 0; t < d; t++) {
        const a = data[i * d + t];
        const b = data[j * d + t];
        ab += a * b;
        aa += a * a;
        bb += b * b;
        e += (a - b) ** 2;
      }
      all.push([metric === 'cosine' ? 1 - ab / Math.sqrt(aa * bb) : Math.sqrt(e), j]);
    }
    all.sort((p, q) => p[0] - q[0]);
    ids.push(all.slice(0, k).map((p) => p[1]));
    dists.push(all.slice(0, k).map((p) => p[0]));
  }
  return { ids, dists };
}

for (const metric of ['cosine', 'euclidean'] as const) {
  test(`exact kNN (${metric}) equals brute force, across block edges`, async () => {
    const x = blobs(157, 13, 4, 3);
    const k = 7;
    const got = await exactKnn(x, k, { metric, blockSize: 32 });
    const ref = brute(x, k, metric);
    assert.equal(got.indices.length, 157 * k);
    for (let i = 0; i < x.rows; i++) {
      for (let t = 0; t < k; t++) {
        assert.ok(Math.abs(got.distances[i * k + t] - ref.dists[i][t]) < 1e-4, `row ${i} rank ${t}`);
        assert.notEqual(got.indices[i * k + t], i);
      }
      // Same neighbour sets (order may differ only between equal distances).
      assert.deepEqual([...got.indices.subarray(i * k, (i + 1) * k)].sort((a, b) => a - b), [...ref.ids[i]].sort((a, b) => a - b));
    }
  });
}

test('approximate (NN-descent) kNN has recall@10 ≥ 0.9 against exact kNN', async () => {
  const x = blobs(3000, 32, 20, 11);
  const k = 10;
  const exact = await exactKnn(x, k);
  const approx = await nnDescentKnn(x, k, { seed: 1 });
  let hit = 0;
  for (let i = 0; i < x.rows; i++) {
    const truth = new Set(exact.indices.subarray(i * k, (i + 1) * k));
    for (const j of approx.indices.subarray(i * k, (i + 1) * k)) if (truth.has(j)) hit++;
  }
  const recall = hit / (x.rows * k);
  assert.ok(recall >= 0.9, `recall ${recall}`);
});

test('approximate (NN-descent) kNN of 128-d rows has recall@15 ≥ 0.9, exact distances and no self', async () => {
  // Rows with a low intrinsic dimension, as embeddings have: 12-d latent clusters mapped into 128-d.
  const rng = createRng(21);
  const n = 4000;
  const d = 128;
  const m = 12;
  const map = Array.from({ length: m * d }, () => gaussian(rng));
  const centres = Array.from({ length: 8 * m }, () => gaussian(rng) * 2);
  const data = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const z = Array.from({ length: m }, (_, a) => centres[(i % 8) * m + a] + gaussian(rng));
    for (let j = 0; j < d; j++) {
      let s = 0.05 * gaussian(rng);
      for (let a = 0; a < m; a++) s += z[a] * map[a * d + j];
      data[i * d + j] = s;
    }
  }
  const x = { rows: n, cols: d, data };
  const k = 15;
  const exact = await exactKnn(x, k);
  const approx = await nnDescentKnn(x, k, { seed: 3 });
  let hit = 0;
  for (let i = 0; i < n; i++) {
    const truth = new Map<number, number>();
    exact.indices.subarray(i * k, (i + 1) * k).forEach((j, t) => truth.set(j, exact.distances[i * k + t]));
    for (let t = 0; t < k; t++) {
      const j = approx.indices[i * k + t];
      assert.notEqual(j, i);
      if (truth.has(j)) {
        hit++;
        assert.ok(Math.abs(truth.get(j)! - approx.distances[i * k + t]) < 1e-6, 'distances are exact cosines');
      }
    }
  }
  assert.ok(hit / (n * k) >= 0.9, `recall ${hit / (n * k)}`);
});

test('kNN rejects k ≥ n', async () => {
  await assert.rejects(exactKnn(blobs(5, 3, 1, 1), 5));
});
