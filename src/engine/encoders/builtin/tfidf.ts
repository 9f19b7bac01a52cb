import type { JobOptions } from '../../util/job';
import type { SparseRows } from './sparse';
import type { ColumnCounts } from './column-counts';
import { countTerms, type TermCountSession } from './term-count-threads';
import type { PackedTerms } from './term-counter';
import { TermTable } from './term-table';
import { viewWeights } from './tfidf-rows';
import { mergeVocabularies, topTerms } from './tfidf-vocabulary';
import type { TermOptions } from './tokenize';

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

/** How a TF-IDF call runs: progress, cancel and the threads its term counting runs on (term-count-threads.ts). */
export interface TfidfJob extends JobOptions {
  threads?: number;
}

/**
 * The progress stage of fitting the TF-IDF model (term counting on every core, then the weights
 * and rows); its last report (done = total) says the fit is over.
 */
export const TFIDF_FIT_STAGE = 'tfidf';

/** Fits the vocabulary and the term weights on a corpus and returns the corpus' views. */
export async function fitTfidf(
  texts: readonly string[],
  options: TfidfOptions,
  job: TfidfJob = {},
): Promise<{ model: TfidfModel; views: TfidfViews }> {
  const n = texts.length;
  const session = await countTerms(texts, options, { ...job, stage: TFIDF_FIT_STAGE });
  try {
    const { model, views } = await fitOnCounts(session, n, options);
    job.onProgress?.({ stage: TFIDF_FIT_STAGE, done: n, total: n });
    return { model, views };
  } finally {
    await session.close();
  }
}

async function fitOnCounts(session: TermCountSession, n: number, options: TfidfOptions): Promise<{ model: TfidfModel; views: TfidfViews }> {
  const { shares } = session;
  const { words, chars, wordDf, charDf, wordIds, charIds } = mergeVocabularies(shares);
  const tiny = n < 20;
  const minDf = tiny ? 1 : options.minDf;
  const topicMinDf = tiny ? 1 : Math.max(minDf, options.topicMinDf);
  const maxDf = Math.max(1, Math.floor(options.maxDf * n));
  const keep = (d: number): boolean => d >= minDf && (d <= maxDf || tiny);
  const keptWords = topTerms(words.terms, wordDf, keep, options.maxFeatures);
  const keptChars = topTerms(chars.terms, charDf, keep, options.maxFeatures);
  const wordCount = keptWords.length;
  const cols = wordCount + keptChars.length;
  const terms: string[] = new Array<string>(cols);
  const df = new Int32Array(cols);
  const wordColumn = new Int32Array(words.size).fill(-1);
  const charColumn = new Int32Array(chars.size).fill(-1);
  keptWords.forEach((w, c) => {
    terms[c] = words.terms[w];
    df[c] = wordDf[w];
    wordColumn[w] = c;
  });
  keptChars.forEach((ch, k) => {
    const c = wordCount + k;
    terms[c] = CHAR_PREFIX + chars.terms[ch];
    df[c] = charDf[ch];
    charColumn[ch] = c;
  });
  // Each text's distinct columns and their counts, once for the entropy weights and both views.
  const through = (ids: Int32Array | undefined, column: Int32Array): Int32Array => (ids ? ids.map((id) => column[id]) : column);
  const counted = await session.columnCounts(
    shares.map((_, p) => ({ wordColumn: through(wordIds[p], wordColumn), charColumn: through(charIds[p], charColumn) })),
    cols,
  );
  const idf = Float64Array.from(df, (d) => Math.log((1 + n) / (1 + d)) + 1);
  const medianWords = median(shares.map((s) => s.vocabulary.wordTokens));
  const topicWeighting = options.topicWeighting === 'auto' ? chooseTopicWeighting(medianWords) : options.topicWeighting;
  const entropy = topicWeighting === 'idf-entropy' ? entropyWeights(counted, cols, n) : undefined;
  const lexicalWeight = new Float32Array(cols);
  const topicWeight = new Float32Array(cols);
  for (let c = 0; c < cols; c++) {
    const multiWord = c < wordCount && terms[c].includes(' ');
    lexicalWeight[c] = multiWord ? 0 : idf[c];
    topicWeight[c] = df[c] >= topicMinDf ? idf[c] * (entropy ? entropy[c] : 1) : 0;
  }
  const model: TfidfModel = { options: { ...options, topicWeighting }, medianWords, terms, wordCount, lexicalWeight, topicWeight };
  const views = await session.views(viewWeights(model));
  return { model, views };
}

/** The median of the values of all the arrays (the mean of the middle two for an even count). */
function median(parts: readonly Int32Array[]): number {
  let length = 0;
  for (const p of parts) length += p.length;
  const sorted = new Int32Array(length);
  let at = 0;
  for (const p of parts) {
    sorted.set(p, at);
    at += p.length;
  }
  sorted.sort();
  const m = sorted.length >> 1;
  return sorted.length % 2 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
}

/**
 * The log-entropy global weight of each column: 1 + Σ_d p_d log p_d / log n, where p_d is
 * the column's count in document d over its count in the corpus. 1 for a term seen in one
 * document, 0 for a term spread evenly over all of them.
 */
function entropyWeights(rows: ColumnCounts, cols: number, n: number): Float64Array {
  const { columns, counts } = rows;
  const total = new Float64Array(cols);
  for (let p = 0; p < columns.length; p++) total[columns[p]] += counts[p];
  // p log p of a count of 1, the most common by far, once per column (the same value as in the loop).
  const once = Float64Array.from(total, (t) => (1 / t) * Math.log(1 / t));
  const sum = new Float64Array(cols); // Σ_d p log p
  for (let q = 0; q < columns.length; q++) {
    const c = columns[q];
    if (counts[q] === 1) {
      sum[c] += once[c];
      continue;
    }
    const p = counts[q] / total[c];
    sum[c] += p * Math.log(p);
  }
  const logN = Math.log(n);
  return Float64Array.from(sum, (s) => (logN > 0 ? Math.max(0, 1 + s / logN) : 1));
}

/** The two views of new texts under a fitted vocabulary (unknown terms are ignored). */
export async function transformTfidf(texts: readonly string[], model: TfidfModel, job: TfidfJob = {}): Promise<TfidfViews> {
  const lookup = termColumns(model);
  // No progress: the caller reports its own stage (encode); the counting is cancelled by the signal.
  const session = await countTerms(texts, model.options, { signal: job.signal, threads: job.threads });
  try {
    await session.columnCounts(
      session.shares.map(({ vocabulary }) => ({
        wordColumn: mapTerms(vocabulary.words, (text, start, end) => lookup.words.idOf(text, start, end)),
        charColumn: mapTerms(vocabulary.chars, (text, start, end) => {
          const c = lookup.chars.idOf(text, start, end);
          return c < 0 ? -1 : lookup.charColumn[c];
        }),
      })),
      model.terms.length,
    );
    return await session.views(viewWeights(model));
  } finally {
    await session.close();
  }
}

/** `f` of each packed term (its range of the packed text). */
function mapTerms(terms: PackedTerms, f: (text: string, start: number, end: number) => number): Int32Array {
  const out = new Int32Array(terms.ends.length);
  for (let i = 0; i < out.length; i++) out[i] = f(terms.text, i > 0 ? terms.ends[i - 1] : 0, terms.ends[i]);
  return out;
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
