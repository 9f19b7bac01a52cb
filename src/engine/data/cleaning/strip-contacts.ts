/** Strips e-mail addresses and URLs (phone numbers: strip-phones.ts). */
import { B0, stringOption, tidyAfterRemoval, type CleaningRule } from './rule';

function replacingRule(
  id: string,
  description: string,
  defaultOn: boolean,
  pattern: RegExp,
  accept: (match: string) => boolean = () => true,
  trimTail?: RegExp,
): CleaningRule {
  return {
    id,
    description,
    defaultOn,
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
  'Removes e-mail addresses (jean.dupont@mairie-rouen.fr, mailto: links included). On by default: an address carries no meaning and cannot be mistaken for prose.',
  true,
  new RegExp(`(?:mailto:)?${B0}[\\p{L}\\p{N}._%+-]+@[\\p{L}\\p{N}-]+(?:\\.[\\p{L}\\p{N}-]+)*\\.\\p{L}{2,}`, 'gu'),
);

export const stripUrlsRule = replacingRule(
  'urls',
  'Removes web addresses starting with http://, https://, ftp:// or www. On by default: an address carries no meaning and cannot be mistaken for prose.',
  true,
  /(?:\b(?:https?|ftp):\/\/|\bwww\.)[^\s<>"'{}|\\^`]+/giu,
  () => true,
  /[.,;:!?)\]]+$/u,
);
