/**
 * Pair suggestion for annotation. Strategies, all seeded (same seed → same pairs):
 *  - "nearest":    each random anchor with its most similar record not yet annotated;
 *  - "random":     uniformly random pairs;
 *  - "stratified": pairs spread evenly over the similarity range (equal-width bins between
 *                  the lowest and highest candidate similarity, filled round-robin), so
 *                  annotated scores cover 0–1 rather than piling up at "unrelated";
 *  - "uncertain":  pairs whose similarity sits mid-range (between the typical random pair
 *                  and the typical nearest neighbour); with a second embedding set (the
 *                  active loop's latest run), the pairs the two sets rank most differently
 *                  ("the run and the base disagree") taken in turn with the pairs the second
 *                  set is least sure of (its similarity mid-range);
 *  - "cluster-border": the most similar pairs whose records sit in different clusters.
 * Already annotated pairs (by id, either order) are never suggested. With `candidates`
 * (a selection on the cluster map), both records of every pair come from that subset.
 */
import { InputError } from '../util/errors';
import { createRng } from '../util/random';
import { selectRows, type Matrix } from '../util/matrix';
import { pairKey } from '../project/annotations';
import { candidatePool, neighboursOf, rowDot, NEIGHBOUR_SEARCH_ROWS, type CandidatePair } from './candidates';
import { sampleIndices, shuffle } from '../util/random';

export type SuggestStrategy = 'nearest' | 'random' | 'stratified' | 'uncertain' | 'cluster-border';
export const SUGGEST_STRATEGIES: readonly SuggestStrategy[] = ['nearest', 'random', 'stratified', 'uncertain', 'cluster-border'];

export interface SuggestPairsOptions {
  /** L2-normalised embeddings, one row per id. */
  embeddings: Matrix;
  ids: readonly string[];
  strategy: SuggestStrategy;
  count: number;
  seed?: number;
  /** Pair keys (`pairKey(id1, id2)`) to leave out: already annotated or skipped. */
  exclude?: ReadonlySet<string>;
  /** Cluster label per row (negative = outlier); needed by "cluster-border". */
  clusters?: ArrayLike<number>;
  /** A second embedding set of the same rows; makes "uncertain" pick disagreements. */
  second?: Matrix;
  /** Similarity bins for "stratified" (default 10). */
  bins?: number;
  /**
   * Record ids to draw pairs from (e.g. a selection on the map): both records of every
   * pair are in this subset, and similarity ranges, neighbours and cluster borders are
   * taken within it. Default: all ids. An id not in `ids` is an error.
   */
  candidates?: readonly string[];
  signal?: AbortSignal;
}

export interface SuggestedPair {
  id1: string;
  id2: string;
  /** Row indices of the two records. */
  i: number;
  j: number;
  /** Cosine similarity in `embeddings` (and in `second`, when given). */
  similarity: number;
  similarity2?: number;
  strategy: SuggestStrategy;
}

export async function suggestPairs(o: SuggestPairsOptions): Promise<SuggestedPair[]> {
  const m = o.embeddings;
  if (m.rows !== o.ids.length) throw new InputError(`${m.rows} embeddings for ${o.ids.length} ids`, { field: 'ids' });
  if (o.second && (o.second.rows !== m.rows)) throw new InputError(`the second embedding set has ${o.second.rows} rows, expected ${m.rows}`, { field: 'second' });
  if (o.strategy === 'cluster-border' && (!o.clusters || o.clusters.length !== m.rows))
    throw new InputError('"cluster-border" needs one cluster label per record', { field: 'clusters' });
  if (!Number.isInteger(o.count) || o.count < 0) throw new InputError('must be a whole number ≥ 0', { field: 'count' });
  if (o.candidates) return suggestAmong(o, o.candidates);
  if (m.rows < 2 || o.count === 0) return [];
  const rng = createRng(o.seed ?? 42);
  const exclude = o.exclude ?? new Set<string>();
  const accept = (i: number, j: number) => i !== j && !exclude.has(pairKey(o.ids[i], o.ids[j]));
  let picked: CandidatePair[];
  switch (o.strategy) {
    case 'random':
      picked = await candidatePool(m, rng, { randomPairs: o.count, anchors: 0, ranks: [], accept, signal: o.signal });
      break;
    case 'nearest':
      picked = nearest(m, o.count, rng, accept);
      break;
    case 'stratified': {
      const pool = await widePool(m, o.count, rng, accept, o.signal);
      picked = stratify(pool, o.count, o.bins ?? 10, rng);
      break;
    }
    case 'uncertain': {
      const pool = await widePool(m, o.count, rng, accept, o.signal);
      picked = o.second ? interleave(disagreeing(pool, o.second, pool.length), midRange(secondView(pool, o.second), pool.length), o.count) : midRange(pool, o.count);
      break;
    }
    case 'cluster-border':
      picked = border(m, o.clusters!, o.count, rng, accept);
      break;
    default:
      throw new InputError(`unknown strategy "${String(o.strategy)}"; use ${SUGGEST_STRATEGIES.join(', ')}`, { field: 'strategy' });
  }
  return picked.slice(0, o.count).map((p) => {
    const s: SuggestedPair = { id1: o.ids[p.i], id2: o.ids[p.j], i: p.i, j: p.j, similarity: p.similarity, strategy: o.strategy };
    if (o.second) s.similarity2 = rowDot(o.second, p.i, p.j);
    return s;
  });
}

/** Runs the strategy on the rows of `candidates` only; indices are mapped back to all rows. */
async function suggestAmong(o: SuggestPairsOptions, candidates: readonly string[]): Promise<SuggestedPair[]> {
  const rowOf = new Map<string, number>();
  o.ids.forEach((id, k) => {
    if (!rowOf.has(id)) rowOf.set(id, k);
  });
  const rows: number[] = [];
  const taken = new Set<number>();
  for (const id of candidates) {
    const r = rowOf.get(id);
    if (r === undefined) throw new InputError(`no record "${id}" among the ${o.ids.length} records`, { field: 'candidates' });
    if (!taken.has(r)) {
      taken.add(r);
      rows.push(r);
    }
  }
  rows.sort((a, b) => a - b);
  const pairs = await suggestPairs({
    ...o,
    candidates: undefined,
    embeddings: selectRows(o.embeddings, rows),
    ids: rows.map((r) => o.ids[r]),
    clusters: o.clusters && Int32Array.from(rows, (r) => o.clusters![r]),
    second: o.second && selectRows(o.second, rows),
  });
  return pairs.map((p) => ({ ...p, i: rows[p.i], j: rows[p.j] }));
}

/** A pool ~30× the request, half random pairs and half neighbours at ranks 0…50. */
function widePool(m: Matrix, count: number, rng: () => number, accept: (i: number, j: number) => boolean, signal?: AbortSignal) {
  const size = Math.max(count * 30, 2000);
  return candidatePool(m, rng, {
    randomPairs: size / 2,
    anchors: Math.max(20, Math.ceil(size / 2 / 8)),
    ranks: [0, 1, 2, 4, 8, 16, 32, 50],
    accept,
    signal,
  });
}

function nearest(m: Matrix, count: number, rng: () => number, accept: (i: number, j: number) => boolean): CandidatePair[] {
  const n = m.rows;
  const rows = n <= NEIGHBOUR_SEARCH_ROWS ? Array.from({ length: n }, (_, k) => k) : sampleIndices(n, NEIGHBOUR_SEARCH_ROWS, rng);
  const anchors = shuffle(Array.from({ length: n }, (_, k) => k), rng);
  const out: CandidatePair[] = [];
  const taken = new Set<number>();
  for (const a of anchors) {
    if (out.length >= count) break;
    for (const c of neighboursOf(m, a, rows)) {
      const i = Math.min(c.i, c.j);
      const j = Math.max(c.i, c.j);
      if (taken.has(i * n + j) || !accept(i, j)) continue;
      taken.add(i * n + j);
      out.push({ i, j, similarity: c.similarity });
      break;
    }
  }
  return out;
}

/** Equal-width bins over the pool's similarity range, taken round-robin. */
function stratify(pool: CandidatePair[], count: number, bins: number, rng: () => number): CandidatePair[] {
  if (pool.length === 0) return [];
  let lo = Infinity;
  let hi = -Infinity;
  for (const p of pool) {
    lo = Math.min(lo, p.similarity);
    hi = Math.max(hi, p.similarity);
  }
  const width = (hi - lo) / bins || 1;
  const buckets: CandidatePair[][] = Array.from({ length: bins }, () => []);
  for (const p of pool) buckets[Math.min(bins - 1, Math.floor((p.similarity - lo) / width))].push(p);
  for (const b of buckets) shuffle(b, rng);
  const out: CandidatePair[] = [];
  for (let round = 0; out.length < count; round++) {
    let any = false;
    for (const b of buckets)
      if (round < b.length && out.length < count) {
        out.push(b[round]);
        any = true;
      }
    if (!any) break;
  }
  return out.sort((a, b) => a.similarity - b.similarity);
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))];
}

/** Closest to the midpoint between the 5th and 99th percentile of candidate similarity. */
function midRange(pool: CandidatePair[], count: number): CandidatePair[] {
  const s = pool.map((p) => p.similarity).sort((a, b) => a - b);
  const mid = (quantile(s, 0.05) + quantile(s, 0.99)) / 2;
  return [...pool].sort((a, b) => Math.abs(a.similarity - mid) - Math.abs(b.similarity - mid) || a.i - b.i || a.j - b.j).slice(0, count);
}

/** The pool with the second set's similarities (same pairs, same order). */
function secondView(pool: CandidatePair[], second: Matrix): CandidatePair[] {
  return pool.map((p) => ({ i: p.i, j: p.j, similarity: rowDot(second, p.i, p.j) }));
}

/** Takes from each ranking in turn, each pair once, up to `count` (similarities from `a`'s pool). */
function interleave(a: CandidatePair[], b: CandidatePair[], count: number): CandidatePair[] {
  const byKey = new Map(a.map((p) => [`${p.i},${p.j}`, p]));
  const taken = new Set<string>();
  const out: CandidatePair[] = [];
  for (let k = 0; out.length < count && (k < a.length || k < b.length); k++) {
    for (const p of [a[k], b[k]]) {
      if (!p || out.length >= count) continue;
      const key = `${p.i},${p.j}`;
      if (taken.has(key)) continue;
      taken.add(key);
      out.push(byKey.get(key) ?? p);
    }
  }
  return out;
}

/** Largest gap between the percentile ranks of a pair's similarity in the two sets. */
function disagreeing(pool: CandidatePair[], second: Matrix, count: number): CandidatePair[] {
  const s2 = pool.map((p) => rowDot(second, p.i, p.j));
  const rank = (values: number[]) => {
    const order = values.map((v, k) => [v, k] as const).sort((a, b) => a[0] - b[0]);
    const r = new Float64Array(values.length);
    order.forEach(([, k], pos) => (r[k] = pos / Math.max(1, values.length - 1)));
    return r;
  };
  const r1 = rank(pool.map((p) => p.similarity));
  const r2 = rank(s2);
  return pool
    .map((p, k) => ({ p, gap: Math.abs(r1[k] - r2[k]) }))
    .sort((a, b) => b.gap - a.gap || a.p.i - b.p.i || a.p.j - b.p.j)
    .slice(0, count)
    .map((x) => x.p);
}

/** For random anchors in a cluster, the most similar record of another cluster. */
function border(m: Matrix, clusters: ArrayLike<number>, count: number, rng: () => number, accept: (i: number, j: number) => boolean): CandidatePair[] {
  const n = m.rows;
  const rows = n <= NEIGHBOUR_SEARCH_ROWS ? Array.from({ length: n }, (_, k) => k) : sampleIndices(n, NEIGHBOUR_SEARCH_ROWS, rng);
  const clustered = rows.filter((k) => clusters[k] >= 0);
  const anchors = shuffle(Array.from({ length: n }, (_, k) => k).filter((k) => clusters[k] >= 0), rng).slice(0, Math.max(count * 4, 100));
  const found = new Map<number, CandidatePair>();
  for (const a of anchors) {
    for (const c of neighboursOf(m, a, clustered)) {
      if (clusters[c.j] === clusters[a]) continue;
      const i = Math.min(a, c.j);
      const j = Math.max(a, c.j);
      if (!accept(i, j)) continue;
      if (!found.has(i * n + j)) found.set(i * n + j, { i, j, similarity: c.similarity });
      break;
    }
  }
  return [...found.values()].sort((a, b) => b.similarity - a.similarity || a.i - b.i || a.j - b.j).slice(0, count);
}
