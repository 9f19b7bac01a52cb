/** Strips dates and times written in French or English. */
import { B0, booleanOption, replaceAllThenTidy, stringOption, type CleaningRule } from './rule';

const FR_MONTHS =
  'janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|d[ée]cembre|janv\\.|f[ée]vr?\\.|avr\\.|juil\\.|sept\\.|oct\\.|nov\\.|d[ée]c\\.';
const EN_MONTHS =
  'january|february|march|april|may|june|july|august|september|october|november|december|jan\\.?|feb\\.?|mar\\.?|apr\\.?|jun\\.?|jul\\.?|aug\\.?|sept?\\.?|oct\\.?|nov\\.?|dec\\.?';
const FR_DAYS = 'lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche';
const EN_DAYS = 'monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon\\.?|tue\\.?|tues\\.?|wed\\.?|thu\\.?|thurs?\\.?|fri\\.?|sat\\.?|sun\\.?';
const YEAR = '(?:1[89]\\d{2}|2\\d{3})';

/**
 * Date and time patterns, longest first. `named` (month and day names) match in any case;
 * `numeric` (12/03/2024, 14h30, 2:30 pm) is case-sensitive so "1H results" stays.
 */
function datePatterns(): { named: string[]; numeric: string[] } {
  const frDate = `(?:(?:${FR_DAYS})\\s+)?(?:1er|\\d{1,2})\\s+(?:${FR_MONTHS})(?:\\s+${YEAR})?`;
  const frMonthYear = `(?:${FR_MONTHS})\\s+${YEAR}`;
  const enMonthFirst = `(?:(?:${EN_DAYS}),?\\s+)?(?:${EN_MONTHS})\\s+\\d{1,2}(?:st|nd|rd|th)?(?:,?\\s+${YEAR})?`;
  const enDayFirst = `(?:(?:${EN_DAYS}),?\\s+)?(?:the\\s+)?\\d{1,2}(?:st|nd|rd|th)?\\s+(?:of\\s+)?(?:${EN_MONTHS})(?:,?\\s+${YEAR})?`;
  const enMonthYear = `(?:${EN_MONTHS})\\s+${YEAR}`;
  const iso = `\\d{4}-\\d{2}-\\d{2}(?:[T ]\\d{1,2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?(?:Z|[+-]\\d{2}:?\\d{2})?)?`;
  const numeric = `\\d{1,2}[/.-]\\d{1,2}[/.-](?:\\d{4}|\\d{2})`;
  const ampm = `(?:[aApP]\\.\\s?[mM]\\.|[aApP][mM])`;
  const clock = `(?:[01]?\\d|2[0-3]):[0-5]\\d(?::[0-5]\\d)?(?:\\s?${ampm})?`;
  const hourAmPm = `\\d{1,2}\\s?${ampm}`;
  const frHour = `\\d{1,2}\\s?h\\s?\\d{2}|\\d{1,2}\\s?h|\\d{1,2}\\s+heures?(?:\\s+\\d{2})?`;
  return { named: [frDate, enMonthFirst, enDayFirst, frMonthYear, enMonthYear], numeric: [iso, numeric, clock, hourAmPm, frHour] };
}

export const stripDatesRule: CleaningRule = {
  id: 'dates',
  description:
    'Removes dates and times in French and English: 12/03/2024, 2024-03-12, 3 mars 2024, lundi 4 mars, March 3, 2024, 14h30, 2:30 pm.',
  options: [
    { name: 'weekdays', type: 'boolean', description: 'also remove weekday names standing alone (lundi, Monday)', default: false },
    { name: 'replacement', type: 'string', description: 'text put in place of each date', default: '' },
  ],
  create(options, where) {
    const weekdays = booleanOption(options, 'weekdays', false, where);
    const replacement = stringOption(options, 'replacement', '', where);
    const { named, numeric } = datePatterns();
    if (weekdays) named.push(`(?:${FR_DAYS}|monday|tuesday|wednesday|thursday|friday|saturday|sunday)`);
    // The closing lookaheads stop abbreviations like "mar." eating into words, and numbers
    // from being split ("12/03/20245" is not a date, "1:00.50" is a race time).
    const end = '(?!\\p{L})(?!\\d)(?![.,:/-]\\d)';
    const res = [new RegExp(`${B0}(?:${named.join('|')})${end}`, 'giu'), new RegExp(`${B0}(?:${numeric.join('|')})${end}`, 'gu')];
    return {
      kind: 'transform',
      transform: (text) => replaceAllThenTidy(text, res, replacement),
    };
  },
};
