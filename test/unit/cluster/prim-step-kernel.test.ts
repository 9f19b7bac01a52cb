import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../../src/engine/util/random';
import {
  MAX_PRIM_KERNEL_DIM,
  primStep,
  primStepGeneric,
  primStepSource,
  type PrimEdges,
  type PrimState,
  type PrimStep,
} from '../../../src/engine/cluster/prim-step-kernel';

/**
 * The oracle: Prim's algorithm as hdbscan.ts ran it before the step kernels, scanning every point
 * in index order, with the tree's points flagged, and the distance computed for every pair.
 */
function oraclePrim(data: Float32Array, n: number, d: number, core: Float64Array): PrimEdges {
  const edges: PrimEdges = { a: new Int32Array(n - 1), b: new Int32Array(n - 1), w: new Float64Array(n - 1) };
  const inTree = new Uint8Array(n);
  const minReach = new Float64Array(n).fill(Infinity);
  const source = new Int32Array(n).fill(1);
  let current = 0;
  for (let e = 0; e < n - 1; e++) {
    inTree[current] = 1;
    const cc = core[current];
    const co = current * d;
    let best = Number.MAX_VALUE;
    let bestSource = 0;
    let bestNode = 0;
    for (let j = 0; j < n; j++) {
      if (inTree[j]) continue;
      let s = 0;
      for (let t = 0, jo = j * d; t < d; t++) {
        const diff = data[co + t] - data[jo + t];
        s += diff * diff;
      }
      const mr = Math.max(cc, core[j], Math.sqrt(s));
      if (mr < minReach[j]) {
        minReach[j] = mr;
        source[j] = current;
        if (mr < best) {
          best = mr;
          bestSource = current;
          bestNode = j;
        }
      } else if (minReach[j] < best) {
        best = minReach[j];
        bestSource = source[j];
        bestNode = j;
      }
    }
    edges.a[e] = bestSource;
    edges.b[e] = bestNode;
    edges.w[e] = best;
    current = bestNode;
  }
  return edges;
}

function runSteps(step: PrimStep, data: Float32Array, n: number, d: number, core: Float64Array): PrimEdges {
  const st: PrimState = {
    data,
    d,
    core,
    outside: Int32Array.from({ length: n }, (_, i) => i),
    outsideCount: n,
    minReach: new Float64Array(n).fill(Infinity),
    source: new Int32Array(n).fill(1),
  };
  const edges: PrimEdges = { a: new Int32Array(n - 1), b: new Int32Array(n - 1), w: new Float64Array(n - 1) };
  let current = 0;
  for (let e = 0; e < n - 1; e++) current = step(st, current, edges, e);
  return edges;
}

/** Points on a coarse grid (many equal distances) or spread out, and core distances with many ties. */
function points(n: number, d: number, seed: number, grid: boolean): { data: Float32Array; core: Float64Array } {
  const rng = createRng(seed);
  const data = Float32Array.from({ length: n * d }, () => (grid ? Math.floor(rng() * 4) : rng() * 10 - 5));
  const core = Float64Array.from({ length: n }, () => (grid ? Math.floor(rng() * 3) : rng() * 2));
  return { data, core };
}

test('Prim step kernels: the generated kernel and the generic step give the oracle edges bit for bit', () => {
  for (const d of [1, 2, 3, 5, 8, MAX_PRIM_KERNEL_DIM, MAX_PRIM_KERNEL_DIM + 3]) {
    for (const grid of [false, true]) {
      const n = 180;
      const { data, core } = points(n, d, 11 * d + (grid ? 1 : 0), grid);
      const want = oraclePrim(data, n, d, core);
      for (const [name, step] of [
        ['generated', primStep(d)],
        ['generic', primStepGeneric],
      ] as const) {
        const got = runSteps(step, data, n, d, core);
        const at = `${name}, ${d}-d, ${grid ? 'grid' : 'spread'}`;
        assert.deepEqual([...got.a], [...want.a], `sources: ${at}`);
        assert.deepEqual([...got.b], [...want.b], `targets: ${at}`);
        assert.deepEqual([...got.w], [...want.w], `weights: ${at}`);
      }
    }
  }
});

test('Prim step kernels: one compiled kernel per dimension; the generic step past the largest', () => {
  assert.equal(primStep(5), primStep(5));
  assert.notEqual(primStep(5), primStep(4));
  assert.equal(primStep(MAX_PRIM_KERNEL_DIM + 1), primStepGeneric);
  assert.throws(() => primStepSource(0), /integer in 1\.\.32, got 0/);
  assert.throws(() => primStepSource(2.5), /got 2\.5/);
  const { data, core } = points(10, 5, 3, false);
  assert.throws(() => runSteps(primStep(4), data, 10, 5, core), /a 4-d Prim kernel called for 5 dimensions/);
});
