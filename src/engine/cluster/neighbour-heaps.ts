/**
 * The kNN graph under construction of NN-descent: per point a bounded max-heap of its k best
 * neighbours so far, flat over all points (ids Int32Array, distances Float32Array, "new" flags
 * Uint8Array). The root of row i (slot i·k) holds its current worst entry, so an offer is rejected
 * by one comparison in the common case.
 */
export class NeighbourHeaps {
  readonly ids: Int32Array;
  readonly dists: Float32Array;
  /** 1 while the entry has not yet taken part in a local join. */
  readonly fresh: Uint8Array;
  /** `shared`: the arrays live in SharedArrayBuffers (for worker threads). */
  constructor(readonly n: number, readonly k: number, shared = false) {
    const alloc = (bytes: number) => (shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
    this.ids = new Int32Array(alloc(4 * n * k)).fill(-1);
    this.dists = new Float32Array(alloc(4 * n * k)).fill(Infinity);
    this.fresh = new Uint8Array(alloc(n * k));
  }

  /** The current k-th best distance of row i (Infinity until the row is full). */
  worst(i: number): number {
    return this.dists[i * this.k];
  }

  /** Offers `id` at `dist` to row i; 1 when it entered the row (flagged new), else 0. */
  push(i: number, dist: number, id: number): number {
    const k = this.k;
    const base = i * k;
    const dists = this.dists;
    if (!(dist < dists[base])) return 0;
    const ids = this.ids;
    for (let t = base; t < base + k; t++) if (ids[t] === id) return 0;
    // Replace the root (the worst) and sift it down.
    let p = 0;
    for (;;) {
      const l = 2 * p + 1;
      if (l >= k) break;
      const r = l + 1;
      const c = r < k && dists[base + r] > dists[base + l] ? r : l;
      if (!(dists[base + c] > dist)) break;
      dists[base + p] = dists[base + c];
      ids[base + p] = ids[base + c];
      this.fresh[base + p] = this.fresh[base + c];
      p = c;
    }
    dists[base + p] = dist;
    ids[base + p] = id;
    this.fresh[base + p] = 1;
    return 1;
  }

  /** Number of filled entries of row i. */
  filled(i: number): number {
    let c = 0;
    for (let t = i * this.k; t < (i + 1) * this.k; t++) if (this.ids[t] >= 0) c++;
    return c;
  }

  /** Rows sorted nearest first (ties by id), as flat n × k arrays. Empty slots (id −1) go last. */
  sorted(): { indices: Int32Array; distances: Float32Array } {
    const { n, k } = this;
    const indices = new Int32Array(n * k);
    const distances = new Float32Array(n * k);
    const order = Array.from({ length: k }, (_, t) => t);
    for (let i = 0; i < n; i++) {
      const base = i * k;
      for (let t = 0; t < k; t++) order[t] = t;
      order.sort((a, b) => this.dists[base + a] - this.dists[base + b] || this.ids[base + a] - this.ids[base + b]);
      for (let t = 0; t < k; t++) {
        indices[base + t] = this.ids[base + order[t]];
        distances[base + t] = this.dists[base + order[t]];
      }
    }
    return { indices, distances };
  }
}
