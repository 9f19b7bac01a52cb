import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blockDots, gatherDots, rowDots } from '../../../src/engine/cluster/dots';
import { createRowDots, simdAvailable } from '../../../src/engine/cluster/simd-dots';
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

test('the SIMD row-dots kernel matches the scalar kernel to float32 precision, for widths not a multiple of 16', () => {
  assert.ok(simdAvailable(), 'WebAssembly SIMD compiles in this Node');
  for (const d of [1, 13, 16, 100, 384]) {
    const n = 40;
    const data = randomRows(n, d, d);
    const simd = createRowDots(data, n, d, 64);
    const scalar = createRowDots(data, n, d, 64, false);
    const ids = Int32Array.from([39, 0, 7, 7, 12, 3, 25]);
    const got = new Float64Array(ids.length);
    const ref = new Float64Array(ids.length);
    simd.rows(5, ids, ids.length, got);
    scalar.rows(5, ids, ids.length, ref);
    ids.forEach((j, t) => {
      assert.equal(ref[t], dot(data, 5 * d, data, j * d, d), 'scalar fallback is the plain loop');
      assert.ok(Math.abs(got[t] - ref[t]) <= 1e-5 * d, `d=${d} id ${j}: ${got[t]} vs ${ref[t]}`);
    });
    const v = randomRows(1, d, 99);
    simd.vector(v, ids, 3, got);
    for (let t = 0; t < 3; t++) assert.ok(Math.abs(got[t] - dot(v, 0, data, ids[t] * d, d)) <= 1e-5 * d);
    assert.throws(() => simd.rows(0, new Int32Array(65), 65, new Float64Array(65)), /at most 64/);
  }
});
