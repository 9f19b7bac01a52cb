/** Removes records whose text is too short to say anything. */
import { numberOption, type CleaningRule } from './rule';

/** Words are runs of letters or digits, in any script. */
export function countWords(text: string): number {
  return text.match(/[\p{L}\p{N}]+/gu)?.length ?? 0;
}

export const minWordsRule: CleaningRule = {
  id: 'min-words',
  description: 'Removes records whose text has fewer than N words (runs of letters or digits). Empty texts always go. Off by default: the right minimum depends on the data.',
  defaultOn: false,
  options: [{ name: 'min', type: 'number', description: 'the fewest words a text may have', default: 3 }],
  create(options, where) {
    const min = numberOption(options, 'min', 3, where, 0);
    return {
      kind: 'filter',
      reject: (text) => {
        const n = countWords(text);
        return n < Math.max(min, 1) ? (n === 0 ? 'empty text' : `${n} word${n === 1 ? '' : 's'}, fewer than ${min}`) : undefined;
      },
    };
  },
};
