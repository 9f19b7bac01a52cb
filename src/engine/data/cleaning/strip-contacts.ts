/** Strips contact details: e-mail addresses, phone numbers and URLs. */
import { B0, stringOption, tidyAfterRemoval, type CleaningRule } from './rule';

function replacingRule(
  id: string,
  description: string,
  pattern: RegExp,
  accept: (match: string) => boolean = () => true,
  trimTail?: RegExp,
): CleaningRule {
  return {
    id,
    description,
    options: [{ name: 'replacement', type: 'string', description: 'text put in place of each match', default: '' }],
    create(options, where) {
      const replacement = stringOption(options, 'replacement', '', where);
      return {
        kind: 'transform',
        transform: (text) => {
          pattern.lastIndex = 0;
          let changed = false;
          const out = text.replace(pattern, (m) => {
            if (!accept(m)) return m;
            const tail = trimTail ? (m.match(trimTail)?.[0] ?? '') : '';
            changed = true;
            return replacement + tail;
          });
          return changed ? tidyAfterRemoval(out) : text;
        },
      };
    },
  };
}

export const stripEmailsRule = replacingRule(
  'emails',
  'Removes e-mail addresses (jean.dupont@mairie-rouen.fr, mailto: links included).',
  new RegExp(`(?:mailto:)?${B0}[\\p{L}\\p{N}._%+-]+@[\\p{L}\\p{N}-]+(?:\\.[\\p{L}\\p{N}-]+)*\\.\\p{L}{2,}`, 'gu'),
);

const FR_PHONE = '(?:(?:\\+|00)33[\\s.-]?(?:\\(0\\)[\\s.-]?)?|0)[1-9](?:[\\s.-]?\\d{2}){4}';
const INTL_PHONE = '(?:\\+|00)[1-9]\\d{0,2}[\\s.-]?(?:\\(\\d{1,4}\\)[\\s.-]?)?\\d{1,4}(?:[\\s.-]?\\d{2,4}){1,4}';
const NANP_PHONE = '(?:\\(\\d{3}\\)\\s?|\\d{3}[\\s.-])\\d{3}[\\s.-]\\d{4}';

export const stripPhonesRule = replacingRule(
  'phones',
  'Removes phone numbers: French (01 23 45 67 89, 06.12.34.56.78, +33 6 12 34 56 78) and international (+44 20 7946 0958, (212) 555-0123).',
  new RegExp(`(?<![\\p{L}\\p{N}+])(?:${FR_PHONE}|${INTL_PHONE}|${NANP_PHONE})(?![\\p{L}\\p{N}])`, 'gu'),
  (m) => {
    const digits = m.replace(/\D/g, '').length;
    return digits >= 8 && digits <= 15;
  },
);

export const stripUrlsRule = replacingRule(
  'urls',
  'Removes web addresses starting with http://, https://, ftp:// or www.',
  /(?:\b(?:https?|ftp):\/\/|\bwww\.)[^\s<>"'{}|\\^`]+/giu,
  () => true,
  /[.,;:!?)\]]+$/u,
);
