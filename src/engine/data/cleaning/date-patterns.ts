/**
 * Regular-expression sources for dates and hours written in French or English, shared by
 * the `dates` rule's boilerplate and inline modes. Month and day names are made
 * case-insensitive with `anyCase` so that the expressions that use them can stay
 * case-sensitive elsewhere (a capitalised name in a byline, "1H results").
 */

/** Makes the letters of a regex source match in either case, leaving escapes alone; returns a group. */
export function anyCase(source: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      const brace = source[i + 1] === 'p' || source[i + 1] === 'P' ? source.indexOf('}', i) : -1;
      const end = brace > 0 ? brace + 1 : i + 2;
      out += source.slice(i, end);
      i = end - 1;
    } else if (inClass) {
      if (c === ']') inClass = false;
      const other = c.toUpperCase() === c ? c.toLowerCase() : c.toUpperCase();
      out += c !== ']' && other !== c ? c + other : c;
    } else if (c === '[') {
      inClass = true;
      out += c;
    } else {
      const upper = c.toUpperCase();
      out += upper !== c || c.toLowerCase() !== c ? `[${c.toLowerCase()}${upper}]` : c;
    }
  }
  return `(?:${out})`;
}

export const FR_MONTHS =
  'janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|d[ée]cembre|janv\\.|f[ée]vr?\\.|avr\\.|juil\\.|sept\\.|oct\\.|nov\\.|d[ée]c\\.';
export const EN_MONTHS =
  'january|february|march|april|may|june|july|august|september|october|november|december|jan\\.?|feb\\.?|mar\\.?|apr\\.?|jun\\.?|jul\\.?|aug\\.?|sept?\\.?|oct\\.?|nov\\.?|dec\\.?';
export const FR_DAYS = 'lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche';
export const EN_DAYS = 'monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon\\.?|tue\\.?|tues\\.?|wed\\.?|thu\\.?|thurs?\\.?|fri\\.?|sat\\.?|sun\\.?';
export const YEAR = '(?:1[89]\\d{2}|2\\d{3})';

/**
 * Date and time patterns, longest first. `named` (month and day names) are lower case and
 * meant for a case-insensitive expression, or for `anyCase`; `numeric` (12/03/2024, 14h30,
 * 2:30 pm) are case-sensitive so "1H results" stays.
 */
export function datePatterns(): { named: string[]; numeric: string[]; times: string[] } {
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
  return {
    named: [frDate, enMonthFirst, enDayFirst, frMonthYear, enMonthYear],
    numeric: [iso, numeric, clock, hourAmPm, frHour],
    times: [clock, hourAmPm, frHour],
  };
}

/** Stops a date from ending inside a word or a longer number ("12/03/20245", "1:00.50"). */
export const DATE_END = '(?!\\p{L})(?!\\d)(?![.,:/-]\\d)';
