/**
 * Candidate pairs for annotation, drawn without looking at all n² pairs: random pairs
 * (mostly low similarity) plus neighbours of random anchors at several ranks (high and
 * middle similarity), so the pool spans the whole similarity range.
 */
import { checkpoint } from '../util/job';
import type { Matrix } from '../util/matrix';
import type { Rng } from '../util/random';
import { sampleIndices } from '../util/random';

export interface CandidatePair {
  i: number;
  j: number;
  similarity: number;
}

/** Dot product of rows i and j (cosine for normalised rows). */
export function rowDot(m: Matrix, i: number, j: number): number {
  const d = m.cols;
  const a = i * d;
  const b = j * d;
  let s = 0;
  for (let k = 0; k < d; k++) s += m.data[a + k] * m.data[b + k];
  return s;
}

/** Rows searched for neighbours: all rows up to this many, else a random subset. */
export const NEIGHBOUR_SEARCH_ROWS = 20000;

/** Similarities of `anchor` to each row of `rows`, sorted best first. */
export function neighboursOf(m: Matrix, anchor: number, rows: readonly number[]): CandidatePair[] {
  const out: CandidatePair[] = [];
  for (const j of rows) if (j !== anchor) out.push({ i: anchor, j, similarity: rowDot(m, anchor, j) });
  out.sort((a, b) => b.similarity - a.similarity || a.j - b.j);
  return out;
}

export interface PoolOptions {
  randomPairs: number;
  anchors: number;
  /** Neighbour ranks taken per anchor (0 = nearest). */
  ranks: readonly number[];
  accept: (i: number, j: number) => boolean;
  signal?: AbortSignal;
}

/** A pool of distinct, acceptable candidate pairs (i < j). */
export async function candidatePool(m: Matrix, rng: Rng, o: PoolOptions): Promise<CandidatePair[]> {
  const n = m.rows;
  const seen = new Set<number>();
  const pool: CandidatePair[] = [];
  const add = (a: number, b: number, s?: number) => {
    if (a === b) return;
    const i = Math.min(a, b);
    const j = Math.max(a, b);
    const key = i * n + j;
    if (seen.has(key) || !o.accept(i, j)) return;
    seen.add(key);
    pool.push({ i, j, similarity: s ?? rowDot(m, i, j) });
  };
  const maxPairs = (n * (n - 1)) / 2;
  for (let t = 0; t < o.randomPairs * 3 && pool.length < Math.min(o.randomPairs, maxPairs); t++) {
    add(Math.floor(rng() * n), Math.floor(rng() * n));
  }
  const searchRows = n <= NEIGHBOUR_SEARCH_ROWS ? Array.from({ length: n }, (_, k) => k) : sampleIndices(n, NEIGHBOUR_SEARCH_ROWS, rng);
  const anchors = sampleIndices(n, Math.min(o.anchors, n), rng);
  for (let a = 0; a < anchors.length; a++) {
    const nb = neighboursOf(m, anchors[a], searchRows);
    for (const r of o.ranks) if (r < nb.length) add(nb[r].i, nb[r].j, nb[r].similarity);
    if (a % 10 === 9) await checkpoint(o.signal);
  }
  return pool;
}
