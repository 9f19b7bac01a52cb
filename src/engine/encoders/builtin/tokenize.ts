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
  const out: string[] = [];
  for (const m of normalized.matchAll(WORD)) {
    const w = m[0];
    // Single Latin letters/digits carry little; single CJK characters are words.
    if (w.length >= 2 || w.charCodeAt(0) > 0x2e7f) out.push(w);
  }
  return out;
}

/** Settings of the term extraction. */
export interface TermOptions {
  /** Word n-gram sizes, inclusive, e.g. [1, 2]; null for none. */
  wordNgrams: [number, number] | null;
  /** Character n-gram sizes inside word boundaries, e.g. [3, 5]; null for none. */
  charNgrams: [number, number] | null;
}

/**
 * Calls `onWord(term)` for every word n-gram and `onChar(padded, start, end, hash)` for every
 * character n-gram padded[start, end) (within " word " padding, like scikit-learn's char_wb) of a
 * text: the n-gram is given as a range of its padded word, so no substring is made for it, with its
 * `hashRange` (the n-grams starting at one position are hashed in one pass, shortest first).
 * Only the text's first MAX_TERM_TEXT_CHARS characters are read (util/term-text.ts).
 * Returns the number of word tokens read.
 */
export function forEachTerm(
  text: string,
  options: TermOptions,
  onWord: (term: string) => void,
  onChar: (padded: string, start: number, end: number, hash: number) => void,
): number {
  const tokens = wordTokens(normalizeText(termText(text)));
  if (options.wordNgrams) {
    const [lo, hi] = options.wordNgrams;
    for (let n = lo; n <= hi; n++)
      for (let i = 0; i + n <= tokens.length; i++) onWord(n === 1 ? tokens[i] : tokens.slice(i, i + n).join(' '));
  }
  if (options.charNgrams) {
    const [lo, hi] = options.charNgrams;
    for (const t of tokens) {
      const padded = ` ${t} `;
      const length = padded.length;
      if (length < lo) {
        onChar(padded, 0, length, hashRange(padded, 0, length));
        continue;
      }
      for (let i = 0; i + lo <= length; i++) {
        let h = FNV_START;
        const last = Math.min(i + hi, length);
        for (let e = i; e < last; e++) {
          h = fnvAdd(h, padded.charCodeAt(e));
          if (e + 1 - i >= lo) onChar(padded, i, e + 1, fnvFinish(h));
        }
      }
    }
  }
  return tokens.length;
}
