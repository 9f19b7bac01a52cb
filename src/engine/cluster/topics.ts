import { STOP_WORDS } from './stopwords';
import { corpusTerms } from './topic-terms';

export { topicTokens } from './topic-terms';

export interface TopicOptions {
  /** Keywords per cluster (default 10). */
  topN?: number;
  /** Include bigrams (default true). */
  bigrams?: boolean;
  /** Ignore terms seen in fewer documents than this (default 2). */
  minDf?: number;
  stopWords?: ReadonlySet<string>;
  /**
   * A phrase replaces the words of it already chosen when its score is at least this share
   * of theirs (default 0.7); below that the words stay and the phrase is left out.
   */
  phraseShare?: number;
}

export interface Topic {
  cluster: number;
  size: number;
  keywords: string[];
  /** Ranking score of each keyword ({@link keywordScores}); a phrase that replaced its words carries the best of their scores. */
  weights: number[];
}

/** Term counts per cluster: every text of a cluster joined into one document. */
export interface ClassTermCounts {
  /** Cluster ids, ascending; noise (−1) left out. */
  clusters: number[];
  /** Texts per cluster. */
  sizes: number[];
  /** Term → count, one map per cluster. */
  counts: Map<string, number>[];
  /** Term → count over all clusters. */
  total: Map<string, number>;
}

/** Counts the terms of each cluster; terms found in fewer than `minDf` texts are left out. */
export function classTermCounts(docTerms: readonly (readonly string[])[], labels: ArrayLike<number>, minDf: number): ClassTermCounts {
  const df = new Map<string, number>();
  for (const ts of docTerms) for (const t of new Set(ts)) df.set(t, (df.get(t) ?? 0) + 1);
  const clusters = [...new Set(Array.from(labels).filter((l) => l >= 0))].sort((a, b) => a - b);
  const index = new Map(clusters.map((c, i) => [c, i]));
  const counts = clusters.map(() => new Map<string, number>());
  const sizes = clusters.map(() => 0);
  const total = new Map<string, number>();
  docTerms.forEach((ts, i) => {
    const k = index.get(labels[i]);
    if (k === undefined) return;
    sizes[k]++;
    const m = counts[k];
    for (const t of ts) {
      if ((df.get(t) ?? 0) < minDf) continue;
      m.set(t, (m.get(t) ?? 0) + 1);
      total.set(t, (total.get(t) ?? 0) + 1);
    }
  });
  return { clusters, sizes, counts, total };
}

function sum(m: ReadonlyMap<string, number>): number {
  let s = 0;
  for (const v of m.values()) s += v;
  return s;
}

/** BERTopic's idf: log(1 + A / f(t)), with A the average term count per cluster, truncated to an integer as BERTopic does. */
function classIdf(counts: ClassTermCounts): (term: string) => number {
  let all = 0;
  for (const m of counts.counts) all += sum(m);
  const avg = counts.clusters.length ? Math.trunc(all / counts.clusters.length) : 0;
  return (t) => Math.log(1 + avg / counts.total.get(t)!);
}

/**
 * Class-based TF-IDF as BERTopic defines it (its `ClassTfidfTransformer` with default
 * settings): W(t, c) = tf(t, c) × log(1 + A / f(t)), tf the count of t in cluster c divided
 * by the cluster's total term count, A the average term count per cluster, f(t) the count
 * of t over all clusters. One map per cluster, in the order of `counts.clusters`.
 */
export function classTfidf(counts: ClassTermCounts): Map<string, number>[] {
  const idf = classIdf(counts);
  return counts.counts.map((m) => {
    const n = sum(m);
    return new Map([...m].map(([t, v]) => [t, (v / n) * idf(t)]));
  });
}

/**
 * The score keywords are ranked by: √tf(t, c) × idf(t) × d(t, c).
 * - √tf is BERTopic's `reduce_frequent_words`: a word's weight within its cluster grows
 *   slower than its count, so the idf part counts for more.
 * - d(t, c) = max(0, 1 − r(t, rest) / r(t, c)), with r the share of t among the terms of
 *   cluster c and among those of all other clusters together: 1 for a word found only in
 *   c, 0 for a word as common elsewhere as in c. A word spread over the clusters at similar
 *   rates (function words of any language, a credit line on every story) is no keyword.
 */
export function keywordScores(counts: ClassTermCounts): Map<string, number>[] {
  const idf = classIdf(counts);
  const sizes = counts.counts.map(sum);
  const all = sizes.reduce((a, b) => a + b, 0);
  return counts.counts.map((m, k) => {
    const n = sizes[k];
    const restTerms = all - n;
    const out = new Map<string, number>();
    for (const [t, v] of m) {
      const here = v / n;
      const rest = restTerms > 0 ? (counts.total.get(t)! - v) / restTerms : 0;
      const d = Math.max(0, 1 - rest / here);
      if (d > 0) out.set(t, Math.sqrt(here) * idf(t) * d);
    }
    return out;
  });
}

interface Chosen {
  term: string;
  score: number;
}

/**
 * The top `topN` terms by score such that no keyword is a word of another keyword of the
 * list. Terms are taken in score order:
 * - a word of a phrase already chosen is skipped (`burkina` after `burkina faso`);
 * - a phrase whose words were already chosen replaces them, at the place of the first, if
 *   its score is at least `phraseShare` times the best of theirs (`burkina`, `faso`, then
 *   `burkina faso` with a close score give `burkina faso`), and is skipped otherwise
 *   (`oil` well above `oil prices` keeps `oil`).
 */
export function selectKeywords(scores: ReadonlyMap<string, number>, topN: number, phraseShare: number): Chosen[] {
  const ranked = [...scores].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const chosen: Chosen[] = [];
  const words = new Map<string, number>(); // word → how many chosen terms contain it
  const take = (term: string, delta: number): void => {
    for (const w of term.split(' ')) words.set(w, (words.get(w) ?? 0) + delta);
  };
  for (const [term, score] of ranked) {
    if (chosen.length >= topN) break;
    const parts = term.split(' ');
    if (parts.length === 1) {
      if (words.get(term)) continue;
      chosen.push({ term, score });
      take(term, 1);
      continue;
    }
    const inside = chosen.filter((c) => !c.term.includes(' ') && parts.includes(c.term));
    if (inside.length === 0) {
      chosen.push({ term, score });
      take(term, 1);
      continue;
    }
    const best = Math.max(...inside.map((c) => c.score));
    if (score < phraseShare * best) continue;
    const at = chosen.indexOf(inside[0]);
    for (const c of inside) {
      chosen.splice(chosen.indexOf(c), 1);
      take(c.term, -1);
    }
    chosen.splice(at, 0, { term, score: best });
    take(term, 1);
  }
  return chosen;
}

/**
 * Topic keywords of each cluster (noise, −1, is not a topic): class-based TF-IDF terms
 * ({@link corpusTerms}: boilerplate and markup out), ranked by {@link keywordScores} and
 * chosen by {@link selectKeywords}.
 */
export function clusterKeywords(texts: readonly string[], labels: ArrayLike<number>, options: TopicOptions = {}): Topic[] {
  const topN = options.topN ?? 10;
  const docTerms = corpusTerms(texts, { stopWords: options.stopWords ?? STOP_WORDS, bigrams: options.bigrams ?? true });
  const counts = classTermCounts(docTerms, labels, options.minDf ?? 2);
  const scores = keywordScores(counts);
  return counts.clusters.map((cluster, k) => {
    const top = selectKeywords(scores[k], topN, options.phraseShare ?? 0.7);
    return { cluster, size: counts.sizes[k], keywords: top.map((s) => s.term), weights: top.map((s) => s.score) };
  });
}
