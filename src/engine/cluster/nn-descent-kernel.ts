/**
 * The two steps of one block of NN-descent local joins, as self-contained source text that the main
 * thread and nn-descent-threads.ts's worker threads compile alike (no closures, no imports):
 *  - join: for the rows [from, to), compares each row's candidate pairs (new×new, new×old) and records
 *    every offer (row, id, distance) that could enter a row, in the order the single-threaded loop
 *    would make it. The filter reads each row's worst distance as it stands before the block; since a
 *    row's worst only decreases, an offer it drops would have been refused by the row anyway;
 *  - apply: offers the recorded entries of every thread's list, in thread order, to the rows
 *    [lo, hi) that this thread owns.
 * The pairs inside the leaves of the RP trees that start the graph go the same way (leaves).
 * Each row thus receives the same offers in the same order as one thread gives it, whatever the
 * number of threads and the block boundaries, so the graph is the same bit for bit.
 */

/** Gathered dot products: out[t] = row a · row ids[t] for t < count, after the caller filled ids. */
export interface GatherDots {
  ids: Int32Array;
  out: Float32Array | Float64Array;
  rows(a: number, count: number): void;
}

/** A thread's list of offers: parallel arrays and how many are filled. */
export interface OfferList {
  rows: Int32Array;
  ids: Int32Array;
  dists: Float64Array;
}

/** The sampled candidates of one round: per row, up to `max` new and `max` old ids with their priorities. */
export interface CandidateArrays {
  newIds: Int32Array;
  oldIds: Int32Array;
  newPri: Float32Array;
  oldPri: Float32Array;
  newCount: Int32Array;
  oldCount: Int32Array;
  max: number;
}

/** The heaps' flat arrays (neighbour-heaps.ts). */
export interface HeapArrays {
  ids: Int32Array;
  dists: Float32Array;
  fresh: Uint8Array;
  k: number;
}

export interface JoinKernel {
  /** Records the offers of rows [from, to) into `list`; returns how many. `list` must hold offersPerRow(max) per row. */
  join(from: number, to: number, cands: CandidateArrays, heaps: HeapArrays, dots: GatherDots, list: OfferList): number;
  /**
   * Records the offers of every pair inside the leaves [l0, l1) of an RP tree (leaf t: rows
   * order[starts[t] .. starts[t + 1])), both ways, in the order nn-descent.ts's first graph made them.
   */
  leaves(l0: number, l1: number, order: Int32Array, starts: Int32Array, heaps: HeapArrays, dots: GatherDots, list: OfferList): number;
  /**
   * Rebuilds the candidate lists of rows [lo, hi): every heap entry (i → j) of the whole graph, at
   * priority draws[slot], offers j to row i and i to row j, into the new lists if the entry is fresh,
   * else the old ones, in slot order; each list keeps the `max` lowest priorities (a fair sample of
   * large reverse lists). Each row gets its offers in the same order whichever thread owns it.
   */
  sample(lo: number, hi: number, heaps: HeapArrays, cands: CandidateArrays, draws: Float64Array): void;
  /** Rows [lo, hi): entries sampled as new take part in this round's join, so they are old from now on (after every sample call). */
  markSampled(lo: number, hi: number, heaps: HeapArrays, cands: CandidateArrays): void;
  /** Offers lists[t]'s first counts[t] entries (t in order) to the rows [lo, hi); returns how many entered. */
  apply(lo: number, hi: number, lists: OfferList[], counts: Int32Array, heaps: HeapArrays): number;
  /**
   * Sets each entry of rows [lo, hi) to 1 − the float64 dot product of the two rows (rows n × width,
   * d ≤ width used), summed in index order as dots.ts's gatherDots does.
   */
  exact(lo: number, hi: number, rows: Float32Array, width: number, d: number, heaps: HeapArrays): void;
  /** The GatherDots of simd-dots.ts's shared kernel for one thread's scratch. */
  simdDots(dots: (a: number, ids: number, count: number, stride: number, out: number, base: number) => void, buffer: SharedArrayBuffer, stride: number, idsOff: number, outOff: number, maxCount: number): GatherDots;
}

/** Most offers one row's join can record with `max` new and `max` old candidates: both directions of every pair. */
export function offersPerRow(max: number): number {
  return 2 * ((max * (max - 1)) / 2 + max * max);
}

export const JOIN_KERNEL_SOURCE = `(function () {
  "use strict";
  function join(from, to, cands, heaps, dots, list) {
    const newIds = cands.newIds, oldIds = cands.oldIds, newCount = cands.newCount, oldCount = cands.oldCount, max = cands.max;
    const worst = heaps.dists, k = heaps.k;
    const others = dots.ids, out = dots.out;
    const rows = list.rows, ids = list.ids, dists = list.dists;
    let n = 0;
    for (let i = from; i < to; i++) {
      const nb = i * max;
      const nc = newCount[i];
      const oc = oldCount[i];
      for (let p = 0; p < nc; p++) {
        const a = newIds[nb + p];
        let count = 0;
        for (let q = p + 1; q < nc; q++) others[count++] = newIds[nb + q];
        for (let q = 0; q < oc; q++) {
          const b = oldIds[nb + q];
          if (b !== a) others[count++] = b;
        }
        if (count === 0) continue;
        dots.rows(a, count);
        const worstA = worst[a * k];
        for (let t = 0; t < count; t++) {
          const dist = 1 - out[t];
          const b = others[t];
          if (dist < worstA) { rows[n] = a; ids[n] = b; dists[n] = dist; n++; }
          if (dist < worst[b * k]) { rows[n] = b; ids[n] = a; dists[n] = dist; n++; }
        }
      }
    }
    return n;
  }
  function leaves(l0, l1, order, starts, heaps, dots, list) {
    const worst = heaps.dists, k = heaps.k;
    const others = dots.ids, out = dots.out;
    const rows = list.rows, ids = list.ids, dists = list.dists;
    let n = 0;
    for (let leaf = l0; leaf < l1; leaf++) {
      const e = starts[leaf + 1];
      for (let p = starts[leaf]; p < e - 1; p++) {
        const a = order[p];
        const count = e - p - 1;
        for (let t = 0; t < count; t++) others[t] = order[p + 1 + t];
        dots.rows(a, count);
        for (let t = 0; t < count; t++) {
          const dist = 1 - out[t];
          const b = others[t];
          if (dist < worst[a * k]) { rows[n] = a; ids[n] = b; dists[n] = dist; n++; }
          if (dist < worst[b * k]) { rows[n] = b; ids[n] = a; dists[n] = dist; n++; }
        }
      }
    }
    return n;
  }
  // Offers candidate id at priority p to row i of a candidate list: kept, the max lowest priorities
  // (a max-heap on priority per row), no duplicates.
  function offer(ids, pri, count, max, i, id, p) {
    const base = i * max;
    const c = count[i];
    for (let t = base; t < base + c; t++) if (ids[t] === id) return;
    if (c < max) {
      let q = c;
      while (q > 0) {
        const parent = (q - 1) >> 1;
        if (!(pri[base + parent] < p)) break;
        pri[base + q] = pri[base + parent];
        ids[base + q] = ids[base + parent];
        q = parent;
      }
      pri[base + q] = p;
      ids[base + q] = id;
      count[i] = c + 1;
      return;
    }
    if (!(p < pri[base])) return;
    let q = 0;
    for (;;) {
      const l = 2 * q + 1;
      if (l >= max) break;
      const r = l + 1;
      const m = r < max && pri[base + r] > pri[base + l] ? r : l;
      if (!(pri[base + m] > p)) break;
      pri[base + q] = pri[base + m];
      ids[base + q] = ids[base + m];
      q = m;
    }
    pri[base + q] = p;
    ids[base + q] = id;
  }
  function sample(lo, hi, heaps, cands, draws) {
    const hIds = heaps.ids, fresh = heaps.fresh, k = heaps.k;
    const newIds = cands.newIds, oldIds = cands.oldIds, newPri = cands.newPri, oldPri = cands.oldPri, newCount = cands.newCount, oldCount = cands.oldCount, max = cands.max;
    const n = newCount.length;
    for (let r = lo; r < hi; r++) { newCount[r] = 0; oldCount[r] = 0; }
    for (let i = 0; i < n; i++) {
      const mine = i >= lo && i < hi;
      for (let t = i * k; t < (i + 1) * k; t++) {
        const j = hIds[t];
        if (j < 0) continue;
        const p = draws[t];
        if (fresh[t] === 1) {
          if (mine) offer(newIds, newPri, newCount, max, i, j, p);
          if (j >= lo && j < hi) offer(newIds, newPri, newCount, max, j, i, p);
        } else {
          if (mine) offer(oldIds, oldPri, oldCount, max, i, j, p);
          if (j >= lo && j < hi) offer(oldIds, oldPri, oldCount, max, j, i, p);
        }
      }
    }
  }
  function markSampled(lo, hi, heaps, cands) {
    const hIds = heaps.ids, fresh = heaps.fresh, k = heaps.k;
    const newIds = cands.newIds, newCount = cands.newCount, max = cands.max;
    for (let i = lo; i < hi; i++) {
      const c0 = i * max;
      const c1 = c0 + newCount[i];
      for (let t = i * k; t < (i + 1) * k; t++) {
        if (fresh[t] !== 1) continue;
        const j = hIds[t];
        for (let c = c0; c < c1; c++) {
          if (newIds[c] === j) {
            fresh[t] = 0;
            break;
          }
        }
      }
    }
  }
  // NeighbourHeaps.push (neighbour-heaps.ts), on the flat arrays.
  function push(hIds, hDists, fresh, k, i, dist, id) {
    const base = i * k;
    if (!(dist < hDists[base])) return 0;
    for (let t = base; t < base + k; t++) if (hIds[t] === id) return 0;
    let p = 0;
    for (;;) {
      const l = 2 * p + 1;
      if (l >= k) break;
      const r = l + 1;
      const c = r < k && hDists[base + r] > hDists[base + l] ? r : l;
      if (!(hDists[base + c] > dist)) break;
      hDists[base + p] = hDists[base + c];
      hIds[base + p] = hIds[base + c];
      fresh[base + p] = fresh[base + c];
      p = c;
    }
    hDists[base + p] = dist;
    hIds[base + p] = id;
    fresh[base + p] = 1;
    return 1;
  }
  function apply(lo, hi, lists, counts, heaps) {
    const hIds = heaps.ids, hDists = heaps.dists, fresh = heaps.fresh, k = heaps.k;
    let updates = 0;
    for (let t = 0; t < lists.length; t++) {
      const rows = lists[t].rows, ids = lists[t].ids, dists = lists[t].dists;
      const n = counts[t];
      for (let e = 0; e < n; e++) {
        const r = rows[e];
        if (r < lo || r >= hi) continue;
        updates += push(hIds, hDists, fresh, k, r, dists[e], ids[e]);
      }
    }
    return updates;
  }
  function exact(lo, hi, rows, width, d, heaps) {
    const ids = heaps.ids, dists = heaps.dists, k = heaps.k;
    for (let i = lo; i < hi; i++) {
      const oa = i * width;
      for (let t = i * k; t < (i + 1) * k; t++) {
        const ob = ids[t] * width;
        let s = 0;
        for (let u = 0; u < d; u++) s += rows[oa + u] * rows[ob + u];
        dists[t] = 1 - s;
      }
    }
  }
  function simdDots(dots, buffer, stride, idsOff, outOff, maxCount) {
    const ids = new Int32Array(buffer, idsOff, maxCount);
    const out = new Float32Array(buffer, outOff, maxCount);
    return { ids, out, rows: (a, count) => dots(a * stride, idsOff, count, stride, outOff, 0) };
  }
  return { join, leaves, apply, exact, sample, markSampled, simdDots };
})()`;

let compiled: JoinKernel | undefined;

/** The kernel compiled on this thread. */
export function joinKernel(): JoinKernel {
  // Indirect eval of our own constant text (no outside data in it): global-scope functions.
  compiled ??= (0, eval)(JOIN_KERNEL_SOURCE) as JoinKernel;
  return compiled;
}
