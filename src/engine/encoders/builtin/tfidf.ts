import type { JobOptions } from '../../util/job';
import { checkpoint } from '../../util/job';
import type { SparseRows } from './sparse';
import { forEachTerm, type TermOptions } from './tokenize';
import { TermTable } from './term-table';

/** How the topic view weighs a term across the corpus; 'auto' picks one from the corpus (see `chooseTopicWeighting`). */
export type TopicWeighting = 'auto' | 'idf-entropy' | 'idf';

/**
 * 'auto' picks 'idf' when the corpus' median text has at least this many word tokens, else
 * 'idf-entropy'. Log-entropy weighs a term by how unevenly its occurrences are spread over the
 * documents: in short texts a word occurs at most once per text and that acts like a second IDF,
 * which helps (k-means NMI over seeds 1, 2, 3, 7, 42 with the topic-part k-means: News Category
 * slice, median 27 tokens, 0.506 vs 0.336 with IDF alone; AG News, median 37, 0.551 vs 0.482). In
 * long texts every topic word occurs in a large share of the documents, and the entropy weight
 * nearly zeroes it. News Category items joined into documents, some items off topic: 2 items
 * (median 55 tokens) entropy 0.762 vs IDF 0.712; 3 items (82) 0.099 vs 0.201; 4 items (109) 0.229
 * vs 0.439; 8 items (219) 0.101 vs 0.180 (scikit-learn LSA 0.119). On larger long sets both
 * are far above LSA (760 documents of 10 AG News items, median 372: 0.620 vs 0.626, LSA 0.309).
 * The threshold is the midpoint of 55 and 82 (test/unit/encoders-builtin/long-texts.test.ts).
 */
export const LONG_TEXT_MEDIAN_WORDS = 68;

/** The weighting 'auto' resolves to for a corpus whose median text has `medianWords` word tokens. */
export function chooseTopicWeighting(medianWords: number): Exclude<TopicWeighting, 'auto'> {
  return medianWords >= LONG_TEXT_MEDIAN_WORDS ? 'idf' : 'idf-entropy';
}

/** Settings of the TF-IDF stage. */
export interface TfidfOptions extends TermOptions {
  /** Terms in fewer documents are left out of the vocabulary (lowered to 1 on tiny corpora). */
  minDf: number;
  /** Terms in fewer documents are left out of the topic view (LSA input); at least `minDf`. */
  topicMinDf: number;
  /** Terms in more than this share of the documents are dropped. */
  maxDf: number;
  /** At most this many word terms and this many character terms (the most frequent). */
  maxFeatures: number;
  /** Weight of the character block against the word block (each is L2-normalised first). */
  charWeight: number;
  /**
   * The topic view's term weight: IDF × the log-entropy weight 1 + Σ_d p log p / log n
   * (p = the term's share of its corpus count in document d), or IDF alone, or 'auto': chosen by
   * the corpus' text length (`chooseTopicWeighting`). A fitted model records the weighting used.
   */
  topicWeighting: TopicWeighting;
}

/**
 * A fitted vocabulary: term → column, and each column's weight in the two views of a text.
 * Words first, then characters.
 * - The topic view (fed to the LSA): every n-gram in at least `topicMinDf` documents,
 *   weighted by `topicWeight`; it drives topics and clusters.
 * - The lexical view (fed to the hashed sketch): single words and character n-grams
 *   weighted by IDF; its cosine is close to a plain TF-IDF cosine, which rates how much
 *   two sentences say the same thing. Word n-grams of 2+ words are left out: on STSb they
 *   lower the TF-IDF cosine's Spearman (0.72 → 0.70).
 */
export interface TfidfModel {
  /** The settings, with topicWeighting as used (never 'auto'). */
  options: TfidfOptions;
  /** The fitting corpus' median word tokens per text (what 'auto' chose by); absent on a loaded model. */
  medianWords?: number;
  terms: string[];
  /** Columns [0, wordCount) are word n-grams, the rest character n-grams. */
  wordCount: number;
  /** Global weight of each column in the lexical view; 0 = not in the view. */
  lexicalWeight: Float32Array;
  /** Global weight of each column in the topic view; 0 = not in the view. */
  topicWeight: Float32Array;
}

/** The two sparse views of a set of texts (same rows, same columns). */
export interface TfidfViews {
  topic: SparseRows;
  lexical: SparseRows;
}

const CHAR_PREFIX = '\u0001';

/** Fits the vocabulary and the term weights on a corpus and returns the corpus' views. */
export async function fitTfidf(
  texts: readonly string[],
  options: TfidfOptions,
  job: JobOptions = {},
): Promise<{ model: TfidfModel; views: TfidfViews }> {
  const n = texts.length;
  // Word and character terms get ids from one counter: words are ids of `wordTable` mapped through
  // `wordId`, characters likewise, so `df` and the documents share one id space.
  const wordTable = new TermTable();
  const charTable = new TermTable();
  const wordId: number[] = [];
  const charId: number[] = [];
  const df: number[] = [];
  const lastDoc: number[] = [];
  const docs: Int32Array[] = [];
  const wordTokens = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const terms: number[] = [];
    const count = (id: number): void => {
      terms.push(id);
      if (lastDoc[id] !== i) {
        lastDoc[id] = i;
        df[id]++;
      }
    };
    const fresh = (): number => {
      df.push(0);
      lastDoc.push(-1);
      return df.length - 1;
    };
    wordTokens[i] = forEachTerm(
      texts[i],
      options,
      (t) => {
        const w = wordTable.intern(t);
        if (w === wordId.length) wordId.push(fresh());
        count(wordId[w]);
      },
      (padded, start, end, hash) => {
        const c = charTable.internHashed(padded, start, end, hash);
        if (c === charId.length) charId.push(fresh());
        count(charId[c]);
      },
    );
    docs.push(Int32Array.from(terms));
    if (i % 500 === 499) {
      job.onProgress?.({ stage: 'tfidf', done: i + 1, total: n });
      await checkpoint(job.signal);
    }
  }
  const tiny = n < 20;
  const minDf = tiny ? 1 : options.minDf;
  const topicMinDf = tiny ? 1 : Math.max(minDf, options.topicMinDf);
  const maxDf = Math.max(1, Math.floor(options.maxDf * n));
  const words: { term: string; id: number }[] = [];
  const chars: { term: string; id: number }[] = [];
  const keep = (d: number): boolean => d >= minDf && (d <= maxDf || tiny);
  wordTable.terms.forEach((term, w) => {
    if (keep(df[wordId[w]])) words.push({ term, id: wordId[w] });
  });
  charTable.terms.forEach((term, c) => {
    if (keep(df[charId[c]])) chars.push({ term: CHAR_PREFIX + term, id: charId[c] });
  });
  const top = (list: { term: string; id: number }[]): { term: string; id: number }[] =>
    list
      .sort((a, b) => df[b.id] - df[a.id] || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0))
      .slice(0, options.maxFeatures);
  const kept = [...top(words), ...top(chars)];
  const wordCount = Math.min(words.length, options.maxFeatures);
  const column = new Int32Array(df.length).fill(-1);
  kept.forEach((k, c) => (column[k.id] = c));
  // Each document's distinct columns and their counts, once for the entropy weights and both views.
  const counted = docs.map((d) => countColumns(d.map((id) => column[id])));
  docs.length = 0;
  const idf = Float64Array.from(kept, (k) => Math.log((1 + n) / (1 + df[k.id])) + 1);
  const medianWords = median(wordTokens);
  const topicWeighting = options.topicWeighting === 'auto' ? chooseTopicWeighting(medianWords) : options.topicWeighting;
  const entropy = topicWeighting === 'idf-entropy' ? entropyWeights(counted, kept.length, n) : undefined;
  const lexicalWeight = new Float32Array(kept.length);
  const topicWeight = new Float32Array(kept.length);
  kept.forEach((k, c) => {
    const multiWord = c < wordCount && k.term.includes(' ');
    lexicalWeight[c] = multiWord ? 0 : idf[c];
    topicWeight[c] = df[k.id] >= topicMinDf ? idf[c] * (entropy ? entropy[c] : 1) : 0;
  });
  const model: TfidfModel = { options: { ...options, topicWeighting }, medianWords, terms: kept.map((k) => k.term), wordCount, lexicalWeight, topicWeight };
  const views = buildViews(counted, model);
  job.onProgress?.({ stage: 'tfidf', done: n, total: n });
  return { model, views };
}

/** The median of the values (the mean of the middle two for an even count). */
function median(values: Int32Array): number {
  const sorted = Int32Array.from(values).sort();
  const m = sorted.length >> 1;
  return sorted.length % 2 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
}

/**
 * The log-entropy global weight of each column: 1 + Σ_d p_d log p_d / log n, where p_d is
 * the column's count in document d over its count in the corpus. 1 for a term seen in one
 * document, 0 for a term spread evenly over all of them.
 */
function entropyWeights(docs: readonly ColumnCounts[], cols: number, n: number): Float64Array {
  const total = new Float64Array(cols);
  for (const d of docs) for (let t = 0; t < d.columns.length; t++) total[d.columns[t]] += d.counts[t];
  const sum = new Float64Array(cols); // Σ_d p log p
  for (const counts of docs) {
    for (let t = 0; t < counts.columns.length; t++) {
      const c = counts.columns[t];
      const p = counts.counts[t] / total[c];
      sum[c] += p * Math.log(p);
    }
  }
  const logN = Math.log(n);
  return Float64Array.from(sum, (s) => (logN > 0 ? Math.max(0, 1 + s / logN) : 1));
}

/** A document's distinct columns (ascending) and how often each occurs. */
interface ColumnCounts {
  columns: Int32Array;
  counts: Int32Array;
}

/** The distinct columns of one document (ascending) and how often each occurs; -1 entries skipped. */
function countColumns(doc: Int32Array): ColumnCounts {
  let kept = 0;
  for (let t = 0; t < doc.length; t++) if (doc[t] >= 0) kept++;
  const sorted = new Int32Array(kept);
  for (let t = 0, o = 0; t < doc.length; t++) if (doc[t] >= 0) sorted[o++] = doc[t];
  sorted.sort();
  let distinct = 0;
  for (let p = 0; p < kept; p++) if (p === 0 || sorted[p] !== sorted[p - 1]) distinct++;
  const columns = new Int32Array(distinct);
  const counts = new Int32Array(distinct);
  for (let p = 0, d = -1; p < kept; p++) {
    if (p === 0 || sorted[p] !== sorted[p - 1]) columns[++d] = sorted[p];
    counts[d]++;
  }
  return { columns, counts };
}

/** The two views of new texts under a fitted vocabulary (unknown terms are ignored). */
export function transformTfidf(texts: readonly string[], model: TfidfModel): TfidfViews {
  const { words, chars, charColumn } = termColumns(model);
  const docs = texts.map((text) => {
    const cols: number[] = [];
    forEachTerm(
      text,
      model.options,
      (t) => cols.push(words.idOf(t)),
      (padded, start, end, hash) => {
        const c = chars.idOfHashed(padded, start, end, hash);
        cols.push(c < 0 ? -1 : charColumn[c]);
      },
    );
    return Int32Array.from(cols);
  });
  return buildViews(docs.map(countColumns), model);
}

/** Lookup tables of a fitted vocabulary: word terms by column (ids = columns), character terms and their columns. */
interface TermColumns {
  words: TermTable;
  chars: TermTable;
  charColumn: Int32Array;
}
const columnCache = new WeakMap<TfidfModel, TermColumns>();
function termColumns(model: TfidfModel): TermColumns {
  let m = columnCache.get(model);
  if (!m) {
    const words = new TermTable(model.wordCount);
    const chars = new TermTable(model.terms.length - model.wordCount);
    const charColumn = new Int32Array(model.terms.length - model.wordCount);
    model.terms.forEach((t, c) => {
      if (c < model.wordCount) words.intern(t);
      else charColumn[chars.intern(t, 1)] = c;
    });
    m = { words, chars, charColumn };
    columnCache.set(model, m);
  }
  return m;
}

function buildViews(counted: readonly ColumnCounts[], model: TfidfModel): TfidfViews {
  return { topic: buildRows(counted, model, model.topicWeight), lexical: buildRows(counted, model, model.lexicalWeight) };
}

/**
 * Rows of one view: sublinear tf (1 + log count) × the column's weight (columns of weight 0
 * left out), the word and character blocks each L2-normalised, the character block scaled
 * by `charWeight`, then the row L2-normalised.
 */
function buildRows(docs: readonly ColumnCounts[], model: TfidfModel, weight: Float32Array): SparseRows {
  const cols = model.terms.length;
  const indptr = new Int32Array(docs.length + 1);
  // Rows are written straight into arrays sized for every column of every document (the view
  // keeps a subset), with one float64 scratch row: no per-row arrays for the collector.
  let capacity = 0;
  let longest = 0;
  for (const d of docs) {
    capacity += d.columns.length;
    longest = Math.max(longest, d.columns.length);
  }
  const indices = new Int32Array(capacity);
  const values = new Float32Array(capacity);
  const val = new Float64Array(longest);
  let nnz = 0;
  const cw = model.options.charWeight;
  for (let i = 0; i < docs.length; i++) {
    const { columns, counts } = docs[i];
    const start = nnz;
    let m = 0;
    let sw = 0;
    let sc = 0;
    for (let t = 0; t < columns.length; t++) {
      const w = weight[columns[t]];
      if (w === 0) continue;
      const v = (1 + Math.log(counts[t])) * w;
      indices[start + m] = columns[t];
      val[m++] = v;
      if (columns[t] < model.wordCount) sw += v * v;
      else sc += v * v;
    }
    const fw = sw > 0 ? 1 / Math.sqrt(sw) : 0;
    const fc = sc > 0 ? cw / Math.sqrt(sc) : 0;
    let total = 0;
    for (let t = 0; t < m; t++) {
      val[t] *= indices[start + t] < model.wordCount ? fw : fc;
      total += val[t] * val[t];
    }
    const f = total > 0 ? 1 / Math.sqrt(total) : 0;
    for (let t = 0; t < m; t++) values[start + t] = val[t] * f;
    nnz += m;
    indptr[i + 1] = nnz;
  }
  return { rows: docs.length, cols, indptr, indices: indices.slice(0, nnz), values: values.slice(0, nnz) };
}
