/**
 * UMAP's layout optimisation (umap-learn's `optimize_layout_euclidean`): stochastic gradient descent
 * over the graph's edges, each sampled in proportion to its weight, with attraction along the edge and
 * repulsion from `negativeSampleRate` random points per sample; the learning rate falls linearly to 0.
 *
 * One change makes it parallel and still reproducible: within an epoch a point moves only itself, and
 * reads every other point from a snapshot taken at the start of the epoch (so the edge (j, k) pulls j
 * towards k's snapshot, and its twin (k, j), sampled on the same schedule, pulls k; the pull counts
 * twice, as umap-learn's move_other does). Each point draws its negative samples from its own
 * xorshift state. A point's moves thus depend only on the snapshot and its own edges, so any split of
 * the points over threads (umap-optimize.ts) gives the same layout bit for bit, seed for seed. The
 * coefficients come from tables over the squared distance (gradientTables) instead of exp and log.
 * The epoch kernel itself is generated per layout dimension (umap-sgd-kernel.ts).
 */
import type { FuzzyGraph } from './fuzzy-graph';
import { sgdKernel } from './umap-sgd-kernel';

/** Epochs between two samples of each edge: max weight / weight; edges below max / nEpochs are dropped (−1). */
export function epochsPerSample(weight: Float32Array, nEpochs: number): Float64Array {
  let max = 0;
  for (const w of weight) if (w > max) max = w;
  const out = new Float64Array(weight.length);
  for (let e = 0; e < weight.length; e++) {
    const samples = (nEpochs * weight[e]) / max;
    out[e] = weight[e] >= max / nEpochs && samples > 0 ? nEpochs / samples : -1;
  }
  return out;
}

/**
 * Everything one epoch reads and writes, in arrays that may live in shared memory. Edges are grouped
 * by head in increasing order; `rowStart[i]` is point i's first edge (n + 1 entries).
 */
export interface SgdState {
  n: number;
  dim: number;
  /** The layout being optimised, n × dim. */
  current: Float32Array;
  /** Its copy at the start of the epoch. */
  snapshot: Float32Array;
  rowStart: Int32Array;
  tail: Int32Array;
  epochsPerSample: Float64Array;
  nextSample: Float64Array;
  epochsPerNegative: Float64Array;
  nextNegative: Float64Array;
  /** Per point xorshift32 state for its negative samples. */
  rng: Int32Array;
  /** The attraction and repulsion coefficients tabulated over squared distances (gradientTables). */
  tables: Float64Array;
}

/**
 * The kernel's coefficients as functions of the squared distance q, tabulated: attraction
 * −2ab·q^(b−1) / (1 + a·q^b) and repulsion 2γb / ((0.001 + q)(1 + a·q^b)), at the float32 values of
 * q whose 8 leading mantissa bits are set and the rest zero, for q in [2^−20, 2^20) (256 steps per
 * octave; linear interpolation within a step is accurate to about 1e-5 relative). Outside that range
 * the kernel computes them exactly. This spares an exp and a log per sample: most of its cost.
 */
export const TABLE_BASE = 107 << 8; // float32 exponent field of 2^−20, times 256
export const TABLE_SIZE = 40 << 8; // 40 octaves

export function gradientTables(a: number, b: number, gamma: number): Float64Array {
  const f32 = new Float32Array(1);
  const u32 = new Uint32Array(f32.buffer);
  const out = new Float64Array(2 * (TABLE_SIZE + 1));
  for (let t = 0; t <= TABLE_SIZE; t++) {
    u32[0] = (t + TABLE_BASE) << 15;
    const q = f32[0];
    const pb = Math.pow(q, b);
    out[t] = (-2 * a * b * pb) / q / (a * pb + 1);
    out[TABLE_SIZE + 1 + t] = (2 * gamma * b) / ((0.001 + q) * (a * pb + 1));
  }
  return out;
}

/** The sampled edges of `graph` (the others dropped), their schedules and the per-point generators, in fresh arrays made by `alloc`. */
export function createSgdState(
  graph: FuzzyGraph,
  layout: Float32Array,
  dim: number,
  nEpochs: number,
  seed: number,
  negativeSampleRate: number,
  curve: { a: number; b: number; gamma: number },
  alloc: (bytes: number) => ArrayBufferLike = (bytes) => new ArrayBuffer(bytes),
): SgdState {
  const { n, head } = graph;
  const perSample = epochsPerSample(graph.weight, nEpochs);
  let m = 0;
  for (const p of perSample) if (p > 0) m++;
  const f32 = (len: number) => new Float32Array(alloc(4 * len));
  const f64 = (len: number) => new Float64Array(alloc(8 * len));
  const i32 = (len: number) => new Int32Array(alloc(4 * len));
  const state: SgdState = {
    n,
    dim,
    current: f32(n * dim),
    snapshot: f32(n * dim),
    rowStart: i32(n + 1),
    tail: i32(m),
    epochsPerSample: f64(m),
    nextSample: f64(m),
    epochsPerNegative: f64(m),
    nextNegative: f64(m),
    rng: i32(n),
    tables: f64(2 * (TABLE_SIZE + 1)),
  };
  state.tables.set(gradientTables(curve.a, curve.b, curve.gamma));
  state.current.set(layout);
  for (let e = 0, t = 0; e < perSample.length; e++) {
    if (!(perSample[e] > 0)) continue;
    state.rowStart[head[e] + 1]++;
    state.tail[t] = graph.tail[e];
    state.epochsPerSample[t] = perSample[e];
    state.nextSample[t] = perSample[e];
    state.epochsPerNegative[t] = perSample[e] / negativeSampleRate;
    state.nextNegative[t] = perSample[e] / negativeSampleRate;
    t++;
  }
  for (let i = 0; i < n; i++) state.rowStart[i + 1] += state.rowStart[i];
  // Distinct non-zero generator states (a multiplicative hash of seed and point).
  for (let i = 0; i < n; i++) state.rng[i] = (Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(i + 1, 0xc2b2ae35)) | 1;
  return state;
}

/** Runs the epoch kernel (umap-sgd-kernel.ts) on one range of points of `state` (the single-thread path, and the main thread's share). */
export function runEpochRange(state: SgdState, from: number, to: number, params: Float64Array): void {
  sgdKernel(state.dim)(state.current, state.snapshot, state.dim, state.n, state.rowStart, state.tail, state.epochsPerSample, state.nextSample, state.epochsPerNegative, state.nextNegative, state.rng, state.tables, from, to, params);
}
