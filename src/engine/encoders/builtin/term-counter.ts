/**
 * The counting half of the TF-IDF stage, for one share of a corpus: each text's n-grams are
 * interned (word and character n-grams in two TermTables) and each text is recorded as its
 * distinct terms with their counts, each term with its document frequency. A share counted on a
 * worker thread comes back as `TermCounts` (typed arrays and two strings, cheap to send); the
 * main thread then merges the shares' vocabularies (tfidf-count.ts).
 *
 * A term is coded in a text's list as 2·id for a word n-gram and 2·id + 1 for a character n-gram
 * (ids of the share's tables, in order of first occurrence).
 */
import { forEachCharNgram, forEachWordNgram, joinTokens, type TermOptions, type TermSink } from './tokenize';
import { TermTable } from './term-table';

/** An Int32Array that grows as values are appended. */
class IntList {
  data: Int32Array;
  length = 0;

  constructor(capacity = 1024) {
    this.data = new Int32Array(capacity);
  }

  push(value: number): void {
    if (this.length === this.data.length) this.reserve(this.length + 1);
    this.data[this.length++] = value;
  }

  reserve(capacity: number): void {
    if (capacity <= this.data.length) return;
    const next = new Int32Array(Math.max(capacity, this.data.length * 2));
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }

  /** The values, in an array of their own. */
  toArray(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

/** Per term of one table: its document frequency, and where the text being counted holds it. */
class TermStats {
  df: Int32Array = new Int32Array(1024);
  /** The last text the term occurred in (-1: none yet). */
  lastText: Int32Array = new Int32Array(1024).fill(-1);
  /** Its position in that text's list. */
  slot: Int32Array = new Int32Array(1024);

  /** Makes room for term ids below `size`. */
  reserve(size: number): void {
    if (size <= this.df.length) return;
    const capacity = Math.max(size, this.df.length * 2);
    const grow = (a: Int32Array, fill: number): Int32Array => {
      const next = new Int32Array(capacity).fill(fill);
      next.set(a);
      return next;
    };
    this.df = grow(this.df, 0);
    this.lastText = grow(this.lastText, -1);
    this.slot = grow(this.slot, 0);
  }
}

/** A vocabulary as one string and the end offset of each term in it (term id order). */
export interface PackedTerms {
  text: string;
  ends: Int32Array;
}

/** A share's vocabulary: its terms, their document frequencies, and the word tokens of each text. */
export interface ShareVocabulary {
  words: PackedTerms;
  chars: PackedTerms;
  /** Document frequency of each word term, of each character term (within the share). */
  wordDf: Int32Array;
  charDf: Int32Array;
  /** Word tokens read per text. */
  wordTokens: Int32Array;
}

/** A share's texts as lists of their distinct terms with counts. */
export interface TermLists {
  /** Text i's distinct terms (coded 2·word id or 2·char id + 1) are terms[textStart[i], textStart[i + 1]). */
  textStart: Int32Array;
  terms: Int32Array;
  /** How often each of those terms occurs in its text. */
  counts: Int32Array;
}

/** What counting a share of a corpus gives. */
export type TermCounts = ShareVocabulary & TermLists;

export class TermCounter {
  readonly words = new TermTable();
  readonly chars = new TermTable();
  private readonly wordStats = new TermStats();
  private readonly charStats = new TermStats();
  private readonly textStart = new IntList();
  private readonly terms = new IntList(1 << 16);
  private readonly counts = new IntList(1 << 16);
  private readonly tokens = new IntList();
  private text = 0;
  // The character n-grams of each distinct word (its ids in `chars`, in order), found at its first
  // occurrence: a word's later occurrences are counted without hashing its n-grams again.
  private readonly tokenTable = new TermTable();
  private readonly tokenNgramStart = new IntList();
  private readonly tokenNgrams = new IntList(1 << 16);
  // Bound once: called for every n-gram.
  private readonly onWord: TermSink = (text, start, end, hash) => this.count(this.wordStats, this.words.internHashed(text, start, end, hash), 0);
  private readonly onNewChar: TermSink = (text, start, end, hash) => this.tokenNgrams.push(this.chars.internHashed(text, start, end, hash));

  constructor(private readonly options: TermOptions) {
    this.textStart.push(0);
    this.tokenNgramStart.push(0);
  }

  /** Number of texts counted. */
  get size(): number {
    return this.text;
  }

  /** Counts one more text. */
  add(text: string): void {
    const tokens = joinTokens(text);
    const { wordNgrams, charNgrams } = this.options;
    if (wordNgrams) forEachWordNgram(tokens, wordNgrams[0], wordNgrams[1], this.onWord);
    if (charNgrams) {
      const { joined, starts, ends } = tokens;
      for (let k = 0; k < starts.length; k++) {
        const t = this.tokenTable.intern(joined, starts[k], ends[k]);
        if (t + 1 === this.tokenNgramStart.length) {
          // A new word: its padded form " word " is joined[start - 1, end + 1).
          forEachCharNgram(joined, starts[k] - 1, ends[k] + 1, charNgrams[0], charNgrams[1], this.onNewChar);
          this.tokenNgramStart.push(this.tokenNgrams.length);
        }
        const ngrams = this.tokenNgrams.data;
        for (let p = this.tokenNgramStart.data[t]; p < this.tokenNgramStart.data[t + 1]; p++) this.count(this.charStats, ngrams[p], 1);
      }
    }
    this.tokens.push(tokens.starts.length);
    this.text++;
    this.textStart.push(this.terms.length);
  }

  private count(stats: TermStats, id: number, kind: number): void {
    if (id >= stats.df.length) stats.reserve(id + 1);
    if (stats.lastText[id] !== this.text) {
      stats.lastText[id] = this.text;
      stats.slot[id] = this.terms.length;
      stats.df[id]++;
      this.terms.push(2 * id + kind);
      this.counts.push(1);
    } else {
      this.counts.data[stats.slot[id]]++;
    }
  }

  /** The counts so far, in arrays of their own (the vocabularies packed into strings). */
  result(): TermCounts {
    return {
      words: packTerms(this.words.terms),
      chars: packTerms(this.chars.terms),
      wordDf: this.wordStats.df.slice(0, this.words.size),
      charDf: this.charStats.df.slice(0, this.chars.size),
      textStart: this.textStart.toArray(),
      terms: this.terms.toArray(),
      counts: this.counts.toArray(),
      wordTokens: this.tokens.toArray(),
    };
  }
}

function packTerms(terms: readonly string[]): PackedTerms {
  const ends = new Int32Array(terms.length);
  let at = 0;
  terms.forEach((t, i) => (ends[i] = at += t.length));
  return { text: terms.join(''), ends };
}

/** The buffers of a share's vocabulary, to transfer rather than copy. */
export function vocabularyBuffers(v: ShareVocabulary): ArrayBuffer[] {
  return [v.words.ends, v.chars.ends, v.wordDf, v.charDf, v.wordTokens].map((a) => a.buffer as ArrayBuffer);
}
