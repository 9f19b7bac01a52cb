/**
 * Strips e-mail sign-offs and mail layout: from a closing formula ("Cordialement",
 * "Bien à vous", "Best regards", "Sent from my iPhone"…) to the end of the text, quoted
 * replies ("Le … a écrit :", "On … wrote:", "-----Original Message-----", lines starting
 * with ">") and the "-- " signature separator.
 */
import { numberOption, stringsOption, tidyAfterRemoval, type CleaningRule } from './rule';

/** Closing formulas, French then English. Written as regex sources, case-insensitive. */
export const SIGNOFF_PHRASES: readonly string[] = [
  // French
  'bien cordialement', 'tr[eè]s cordialement', 'cordialement', 'cdlt', 'bien [àa] vous', 'bien [àa] toi',
  'bonne (?:fin de )?journ[ée]e', 'bonne soir[ée]e', 'bon (?:week-?end|apr[eè]s-midi)',
  '(?:sinc[eè]res |meilleures |respectueuses )?salutations(?: distingu[ée]es)?',
  'veuillez agr[ée]er', "je vous prie d['’]agr[ée]er", 'je vous prie de croire', 'recevez,? (?:madame|monsieur)',
  'amicalement', 'amiti[ée]s', 'bises', "merci (?:d['’]avance|par avance)", "dans l['’]attente de (?:votre|ta) r[ée]ponse",
  '[àa] bient[ôo]t', 'envoy[ée] (?:de|depuis) mon[^\\n]*',
  // English
  '(?:best|kind|warm|warmest|kindest)(?: personal)? regards', 'regards', 'best wishes', 'all the best',
  'yours (?:sincerely|faithfully|truly)', 'sincerely(?: yours)?', 'many thanks', 'thanks (?:in advance|and regards)',
  'cheers', 'sent from my[^\\n]*', 'get outlook for[^\\n]*',
];

/** Markers that always start quoted or generated mail layout. */
const LAYOUT_MARKERS = [
  '-{2,}\\s*(?:original message|message d[\'’]origine|forwarded message|message transf[ée]r[ée])\\s*-{2,}',
  '(?:le|on)\\s[^\\n]{4,120}?(?:a [ée]crit|wrote)\\s?:',
  '(?:de|from)\\s?:\\s[^\\n]+\\n\\s*(?:envoy[ée]|sent|date|[àa]|to)\\s?:',
  '--\\s*$',
];

export const stripSignoffsRule: CleaningRule = {
  id: 'signoffs',
  description:
    'Cuts e-mail endings: from a closing formula (Cordialement, Bien à vous, Bonne journée, Best regards, Kind regards, Sent from my iPhone…) or a quoted reply header to the end; drops lines quoted with ">". On by default: it only cuts the end of a text, and a formula inside a sentence stays.',
  defaultOn: true,
  options: [
    { name: 'extra', type: 'string[]', description: 'more closing formulas (regular expressions)', default: [] },
    {
      name: 'maxTailWords',
      type: 'number',
      description: 'cut only when at most this many words follow the formula (a signature, not more text); a formula inside a line needs at most a third of it',
      default: 60,
    },
  ],
  create(options, where) {
    const extra = stringsOption(options, 'extra', [], where);
    const maxTail = numberOption(options, 'maxTailWords', 60, where, 0);
    const phrases = [...extra, ...SIGNOFF_PHRASES].join('|');
    // A formula at a line start, or after the end of a sentence, followed by punctuation,
    // the end of the line, or a capitalised word (a name), but not by more of the same
    // sentence in lower case ("Cheers erupted…", "Bonne journée à tous" stay). The case
    // test is done apart: with the "i" flag, \p{Lu} would match any letter.
    const atLineStart = new RegExp(`^[ \\t]*(?:${phrases})(?![\\p{L}\\p{N}])`, 'gimu');
    const afterSentence = new RegExp(`(?<=[.!?…][ \\t]+)(?:${phrases})(?![\\p{L}\\p{N}])`, 'giu');
    const layout = new RegExp(`^[ \\t]*(?:${LAYOUT_MARKERS.join('|')})`, 'gimu');
    return {
      kind: 'transform',
      transform: (text) => {
        let out = text;
        let cut = firstMatch(layout, out, () => true);
        const wordsAfter = (i: number) => countWords(out.slice(i));
        const c1 = firstMatch(atLineStart, out, (i, end) => closesHere(out, end) && wordsAfter(i) <= maxTail);
        const c2 = firstMatch(afterSentence, out, (i, end) => closesHere(out, end) && wordsAfter(i) <= Math.max(3, Math.floor(maxTail / 3)));
        for (const c of [c1, c2]) if (c >= 0 && (cut < 0 || c < cut)) cut = c;
        if (cut >= 0) out = out.slice(0, cut);
        if (/^[ \t]*>/m.test(out)) out = out.replace(/^[ \t]*>.*(?:\n|$)/gm, '');
        return out === text ? text : tidyAfterRemoval(out);
      },
    };
  },
};

/** What may follow a closing formula: punctuation, the end of the line, or a capitalised name. */
const CLOSING_TAIL = /^(?:[ \t]*(?:[,.!:;…]|\r?\n|$)|[ \t]+\p{Lu})/u;

function closesHere(text: string, end: number): boolean {
  return CLOSING_TAIL.test(text.slice(end, end + 8));
}

function firstMatch(re: RegExp, text: string, ok: (index: number, end: number) => boolean): number {
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (ok(m.index, m.index + m[0].length)) return m.index;
    if (m[0].length === 0) re.lastIndex++;
  }
  return -1;
}

function countWords(s: string): number {
  return s.match(/[\p{L}\p{N}]+/gu)?.length ?? 0;
}
