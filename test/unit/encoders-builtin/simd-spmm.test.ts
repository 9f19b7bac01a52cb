// The SIMD sparse × dense products of the randomized SVD against the scalar kernel (sparse.ts) and
// against a product computed in float64 by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createFixedRightProduct, createSparseProducts, simdSpmmAvailable } from '../../../src/engine/encoders/builtin/simd-spmm';
import { transposeSparse, type SparseRows } from '../../../src/engine/encoders/builtin/sparse';
import { createRng } from '../../../src/engine/util/random';
import { randomSparse } from './random-sparse';

function exactProduct(x: SparseRows, d: Float32Array, width: number): Float64Array {
  const out = new Float64Array(x.rows * width);
  for (let i = 0; i < x.rows; i++)
    for (let p = x.indptr[i]; p < x.indptr[i + 1]; p++)
      for (let j = 0; j < width; j++) out[i * width + j] += x.values[p] * d[x.indices[p] * width + j];
  return out;
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

test('the SIMD kernel compiles on this Node', () => {
  assert.equal(simdSpmmAvailable(), true);
});

for (const width of [4, 12, 88]) {
  test(`X·D and Xᵀ·D: SIMD = scalar = float64 within 1e-5 (width ${width})`, () => {
    const x = randomSparse(157, 301, 23, width);
    const xt = transposeSparse(x);
    const rng = createRng(7);
    const simd = createSparseProducts(x, width);
    const scalar = createSparseProducts(x, width, { simd: false });
    for (const p of [simd, scalar]) {
      const r = createRng(11);
      for (let i = 0; i < p.right.length; i++) p.right[i] = r() * 2 - 1;
    }
    const expected = exactProduct(x, simd.right, width);
    assert.ok(maxDiff(simd.timesRight(), expected) < 1e-5);
    assert.ok(maxDiff(scalar.timesRight(), expected) < 1e-5);
    // A second product into another array leaves `left` alone.
    const other = new Float32Array(x.rows * width);
    simd.timesRight(other);
    assert.ok(maxDiff(other, expected) < 1e-5);
    for (const p of [simd, scalar]) for (let i = 0; i < p.left.length; i++) p.left[i] = rng() - 0.5;
    scalar.left.set(simd.left);
    const expectedT = exactProduct(xt, simd.left, width);
    simd.transposeTimesLeft();
    scalar.transposeTimesLeft();
    assert.ok(maxDiff(simd.right, expectedT) < 1e-5, `simd ${maxDiff(simd.right, expectedT)}`);
    assert.ok(maxDiff(scalar.right, expectedT) < 1e-5);
    // Products overwrite: a repeat gives the same, not twice the sum.
    simd.transposeTimesLeft();
    assert.ok(maxDiff(simd.right, expectedT) < 1e-5);
  });
}

test('a width that is not a multiple of 4 takes the scalar kernel, with the same results', () => {
  const x = randomSparse(9, 7, 3, 1);
  const p = createSparseProducts(x, 6);
  for (let i = 0; i < p.right.length; i++) p.right[i] = (i % 5) - 2;
  const expected = exactProduct(x, p.right, 6);
  assert.ok(maxDiff(p.timesRight(), expected) < 1e-5);
});

/** X·D as the kernels compute it: per output entry, float32 products added in float32 in the row's order. */
function float32Product(x: SparseRows, d: Float32Array, width: number): Float32Array {
  const out = new Float32Array(x.rows * width);
  for (let i = 0; i < x.rows; i++)
    for (let p = x.indptr[i]; p < x.indptr[i + 1]; p++)
      for (let j = 0; j < width; j++) out[i * width + j] = Math.fround(out[i * width + j] + Math.fround(x.values[p] * d[x.indices[p] * width + j]));
  return out;
}

for (const width of [4, 20, 88]) {
  test(`X·right (through Xᵀ's rows) and Xᵀ·left are exactly float32 sums in row order (width ${width})`, () => {
    const x = randomSparse(211, 347, 30, width + 1);
    const xt = transposeSparse(x);
    const p = createSparseProducts(x, width);
    const rng = createRng(3);
    for (let i = 0; i < p.right.length; i++) p.right[i] = rng() * 2 - 1;
    for (let i = 0; i < p.left.length; i++) p.left[i] = rng() * 2 - 1;
    const left = Float32Array.from(p.left);
    assert.deepEqual(p.timesRight(new Float32Array(x.rows * width)), float32Product(x, p.right, width));
    p.transposeTimesLeft();
    assert.deepEqual(p.right, float32Product(xt, left, width));
    // The fixed-operand product (the encoder's projection kernel) sums the same way.
    const d = Float32Array.from(p.right);
    assert.deepEqual(createFixedRightProduct(d, x.cols, width).multiply(x), float32Product(x, d, width));
  });
}
