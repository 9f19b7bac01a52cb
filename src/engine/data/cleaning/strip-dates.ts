/**
 * The `dates` rule. By default it strips date boilerplate only (publication stamps,
 * datelines and bylines at the start or end of a text); with `inline: true` it also removes
 * every date and hour inside sentences, which cuts content ("le 3 juillet 1869, sur sa
 * première page" → "le, sur sa première page").
 */
import { B0, booleanOption, replaceAllThenTidy, stringOption, type CleaningRule } from './rule';
import { datePatterns, DATE_END, FR_DAYS } from './date-patterns';
import { stripDateBoilerplate } from './date-boilerplate';

export const stripDatesRule: CleaningRule = {
  id: 'dates',
  description:
    'Removes date boilerplate at the start or end of a text: "Publié le 3 mars 2024 à 14h30", "Mis à jour le …", "Published on …", "Updated …", datelines ("ROUEN, 3 juillet (AFP) -", "NEW YORK (Reuters) -") and bylines ("Par Jean Dupont", "By John Smith, Reuters"). Dates inside sentences stay unless the option inline is true. On by default (inline off).',
  defaultOn: true,
  options: [
    {
      name: 'inline',
      type: 'boolean',
      description: 'also remove every date and hour inside sentences (12/03/2024, 3 mars 2024, March 3, 14h30, 2:30 pm); this cuts content',
      default: false,
    },
    { name: 'weekdays', type: 'boolean', description: 'with inline: also remove weekday names standing alone (lundi, Monday)', default: false },
    { name: 'replacement', type: 'string', description: 'with inline: text put in place of each date', default: '' },
  ],
  create(options, where) {
    const inline = booleanOption(options, 'inline', false, where);
    const weekdays = booleanOption(options, 'weekdays', false, where);
    const replacement = stringOption(options, 'replacement', '', where);
    if (!inline) return { kind: 'transform', transform: stripDateBoilerplate };
    const { named, numeric } = datePatterns();
    if (weekdays) named.push(`(?:${FR_DAYS}|monday|tuesday|wednesday|thursday|friday|saturday|sunday)`);
    // The closing lookaheads stop abbreviations like "mar." eating into words, and numbers
    // from being split ("12/03/20245" is not a date, "1:00.50" is a race time).
    const res = [new RegExp(`${B0}(?:${named.join('|')})${DATE_END}`, 'giu'), new RegExp(`${B0}(?:${numeric.join('|')})${DATE_END}`, 'gu')];
    return {
      kind: 'transform',
      transform: (text) => replaceAllThenTidy(stripDateBoilerplate(text), res, replacement),
    };
  },
};
