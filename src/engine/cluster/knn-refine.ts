/**
 * Improves an approximate cosine kNN graph by looking at neighbours of neighbours, the local join
 * of NN-descent (Dong, Moses & Li 2011): a point's true neighbours are likely among its neighbours'
 * neighbours and among the points that list it. Each round compares every point with those
 * candidates (only pairs that involve an entry new since the last round) and keeps the better ones,
 * on both sides of each pair. A round costs about n·k² dot products; rounds stop once few entries
 * change.
 */
import { checkpoint, type JobOptions } from '../util/job';
import { gatherDots } from './dots';

/**
 * A kNN graph under construction over rows 0..n−1: per row the k best (smallest cosine distance)
 * entries, sorted, without duplicates, each flagged "new" until a round has used it.
 */
export class NeighbourRows {
  readonly keys: Float64Array;
  readonly ids: Int32Array;
  readonly fresh: Uint8Array;
  constructor(readonly n: number, readonly k: number) {
    this.keys = new Float64Array(n * k).fill(Infinity);
    this.ids = new Int32Array(n * k).fill(-1);
    this.fresh = new Uint8Array(n * k);
  }

  /** Offers `id` at distance `key` to row i; true when it entered the row. */
  push(i: number, key: number, id: number): boolean {
    const k = this.k;
    const base = i * k;
    if (!(key < this.keys[base + k - 1])) return false;
    for (let t = 0; t < k; t++) if (this.ids[base + t] === id) return false;
    let p = k - 1;
    while (p > 0 && this.keys[base + p - 1] > key) {
      this.keys[base + p] = this.keys[base + p - 1];
      this.ids[base + p] = this.ids[base + p - 1];
      this.fresh[base + p] = this.fresh[base + p - 1];
      p--;
    }
    this.keys[base + p] = key;
    this.ids[base + p] = id;
    this.fresh[base + p] = 1;
    return true;
  }
}

export interface RefineOptions extends JobOptions {
  /** Most rounds (default 2). */
  maxRounds?: number;
  /** Stop when a round changes fewer than this share of the n·k entries (default 0.002). */
  minUpdateShare?: number;
  /** Reverse neighbours considered per point (default k). */
  maxReverse?: number;
}

/**
 * Refines `graph` in place over the normalised rows `data` (n × d). Returns the number of rounds run.
 */
export async function refineKnn(graph: NeighbourRows, data: Float32Array, d: number, options: RefineOptions = {}): Promise<number> {
  const { n, k } = graph;
  const maxRounds = options.maxRounds ?? 2;
  const minUpdates = Math.max(1, Math.round((options.minUpdateShare ?? 0.002) * n * k));
  const maxReverse = options.maxReverse ?? k;
  const seen = new Int32Array(n).fill(-1);
  const candidates = new Int32Array(k * k + maxReverse * (k + 1) + 1);
  const dots = new Float64Array(candidates.length);
  let rounds = 0;
  for (; rounds < maxRounds; rounds++) {
    // Candidates come from the graph as the round starts (rows shift as entries are pushed).
    const ids = graph.ids.slice();
    const wasFresh = graph.fresh.slice();
    graph.fresh.fill(0);
    const reverse = reverseLists(ids, n, k, maxReverse);
    let updates = 0;
    let last = performance.now();
    for (let i = 0; i < n; i++) {
      seen[i] = i;
      const base = i * k;
      for (let t = 0; t < k; t++) if (graph.ids[base + t] >= 0) seen[graph.ids[base + t]] = i;
      let count = 0;
      const offer = (c: number) => {
        if (c >= 0 && seen[c] !== i) {
          seen[c] = i;
          candidates[count++] = c;
        }
      };
      // Neighbours of neighbours: a pair is new work only if one of its two links is new.
      for (let t = 0; t < k; t++) {
        const j = ids[base + t];
        if (j < 0) continue;
        const jNew = wasFresh[base + t] === 1;
        const jb = j * k;
        for (let u = 0; u < k; u++) if (jNew || wasFresh[jb + u] === 1) offer(ids[jb + u]);
      }
      // Points that list i, and their neighbours.
      for (let r = reverse.offsets[i]; r < reverse.offsets[i + 1]; r++) {
        const j = reverse.ids[r];
        offer(j);
        const jb = j * k;
        for (let u = 0; u < k; u++) if (wasFresh[jb + u] === 1) offer(ids[jb + u]);
      }
      if (count === 0) continue;
      gatherDots(data, i * d, data, candidates, count, d, dots);
      for (let t = 0; t < count; t++) {
        const c = candidates[t];
        const dist = 1 - dots[t];
        if (graph.push(i, dist, c)) updates++;
        if (graph.push(c, dist, i)) updates++;
      }
      if (performance.now() - last > 50) {
        options.onProgress?.({ stage: 'knn-refine', done: i + 1, total: n, message: `round ${rounds + 1}` });
        await checkpoint(options.signal);
        last = performance.now();
      }
    }
    if (updates < minUpdates) {
      rounds++;
      break;
    }
  }
  return rounds;
}

/** For each point, up to `max` points whose rows (n × k `ids`) list it, as compressed rows. */
function reverseLists(ids: Int32Array, n: number, k: number, max: number): { offsets: Int32Array; ids: Int32Array } {
  const counts = new Int32Array(n);
  for (let t = 0; t < n * k; t++) if (ids[t] >= 0 && counts[ids[t]] < max) counts[ids[t]]++;
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i] + counts[i];
  const fill = offsets.slice(0, n);
  const out = new Int32Array(offsets[n]);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < k; t++) {
      const j = ids[i * k + t];
      if (j >= 0 && fill[j] < offsets[j + 1]) out[fill[j]++] = i;
    }
  }
  return { offsets, ids: out };
}
