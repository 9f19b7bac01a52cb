import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kmeans } from '../../../src/engine/cluster/kmeans';
import { KMeansRestarts } from '../../../src/engine/cluster/kmeans-threads';
import { createRng, gaussian } from '../../../src/engine/util/random';
import { CancelledError, type Progress } from '../../../src/engine/util/job';
import type { Matrix } from '../../../src/engine/util/matrix';

/** n points around `centres` random centres in d dimensions, with overlap (many near-equal local minima). */
function cloud(n: number, d: number, centres: number, seed: number, spread = 0.6): Matrix {
  const rng = createRng(seed);
  const c = Array.from({ length: centres * d }, () => gaussian(rng));
  const data = new Float32Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) data[i * d + j] = c[(i % centres) * d + j] + spread * gaussian(rng);
  return { rows: n, cols: d, data };
}

/** Plain Lloyd's iterations from `start` (float64, every distance), to a fixed point. */
function plainLloyd(x: Matrix, start: Float32Array, k: number): Int32Array {
  const { rows, cols, data } = x;
  const c = Float64Array.from(start);
  const labels = new Int32Array(rows).fill(-1);
  for (let iter = 0; iter < 300; iter++) {
    let moved = 0;
    for (let i = 0; i < rows; i++) {
      let bestC = 0;
      let bestD = Infinity;
      for (let a = 0; a < k; a++) {
        let s = 0;
        for (let j = 0; j < cols; j++) s += (data[i * cols + j] - c[a * cols + j]) ** 2;
        if (s < bestD) [bestD, bestC] = [s, a];
      }
      if (labels[i] !== bestC) moved++;
      labels[i] = bestC;
    }
    if (moved === 0) break;
    const sums = new Float64Array(k * cols);
    const counts = new Int32Array(k);
    for (let i = 0; i < rows; i++) {
      counts[labels[i]]++;
      for (let j = 0; j < cols; j++) sums[labels[i] * cols + j] += data[i * cols + j];
    }
    for (let a = 0; a < k; a++) if (counts[a] > 0) for (let j = 0; j < cols; j++) c[a * cols + j] = Math.fround(sums[a * cols + j] / counts[a]);
  }
  return labels;
}

test('k-means gives the same result bit for bit on 1, 2 and 3 threads (screened restarts and plain ones)', async () => {
  const x = cloud(3000, 20, 6, 5, 1.2);
  for (const options of [
    { k: 6, seed: 11, nInit: 12, screenSample: 600, screenKeep: 3 },
    { k: 5, seed: 3, nInit: 5 },
  ]) {
    const runs = [];
    for (const threads of [1, 2, 3]) runs.push(await kmeans(x, { ...options, threads }));
    for (const r of runs.slice(1)) {
      assert.deepEqual(r.labels, runs[0].labels);
      assert.deepEqual(r.centroids.data, runs[0].centroids.data);
      assert.equal(r.inertia, runs[0].inertia);
      assert.equal(r.iterations, runs[0].iterations);
    }
  }
});

test('k-means restarts run on worker threads when asked, and in task order', async () => {
  const x = cloud(1500, 33, 4, 2);
  const several = new KMeansRestarts([x], 4, 3);
  const one = new KMeansRestarts([x], 4, 1);
  try {
    assert.equal(several.threads, 3);
    const starts = [0, 1, 2, 3, 4].map((s) => ({ start: x.data.slice(s * 100 * 33, (s * 100 + 4) * 33) }));
    const options = { maxIter: 300, tol: 0, progressOffset: 0, progressTotal: 5 };
    const a = await several.run(0, starts, options);
    const b = await one.run(0, starts, options);
    assert.deepEqual(a, b);
    // Each restart is Lloyd's algorithm from its start: the same fixed point as plain iterations (33 columns: the padding is ignored).
    starts.forEach((s, t) => assert.deepEqual(a[t].labels, plainLloyd(x, s.start, 4), `restart ${t}`));
  } finally {
    await several.close();
    await one.close();
  }
});

test('k-means reports its progress to the last restart and stops on cancel, on one thread and on several', async () => {
  const x = cloud(4000, 32, 8, 7, 1.5);
  for (const threads of [1, 2]) {
    const seen: Progress[] = [];
    await kmeans(x, { k: 8, seed: 1, nInit: 6, screenSample: 1000, screenKeep: 2, threads, onProgress: (p) => seen.push(p) });
    assert.deepEqual(seen.at(-1), { stage: 'kmeans', done: 8, total: 8 });
    const controller = new AbortController();
    const run = kmeans(x, { k: 8, seed: 1, nInit: 40, threads, tol: 0, signal: controller.signal, onProgress: () => controller.abort() });
    setTimeout(() => controller.abort(), 20);
    await assert.rejects(run, CancelledError);
  }
});
