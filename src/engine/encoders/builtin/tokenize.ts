/**
 * Text → terms for the built-in encoder, for any language: Unicode letters and digits,
 * accents folded, French/Italian elisions (l', d', qu', jusqu'…) and English possessive 's removed.
 */

import { termText } from '../../util/term-text';
import { FNV_START, fnvAdd, fnvFinish, hashRange } from './term-table';

const ELISION = /(^|[^\p{L}\p{N}])(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu)['’ʼ](?=\p{L})/gu;
const POSSESSIVE = /(\p{L})['’ʼ]s(?![\p{L}\p{N}])/gu;
const WORD = /[\p{L}\p{N}]+/gu;
const MARKS = /\p{M}+/gu;

/** Lower case, compatibility-normalised, accents removed, elisions dropped. */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(MARKS, '')
    .toLowerCase()
    .replace(ELISION, '$1')
    .replace(POSSESSIVE, '$1');
}

/** Word tokens of a normalised text (letters/digits runs of 2+ characters, or any single non-Latin letter run). */
export function wordTokens(normalized: string): string[] {
  const runs = normalized.match(WORD) ?? [];
  let kept = 0;
  for (const w of runs) {
    // Single Latin letters/digits carry little; single CJK characters are words.
    if (w.length >= 2 || w.charCodeAt(0) > 0x2e7f) runs[kept++] = w;
  }
  runs.length = kept;
  return runs;
}

/** Settings of the term extraction. */
export interface TermOptions {
  /** Word n-gram sizes, inclusive, e.g. [1, 2]; null for none. */
  wordNgrams: [number, number] | null;
  /** Character n-gram sizes inside word boundaries, e.g. [3, 5]; null for none. */
  charNgrams: [number, number] | null;
}

/** Receives one n-gram of a text: text[start, end), with its `hashRange` (term-table.ts). */
export type TermSink = (text: string, start: number, end: number, hash: number) => void;

/** A text's word tokens joined by single spaces between a leading and a trailing space. */
export interface JoinedTokens {
  /** " token token … token " */
  joined: string;
  /** Token k is joined[starts[k], ends[k]). */
  starts: Int32Array;
  ends: Int32Array;
}

/** The word tokens of a text's first MAX_TERM_TEXT_CHARS characters (util/term-text.ts), joined. */
export function joinTokens(text: string): JoinedTokens {
  const tokens = wordTokens(normalizeText(termText(text)));
  const starts = new Int32Array(tokens.length);
  const ends = new Int32Array(tokens.length);
  for (let k = 0, at = 1; k < tokens.length; k++) {
    starts[k] = at;
    at += tokens[k].length;
    ends[k] = at;
    at++;
  }
  return { joined: ` ${tokens.join(' ')} `, starts, ends };
}

/** `sink` for every word n-gram of `lo` to `hi` tokens: its tokens joined by spaces, a range of `joined`. */
export function forEachWordNgram({ joined, starts, ends }: JoinedTokens, lo: number, hi: number, sink: TermSink): void {
  const count = starts.length;
  for (let k = 0; k < count; k++) {
    const start = starts[k];
    const last = Math.min(k + hi, count) - 1;
    let h = FNV_START;
    let e = start;
    for (let j = k; j <= last; j++) {
      if (j > k) {
        // The space between tokens j - 1 and j.
        h = fnvAdd(h, 0x20);
        e++;
      }
      for (; e < ends[j]; e++) h = fnvAdd(h, joined.charCodeAt(e));
      if (j + 1 - k >= lo) sink(joined, start, e, fnvFinish(h));
    }
  }
}

/**
 * `sink` for every character n-gram of `lo` to `hi` characters of the padded word text[from, to)
 * (the whole padded word when it is shorter than `lo`).
 */
export function forEachCharNgram(text: string, from: number, to: number, lo: number, hi: number, sink: TermSink): void {
  if (to - from < lo) {
    sink(text, from, to, hashRange(text, from, to));
    return;
  }
  for (let i = from; i + lo <= to; i++) {
    let h = FNV_START;
    const last = Math.min(i + hi, to);
    for (let e = i; e < last; e++) {
      h = fnvAdd(h, text.charCodeAt(e));
      if (e + 1 - i >= lo) sink(text, i, e + 1, fnvFinish(h));
    }
  }
}

/**
 * Calls `onWord` for every word n-gram and `onChar` for every character n-gram (within " word "
 * padding, like scikit-learn's char_wb) of a text. Each n-gram is given as a range of one string,
 * the text's tokens joined by single spaces between a leading and a trailing space (`joinTokens`):
 * a word n-gram is its words joined by spaces, a character n-gram a range of its " word ". No
 * substring is made for an n-gram, and its `hashRange` comes with it (the n-grams that start at
 * one position are hashed in one pass, shortest first).
 * Only the text's first MAX_TERM_TEXT_CHARS characters are read (util/term-text.ts).
 * Returns the number of word tokens read.
 */
export function forEachTerm(text: string, options: TermOptions, onWord: TermSink, onChar: TermSink): number {
  const tokens = joinTokens(text);
  if (options.wordNgrams) forEachWordNgram(tokens, options.wordNgrams[0], options.wordNgrams[1], onWord);
  if (options.charNgrams) {
    const [lo, hi] = options.charNgrams;
    for (let k = 0; k < tokens.starts.length; k++) forEachCharNgram(tokens.joined, tokens.starts[k] - 1, tokens.ends[k] + 1, lo, hi, onChar);
  }
  return tokens.starts.length;
}
