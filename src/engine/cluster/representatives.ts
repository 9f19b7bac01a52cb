import type { Matrix } from '../util/matrix';

export interface RepresentativeOptions {
  /** How many to pick (default 5). */
  count?: number;
  /** How many of the members nearest the centroid MMR chooses from (default 4 × count). */
  candidates?: number;
  /** MMR's weight of closeness to the centroid against difference from those already picked (default 0.7). */
  lambda?: number;
}

function dot(a: Float32Array, ai: number, b: Float32Array, bi: number, d: number): number {
  let s = 0;
  for (let k = 0; k < d; k++) s += a[ai + k] * b[bi + k];
  return s;
}

function unitRow(m: Matrix, i: number): Float32Array {
  const d = m.cols;
  const out = m.data.slice(i * d, (i + 1) * d);
  let n = 0;
  for (let k = 0; k < d; k++) n += out[k] * out[k];
  n = Math.sqrt(n) || 1;
  for (let k = 0; k < d; k++) out[k] /= n;
  return out;
}

/**
 * A cluster's representative members: among those nearest its centroid (cosine), picked with
 * maximal marginal relevance so they are not five copies of one story. Returns member indices
 * (into the matrix), the first the nearest to the centroid. Deterministic (ties by index).
 */
export function representativeMembers(embeddings: Matrix, members: readonly number[], options: RepresentativeOptions = {}): number[] {
  const count = Math.min(options.count ?? 5, members.length);
  if (count <= 0) return [];
  const lambda = options.lambda ?? 0.7;
  const d = embeddings.cols;
  const units = members.map((i) => unitRow(embeddings, i));
  const centroid = new Float32Array(d);
  for (const u of units) for (let k = 0; k < d; k++) centroid[k] += u[k];
  const toCentre = units.map((u) => dot(u, 0, centroid, 0, d));
  // Candidates: the members nearest the centroid (same order for equal scores: by position).
  const order = members.map((_, p) => p).sort((a, b) => toCentre[b] - toCentre[a] || a - b);
  const pool = order.slice(0, Math.max(count, options.candidates ?? 4 * count));
  const norm = Math.sqrt(dot(centroid, 0, centroid, 0, d)) || 1;
  const relevance = new Map(pool.map((p) => [p, toCentre[p] / norm]));
  const picked: number[] = [pool[0]];
  const left = new Set(pool.slice(1));
  while (picked.length < count && left.size) {
    let best = -1;
    let bestScore = -Infinity;
    for (const p of left) {
      let redundancy = -Infinity;
      for (const q of picked) redundancy = Math.max(redundancy, dot(units[p], 0, units[q], 0, d));
      const score = lambda * relevance.get(p)! - (1 - lambda) * redundancy;
      if (score > bestScore) {
        bestScore = score;
        best = p;
      }
    }
    picked.push(best);
    left.delete(best);
  }
  return picked.map((p) => members[p]);
}
