/**
 * Random-projection trees for angular (cosine) data, the initialisation of NN-descent: a node is
 * split by the hyperplane through the origin that is equidistant from two of its rows picked at
 * random (normal a − b for unit rows a, b), until a node holds at most `leafSize` rows. Rows in a
 * leaf are likely near each other, so comparing every pair inside each leaf of a few trees gives a
 * first kNN graph that NN-descent then improves (Dasgupta & Freund 2008; pynndescent uses the same).
 */
import type { Rng } from '../util/random';
import type { RowDots } from './simd-dots';

/** The leaves of one tree: leaf t holds rows order[starts[t] .. starts[t + 1]). */
export interface RpLeaves {
  order: Int32Array;
  starts: Int32Array;
}

/**
 * Builds one tree over the unit rows `data` (n × d; `dots` computes products with them) and returns its leaves. Rows with equal
 * projections (duplicates, or a degenerate hyperplane) are sent to a random side, and a split that
 * leaves one side empty falls back to a random halving, so every leaf ends with at most
 * `leafSize` rows even when many rows are identical.
 */
export function angularRpTreeLeaves(data: Float32Array, n: number, d: number, leafSize: number, rng: Rng, dots: RowDots): RpLeaves {
  if (leafSize < 2) throw new Error(`rp-tree: leaf size must be at least 2, got ${leafSize}`);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const scratch = new Int32Array(n);
  const normal = new Float32Array(d);
  const proj = new Float64Array(n);
  const starts: number[] = [];
  // Explicit stack of [start, end) ranges; the right child is pushed first so leaves come out left to right.
  const stack: number[] = [0, n];
  while (stack.length > 0) {
    const end = stack.pop()!;
    const start = stack.pop()!;
    const size = end - start;
    if (size <= leafSize) {
      starts.push(start);
      continue;
    }
    const a = order[start + Math.floor(rng() * size)];
    let b = order[start + Math.floor(rng() * size)];
    for (let tries = 0; b === a && tries < 8; tries++) b = order[start + Math.floor(rng() * size)];
    for (let t = 0; t < d; t++) normal[t] = data[a * d + t] - data[b * d + t];
    dots.vector(normal, order.subarray(start, end), size, proj);
    // Partition: left rows to the front of scratch, right rows to the back.
    let left = 0;
    let right = size;
    for (let t = 0; t < size; t++) {
      const p = proj[t];
      const goLeft = p > 1e-8 ? true : p < -1e-8 ? false : rng() < 0.5;
      if (goLeft) scratch[left++] = order[start + t];
      else scratch[--right] = order[start + t];
    }
    if (left === 0 || left === size) {
      // Degenerate split: random halves.
      for (let t = 0; t < size; t++) scratch[t] = order[start + t];
      for (let t = size - 1; t > 0; t--) {
        const u = Math.floor(rng() * (t + 1));
        const tmp = scratch[t];
        scratch[t] = scratch[u];
        scratch[u] = tmp;
      }
      left = size >> 1;
    }
    for (let t = 0; t < size; t++) order[start + t] = scratch[t];
    stack.push(start + left, end, start, start + left);
  }
  starts.push(n);
  return { order, starts: Int32Array.from(starts) };
}
