import type { Matrix } from '../util/matrix';
import { createRng, sampleIndices } from '../util/random';

export interface TopkSameLabelOptions {
  /** Neighbours per record. */
  k: number;
  /** Score this many random records (default: all). */
  sample?: number;
  seed?: number;
}

/**
 * Kern AI's "top-k same label": for each (sampled) record, the share of its k nearest
 * neighbours by cosine similarity, the record itself excluded, that carry its label;
 * averaged over the records.
 */
export function topkSameLabel(x: Matrix, labels: ArrayLike<number | string>, options: TopkSameLabelOptions): number {
  const n = x.rows;
  if (labels.length !== n) throw new Error(`topkSameLabel: ${n} vectors but ${labels.length} labels`);
  const k = Math.min(Math.floor(options.k), n - 1);
  if (!(k >= 1)) throw new Error('topkSameLabel needs k ≥ 1 and at least 2 records');
  const queries =
    options.sample !== undefined && options.sample < n
      ? sampleIndices(n, Math.max(1, Math.floor(options.sample)), createRng(options.seed ?? 0))
      : Array.from({ length: n }, (_, i) => i);
  const d = x.cols;
  // Unit rows so that a dot product is the cosine.
  const unit = new Float32Array(x.data);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += unit[i * d + j] * unit[i * d + j];
    if (s > 0) {
      const inv = 1 / Math.sqrt(s);
      for (let j = 0; j < d; j++) unit[i * d + j] *= inv;
    }
  }
  const sims = new Float32Array(n);
  const heapIdx = new Int32Array(k);
  const heapVal = new Float32Array(k);
  let total = 0;
  for (const q of queries) {
    const oq = q * d;
    for (let i = 0; i < n; i++) {
      const oi = i * d;
      let s = 0;
      for (let j = 0; j < d; j++) s += unit[oq + j] * unit[oi + j];
      sims[i] = s;
    }
    // Min-heap of the k best (ties broken by the lower index, deterministic).
    let size = 0;
    const worse = (a: number, b: number): boolean =>
      heapVal[a] < heapVal[b] || (heapVal[a] === heapVal[b] && heapIdx[a] > heapIdx[b]);
    const swap = (a: number, b: number): void => {
      const tv = heapVal[a];
      heapVal[a] = heapVal[b];
      heapVal[b] = tv;
      const ti = heapIdx[a];
      heapIdx[a] = heapIdx[b];
      heapIdx[b] = ti;
    };
    const siftDown = (start: number): void => {
      let p = start;
      for (;;) {
        const l = 2 * p + 1;
        const r = l + 1;
        let m = p;
        if (l < size && worse(l, m)) m = l;
        if (r < size && worse(r, m)) m = r;
        if (m === p) return;
        swap(p, m);
        p = m;
      }
    };
    for (let i = 0; i < n; i++) {
      if (i === q) continue;
      const v = sims[i];
      if (size < k) {
        heapVal[size] = v;
        heapIdx[size] = i;
        let c = size++;
        while (c > 0) {
          const p = (c - 1) >> 1;
          if (!worse(c, p)) break;
          swap(c, p);
          c = p;
        }
      } else if (v > heapVal[0]) {
        heapVal[0] = v;
        heapIdx[0] = i;
        siftDown(0);
      }
    }
    let same = 0;
    for (let t = 0; t < size; t++) if (labels[heapIdx[t]] === labels[q]) same++;
    total += same / k;
  }
  return total / queries.length;
}
