/**
 * Content words two records share, and where they occur, so the annotation view can mark them
 * in both texts. Words are runs of letters and digits (an apostrophe or a hyphen ends a word:
 * "l'inondation" gives "inondation"); they match without regard to case or accents
 * ("Élection" = "election", a decomposed "é" = a composed one). Stop words (English and French,
 * `cluster/stopwords.ts`), words under three characters and one- or two-digit numbers are left
 * out. Spans are UTF-16 offsets into each field's value, as the webview indexes strings.
 */
import { STOP_WORDS } from '../cluster/stopwords';

export interface TextField {
  name: string;
  value: string;
}

export interface SharedTerms {
  /** The shared words (as first written on the left), most frequent in both texts first. */
  terms: string[];
  /** Per field of each side, flat [start, end, start, end, …] offsets of shared words. */
  left: number[][];
  right: number[][];
}

/** Spans kept per field: enough for a long article, bounded for a pathological one. */
const MAX_SPANS_PER_FIELD = 4000;
/** A word: a letter or digit, then letters, combining marks (a decomposed accent) and digits. */
const WORD = /[\p{L}\p{N}][\p{L}\p{M}\p{N}]*/gu;

/** The matching key of a word: lower case, accents removed. */
export function termKey(word: string): string {
  return word.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();
}

const FOLDED_STOP_WORDS: ReadonlySet<string> = new Set([...STOP_WORDS].map(termKey));

/** Whether a word can be a shared content word. */
function isContentWord(word: string, key: string): boolean {
  if (/^\p{N}+$/u.test(word)) return word.length >= 3;
  if (key.length < 3) return false;
  return !STOP_WORDS.has(word.toLowerCase()) && !FOLDED_STOP_WORDS.has(key);
}

interface Token {
  start: number;
  end: number;
  key: string;
  word: string;
}

function contentTokens(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(WORD)) {
    const word = m[0];
    const key = termKey(word);
    if (isContentWord(word, key)) out.push({ start: m.index, end: m.index + word.length, key, word });
  }
  return out;
}

/** The content words of `left` and `right` (each a list of fields) found on both sides. */
export function sharedTerms(left: readonly TextField[], right: readonly TextField[]): SharedTerms {
  const leftTokens = left.map((f) => contentTokens(f.value));
  const rightTokens = right.map((f) => contentTokens(f.value));
  const count = (tokens: Token[][]) => {
    const c = new Map<string, number>();
    for (const field of tokens) for (const t of field) c.set(t.key, (c.get(t.key) ?? 0) + 1);
    return c;
  };
  const leftCount = count(leftTokens);
  const rightCount = count(rightTokens);
  const shared = new Set([...leftCount.keys()].filter((k) => rightCount.has(k)));
  const firstForm = new Map<string, string>();
  for (const field of leftTokens) for (const t of field) if (shared.has(t.key) && !firstForm.has(t.key)) firstForm.set(t.key, t.word.toLowerCase());
  const terms = [...shared]
    .sort((a, b) => Math.min(rightCount.get(b)!, leftCount.get(b)!) - Math.min(rightCount.get(a)!, leftCount.get(a)!) || (a < b ? -1 : a > b ? 1 : 0))
    .map((k) => firstForm.get(k) ?? k);
  const spans = (tokens: Token[][]) =>
    tokens.map((field) => {
      const flat: number[] = [];
      for (const t of field) {
        if (!shared.has(t.key)) continue;
        if (flat.length >= 2 * MAX_SPANS_PER_FIELD) break;
        flat.push(t.start, t.end);
      }
      return flat;
    });
  return { terms, left: spans(leftTokens), right: spans(rightTokens) };
}
