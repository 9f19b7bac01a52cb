import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fuzzySimplicialSet } from '../../../src/engine/cluster/fuzzy-graph';
import { spectralInit } from '../../../src/engine/cluster/umap-init';
import { createSgdState, runEpochRange, type SgdState } from '../../../src/engine/cluster/umap-sgd';
import { sgdKernel, sgdKernelSource } from '../../../src/engine/cluster/umap-sgd-kernel';
import type { KnnResult } from '../../../src/engine/cluster/knn';

/**
 * The oracle: the epoch kernel as it was written before it was generated per dimension, with plain
 * loops over the coordinates. The generated kernels must move every point exactly as it does.
 */
function genericEpoch(
  current: Float32Array,
  snapshot: Float32Array,
  dim: number,
  n: number,
  rowStart: Int32Array,
  tail: Int32Array,
  eps: Float64Array,
  nextSample: Float64Array,
  epsNegative: Float64Array,
  nextNegative: Float64Array,
  rng: Int32Array,
  tables: Float64Array,
  from: number,
  to: number,
  params: Float64Array,
): void {
  const epoch = params[0];
  const alpha = params[1];
  const a = params[2];
  const b = params[3];
  const gamma = params[4];
  const clip = 4;
  const toIndex = n / 4294967296; // a uint32 draw times this, truncated: a point in [0, n)
  // Table lookups (gradientTables): literal constants, as the kernel cannot see module scope.
  const base = 107 << 8;
  const size = 40 << 8;
  const repel = size + 1;
  const f32 = new Float32Array(1);
  const u32 = new Uint32Array(f32.buffer);
  const own = new Float64Array(dim);
  for (let j = from; j < to; j++) {
    const end = rowStart[j + 1];
    let e = rowStart[j];
    while (e < end && nextSample[e] > epoch) e++;
    if (e === end) continue;
    const cj = j * dim;
    for (let d = 0; d < dim; d++) own[d] = current[cj + d];
    let s = rng[j];
    for (; e < end; e++) {
      if (nextSample[e] > epoch) continue;
      const ck = tail[e] * dim;
      let d2 = 0;
      for (let d = 0; d < dim; d++) {
        const v = own[d] - snapshot[ck + d];
        d2 += v * v;
      }
      if (d2 > 0) {
        f32[0] = d2;
        const bits = u32[0];
        const t = (bits >>> 15) - base;
        let coeff: number;
        if (t >= 0 && t < size) coeff = tables[t] + (bits & 0x7fff) * (1 / 32768) * (tables[t + 1] - tables[t]);
        else {
          const pb = Math.exp(b * Math.log(d2));
          coeff = (-2 * a * b * pb) / d2 / (a * pb + 1);
        }
        for (let d = 0; d < dim; d++) {
          let g = coeff * (own[d] - snapshot[ck + d]);
          g = g > clip ? clip : g < -clip ? -clip : g;
          own[d] += 2 * g * alpha;
        }
      }
      nextSample[e] += eps[e];
      const negatives = Math.floor((epoch - nextNegative[e]) / epsNegative[e]);
      for (let p = 0; p < negatives; p++) {
        s ^= s << 13;
        s ^= s >>> 17;
        s ^= s << 5;
        const k = ((s >>> 0) * toIndex) | 0;
        if (k === j) continue;
        const c1 = k * dim;
        let q2 = 0;
        for (let d = 0; d < dim; d++) {
          const v = own[d] - snapshot[c1 + d];
          q2 += v * v;
        }
        if (!(q2 > 0)) continue;
        f32[0] = q2;
        const bits = u32[0];
        const t = (bits >>> 15) - base;
        const coeff =
          t >= 0 && t < size
            ? tables[repel + t] + (bits & 0x7fff) * (1 / 32768) * (tables[repel + t + 1] - tables[repel + t])
            : (2 * gamma * b) / ((0.001 + q2) * (a * Math.exp(b * Math.log(q2)) + 1));
        for (let d = 0; d < dim; d++) {
          let g = coeff * (own[d] - snapshot[c1 + d]);
          g = g > clip ? clip : g < -clip ? -clip : g;
          own[d] += g * alpha;
        }
      }
      nextNegative[e] += negatives * epsNegative[e];
    }
    rng[j] = s;
    for (let d = 0; d < dim; d++) current[cj + d] = own[d];
  }
}

const reference = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'cluster', 'umap-learn.json'), 'utf8')) as { n: number; k: number; indices: number[]; distances: number[] };
const knn: KnnResult = { n: reference.n, k: reference.k, indices: Int32Array.from(reference.indices), distances: Float32Array.from(reference.distances), metric: 'euclidean' };
const graph = fuzzySimplicialSet(knn);

function state(dim: number, epochs: number): SgdState {
  return createSgdState(graph, spectralInit(graph, dim, { seed: 3 }), dim, epochs, 11, 5, { a: 1.58, b: 0.9, gamma: 1 });
}

for (const dim of [1, 2, 3, 5, 8]) {
  test(`the generated ${dim}-d kernel moves every point bit for bit as the generic loops do, over 30 epochs`, () => {
    const epochs = 30;
    const ours = state(dim, epochs);
    const oracle = state(dim, epochs);
    const params = new Float64Array([0, 1, 1.58, 0.9, 1]);
    for (let epoch = 0; epoch < epochs; epoch++) {
      params[0] = epoch;
      params[1] = 1 - epoch / epochs;
      ours.snapshot.set(ours.current);
      oracle.snapshot.set(oracle.current);
      runEpochRange(ours, 0, ours.n, params);
      const o = oracle;
      genericEpoch(o.current, o.snapshot, o.dim, o.n, o.rowStart, o.tail, o.epochsPerSample, o.nextSample, o.epochsPerNegative, o.nextNegative, o.rng, o.tables, 0, o.n, params);
    }
    assert.deepEqual(ours.current, oracle.current);
    assert.deepEqual(ours.nextNegative, oracle.nextNegative);
    assert.deepEqual(ours.rng, oracle.rng);
    // The points did move.
    assert.notDeepEqual(ours.current, state(dim, epochs).current);
  });
}

test('a kernel refuses a layout of another dimension, and dimensions outside 1..64', () => {
  const s = state(3, 10);
  assert.throws(() => sgdKernel(2)(s.current, s.snapshot, 3, s.n, s.rowStart, s.tail, s.epochsPerSample, s.nextSample, s.epochsPerNegative, s.nextNegative, s.rng, s.tables, 0, s.n, new Float64Array([0, 1, 1, 1, 1])), /2-d kernel called for 3/);
  assert.throws(() => sgdKernelSource(0), /1\.\.64/);
  assert.throws(() => sgdKernelSource(2.5), /1\.\.64/);
  assert.equal(sgdKernel(4), sgdKernel(4));
});
