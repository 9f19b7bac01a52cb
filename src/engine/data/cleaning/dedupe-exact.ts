/** Removes exact duplicates, keeping the first occurrence. */
import { checkpoint } from '../../util/job';
import { booleanOption, type CleaningRule } from './rule';

/** The comparison key: NFKC, whitespace collapsed, lower case unless case matters. */
export function duplicateKey(text: string, caseSensitive: boolean): string {
  const t = text.normalize('NFKC').replace(/\s+/g, ' ').trim();
  return caseSensitive ? t : t.toLowerCase();
}

export const dedupeExactRule: CleaningRule = {
  id: 'dedupe-exact',
  description: 'Removes texts identical to an earlier one (ignoring case and spacing unless told otherwise); the first is kept. On by default.',
  defaultOn: true,
  options: [{ name: 'caseSensitive', type: 'boolean', description: 'treat "Paris" and "paris" as different', default: false }],
  create(options, where) {
    const caseSensitive = booleanOption(options, 'caseSensitive', false, where);
    return {
      kind: 'dedupe',
      duplicates: async (texts, signal) => {
        const first = new Map<string, number>();
        const dup = new Map<number, number>();
        for (let i = 0; i < texts.length; i++) {
          const key = duplicateKey(texts[i], caseSensitive);
          const j = first.get(key);
          if (j === undefined) first.set(key, i);
          else dup.set(i, j);
          if (i % 20000 === 19999) await checkpoint(signal);
        }
        return dup;
      },
    };
  },
};
