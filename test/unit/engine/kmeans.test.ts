import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kmeans } from '../../../src/engine/cluster/kmeans';
import { createRng, gaussian } from '../../../src/engine/util/random';

function blobs(seed: number): { data: Float32Array; truth: number[] } {
  const rng = createRng(seed);
  const centers = [
    [0, 0],
    [10, 10],
    [-10, 10],
  ];
  const data = new Float32Array(300 * 2);
  const truth: number[] = [];
  for (let i = 0; i < 300; i++) {
    const c = i % 3;
    data[i * 2] = centers[c][0] + gaussian(rng);
    data[i * 2 + 1] = centers[c][1] + gaussian(rng);
    truth.push(c);
  }
  return { data, truth };
}

test('k-means recovers well-separated blobs, and the same seed gives the same labels', async () => {
  const { data, truth } = blobs(1);
  const x = { rows: 300, cols: 2, data };
  const a = await kmeans(x, { k: 3, seed: 7 });
  const b = await kmeans(x, { k: 3, seed: 7 });
  assert.deepEqual(Array.from(a.labels), Array.from(b.labels));
  // Every true blob maps to exactly one cluster.
  for (let c = 0; c < 3; c++) {
    const got = new Set(truth.flatMap((t, i) => (t === c ? [a.labels[i]] : [])));
    assert.equal(got.size, 1);
  }
  // Inertia is the sum of squared distances to the centroids.
  let inertia = 0;
  for (let i = 0; i < 300; i++) {
    const c = a.labels[i];
    for (let j = 0; j < 2; j++) inertia += (data[i * 2 + j] - a.centroids.data[c * 2 + j]) ** 2;
  }
  assert.ok(Math.abs(inertia - a.inertia) < 1e-3 * inertia);
});

test('k-means rejects k larger than the number of points', async () => {
  await assert.rejects(kmeans({ rows: 2, cols: 1, data: new Float32Array([1, 2]) }, { k: 3 }), /cannot make 3 clusters/);
});
