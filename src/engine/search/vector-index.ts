import type { Matrix } from '../util/matrix';
import type { JobOptions } from '../util/job';
import { normalizedCopy, TopKRows } from '../cluster/knn';
import { buildIvfIndex, defaultProbes, searchIvf, type IvfIndex } from '../cluster/ivf';
import { rowDots } from '../cluster/dots';

/** Above this many vectors, `createVectorIndex` builds an approximate (IVF) index. */
export const APPROXIMATE_SEARCH_THRESHOLD = 50_000;

export interface SearchHit {
  /** Row of the indexed matrix. */
  index: number;
  /** Cosine similarity. */
  score: number;
}

/** Cosine top-k search over a fixed set of vectors. */
export interface VectorIndex {
  readonly size: number;
  readonly dimension: number;
  readonly approximate: boolean;
  /** The k most similar rows to a query vector, best first; `exclude` skips one row. */
  search(query: Float32Array, k: number, exclude?: number): SearchHit[];
  /** The k nearest rows to row i (itself excluded). */
  neighbours(i: number, k: number): SearchHit[];
}

function normalizedQuery(q: Float32Array): Float32Array {
  let s = 0;
  for (let j = 0; j < q.length; j++) s += q[j] * q[j];
  const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
  return q.map((v) => v * inv);
}

/** Rows scored per call of the dot-product kernel. */
const SCAN_CHUNK = 4096;

/** Exact cosine search: one pass over all (normalised) rows per query. */
export class ExactIndex implements VectorIndex {
  readonly approximate = false;
  private readonly data: Float32Array;
  readonly size: number;
  readonly dimension: number;
  constructor(x: Matrix) {
    this.data = normalizedCopy(x);
    this.size = x.rows;
    this.dimension = x.cols;
  }
  search(query: Float32Array, k: number, exclude = -1): SearchHit[] {
    if (query.length !== this.dimension) throw new Error(`search: query has ${query.length} dimensions, index ${this.dimension}`);
    const q = normalizedQuery(query);
    const kk = Math.min(k, this.size - (exclude >= 0 ? 1 : 0));
    if (kk <= 0) return [];
    const top = new TopKRows(1, kk);
    const dots = new Float64Array(Math.min(this.size, SCAN_CHUNK));
    for (let i0 = 0; i0 < this.size; i0 += SCAN_CHUNK) {
      const i1 = Math.min(this.size, i0 + SCAN_CHUNK);
      rowDots(q, 0, this.data, i0, i1, this.dimension, dots, 0);
      for (let i = i0; i < i1; i++) if (i !== exclude) top.push(0, -dots[i - i0], i);
    }
    return Array.from(top.ids, (index, t) => ({ index, score: -top.keys[t] }));
  }
  neighbours(i: number, k: number): SearchHit[] {
    return this.search(this.data.subarray(i * this.dimension, (i + 1) * this.dimension), k, i);
  }
}

/** Approximate cosine search over an IVF index (k-means cells, `nProbe` cells scanned). */
export class IvfVectorIndex implements VectorIndex {
  readonly approximate = true;
  nProbe: number;
  constructor(private readonly index: IvfIndex, nProbe?: number) {
    this.nProbe = nProbe ?? defaultProbes(index);
  }
  get size(): number {
    return this.index.n;
  }
  get dimension(): number {
    return this.index.dim;
  }
  search(query: Float32Array, k: number, exclude = -1): SearchHit[] {
    if (query.length !== this.dimension) throw new Error(`search: query has ${query.length} dimensions, index ${this.dimension}`);
    const r = searchIvf(this.index, normalizedQuery(query), Math.min(k, this.size), this.nProbe, exclude);
    const hits: SearchHit[] = [];
    r.ids.forEach((index, t) => {
      if (index >= 0) hits.push({ index, score: r.scores[t] });
    });
    return hits;
  }
  neighbours(i: number, k: number): SearchHit[] {
    const p = this.index.order.indexOf(i);
    const d = this.dimension;
    return this.search(this.index.vectors.slice(p * d, (p + 1) * d), k, i);
  }
}

export interface VectorIndexOptions extends JobOptions {
  /** Force exact or approximate (default: approximate above the threshold). */
  approximate?: boolean;
  seed?: number;
  nProbe?: number;
}

/** An exact index up to 50k vectors, an IVF index beyond. */
export async function createVectorIndex(x: Matrix, options: VectorIndexOptions = {}): Promise<VectorIndex> {
  const approximate = options.approximate ?? x.rows > APPROXIMATE_SEARCH_THRESHOLD;
  if (!approximate) return new ExactIndex(x);
  const ivf = await buildIvfIndex(x, { seed: options.seed, signal: options.signal, onProgress: options.onProgress });
  return new IvfVectorIndex(ivf, options.nProbe);
}
