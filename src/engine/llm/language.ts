import { ENGLISH_STOP_WORDS, FRENCH_STOP_WORDS } from '../cluster/stopwords';

export interface Language {
  code: 'en' | 'fr';
  name: 'English' | 'French';
}

const ENGLISH: Language = { code: 'en', name: 'English' };
const FRENCH: Language = { code: 'fr', name: 'French' };

/** Words in one list and not the other ("a", "on", "son" are in both). */
const onlyEnglish = new Set([...ENGLISH_STOP_WORDS].filter((w) => !FRENCH_STOP_WORDS.has(w)));
const onlyFrench = new Set([...FRENCH_STOP_WORDS].filter((w) => !ENGLISH_STOP_WORDS.has(w)));

/** Counts of English-only and French-only function words in a text. */
function counts(text: string): { en: number; fr: number } {
  let en = 0;
  let fr = 0;
  for (const w of text.toLowerCase().split(/[^\p{L}']+/u)) {
    if (onlyEnglish.has(w)) en++;
    else if (onlyFrench.has(w)) fr++;
  }
  return { en, fr };
}

/**
 * English or French, when the texts' function words say so clearly (at least `minWords` of them,
 * and twice as many of one language as of the other); undefined otherwise (other languages, too
 * little text, a mix). The prompt then asks for "the language of the texts" without naming it.
 */
export function detectLanguage(texts: readonly string[], minWords = 3): Language | undefined {
  let en = 0;
  let fr = 0;
  for (const t of texts) {
    const c = counts(t);
    en += c.en;
    fr += c.fr;
  }
  if (en + fr < minWords) return undefined;
  if (en >= 2 * fr) return ENGLISH;
  if (fr >= 2 * en) return FRENCH;
  return undefined;
}

/** An error message when an answer is clearly in the other language than `expected`, else undefined. */
export function wrongLanguage(expected: Language | undefined, answer: string): string | undefined {
  if (!expected) return undefined;
  const seen = detectLanguage([answer], 2);
  if (!seen || seen.code === expected.code) return undefined;
  return `the answer is in ${seen.name}; write it in ${expected.name}, the language of the texts`;
}
