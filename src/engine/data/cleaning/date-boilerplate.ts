/**
 * Date boilerplate at the start or end of a text: publication stamps ("Publié le 3 mars
 * 2024 à 14h30", "Mis à jour le …", "Published on …", "Updated …"), datelines ("ROUEN,
 * 3 juillet (AFP) -", "NEW YORK (Reuters) -", "AP -"), bylines ("Par Jean Dupont", "By John
 * Smith, Reuters") and a bare date closing the text. Dates inside sentences are content
 * and are never touched here.
 */
import { anyCase, datePatterns, DATE_END } from './date-patterns';

const { named, numeric, times } = datePatterns();
const DATE = `(?:${named.map(anyCase).join('|')}|${numeric.slice(0, 2).join('|')})${DATE_END}`;
const TIME = `(?:${times.join('|')})${DATE_END}`;
const ZONE = '(?:\\s*\\(?(?:GMT|UTC|CET|CEST|ET|EST|EDT|CT|PT|PST|PDT|BST)\\)?(?![\\p{L}\\p{N}]))?';
/** A date with an optional hour: "3 mars 2024 à 14h30", "March 3, 2024 at 2:30 pm GMT". */
const DATE_TIME = `${DATE}(?:,?\\s*(?:(?:${anyCase('à|at|-|–')})\\s*)?${TIME})?${ZONE}`;

const STAMP_WORDS = anyCase(
  'publi[ée]e?|mise? [àa] jour|modifi[ée]e?|actualis[ée]e?|cr[ée]{2}e?|last updated|first published|published|posted|updated|edited',
);
/** "Publié le 3 mars 2024 à 14h30", "Updated: 2024-03-12T08:15:00Z". */
const STAMP = `${STAMP_WORDS}(?:\\s+${anyCase('le|on|at')})?\\s*:?\\s*(?:${DATE_TIME}|${TIME}${ZONE})`;
/** Several stamps in a row: "Publié le … à …, mis à jour le … à …". */
const STAMPS = `${STAMP}(?:[\\s,;|·•–—-]*${STAMP})*`;

/**
 * A capitalised word of a name or place: "Jean-Pierre", "NEW", "O’Neill". No full stop, so
 * a name or place never runs across the end of a sentence ("… Video Bundle. LOS ANGELES");
 * only initials ("J.") and "St." keep theirs.
 */
const CAP_WORD = "(?:\\p{Lu}[\\p{L}'’-]*|\\p{Lu}\\.|(?:St|Ste|Mt|Ft)\\.)";
const PARTICLE = "(?:de|du|des|de la|d['’]|van|von|der|le|la|di|da|del|dos|ibn|bin|sur|upon)";
/** Two to five words, the first and last capitalised: "Jean Dupont", "Jean-Pierre de La Fontaine". */
const NAME = `${CAP_WORD}(?:\\s+(?:${PARTICLE}\\s*)?${CAP_WORD}){1,4}`;
const NAMES = `${NAME}(?:\\s*(?:,|&|${anyCase('et|and')})\\s*${NAME}){0,3}`;
const PLACE = `${CAP_WORD}(?:\\s+(?:${PARTICLE}\\s*)?${CAP_WORD}){0,3}`;
/** "BAGHDAD, Iraq", "ANAHEIM, Calif.": after a comma, a region may be abbreviated. */
const PLACES = `${PLACE}(?:,\\s*(?:${PLACE}|\\p{Lu}\\p{Ll}{1,4}\\.)){0,2}`;

const AGENCIES = "AP|AFP|Reuters|Xinhua(?:net)?|Bloomberg|Belga|ANP|dpa|DPA|ATS|APS|PANA|UPI|Kyodo|Yonhap|ANSA|EFE|TASS|Interfax|CNN|BBC|[\\p{L}\\p{N}-]+\\.(?:com|org|net|fr|co\\.uk)";
const SOURCE = "\\([^()\\n]{1,40}\\)";
const DASH = '(?:-{1,2}|–|—)';
const BY = anyCase('par|by');

/** What a boilerplate piece at the start is removed with: the rest of its separators. */
const START_PIECES = [
  // publication stamps
  `${STAMPS}(?:\\s+${BY}\\s+[^\\n.!?]{1,60}?(?=\\n|$))?[\\s.,;:|·•–—-]*`,
  // datelines: "ROUEN, 3 juillet 2024 (AFP) -", "Rouen, le 12 mars 2024 –", "March 3 -"
  `(?:${PLACES},\\s*(?:${anyCase('le')}\\s+)?)?${DATE_TIME}\\s*(?:${SOURCE})?\\s*(?:${DASH}|:)\\s+`,
  // "NEW YORK (Reuters) -", "AP -"
  `${PLACES}\\s*${SOURCE}\\s*${DASH}\\s+`,
  `(?:${AGENCIES})\\s*${DASH}\\s+`,
  // bylines on their own line, or followed by a dash
  `${BY}\\s+${NAMES}(?:\\s*,\\s*[^\\n.!?]{1,60})?\\s*(?:\\n|$)`,
  `${BY}\\s+${NAMES}(?:\\s*,\\s*(?:${AGENCIES}))?\\s*(?:${DASH}|\\|)\\s+`,
];

/** Boilerplate at the end: a stamp or a bare date may follow the last sentence on its line. */
const END_PIECES = [`${STAMPS}(?:\\s+${BY}\\s+[^\\n.!?]{1,60})?`, DATE_TIME];
/** A byline at the end must stand on its own line ("… the storm. By Tuesday Morning, …" stays). */
const BYLINE_LINE = `${BY}\\s+${NAMES}(?:\\s*,\\s*[^\\n.!?]{1,60})?`;

const START = new RegExp(`^\\s*(?:${START_PIECES.join('|')})`, 'u');
const END = new RegExp(`(?<=[.!?…»"”)\\]])[ \\t]+(?:${END_PIECES.join('|')})[\\s.]*$`, 'u');
const END_OWN_LINE = new RegExp(`\\n\\s*(?:${[...END_PIECES, BYLINE_LINE].join('|')})[\\s.]*$`, 'u');

/** Removes date boilerplate from the start and the end of `text` (repeatedly: a byline, then a stamp…). */
export function stripDateBoilerplate(text: string): string {
  let out = text;
  for (let i = 0; i < 6; i++) {
    const before = out;
    out = out.replace(START, '');
    const end = END.exec(out) ?? END_OWN_LINE.exec(out);
    if (end && end.index > 0) out = out.slice(0, end.index);
    if (out === before) break;
  }
  return out === text ? text : out.trim();
}
