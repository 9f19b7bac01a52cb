/**
 * A signed hashing sketch: a sparse random projection of the vocabulary onto `dimension`
 * coordinates. Each term adds ±1/√hashes to `hashes` coordinates picked by hashing the term
 * itself with the seed, so the projection needs no storage, does not depend on column
 * order, and is the same on every machine. Inner products of sketched rows estimate the
 * inner products of the sparse rows without bias (a sparse Johnson–Lindenstrauss map).
 */
import { simdSketchByBucket } from './sketch-kernel';
import type { SparseRows } from './sparse';

export interface HashSketch {
  dimension: number;
  hashes: number;
  /** columns × hashes: the coordinate and the signed weight of each column's entries. */
  buckets: Int32Array;
  weights: Float32Array;
}

/** 32-bit FNV-1a over the UTF-16 code units, then the murmur3 finaliser; seeded. */
export function hashString(s: string, seed: number): number {
  let h = (0x811c9dc5 ^ Math.imul(seed | 0, 0x9e3779b1)) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export function createHashSketch(terms: readonly string[], dimension: number, hashes: number, seed: number): HashSketch {
  if (!Number.isInteger(dimension) || dimension < 1) throw new Error(`sketch dimension must be a positive integer, got ${dimension}`);
  if (!Number.isInteger(hashes) || hashes < 1) throw new Error(`sketch hashes must be a positive integer, got ${hashes}`);
  const buckets = new Int32Array(terms.length * hashes);
  const weights = new Float32Array(terms.length * hashes);
  const w = 1 / Math.sqrt(hashes);
  terms.forEach((term, c) => {
    for (let j = 0; j < hashes; j++) {
      const h = hashString(term, seed + 7919 * (j + 1));
      buckets[c * hashes + j] = h % dimension;
      weights[c * hashes + j] = h & 0x80000000 ? -w : w;
    }
  });
  return { dimension, hashes, buckets, weights };
}

/** Adds the sketch of sparse row `i` of x into out[offset, offset + dimension). */
export function sketchRow(sketch: HashSketch, x: SparseRows, i: number, out: Float64Array): void {
  const { hashes, buckets, weights } = sketch;
  for (let p = x.indptr[i]; p < x.indptr[i + 1]; p++) {
    const v = x.values[p];
    const o = x.indices[p] * hashes;
    for (let j = 0; j < hashes; j++) out[buckets[o + j]] += v * weights[o + j];
  }
}

/**
 * Sᵀ applied to the columns of a basis: basis is columns × rank (row-major); returns rank × dimension.
 * Summed as a dimension × rank matrix, a basis row at a time (contiguous reads and writes), then
 * transposed: each entry gets the same terms in the same order (columns ascending, then hashes) as
 * a scatter into rank × dimension would, so the same bits, in about half the CPU time (AG News: 120 → 67 ms);
 * with WebAssembly SIMD (sketch-kernel.ts; `simd` false: plain JavaScript) the same sums again.
 */
export function sketchBasis(sketch: HashSketch, basis: Float32Array, rank: number, simd = true): Float64Array {
  const { dimension, hashes, buckets, weights } = sketch;
  const fast = simd ? simdSketchByBucket(buckets, weights, hashes, dimension, basis, rank) : null;
  const byBucket = fast?.sums ?? scalarSketchByBucket(sketch, basis, rank);
  const stride = fast?.stride ?? rank;
  const out = new Float64Array(rank * dimension);
  for (let b = 0; b < dimension; b++) for (let k = 0; k < rank; k++) out[k * dimension + b] = byBucket[b * stride + k];
  return out;
}

/** Sᵀ applied to the basis as a dimension × rank matrix, in plain JavaScript. */
function scalarSketchByBucket(sketch: HashSketch, basis: Float32Array, rank: number): Float64Array {
  const { dimension, hashes, buckets, weights } = sketch;
  const byBucket = new Float64Array(dimension * rank);
  const columns = buckets.length / hashes;
  for (let c = 0; c < columns; c++) {
    const ob = c * rank;
    // A column without an entry in the fitting corpus has a zero row (AG News: 23k of 120k); adding
    // its ±0 terms would leave every sum as it is (a sum that starts at +0 is never -0).
    let zero = true;
    for (let k = 0; k < rank && zero; k++) zero = basis[ob + k] === 0;
    if (zero) continue;
    for (let j = 0; j < hashes; j++) {
      const w = weights[c * hashes + j];
      const o = buckets[c * hashes + j] * rank;
      for (let k = 0; k < rank; k++) byBucket[o + k] += basis[ob + k] * w;
    }
  }
  return byBucket;
}
