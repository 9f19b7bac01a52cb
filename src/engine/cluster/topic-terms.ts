/**
 * The terms that topic keywords are chosen from: words and two-word phrases of each text,
 * with its boilerplate taken out. Boilerplate is found by the shape of the text, not by
 * word lists, so it works in any language:
 * - markup: HTML tags and their attributes, short links with their text, character entities (also with the `&` lost,
 *   as in `#39;` and `quot;`), URLs, e-mail addresses and the `.com`-like ending of a domain;
 * - credits: the source line of a wire story, `(Reuters) - `, `PARIS (AFP) -- `, or a short
 *   name before a dash at the start of a sentence, `AP - `.
 * A word found mostly inside boilerplate over the whole corpus (`href`, `fullquote`,
 * `reuters`) is then dropped everywhere, even where it stands in plain text.
 */
import { termText } from '../util/term-text';

/** Lower-cased word tokens (letters and digits, apostrophes split), stop words kept. */
export function topicTokens(text: string): string[] {
  const found = text.toLowerCase().match(/[\p{L}\p{N}]+(?:[-'’][\p{L}\p{N}]+)*/gu);
  if (!found) return [];
  const out: string[] = [];
  for (const t of found) {
    if (t.includes("'") || t.includes('’')) out.push(...t.split(/['’]/));
    else out.push(t);
  }
  return out;
}

const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", nbsp: ' ' };

/**
 * Decodes character entities, also those whose `&` was lost (`#39;`, `quot;`), as in text
 * scraped from HTML. Unknown named entities become a space.
 */
export function decodeEntities(text: string): string {
  let out = text;
  // Twice, for doubly escaped text (`&amp;lt;`).
  for (let pass = 0; pass < 2; pass++) {
    const before = out;
    out = out
      .replace(/&?#(\d{1,7});/g, (_, n: string) => codePoint(Number(n)))
      .replace(/&#x([0-9a-f]{1,6});/gi, (_, n: string) => codePoint(parseInt(n, 16)))
      .replace(/&([a-z][a-z0-9]{1,7});/gi, (_, name: string) => NAMED_ENTITIES[name.toLowerCase()] ?? ' ')
      // The `&` is lost: only the common names, and only where no letter precedes them.
      .replace(/(?<![\p{L}\p{N}&])(lt|gt|amp|quot|apos|nbsp);/giu, (_, name: string) => NAMED_ENTITIES[name.toLowerCase()]);
    if (out === before) break;
  }
  return out;
}

function codePoint(n: number): string {
  return n > 0 && n <= 0x10ffff && !(n >= 0xd800 && n <= 0xdfff) ? String.fromCodePoint(n) : ' ';
}

/**
 * Boilerplate spans, in one alternation so that they never overlap (the first alternative
 * that matches at a position wins). For a domain name, `name` is its text without the last
 * label (`washingtonpost.` of `washingtonpost.com`) and `tld` that label.
 */
const BOILERPLATE = new RegExp(
  [
    // HTML comments and tags with their attributes; a tag cut off at the end of the text counts.
    String.raw`<!--[\s\S]*?(?:-->|$)`,
    // A short link with its text: navigation (`Quote, Profile, Research`, a ticker).
    String.raw`<[aA]\s[^<>]*>[^<>]{0,80}<\/[aA]\s*>`,
    String.raw`<\/?[a-zA-Z][^<>]*(?:>|$)`,
    // URLs with a scheme or `www.`, and e-mail addresses.
    String.raw`\b[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^\s<>"']*`,
    String.raw`\bwww\.[^\s<>"']*`,
    String.raw`[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+`,
    // `(Reuters) - `, `(AP) -- `.
    String.raw`\([^()\n]{2,40}\)(?=\s+--?\s)`,
    // `AP - `, `Sports Network - `, `SPACE.com - ` at the start of the text or of a sentence.
    String.raw`(?:^|(?<=[.!?:]\s+))[\p{L}\p{N}][\p{L}\p{N}.&]*(?:[ \t][\p{L}\p{N}][\p{L}\p{N}.&]*){0,2}(?=[ \t]+--?\s)`,
    // A domain name: labels of two or more characters, a lower-case last label of 2–6 letters.
    String.raw`(?<![\p{L}\p{N}.])(?<name>(?:[\p{L}\p{N}][\p{L}\p{N}-]*[\p{L}\p{N}]\.)+)(?<tld>[a-z]{2,6})(?![\p{L}\p{N}]|\.[\p{L}\p{N}])`,
  ].join('|'),
  'gu',
);

/** A text split into plain-text pieces and the words found inside its boilerplate. */
export interface TextParts {
  /** Pieces of plain text; phrases never span two pieces. */
  pieces: string[];
  /** Lower-cased words found inside boilerplate. */
  boilerplate: string[];
}

/** Splits a text into its plain-text pieces and its boilerplate. */
export function splitBoilerplate(text: string): TextParts {
  const decoded = decodeEntities(text);
  const pieces: string[] = [];
  const boilerplate: string[] = [];
  let last = 0;
  for (const m of decoded.matchAll(BOILERPLATE)) {
    const start = m.index;
    const domain = m.groups;
    if (domain?.name !== undefined && domain.tld !== undefined) {
      // A domain: its name is text (`Amazon` of `Amazon.com`), its ending is markup.
      pieces.push(decoded.slice(last, start), domain.name.replace(/\./g, ' '));
      boilerplate.push(domain.tld);
    } else {
      pieces.push(decoded.slice(last, start));
      boilerplate.push(...topicTokens(m[0]));
    }
    last = start + m[0].length;
  }
  pieces.push(decoded.slice(last));
  return { pieces: pieces.filter((p) => /[\p{L}\p{N}]/u.test(p)), boilerplate };
}

/** Whether a token can be a keyword at all: two characters or more, a letter in it (not `2004`, `6-2`), not a stop word. */
function candidateToken(tok: string, stop: ReadonlySet<string>): boolean {
  return tok.length > 1 && !stop.has(tok) && /\p{L}/u.test(tok);
}

export interface TermOptions {
  stopWords: ReadonlySet<string>;
  bigrams: boolean;
}

/** The terms of every text, numbered (`terms[id]`, in order of first occurrence), with each term's document frequency. */
export interface NumberedTerms {
  terms: string[];
  /** The term ids of each text, in order. */
  docs: Int32Array[];
  /** Texts each term occurs in. */
  df: Int32Array;
}

/**
 * The terms of every text: unigrams and bigrams of its plain-text pieces. Stop words, pure
 * numbers and words found mostly inside boilerplate over the corpus are dropped, and a
 * bigram never joins across a dropped word or a piece boundary, nor a word with itself.
 */
export function corpusTerms(texts: readonly string[], options: TermOptions): string[][] {
  const { terms, docs } = corpusTermIds(texts, options);
  return docs.map((ids) => Array.from(ids, (id) => terms[id]));
}

/** {@link corpusTerms}, numbered: a phrase is numbered from its two words' numbers, without building its text again. */
export function corpusTermIds(texts: readonly string[], options: TermOptions): NumberedTerms {
  // Each text's first MAX_TERM_TEXT_CHARS characters: a huge text costs no more than a long article.
  const parts = texts.map((t) => splitBoilerplate(termText(t)));
  const plain = new Map<string, number>();
  const inside = new Map<string, number>();
  const tokens = parts.map((p) =>
    p.pieces.map((piece) => {
      const toks = topicTokens(piece);
      for (const t of toks) plain.set(t, (plain.get(t) ?? 0) + 1);
      return toks;
    }),
  );
  for (const p of parts) for (const t of p.boilerplate) inside.set(t, (inside.get(t) ?? 0) + 1);
  const dropped = new Set<string>();
  for (const [t, n] of inside) if (n >= (plain.get(t) ?? 0)) dropped.add(t);
  const terms: string[] = [];
  const df: number[] = [];
  const lastDoc: number[] = [];
  const newTerm = (term: string): number => {
    terms.push(term);
    df.push(0);
    lastDoc.push(-1);
    return terms.length - 1;
  };
  const seen = (id: number, doc: number): void => {
    if (lastDoc[id] === doc) return;
    lastDoc[id] = doc;
    df[id]++;
  };
  // Each distinct token's term number, decided once (−1: not a term); then a word's number →
  // (the next word's number → the phrase's number).
  const termOf = new Map<string, number>();
  const phrases: (Map<number, number> | undefined)[] = [];
  const docs = tokens.map((pieces, doc) => {
    const out: number[] = [];
    for (const toks of pieces) {
      let prev = -1;
      for (const tok of toks) {
        let id = termOf.get(tok);
        if (id === undefined) {
          id = candidateToken(tok, options.stopWords) && !dropped.has(tok) ? newTerm(tok) : -1;
          termOf.set(tok, id);
        }
        if (id < 0) {
          prev = -1;
          continue;
        }
        out.push(id);
        seen(id, doc);
        // A word repeated ("AFP AFP", from bylines) is no phrase.
        if (options.bigrams && prev >= 0 && prev !== id) {
          let next = phrases[prev];
          if (!next) phrases[prev] = next = new Map();
          let phrase = next.get(id);
          if (phrase === undefined) {
            phrase = newTerm(`${terms[prev]} ${tok}`);
            next.set(id, phrase);
          }
          out.push(phrase);
          seen(phrase, doc);
        }
        prev = id;
      }
    }
    return Int32Array.from(out);
  });
  return { terms, docs, df: Int32Array.from(df) };
}
