/**
 * Decodes HTML character references: `&amp;`, `&#39;`, `&#x2019;`, `&eacute;`… and the
 * ampersand-less ones some corpora keep after an ampersand became a space (AG News:
 * "doesn #39;t", "the  #36;10 million", " quot;It hurt"). It repairs text and deletes nothing.
 */
import type { CleaningRule } from './rule';

/** The named references people meet in scraped text (an unknown name stays as it is). */
const NAMED: Readonly<Record<string, string>> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00A0',
  hellip: '…', mdash: '—', ndash: '–', lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', laquo: '«', raquo: '»',
  bull: '•', middot: '·', copy: '©', reg: '®', trade: '™', deg: '°', euro: '€', pound: '£', yen: '¥', cent: '¢', sect: '§',
  times: '×', divide: '÷', shy: '\u00AD', iexcl: '¡', iquest: '¿',
  agrave: 'à', aacute: 'á', acirc: 'â', atilde: 'ã', auml: 'ä', aring: 'å', aelig: 'æ', ccedil: 'ç',
  egrave: 'è', eacute: 'é', ecirc: 'ê', euml: 'ë', igrave: 'ì', iacute: 'í', icirc: 'î', iuml: 'ï',
  ntilde: 'ñ', ograve: 'ò', oacute: 'ó', ocirc: 'ô', otilde: 'õ', ouml: 'ö', oslash: 'ø', oelig: 'œ',
  ugrave: 'ù', uacute: 'ú', ucirc: 'û', uuml: 'ü', yacute: 'ý', yuml: 'ÿ', szlig: 'ß',
  Agrave: 'À', Aacute: 'Á', Acirc: 'Â', Auml: 'Ä', Ccedil: 'Ç', Egrave: 'È', Eacute: 'É', Ecirc: 'Ê', Euml: 'Ë',
  Icirc: 'Î', Iuml: 'Ï', Ntilde: 'Ñ', Ocirc: 'Ô', Ouml: 'Ö', OElig: 'Œ', Ugrave: 'Ù', Ucirc: 'Û', Uuml: 'Ü',
};

/** HTML reads numeric references 128–159 as Windows-1252 (`&#151;` is an em dash, not a control character). */
const WINDOWS_1252: Readonly<Record<number, string>> = {
  128: '€', 130: '‚', 131: 'ƒ', 132: '„', 133: '…', 134: '†', 135: '‡', 136: 'ˆ', 137: '‰', 138: 'Š', 139: '‹', 140: 'Œ',
  142: 'Ž', 145: '‘', 146: '’', 147: '“', 148: '”', 149: '•', 150: '–', 151: '—', 152: '˜', 153: '™', 154: 'š',
  155: '›', 156: 'œ', 158: 'ž', 159: 'Ÿ',
};

/** The character of a numeric reference; undefined for 0, surrogates, C0/C1 controls and out-of-range codes. */
function fromCode(code: number): string | undefined {
  if (WINDOWS_1252[code]) return WINDOWS_1252[code];
  if (!(code > 0 && code <= 0x10ffff) || (code >= 0xd800 && code <= 0xdfff)) return undefined;
  if ((code < 32 && code !== 9 && code !== 10 && code !== 13) || (code >= 127 && code < 160)) return undefined;
  return String.fromCodePoint(code);
}

function decodeReference(body: string): string | undefined {
  if (body[0] !== '#') return NAMED[body];
  const hex = body[1] === 'x' || body[1] === 'X';
  return fromCode(parseInt(body.slice(hex ? 2 : 1), hex ? 16 : 10));
}

/** `&name;`, `&#123;`, `&#x1F600;`. */
const WITH_AMPERSAND = /&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});/g;
/**
 * A reference whose `&` became a space: the space and the reference go, the character comes
 * (" #39;" → "'"). Only numeric references and the five names markup escapes, at the start of the
 * text or after a space: nothing else in prose reads like that.
 */
const WITHOUT_AMPERSAND = /(?:^| )(#[0-9]{2,5}|quot|amp|lt|gt|apos);/g;

/** The text with its HTML character references decoded (unknown or invalid ones kept as they are). */
export function decodeHtmlEntities(text: string): string {
  if (!text.includes(';')) return text;
  const once = text.replace(WITH_AMPERSAND, (whole, body: string) => decodeReference(body) ?? whole);
  return once.replace(WITHOUT_AMPERSAND, (whole, body: string) => decodeReference(body) ?? whole);
}

export const htmlEntitiesRule: CleaningRule = {
  id: 'html-entities',
  description:
    'Decodes HTML character references (&amp;, &#39;, &eacute;…) and the ones whose "&" became a space in some corpora ("doesn #39;t" → "doesn\'t"). It repairs and deletes nothing. On by default.',
  defaultOn: true,
  options: [],
  create() {
    return { kind: 'transform', transform: decodeHtmlEntities };
  },
};
