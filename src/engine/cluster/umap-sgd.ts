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
 * the points over threads (umap-worker-pool.ts) gives the same layout bit for bit, seed for seed.
 * The kernel is written without closures or imports: the worker threads run its source text.
 */
import type { FuzzyGraph } from './fuzzy-graph';

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
}

/** The sampled edges of `graph` (the others dropped), their schedules and the per-point generators, in fresh arrays made by `alloc`. */
export function createSgdState(
  graph: FuzzyGraph,
  layout: Float32Array,
  dim: number,
  nEpochs: number,
  seed: number,
  negativeSampleRate: number,
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
  };
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

/**
 * One epoch for the points [from, to): attraction along their sampled edges and repulsion from their
 * negative samples, reading the other points from `snapshot`. `params` is [epoch, alpha, a, b, gamma].
 * Self-contained (no closures, no imports): umap-worker-pool.ts runs its source in worker threads.
 */
export function sgdEpoch(
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
        const pb = Math.exp(b * Math.log(d2)); // d2^b (faster than Math.pow in V8)
        const coeff = (-2 * a * b * pb) / d2 / (a * pb + 1);
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
        const coeff = (2 * gamma * b) / ((0.001 + q2) * (a * Math.exp(b * Math.log(q2)) + 1));
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

/** Runs `sgdEpoch` on one range of points of `state` (the single-thread path, and the main thread's share). */
export function runEpochRange(state: SgdState, from: number, to: number, params: Float64Array): void {
  sgdEpoch(state.current, state.snapshot, state.dim, state.n, state.rowStart, state.tail, state.epochsPerSample, state.nextSample, state.epochsPerNegative, state.nextNegative, state.rng, from, to, params);
}
