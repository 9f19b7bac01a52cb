// The SVD's dense steps through WebAssembly against their JavaScript forms, bit for bit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scalarGram, symmetricEigen } from '../../../src/engine/encoders/builtin/dense';
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

/** Cyclic Jacobi with the rotations' product V updated column by column (the textbook layout): the reference of symmetricEigen. */
function jacobiByColumns(input: Float64Array, l: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(input);
  const v = new Float64Array(l * l);
  for (let i = 0; i < l; i++) v[i * l + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    let diag = 0;
    for (let p = 0; p < l; p++) {
      diag += a[p * l + p] * a[p * l + p];
      for (let q = p + 1; q < l; q++) off += a[p * l + q] * a[p * l + q];
    }
    if (off <= 1e-26 * diag || off === 0) break;
    for (let p = 0; p < l - 1; p++)
      for (let q = p + 1; q < l; q++) {
        const apq = a[p * l + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * l + q] - a[p * l + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        const rotate = (m: Float64Array, x: number, y: number): void => {
          const mx = m[x];
          const my = m[y];
          m[x] = c * mx - s * my;
          m[y] = s * mx + c * my;
        };
        for (let k = 0; k < l; k++) rotate(a, k * l + p, k * l + q);
        for (let k = 0; k < l; k++) rotate(a, p * l + k, q * l + k);
        for (let k = 0; k < l; k++) rotate(v, k * l + p, k * l + q);
      }
  }
  const order = Array.from({ length: l }, (_, i) => i).sort((i, j) => a[j * l + j] - a[i * l + i]);
  const values = new Float64Array(l);
  const vectors = new Float64Array(l * l);
  order.forEach((src, dst) => {
    values[dst] = a[src * l + src];
    let big = 0;
    for (let k = 0; k < l; k++) if (Math.abs(v[k * l + src]) > Math.abs(big)) big = v[k * l + src];
    for (let k = 0; k < l; k++) vectors[k * l + dst] = (big < 0 ? -1 : 1) * v[k * l + src];
  });
  return { values, vectors };
}

test('symmetricEigen (the rotations kept transposed) = Jacobi on V\'s columns, bit for bit', () => {
  for (const l of [5, 88]) {
    const b = randomDense(l * l, l);
    const g = new Float64Array(l * l);
    for (let i = 0; i < l; i++)
      for (let j = 0; j < l; j++) {
        let s = 0;
        for (let k = 0; k < l; k++) s += b[i * l + k] * b[j * l + k] * Math.exp(-k / 8);
        g[i * l + j] = s;
      }
    const got = symmetricEigen(g, l);
    const expected = jacobiByColumns(g, l);
    assert.deepEqual(new Uint8Array(got.values.buffer), new Uint8Array(expected.values.buffer));
    assert.deepEqual(new Uint8Array(got.vectors.buffer), new Uint8Array(expected.vectors.buffer));
  }
});
