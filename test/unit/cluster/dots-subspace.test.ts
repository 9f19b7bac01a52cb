import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blockDots, gatherDots, rowDots } from '../../../src/engine/cluster/dots';
import { principalSubspace, projectRows } from '../../../src/engine/cluster/subspace';
import { NeighbourRows, refineKnn } from '../../../src/engine/cluster/knn-refine';
import { exactKnn, normalizedCopy } from '../../../src/engine/cluster/knn';
import { createRng, gaussian } from '../../../src/engine/util/random';

function randomRows(n: number, d: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n * d }, () => gaussian(rng));
}

/** The plain loop the kernels must reproduce bit for bit. */
function dot(a: Float32Array, ao: number, b: Float32Array, bo: number, d: number): number {
  let s = 0;
  for (let t = 0; t < d; t++) s += a[ao + t] * b[bo + t];
  return s;
}

test('blockDots, rowDots and gatherDots equal a plain loop exactly, for odd block shapes', () => {
  const d = 13;
  const a = randomRows(11, d, 1);
  const b = randomRows(9, d, 2);
  for (const [ai0, ai1, bj0, bj1] of [
    [0, 11, 0, 9],
    [1, 4, 2, 7],
    [3, 4, 0, 1],
    [2, 9, 5, 9],
  ]) {
    const stride = bj1 - bj0 + 2;
    const out = new Float64Array((ai1 - ai0) * stride).fill(NaN);
    blockDots(a, ai0, ai1, b, bj0, bj1, d, out, stride);
    for (let i = ai0; i < ai1; i++) for (let j = bj0; j < bj1; j++) assert.equal(out[(i - ai0) * stride + j - bj0], dot(a, i * d, b, j * d, d));
  }
  const row = new Float64Array(9);
  rowDots(a, 5 * d, b, 0, 9, d, row, 0);
  for (let j = 0; j < 9; j++) assert.equal(row[j], dot(a, 5 * d, b, j * d, d));
  const ids = Int32Array.from([8, 0, 3, 3, 7, 1]);
  const g = new Float64Array(ids.length);
  gatherDots(a, 2 * d, b, ids, ids.length, d, g);
  ids.forEach((j, t) => assert.equal(g[t], dot(a, 2 * d, b, j * d, d)));
});

test('principalSubspace finds the span of rows that live in a 3-d subspace of 10-d, with an orthonormal basis', () => {
  const n = 400;
  const d = 10;
  const rng = createRng(3);
  const axes = randomRows(3, d, 4);
  const data = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const z = [gaussian(rng) * 3, gaussian(rng) * 2, gaussian(rng)];
    for (let j = 0; j < d; j++) data[i * d + j] = z[0] * axes[j] + z[1] * axes[d + j] + z[2] * axes[2 * d + j];
  }
  const basis = principalSubspace(data, n, d, 3, { seed: 1 });
  for (let p = 0; p < 3; p++)
    for (let q = 0; q < 3; q++) assert.ok(Math.abs(dot(basis, p * d, basis, q * d, d) - (p === q ? 1 : 0)) < 1e-5, `basis ${p}·${q}`);
  const y = projectRows(data, n, d, basis, 3);
  for (let i = 0; i < n; i++) {
    const full = dot(data, i * d, data, i * d, d);
    const kept = dot(y, i * 3, y, i * 3, 3);
    assert.ok(Math.abs(full - kept) <= 1e-3 * Math.max(1, full), `row ${i}: ${kept} of ${full}`);
  }
});

test('neighbour-of-neighbour refinement turns a random graph into a near-exact one, without duplicates', async () => {
  const n = 1500;
  const d = 8;
  const k = 10;
  const x = { rows: n, cols: d, data: randomRows(n, d, 5) };
  const data = normalizedCopy(x);
  const exact = await exactKnn(x, k);
  const rng = createRng(6);
  const graph = new NeighbourRows(n, k);
  for (let i = 0; i < n; i++) {
    while (graph.ids[i * k + k - 1] < 0) {
      const j = Math.floor(rng() * n);
      if (j !== i) graph.push(i, 1 - dot(data, i * d, data, j * d, d), j);
    }
  }
  const recall = () => {
    let hit = 0;
    for (let i = 0; i < n; i++) {
      const truth = new Set(exact.indices.subarray(i * k, (i + 1) * k));
      for (let t = 0; t < k; t++) if (truth.has(graph.ids[i * k + t])) hit++;
    }
    return hit / (n * k);
  };
  const before = recall();
  await refineKnn(graph, data, d, { maxRounds: 10, minUpdateShare: 0 });
  const after = recall();
  assert.ok(before < 0.05 && after > 0.95, `recall ${before} → ${after}`);
  for (let i = 0; i < n; i++) {
    const row = [...graph.ids.subarray(i * k, (i + 1) * k)];
    assert.equal(new Set(row).size, k, `row ${i} has no duplicate`);
    assert.ok(!row.includes(i));
    for (let t = 1; t < k; t++) assert.ok(graph.keys[i * k + t - 1] <= graph.keys[i * k + t]);
  }
});
