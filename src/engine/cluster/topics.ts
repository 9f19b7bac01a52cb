import { STOP_WORDS } from './stopwords';

export interface TopicOptions {
  /** Keywords per cluster (default 10). */
  topN?: number;
  /** Include bigrams (default true). */
  bigrams?: boolean;
  /** Ignore terms seen in fewer documents than this (default 2). */
  minDf?: number;
  stopWords?: ReadonlySet<string>;
}

export interface Topic {
  cluster: number;
  size: number;
  keywords: string[];
  /** c-TF-IDF weight of each keyword. */
  weights: number[];
}

/** Lower-cased word tokens (letters and digits, apostrophes split), stop words kept. */
export function topicTokens(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+(?:[-'’][\p{L}\p{N}]+)*/gu)?.flatMap((t) => t.split(/['’]/)) ?? [];
}

/** Unigrams and bigrams of a text; stop words and pure numbers are dropped, never joined across; no bigram of a word with itself. */
function terms(text: string, stop: ReadonlySet<string>, bigrams: boolean): string[] {
  const out: string[] = [];
  let prev: string | undefined;
  for (const tok of topicTokens(text)) {
    const keep = tok.length > 1 && !stop.has(tok) && !/^\d+$/.test(tok);
    if (!keep) {
      prev = undefined;
      continue;
    }
    out.push(tok);
    // A word repeated ("AFP AFP", from bylines) is no phrase.
    if (bigrams && prev && prev !== tok) out.push(`${prev} ${tok}`);
    prev = tok;
  }
  return out;
}

/**
 * Topic keywords by class-based TF-IDF, as BERTopic defines it: all texts of a cluster form
 * one document; W(t, c) = tf(t, c) × log(1 + A / f(t)), with tf(t, c) the frequency of t
 * in cluster c divided by the cluster's total term count, A the average number of terms
 * per cluster and f(t) the frequency of t over all clusters. Noise (−1) is not a topic.
 */
export function clusterKeywords(texts: readonly string[], labels: ArrayLike<number>, options: TopicOptions = {}): Topic[] {
  const topN = options.topN ?? 10;
  const minDf = options.minDf ?? 2;
  const stop = options.stopWords ?? STOP_WORDS;
  const bigrams = options.bigrams ?? true;
  const docTerms = texts.map((t) => terms(t, stop, bigrams));
  const df = new Map<string, number>();
  for (const ts of docTerms) for (const t of new Set(ts)) df.set(t, (df.get(t) ?? 0) + 1);
  const clusterIds = [...new Set(Array.from(labels).filter((l) => l >= 0))].sort((a, b) => a - b);
  const counts = new Map<number, Map<string, number>>();
  const sizes = new Map<number, number>();
  for (const c of clusterIds) {
    counts.set(c, new Map());
    sizes.set(c, 0);
  }
  const total = new Map<string, number>();
  let allTerms = 0;
  docTerms.forEach((ts, i) => {
    const c = labels[i];
    if (c < 0) return;
    sizes.set(c, sizes.get(c)! + 1);
    const m = counts.get(c)!;
    for (const t of ts) {
      if ((df.get(t) ?? 0) < minDf) continue;
      m.set(t, (m.get(t) ?? 0) + 1);
      total.set(t, (total.get(t) ?? 0) + 1);
      allTerms++;
    }
  });
  // BERTopic truncates the average to an integer.
  const avg = clusterIds.length ? Math.trunc(allTerms / clusterIds.length) : 0;
  return clusterIds.map((c) => {
    const m = counts.get(c)!;
    let clusterTotal = 0;
    for (const v of m.values()) clusterTotal += v;
    const scored: [string, number][] = [];
    for (const [t, v] of m) scored.push([t, (v / clusterTotal) * Math.log(1 + avg / total.get(t)!)]);
    scored.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const top = scored.slice(0, topN);
    return { cluster: c, size: sizes.get(c)!, keywords: top.map((s) => s[0]), weights: top.map((s) => s[1]) };
  });
}
