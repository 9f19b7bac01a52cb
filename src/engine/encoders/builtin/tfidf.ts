import type { JobOptions } from '../../util/job';
import { checkpoint } from '../../util/job';
import type { SparseRows } from './sparse';
import { forEachTerm, type TermOptions } from './tokenize';

/** Settings of the TF-IDF stage. */
export interface TfidfOptions extends TermOptions {
  /** Terms in fewer documents are dropped (lowered to 1 on tiny corpora). */
  minDf: number;
  /** Terms in more than this share of the documents are dropped. */
  maxDf: number;
  /** At most this many word terms and this many character terms (the most frequent). */
  maxFeatures: number;
  /** Weight of the character block against the word block (each is L2-normalised first). */
  charWeight: number;
}

/** A fitted vocabulary: term → column, and the IDF of each column. Words first, then characters. */
export interface TfidfModel {
  options: TfidfOptions;
  terms: string[];
  /** Columns [0, wordCount) are word n-grams, the rest character n-grams. */
  wordCount: number;
  idf: Float32Array;
}

const CHAR_PREFIX = '\u0001';

/** Fits the vocabulary and IDF on a corpus and returns the corpus' TF-IDF rows. */
export async function fitTfidf(
  texts: readonly string[],
  options: TfidfOptions,
  job: JobOptions = {},
): Promise<{ model: TfidfModel; x: SparseRows }> {
  const n = texts.length;
  const ids = new Map<string, number>();
  const charIds = new Map<string, number>();
  const df: number[] = [];
  const docs: Int32Array[] = [];
  const seen = new Set<number>();
  for (let i = 0; i < n; i++) {
    const terms: number[] = [];
    const add = (t: string, map: Map<string, number>): void => {
      let id = map.get(t);
      if (id === undefined) {
        id = df.length;
        map.set(t, id);
        df.push(0);
      }
      terms.push(id);
      if (!seen.has(id)) {
        seen.add(id);
        df[id]++;
      }
    };
    forEachTerm(
      texts[i],
      options,
      (t) => add(t, ids),
      (t) => add(t, charIds),
    );
    seen.clear();
    docs.push(Int32Array.from(terms));
    if (i % 500 === 499) {
      job.onProgress?.({ stage: 'tfidf', done: i + 1, total: n });
      await checkpoint(job.signal);
    }
  }
  const minDf = n < 20 ? 1 : options.minDf;
  const maxDf = Math.max(1, Math.floor(options.maxDf * n));
  const words: { term: string; df: number }[] = [];
  const chars: { term: string; df: number }[] = [];
  const keep = (d: number): boolean => d >= minDf && (d <= maxDf || n < 20);
  for (const [term, id] of ids) if (keep(df[id])) words.push({ term, df: df[id] });
  for (const [term, id] of charIds) if (keep(df[id])) chars.push({ term: CHAR_PREFIX + term, df: df[id] });
  const top = (list: { term: string; df: number }[]): { term: string; df: number }[] =>
    list
      .sort((a, b) => b.df - a.df || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0))
      .slice(0, options.maxFeatures);
  const kept = [...top(words), ...top(chars)];
  const wordCount = Math.min(words.length, options.maxFeatures);
  const idf = new Float32Array(kept.length);
  kept.forEach((k, c) => (idf[c] = Math.log((1 + n) / (1 + k.df)) + 1));
  const model: TfidfModel = { options, terms: kept.map((k) => k.term), wordCount, idf };
  const column = new Map<number, number>();
  kept.forEach((k, c) =>
    column.set(k.term.startsWith(CHAR_PREFIX) ? charIds.get(k.term.slice(1))! : ids.get(k.term)!, c),
  );
  const x = buildRows(
    docs.map((d) => d.map((id) => column.get(id) ?? -1)),
    model,
  );
  job.onProgress?.({ stage: 'tfidf', done: n, total: n });
  return { model, x };
}

/** TF-IDF rows of new texts under a fitted vocabulary (unknown terms are ignored). */
export function transformTfidf(texts: readonly string[], model: TfidfModel): SparseRows {
  const { words, chars } = termColumns(model);
  const docs = texts.map((text) => {
    const cols: number[] = [];
    forEachTerm(
      text,
      model.options,
      (t) => cols.push(words.get(t) ?? -1),
      (t) => cols.push(chars.get(t) ?? -1),
    );
    return Int32Array.from(cols);
  });
  return buildRows(docs, model);
}

interface TermColumns {
  words: Map<string, number>;
  chars: Map<string, number>;
}
const columnCache = new WeakMap<TfidfModel, TermColumns>();
function termColumns(model: TfidfModel): TermColumns {
  let m = columnCache.get(model);
  if (!m) {
    m = { words: new Map(), chars: new Map() };
    model.terms.forEach((t, c) => (c < model.wordCount ? m!.words.set(t, c) : m!.chars.set(t.slice(1), c)));
    columnCache.set(model, m);
  }
  return m;
}

/** Sublinear tf × idf, each block L2-normalised, blocks weighted, rows L2-normalised. */
function buildRows(docs: Int32Array[], model: TfidfModel): SparseRows {
  const cols = model.terms.length;
  const indptr = new Int32Array(docs.length + 1);
  const idxParts: Int32Array[] = [];
  const valParts: Float32Array[] = [];
  let nnz = 0;
  const cw = model.options.charWeight;
  for (let i = 0; i < docs.length; i++) {
    const sorted = docs[i].filter((c) => c >= 0).sort();
    const idx: number[] = [];
    const val: number[] = [];
    for (let p = 0; p < sorted.length; ) {
      let q = p;
      while (q < sorted.length && sorted[q] === sorted[p]) q++;
      idx.push(sorted[p]);
      val.push((1 + Math.log(q - p)) * model.idf[sorted[p]]);
      p = q;
    }
    let sw = 0;
    let sc = 0;
    for (let t = 0; t < idx.length; t++) {
      if (idx[t] < model.wordCount) sw += val[t] * val[t];
      else sc += val[t] * val[t];
    }
    const fw = sw > 0 ? 1 / Math.sqrt(sw) : 0;
    const fc = sc > 0 ? cw / Math.sqrt(sc) : 0;
    let total = 0;
    for (let t = 0; t < idx.length; t++) {
      val[t] *= idx[t] < model.wordCount ? fw : fc;
      total += val[t] * val[t];
    }
    const f = total > 0 ? 1 / Math.sqrt(total) : 0;
    idxParts.push(Int32Array.from(idx));
    valParts.push(Float32Array.from(val, (v) => v * f));
    nnz += idx.length;
    indptr[i + 1] = nnz;
  }
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  for (let i = 0; i < docs.length; i++) {
    indices.set(idxParts[i], indptr[i]);
    values.set(valParts[i], indptr[i]);
  }
  return { rows: docs.length, cols, indptr, indices, values };
}
