import { STOP_WORDS } from './stopwords';
import { corpusTermIds, corpusTerms, type NumberedTerms } from './topic-terms';

export type { NumberedTerms } from './topic-terms';

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
   * A phrase takes the place of its words when it makes at least this share of each one's
   * occurrences in the cluster (default 0.5), see {@link selectKeywords}.
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

/** Numbers the terms of every text (in order of first occurrence) and counts their document frequencies. */
export function numberTerms(docTerms: readonly (readonly string[])[]): NumberedTerms {
  const ids = new Map<string, number>();
  const terms: string[] = [];
  const docs = docTerms.map((ts) => {
    const out = new Int32Array(ts.length);
    for (let p = 0; p < ts.length; p++) {
      let id = ids.get(ts[p]);
      if (id === undefined) {
        id = terms.length;
        ids.set(ts[p], id);
        terms.push(ts[p]);
      }
      out[p] = id;
    }
    return out;
  });
  const df = new Int32Array(terms.length);
  const lastDoc = new Int32Array(terms.length).fill(-1);
  docs.forEach((ts, d) => {
    for (const id of ts) {
      if (lastDoc[id] === d) continue;
      lastDoc[id] = d;
      df[id]++;
    }
  });
  return { terms, docs, df };
}

/**
 * Counts the terms of each cluster; terms found in fewer than `minDf` texts are left out. The
 * terms are counted by number ({@link numberTerms}) in typed arrays, one cluster at a time; each
 * map lists its terms in the order they first occur in the texts.
 */
export function classTermCounts(docTerms: readonly (readonly string[])[] | NumberedTerms, labels: ArrayLike<number>, minDf: number): ClassTermCounts {
  const { terms, docs, df } = isNumbered(docTerms) ? docTerms : numberTerms(docTerms);
  const clusters = [...new Set(Array.from(labels).filter((l) => l >= 0))].sort((a, b) => a - b);
  const index = new Map(clusters.map((c, i) => [c, i]));
  const members = clusters.map((): number[] => []);
  docs.forEach((_, d) => index.has(labels[d]) && members[index.get(labels[d])!].push(d));
  const count = new Int32Array(terms.length);
  const touched: number[] = [];
  const tally = (texts: Iterable<number>): Map<string, number> => {
    for (const d of texts) {
      for (const id of docs[d]) {
        if (df[id] < minDf) continue;
        if (count[id]++ === 0) touched.push(id);
      }
    }
    const m = new Map<string, number>();
    for (const id of touched) {
      m.set(terms[id], count[id]);
      count[id] = 0;
    }
    touched.length = 0;
    return m;
  };
  const counts = members.map((texts) => tally(texts));
  const total = tally(members.flat().sort((a, b) => a - b));
  return { clusters, sizes: members.map((texts) => texts.length), counts, total };
}

function isNumbered(docTerms: readonly (readonly string[])[] | NumberedTerms): docTerms is NumberedTerms {
  return !Array.isArray(docTerms);
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
 * d(t, c) = max(0, 1 − r(t, rest) / r(t, c)), with r the share of t among the terms of
 * cluster c and among those of all other clusters together: 1 for a word found only in c,
 * 0 for a word as common elsewhere as in c. One map per cluster (terms of the cluster only).
 */
export function distinctiveness(counts: ClassTermCounts): Map<string, number>[] {
  const sizes = counts.counts.map(sum);
  const all = sizes.reduce((a, b) => a + b, 0);
  return counts.counts.map((m, k) => {
    const n = sizes[k];
    const restTerms = all - n;
    const out = new Map<string, number>();
    for (const [t, v] of m) {
      const rest = restTerms > 0 ? (counts.total.get(t)! - v) / restTerms : 0;
      out.set(t, Math.max(0, 1 - rest / (v / n)));
    }
    return out;
  });
}

/**
 * The score keywords are ranked by: √tf(t, c) × idf(t) × d(t, c) ({@link distinctiveness}).
 * - √tf is BERTopic's `reduce_frequent_words`: a word's weight within its cluster grows
 *   slower than its count, so the idf part counts for more.
 * - d removes what is spread over the clusters at similar rates (function words of any
 *   language, a credit line on every story): such a word is no keyword.
 * Terms scoring 0 are left out. `distinct` is {@link distinctiveness} of the same counts, when already at hand.
 */
export function keywordScores(counts: ClassTermCounts, distinct: readonly ReadonlyMap<string, number>[] = distinctiveness(counts)): Map<string, number>[] {
  const idf = classIdf(counts);
  return counts.counts.map((m, k) => {
    const n = sum(m);
    const out = new Map<string, number>();
    for (const [t, v] of m) {
      const d = distinct[k].get(t)!;
      if (d > 0) out.set(t, Math.sqrt(v / n) * idf(t) * d);
    }
    return out;
  });
}

/**
 * Leaves out the phrases with a word that does not belong to the cluster: each word of a
 * phrase must be at least twice as common in the cluster as elsewhere (d ≥ ½). So "la
 * bourse" or "of oil" give way to "bourse" and "oil" without a list of function words.
 */
export function withoutLoosePhrases(scores: ReadonlyMap<string, number>, distinct: ReadonlyMap<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [t, v] of scores) {
    if (t.includes(' ') && t.split(' ').some((w) => (distinct.get(w) ?? 0) < 0.5)) continue;
    out.set(t, v);
  }
  return out;
}

interface Chosen {
  term: string;
  score: number;
}

/**
 * The top `topN` terms by score such that no keyword is a word of another keyword of the list.
 * 1. Phrases in score order: a phrase counted at least `phraseShare` times as often as each
 *    of its words still free (in the cluster: the word seldom stands outside the phrase)
 *    takes those words' place (they are no longer candidates) and the best of their scores:
 *    `burkina` 3, `faso` 2.8, `burkina faso` 2.7, all counted 40 times, give `burkina faso` 3.
 *    A word is taken by one phrase at most, the best.
 * 2. Terms in (new) score order: a word of a phrase already chosen is skipped (`faso` after
 *    `burkina faso`), and so is a phrase with a word already chosen (`oil`, counted 100
 *    times, above `oil prices`, counted 30 times, keeps `oil`).
 */
export function selectKeywords(
  scores: ReadonlyMap<string, number>,
  counts: ReadonlyMap<string, number>,
  topN: number,
  phraseShare: number,
): Chosen[] {
  const byScore = (a: Chosen, b: Chosen): number => b.score - a.score || (a.term < b.term ? -1 : 1);
  const ranked = [...scores].map(([term, score]) => ({ term, score })).sort(byScore);
  const taken = new Set<string>();
  const candidates: Chosen[] = [];
  for (const c of ranked) {
    if (!c.term.includes(' ')) continue;
    const free = c.term.split(' ').filter((w) => scores.has(w) && !taken.has(w));
    const best = Math.max(0, ...free.map((w) => scores.get(w)!));
    const own = counts.get(c.term) ?? 0;
    if (free.length > 0 && free.every((w) => own >= phraseShare * (counts.get(w) ?? 0))) {
      for (const w of free) taken.add(w);
      candidates.push({ term: c.term, score: Math.max(c.score, best) });
    } else candidates.push(c);
  }
  for (const c of ranked) if (!c.term.includes(' ') && !taken.has(c.term)) candidates.push(c);
  candidates.sort(byScore);
  const chosen: Chosen[] = [];
  const chosenWords = new Set<string>(); // chosen one-word terms
  const phraseWords = new Set<string>(); // words of the chosen phrases
  for (const c of candidates) {
    if (chosen.length >= topN) break;
    const words = c.term.split(' ');
    if (words.length === 1 ? phraseWords.has(c.term) : words.some((w) => chosenWords.has(w))) continue;
    chosen.push(c);
    for (const w of words) (words.length === 1 ? chosenWords : phraseWords).add(w);
  }
  return chosen;
}

/** The terms of every text that keywords are chosen from ({@link corpusTerms}); they do not depend on the clusters. */
export function topicTerms(texts: readonly string[], options: TopicOptions = {}): string[][] {
  return corpusTerms(texts, { stopWords: options.stopWords ?? STOP_WORDS, bigrams: options.bigrams ?? true });
}

/** {@link topicTerms}, numbered ({@link corpusTermIds}), as {@link keywordsFromTerms} counts them. */
export function topicTermIds(texts: readonly string[], options: TopicOptions = {}): NumberedTerms {
  return corpusTermIds(texts, { stopWords: options.stopWords ?? STOP_WORDS, bigrams: options.bigrams ?? true });
}

/**
 * Topic keywords of each cluster (noise, −1, is not a topic): class-based TF-IDF terms
 * ({@link corpusTerms}: boilerplate and markup out), ranked by {@link keywordScores}, phrases
 * of words foreign to the cluster left out ({@link withoutLoosePhrases}), chosen by
 * {@link selectKeywords}.
 */
export function clusterKeywords(texts: readonly string[], labels: ArrayLike<number>, options: TopicOptions = {}): Topic[] {
  return keywordsFromTerms(topicTermIds(texts, options), labels, options);
}

/** {@link clusterKeywords} from the texts' terms ({@link topicTerms} with the same options, numbered or not). */
export function keywordsFromTerms(docTerms: readonly (readonly string[])[] | NumberedTerms, labels: ArrayLike<number>, options: TopicOptions = {}): Topic[] {
  const topN = options.topN ?? 10;
  const counts = classTermCounts(docTerms, labels, options.minDf ?? 2);
  const distinct = distinctiveness(counts);
  const scores = keywordScores(counts, distinct);
  return counts.clusters.map((cluster, k) => {
    const top = selectKeywords(withoutLoosePhrases(scores[k], distinct[k]), counts.counts[k], topN, options.phraseShare ?? 0.5);
    return { cluster, size: counts.sizes[k], keywords: top.map((s) => s.term), weights: top.map((s) => s.score) };
  });
}
