// The encoder's projection (projection.ts): the WebAssembly kernels (float32, SIMD, threads) against
// the plain float64 JavaScript of before, and the same bits on any number of threads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fitBuiltinEncoder } from '../../../src/engine/encoders/builtin';
import { CancelledError } from '../../../src/engine/util/job';
import { createLsaProjection, projectScalar, type ProjectedRows, type ProjectionOperands } from '../../../src/engine/encoders/builtin/projection';
import { privateProjectionModule, sharedProjectionModule } from '../../../src/engine/encoders/builtin/projection-kernels';
import { createHashSketch, sketchBasis } from '../../../src/engine/encoders/builtin/sketch';
import { createRng } from '../../../src/engine/util/random';
import { randomSparse } from './random-sparse';

/** Random unit-scale components (features × rank) and a sketch of `dimension`. */
function operands(features: number, rank: number, dimension: number, seed: number): ProjectionOperands {
  const width = Math.ceil(rank / 4) * 4;
  const rng = createRng(seed);
  const dense = new Float32Array(features * rank);
  for (let i = 0; i < dense.length; i++) dense[i] = (rng() * 2 - 1) / Math.sqrt(features);
  const components = dense;
  if (dimension === 0) return { components, features, width, rank };
  const terms = Array.from({ length: features }, (_, c) => `term${c}`);
  const sketch = createHashSketch(terms, dimension, 3, 42);
  return { components, features, width, rank, sketch, sketchedBasis: sketchBasis(sketch, dense, rank) };
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

test('the projection kernels compile on this Node (own and shared memory)', () => {
  assert.notEqual(privateProjectionModule(), null);
  assert.notEqual(sharedProjectionModule(), null);
});

for (const [rank, dimension] of [
  [13, 37],
  [65, 320],
  [7, 0],
] as const) {
  test(`WebAssembly projection = float64 JavaScript within 1e-6 (rank ${rank}, sketch ${dimension})`, async () => {
    const ops = operands(701, rank, dimension, rank);
    const topic = randomSparse(243, 701, 40, 1);
    const lexical = randomSparse(243, 701, 60, 2);
    const projection = createLsaProjection(ops, { threads: 1 });
    try {
      const got = await projection.project(topic, lexical);
      const expected = projectScalar(ops, got.dimensionStride, topic, lexical);
      assert.equal(got.rows, 243);
      assert.ok(maxDiff(got.topic, expected.topic) < 1e-6, `topic ${maxDiff(got.topic, expected.topic)}`);
      assert.ok(maxDiff(got.residual, expected.residual) < 1e-6, `residual ${maxDiff(got.residual, expected.residual)}`);
      // The residual is really the sketch minus the subspace part (not zero, not the bare sketch).
      if (dimension > 0) assert.ok(maxDiff(got.residual, new Float32Array(got.residual.length)) > 1e-2);
      // A second batch of another size reuses the memory.
      const small = randomSparse(5, 701, 10, 3);
      const again = await projection.project(small, small);
      assert.ok(maxDiff(again.residual, projectScalar(ops, got.dimensionStride, small, small).residual) < 1e-6);
    } finally {
      await projection.close();
    }
  });
}

test('the projection gives the same bits on 1, 2 and 3 threads', async () => {
  const ops = operands(1999, 65, 320, 5);
  const topic = randomSparse(611, 1999, 80, 7);
  const lexical = randomSparse(611, 1999, 90, 8);
  const results: ProjectedRows[] = [];
  for (const threads of [1, 2, 3]) {
    const projection = createLsaProjection(ops, { threads });
    try {
      results.push(await projection.project(topic, lexical));
      // Again on the same workers, another batch.
      results.push(await projection.project(lexical, topic));
    } finally {
      await projection.close();
    }
  }
  for (let t = 2; t < results.length; t++) {
    const r = results[t];
    const base = results[t % 2];
    assert.deepEqual(r.topic, base.topic);
    assert.deepEqual(r.residual, base.residual);
  }
});

test('without WebAssembly SIMD the projection is the JavaScript one', async () => {
  const ops = operands(301, 9, 20, 3);
  const x = randomSparse(50, 301, 20, 4);
  const projection = createLsaProjection(ops, { simd: false });
  const got = await projection.project(x, x);
  const expected = projectScalar(ops, got.dimensionStride, x, x);
  assert.deepEqual(got.topic, expected.topic);
  assert.deepEqual(got.residual, expected.residual);
});

test('encode stops at a cancelled signal; after dispose the encoder projects again, with the same vectors', async () => {
  const texts = readFileSync(path.join(__dirname, '../../fixtures/sample/ag-news-300.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { title: string; description: string })
    .map((r) => `${r.title}. ${r.description}`);
  const encoder = await fitBuiltinEncoder(texts, { seed: 1, topicRank: 16 });
  const first = await encoder.encode(texts);
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(encoder.encode(texts, { signal: controller.signal }), CancelledError);
  await encoder.dispose();
  const again = await encoder.encode(texts);
  assert.deepEqual(again.data, first.data);
});

for (const [rank, threads] of [
  [13, 1],
  [65, 2],
  [12, 2],
] as const) {
  test(`a projection without the sketched components makes them from the components in its memory: the same bits (rank ${rank}, ${threads} thread(s))`, async () => {
    const { sketchedBasis: _random, ...bare } = operands(701, rank, 37, rank);
    bare.components.fill(0, 50 * rank, 90 * rank); // columns without an entry in the fitting corpus
    assert.ok(bare.sketch);
    const given = { ...bare, sketchedBasis: sketchBasis(bare.sketch, bare.components, rank) };
    const topic = randomSparse(243, 701, 40, 1);
    const lexical = randomSparse(243, 701, 60, 2);
    const withBasis = createLsaProjection(given, { threads });
    const without = createLsaProjection(bare, { threads });
    try {
      const a = await withBasis.project(topic, lexical);
      const b = await without.project(topic, lexical);
      assert.deepEqual(new Uint8Array(b.residual.buffer), new Uint8Array(a.residual.buffer));
      assert.deepEqual(b.topic, a.topic);
      // The plain JavaScript projection makes them too (sketchBasis).
      const scalar = await createLsaProjection(bare, { simd: false }).project(topic, lexical);
      assert.deepEqual(scalar.residual, projectScalar(given, scalar.dimensionStride, topic, lexical).residual);
    } finally {
      await withBasis.close();
      await without.close();
    }
  });
}
