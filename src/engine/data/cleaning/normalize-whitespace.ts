/** Normalises whitespace and invisible characters. */
import { booleanOption, type CleaningRule } from './rule';

export const normalizeWhitespaceRule: CleaningRule = {
  id: 'whitespace',
  description:
    'Normalises Unicode (NFC), turns non-breaking and odd spaces into plain spaces, drops zero-width characters and soft hyphens, and collapses runs of spaces and line breaks. On by default.',
  defaultOn: true,
  options: [{ name: 'keepNewlines', type: 'boolean', description: 'keep single line breaks (paragraphs) instead of joining lines', default: false }],
  create(options, where) {
    const keepNewlines = booleanOption(options, 'keepNewlines', false, where);
    return {
      kind: 'transform',
      transform: (text) => {
        let out = text
          .normalize('NFC')
          .replace(/[\u200B-\u200D\u2060\uFEFF\u00AD]/g, '')
          .replace(/[\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000\t\f\v]/g, ' ')
          .replace(/\r\n?/g, '\n');
        out = keepNewlines
          ? out.replace(/ {2,}/g, ' ').replace(/ *\n */g, '\n').replace(/\n{3,}/g, '\n\n')
          : out.replace(/\s+/g, ' ');
        return out.trim();
      },
    };
  },
};
