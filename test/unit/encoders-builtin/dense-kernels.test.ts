// The SVD's dense steps through WebAssembly against their JavaScript forms, bit for bit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scalarGram } from '../../../src/engine/encoders/builtin/dense';
import { simdDenseProduct } from '../../../src/engine/encoders/builtin/gemm-kernel';
import { simdGram } from '../../../src/engine/encoders/builtin/gram-kernel';
import { createFixedRightProduct, denseAsSparse } from '../../../src/engine/encoders/builtin/simd-spmm';
import { createHashSketch, sketchBasis } from '../../../src/engine/encoders/builtin/sketch';
import { simdSketchByBucket } from '../../../src/engine/encoders/builtin/sketch-kernel';
import { createRng } from '../../../src/engine/util/random';

function randomDense(length: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length }, () => rng() * 2 - 1);
}

for (const [n, l] of [
  [1, 4],
  [333, 12],
  [1001, 88],
]) {
  test(`the SIMD Gram matrix = the JavaScript one, bit for bit (${n} × ${l}, AᵀA and AᵀB)`, () => {
    const a = randomDense(n * l, n);
    const b = randomDense(n * l, n + 1);
    for (const [x, y] of [
      [a, a],
      [a, b],
    ]) {
      const got = simdGram(x, y, n, l);
      assert.ok(got);
      assert.deepEqual(got, scalarGram(x, y, n, l));
    }
  });
}

test('the SIMD Gram matrix declines a width that is not a multiple of 4', () => {
  assert.equal(simdGram(new Float32Array(30), new Float32Array(30), 5, 6), null);
});

for (const rank of [11, 12]) {
  test(`sketchBasis = the scatter of each basis entry into rank × dimension, bit for bit (rank ${rank})`, () => {
    const columns = 501;
    const sketch = createHashSketch(Array.from({ length: columns }, (_, c) => `w${c}`), 37, 3, 42);
    const basis = randomDense(columns * rank, 3);
    basis[7] = 0;
    // Zero rows (a column without an entry; -0 in a flipped component) are skipped: the same bits.
    basis.fill(0, 20 * rank, 60 * rank);
    basis.fill(-0, 80 * rank, 90 * rank);
    const expected = new Float64Array(rank * sketch.dimension);
    for (let c = 0; c < columns; c++)
      for (let k = 0; k < rank; k++)
        for (let j = 0; j < sketch.hashes; j++)
          expected[k * sketch.dimension + sketch.buckets[c * sketch.hashes + j]] += basis[c * rank + k] * sketch.weights[c * sketch.hashes + j];
    assert.notEqual(simdSketchByBucket(sketch.buckets, sketch.weights, sketch.hashes, sketch.dimension, basis, rank), null, 'the SIMD kernel runs here');
    for (const simd of [true, false]) {
      const got = sketchBasis(sketch, basis, rank, simd);
      assert.deepEqual(got, expected);
      assert.deepEqual(new Uint8Array(got.buffer), new Uint8Array(expected.buffer), `the same bytes (no -0 for 0; simd ${simd})`);
    }
  });
}

for (const [rows, k, n] of [
  [37, 88, 88],
  [500, 88, 68],
  [8200, 8, 12],
  [3, 5, 4],
]) {
  test(`the SIMD dense product = the sparse kernel on the dense matrix as CSR, bit for bit (${rows} × ${k} · ${k} × ${n})`, () => {
    const a = randomDense(rows * k, rows);
    const b = randomDense(k * n, k);
    const expected = createFixedRightProduct(b, k, n).multiply(denseAsSparse(a, rows, k));
    assert.deepEqual(simdDenseProduct(a, rows, k, b, n), expected);
    if (k === n) {
      // In place, as the Cholesky QR uses it.
      const y = Float32Array.from(a);
      simdDenseProduct(y, rows, k, b, n, y);
      assert.deepEqual(y, expected);
    }
  });
}
