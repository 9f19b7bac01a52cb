/**
 * One k-means restart (greedy k-means++ seeding, then Lloyd's iterations with Hamerly's bounds) as
 * self-contained source text that the main thread and kmeans-threads.ts's worker threads compile
 * alike (no closures, no imports). The rows live in one WebAssembly memory, padded to `width`
 * floats, and every dot product goes through simd-dots.ts's kernel `dots(a, ids, count, stride,
 * out, base)` (float32 sums over 16 lanes), or its scalar stand-in where WebAssembly SIMD is
 * missing. A restart reads nothing but its task (its random draws, or its start centroids) and
 * the rows, so its result is the same bit for bit on whichever thread runs it.
 *
 * Lloyd's iterations with Hamerly's bounds: each point keeps an upper bound on its distance to
 * its centroid and a lower bound on its distance to every other one; when the centroids move, the
 * bounds widen by how far they moved, and a point whose upper bound stays below its lower bound
 * keeps its cluster without any distance computed. The points whose bounds overlap are gathered
 * per block and their distances to the k centroids computed by the SIMD kernel. The cluster sums
 * are updated for the points that change cluster only, and the inertia comes from them
 * (Σ‖x‖² − 2c·S + n‖c‖² per cluster). Same assignments as plain Lloyd's (up to rounding in near ties).
 */

/** The rows one restart runs on: `n` padded rows from byte `base`, and their float64 squared norms. */
export interface KMeansRows {
  base: number;
  n: number;
  norms: Float64Array;
}

/** One thread's view of the memory: the dot kernel and its scratch (centroid rows, ids, products). */
export interface KMeansScratch {
  dots: (a: number, ids: number, count: number, stride: number, out: number, base: number) => void;
  /** Float32 view of the whole memory. */
  f32: Float32Array;
  /** Int32 view of the whole memory. */
  i32: Int32Array;
  /** Bytes per padded row (a multiple of 64). */
  stride: number;
  /** Real coordinates per row (≤ stride / 4). */
  cols: number;
  k: number;
  /** Points per block of products. */
  block: number;
  /** Byte offset of 0, 1, 2, … (at least as many as the largest row set). */
  iotaAt: number;
  /** Byte offsets of this thread's k centroid rows, `block` ids and k × `block` products. */
  centAt: number;
  idsAt: number;
  outAt: number;
}

/** What one restart starts from: k-means++ draws (1 + (k − 1)·trials uniforms in [0, 1)), or centroids (k × cols). */
export interface KMeansTask {
  draws?: Float64Array;
  start?: Float32Array;
}

export interface KMeansRun {
  labels: Int32Array;
  /** k × cols. */
  centroids: Float32Array;
  inertia: number;
  iterations: number;
}

/** A restart in progress (opaque to the caller). */
export type KMeansState = object;

export interface KMeansKernel {
  /** Draws one k-means++ seeding takes for k centres. */
  drawsPerSeeding(k: number): number;
  start(s: KMeansScratch, rows: KMeansRows, task: KMeansTask, maxIter: number, tol: number): KMeansState;
  /** Runs up to `iterations` more iterations; true once converged or out of iterations. */
  step(s: KMeansScratch, state: KMeansState, iterations: number): boolean;
  /** The final assignment against the final centroids (labels and inertia agree). */
  finish(s: KMeansScratch, state: KMeansState): KMeansRun;
  /** A stand-in for the SIMD kernel on `buffer` (sums in float64, stored as float32), where WebAssembly SIMD is missing. */
  scalarDots(buffer: ArrayBufferLike): KMeansScratch['dots'];
}

export const KMEANS_KERNEL_SOURCE = `(function () {
  "use strict";
  function drawsPerSeeding(k) {
    return 1 + (k - 1) * (2 + Math.floor(Math.log(k)));
  }
  function centroidNorms(c, k, cols) {
    const out = new Float64Array(k);
    for (let a = 0; a < k; a++) {
      let t = 0;
      for (let j = 0, o = a * cols; j < cols; j++) t += c[o + j] * c[o + j];
      out[a] = t;
    }
    return out;
  }
  function putCentroids(s, c) {
    const width = s.stride >> 2, at = s.centAt >> 2;
    for (let a = 0; a < s.k; a++) for (let j = 0; j < s.cols; j++) s.f32[at + a * width + j] = c[a * s.cols + j];
  }
  function copyRow(s, rows, i, c, a) {
    const o = (rows.base >> 2) + i * (s.stride >> 2);
    for (let j = 0; j < s.cols; j++) c[a * s.cols + j] = s.f32[o + j];
  }
  // Greedy k-means++ (scikit-learn's default): each new centre is the best of 2 + floor(ln k)
  // candidates drawn with probability proportional to D², the one that lowers the total D² most.
  function seed(s, rows, draws) {
    const n = rows.n, k = s.k, norms = rows.norms, block = s.block, stride = s.stride;
    const out = new Float32Array(s.f32.buffer, s.outAt, block);
    const trials = 2 + Math.floor(Math.log(k));
    const c = new Float32Array(k * s.cols);
    let u = 0;
    const first = Math.min(n - 1, Math.floor(draws[u++] * n));
    copyRow(s, rows, first, c, 0);
    const distancesTo = (p, current, d2) => {
      let total = 0;
      const np = norms[p];
      for (let i0 = 0; i0 < n; i0 += block) {
        const count = Math.min(block, n - i0);
        s.dots(rows.base + p * stride, s.iotaAt + 4 * i0, count, stride, s.outAt, rows.base);
        for (let t = 0; t < count; t++) {
          const i = i0 + t;
          let v = norms[i] + np - 2 * out[t];
          if (v < 0 || i === p) v = 0;
          d2[i] = current && current[i] < v ? current[i] : v;
          total += d2[i];
        }
      }
      return total;
    };
    let d2 = new Float64Array(n);
    let potential = distancesTo(first, undefined, d2);
    let candidate = new Float64Array(n);
    let best = new Float64Array(n);
    for (let a = 1; a < k; a++) {
      let bestPick = -1;
      let bestPotential = Infinity;
      for (let t = 0; t < trials; t++) {
        let target = draws[u++] * potential;
        let pick = n - 1;
        for (let i = 0; i < n; i++) {
          target -= d2[i];
          if (target <= 0) { pick = i; break; }
        }
        const total = distancesTo(pick, d2, candidate);
        if (total < bestPotential) {
          bestPotential = total;
          bestPick = pick;
          const swap = best; best = candidate; candidate = swap;
        }
      }
      copyRow(s, rows, bestPick, c, a);
      const swap = d2; d2 = best; best = swap;
      potential = bestPotential;
    }
    return c;
  }
  function start(s, rows, task, maxIter, tol) {
    const n = rows.n, k = s.k, cols = s.cols;
    const centroids = task.start ? Float32Array.from(task.start) : seed(s, rows, task.draws);
    return {
      rows, maxIter, tol, centroids, iter: 0, done: false, inertia: Infinity,
      labels: new Int32Array(n).fill(-1),
      upper: new Float64Array(n).fill(Infinity),
      lower: new Float64Array(n),
      sums: new Float64Array(k * cols),
      counts: new Int32Array(k),
      normSums: new Float64Array(k),
    };
  }
  // The products of the points in [i0, i0 + count) (ids null) or ids[0..count) with the k centroids
  // (already in the scratch): out[a * block + t].
  function centroidDots(s, rows, idsAt, count) {
    for (let a = 0; a < s.k; a++) s.dots(s.centAt + a * s.stride, idsAt, count, s.stride, s.outAt + 4 * a * s.block, rows.base);
  }
  function iterate(s, st) {
    const rows = st.rows, n = rows.n, norms = rows.norms, k = s.k, cols = s.cols, block = s.block;
    const width = s.stride >> 2, base = rows.base >> 2, f32 = s.f32;
    const labels = st.labels, upper = st.upper, lower = st.lower, sums = st.sums, counts = st.counts, normSums = st.normSums;
    const centroids = st.centroids;
    const cNorms = centroidNorms(centroids, k, cols);
    putCentroids(s, centroids);
    const out = new Float32Array(f32.buffer, s.outAt, k * block);
    const ids = new Int32Array(f32.buffer, s.idsAt, block);
    const first = st.iter === 0;
    let moved = 0;
    for (let i0 = 0; i0 < n; i0 += block) {
      const i1 = Math.min(n, i0 + block);
      // The first pass computes every distance; later passes only those of the points whose bounds overlap.
      let count = 0;
      if (first) {
        count = i1 - i0;
        centroidDots(s, rows, s.iotaAt + 4 * i0, count);
      } else {
        for (let i = i0; i < i1; i++) if (upper[i] > lower[i]) ids[count++] = i;
        if (count === 0) continue;
        centroidDots(s, rows, s.idsAt, count);
      }
      for (let t = 0; t < count; t++) {
        const i = first ? i0 + t : ids[t];
        let bestC = 0, bestD = Infinity, secondD = Infinity;
        for (let a = 0; a < k; a++) {
          const d = Math.max(0, norms[i] - 2 * out[a * block + t] + cNorms[a]);
          if (d < bestD) { secondD = bestD; bestD = d; bestC = a; }
          else if (d < secondD) secondD = d;
        }
        upper[i] = Math.sqrt(bestD);
        lower[i] = Math.sqrt(secondD);
        const was = labels[i];
        if (was === bestC) continue;
        moved++;
        const o = base + i * width;
        const cb = bestC * cols;
        if (was >= 0) {
          counts[was]--;
          normSums[was] -= norms[i];
          for (let j = 0, cw = was * cols; j < cols; j++) {
            const v = f32[o + j];
            sums[cw + j] -= v;
            sums[cb + j] += v;
          }
        } else for (let j = 0; j < cols; j++) sums[cb + j] += f32[o + j];
        counts[bestC]++;
        normSums[bestC] += norms[i];
        labels[i] = bestC;
      }
    }
    // The inertia of this assignment to the centroids it was made with.
    let newInertia = 0;
    for (let a = 0; a < k; a++) {
      let dot = 0;
      for (let j = 0, co = a * cols; j < cols; j++) dot += centroids[co + j] * sums[co + j];
      newInertia += Math.max(0, normSums[a] - 2 * dot + counts[a] * cNorms[a]);
    }
    const next = new Float32Array(k * cols);
    for (let a = 0; a < k; a++) {
      if (counts[a] === 0) {
        // An empty cluster takes the point farthest from its centroid.
        let far = 0, farD = -1;
        for (let i = 0; i < n; i++) {
          let d2 = 0;
          for (let j = 0, o = base + i * width, co = labels[i] * cols; j < cols; j++) {
            const d = f32[o + j] - centroids[co + j];
            d2 += d * d;
          }
          if (d2 > farD) { farD = d2; far = i; }
        }
        for (let j = 0; j < cols; j++) next[a * cols + j] = f32[base + far * width + j];
      } else for (let j = 0; j < cols; j++) next[a * cols + j] = sums[a * cols + j] / counts[a];
    }
    // Widen the bounds by how far the centroids moved, plus a little slack for the rounding of
    // the distances from float32 dot products.
    const shift = new Float64Array(k);
    let maxShift = 0;
    for (let a = 0; a < k; a++) {
      let d2 = 0;
      for (let j = 0, co = a * cols; j < cols; j++) {
        const d = next[co + j] - centroids[co + j];
        d2 += d * d;
      }
      shift[a] = Math.sqrt(d2);
      if (shift[a] > maxShift) maxShift = shift[a];
    }
    const slack = 1e-6;
    for (let i = 0; i < n; i++) {
      upper[i] += shift[labels[i]] + slack;
      lower[i] -= maxShift + slack;
    }
    st.centroids = next;
    // Converged when no point changes cluster (the centroids then stay put), or when the inertia
    // has stopped moving (tol, relative).
    const converged = (st.iter > 0 && moved === 0) || (Number.isFinite(st.inertia) && Math.abs(st.inertia - newInertia) <= st.tol * Math.max(1, st.inertia));
    st.inertia = newInertia;
    st.iter++;
    return converged;
  }
  function step(s, st, iterations) {
    for (let t = 0; t < iterations && !st.done; t++) {
      if (iterate(s, st) || st.iter >= st.maxIter) st.done = true;
    }
    return st.done;
  }
  function finish(s, st) {
    const rows = st.rows, n = rows.n, norms = rows.norms, k = s.k, block = s.block;
    const centroids = st.centroids, labels = st.labels;
    const cNorms = centroidNorms(centroids, k, s.cols);
    putCentroids(s, centroids);
    const out = new Float32Array(s.f32.buffer, s.outAt, k * block);
    let inertia = 0;
    for (let i0 = 0; i0 < n; i0 += block) {
      const count = Math.min(block, n - i0);
      centroidDots(s, rows, s.iotaAt + 4 * i0, count);
      for (let t = 0; t < count; t++) {
        const i = i0 + t;
        let bestC = 0, bestD = Infinity;
        for (let a = 0; a < k; a++) {
          const d = norms[i] - 2 * out[a * block + t] + cNorms[a];
          if (d < bestD) { bestD = d; bestC = a; }
        }
        labels[i] = bestC;
        inertia += Math.max(0, bestD);
      }
    }
    return { labels, centroids, inertia, iterations: Math.max(1, st.iter) };
  }
  function scalarDots(buffer) {
    const f32 = new Float32Array(buffer), i32 = new Int32Array(buffer);
    return (a, ids, count, stride, out, base) => {
      const w = stride >> 2, ao = a >> 2;
      for (let t = 0; t < count; t++) {
        const ro = (base >> 2) + i32[(ids >> 2) + t] * w;
        let sum = 0;
        for (let u = 0; u < w; u++) sum += f32[ao + u] * f32[ro + u];
        f32[(out >> 2) + t] = sum;
      }
    };
  }
  return { drawsPerSeeding, start, step, finish, scalarDots };
})()
//# sourceURL=kmeans-kernel.js
`;

let compiled: KMeansKernel | undefined;

/** The kernel compiled on this thread. */
export function kmeansKernel(): KMeansKernel {
  // Indirect eval of our own constant text (no outside data in it): global-scope functions.
  compiled ??= (0, eval)(KMEANS_KERNEL_SOURCE) as KMeansKernel;
  return compiled;
}
