/**
 * The `phones` rule. A run of digit groups counts as a phone number only with phone-like
 * evidence: a "+"/"00" country code, the grouping of a national format (French 0X XX XX XX
 * XX, North American (XXX) XXX-XXXX or XXX-XXX-XXXX), or a phone word just before it
 * ("tél.", "phone", "fax"…). Amounts and counts written with spaces as thousand separators
 * ("1 008 978 400 FCFA", "1 250 000 habitants") never match.
 */
import { stringOption, tidyAfterRemoval, type CleaningRule } from './rule';

/** Digit groups joined by one space, dot or dash, with an optional country code and "(0)" or "(212)". */
const CANDIDATE = new RegExp(
  '(?<![\\p{L}\\p{N}+])(?<!\\d[ \\u00a0\\u202f.,])' +
    '(?:\\+\\s?|00(?=[1-9]))?(?:\\(\\d{1,4}\\)[ \\u00a0\\u202f.-]?)?\\d{1,5}(?:[ \\u00a0\\u202f.-]?(?:\\(\\d{1,4}\\)|\\d{1,5})){0,7}' +
    '(?![\\p{L}\\p{N}])(?![.,]\\d)',
  'gu',
);
const FRENCH = /^0[1-9](?:([ \u00a0\u202f.-]?)\d{2})(?:\1\d{2}){3}$/u;
const FRENCH_INTL = /^(?:\+\s?|00)33[ \u00a0\u202f.-]?(?:\(0\)[ \u00a0\u202f.-]?)?[1-9](?:[ \u00a0\u202f.-]?\d{2}){4}$/u;
const NORTH_AMERICAN = /^(?:\(\d{3}\)[ \u00a0\u202f]?\d{3}[ .-]\d{4}|\d{3}([.-])\d{3}\1\d{4})$/u;
/** A phone word shortly before the number: "Tél. :", "phone:", "fax", "appelez le". */
const PHONE_WORD =
  /(?<![\p{L}\p{N}])(?:t[ée]l[ée]?(?:phone)?|t[ée]l[ée]copie|phone|telephone|fax|mobile|portable|gsm|cell(?:ular)?|whats ?app|call|appel(?:ez|er)|joindre)(?![\p{L}\p{N}])[^\p{N}\n]{0,20}$/iu;
/** A unit or currency right after (or a currency right before) marks an amount or a count. */
const UNIT_AFTER =
  /^[ \u00a0\u202f]*(?:f\s?cfa|cfa|fcfa|xof|xaf|eur|euros?|€|usd|\$|us\$|dollars?|francs?|£|livres?|yens?|¥|habitants?|personnes?|people|inhabitants|residents|km²?|m²|m³|m|kg|tonnes?|tons?|t|ha|hectares?|%|pour ?cent|percent|millions?|milliards?|billions?)(?![\p{L}\p{N}])/iu;
const UNIT_BEFORE = /(?:[$€£¥]|usd|eur|fcfa)[ \u00a0\u202f]*$/iu;

function digitCount(s: string): number {
  return s.replace(/\D/g, '').length;
}

/** Whether the candidate `m` at `index` of `text` is a phone number. */
export function isPhoneNumber(m: string, index: number, text: string): boolean {
  const digits = digitCount(m);
  if (digits < 8 || digits > 15) return false;
  if (UNIT_AFTER.test(text.slice(index + m.length, index + m.length + 16)) || UNIT_BEFORE.test(text.slice(Math.max(0, index - 6), index))) return false;
  if (/^(?:\+|00)/.test(m)) return FRENCH_INTL.test(m) || !/^00/.test(m) || /[ \u00a0\u202f.-]/.test(m);
  if (FRENCH.test(m) || NORTH_AMERICAN.test(m)) return true;
  return PHONE_WORD.test(text.slice(Math.max(0, index - 40), index));
}

export const stripPhonesRule: CleaningRule = {
  id: 'phones',
  description:
    'Removes phone numbers: with a country code (+33 6 12 34 56 78, +44 20 7946 0958), in a national format (01 23 45 67 89, 06.12.34.56.78, (212) 555-0123, 212-555-0123), or after a phone word (Tél. : 77 123 45 67, fax …); amounts and counts ("1 008 978 400 FCFA", "1 250 000 habitants") stay. Off by default: it cuts numbers inside sentences.',
  defaultOn: false,
  options: [{ name: 'replacement', type: 'string', description: 'text put in place of each number', default: '' }],
  create(options, where) {
    const replacement = stringOption(options, 'replacement', '', where);
    return {
      kind: 'transform',
      transform: (text) => {
        let changed = false;
        CANDIDATE.lastIndex = 0;
        const out = text.replace(CANDIDATE, (m: string, index: number) => {
          if (!isPhoneNumber(m, index, text)) return m;
          changed = true;
          return replacement;
        });
        return changed ? tidyAfterRemoval(out) : text;
      },
    };
  },
};
