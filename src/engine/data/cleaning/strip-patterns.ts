/** Strips spans that match patterns the user gives, e.g. regional codes like S56, D76, F3. */
import { InputError } from '../../util/errors';
import { booleanOption, replaceAllThenTidy, stringOption, stringsOption, type CleaningRule } from './rule';

export const stripPatternsRule: CleaningRule = {
  id: 'patterns',
  description: 'Removes every span that matches one of your regular expressions (JavaScript syntax), e.g. \\b[SDF]\\d{1,2}\\b for codes like S56, D76, F3. Off by default: it cuts whatever your expressions match, inside sentences too.',
  defaultOn: false,
  options: [
    { name: 'patterns', type: 'string[]', description: 'regular expressions, JavaScript syntax' },
    { name: 'ignoreCase', type: 'boolean', description: 'match without regard to case', default: false },
    { name: 'replacement', type: 'string', description: 'text put in place of each match', default: '' },
  ],
  create(options, where) {
    const patterns = stringsOption(options, 'patterns', [], where);
    if (patterns.length === 0) throw new InputError('give at least one pattern', { field: `${where}.options.patterns` });
    const flags = booleanOption(options, 'ignoreCase', false, where) ? 'giu' : 'gu';
    const replacement = stringOption(options, 'replacement', '', where);
    const res = patterns.map((p, i) => {
      try {
        const re = new RegExp(p, flags);
        if (re.test('')) throw new Error('it matches the empty string');
        return re;
      } catch (e) {
        throw new InputError(`invalid pattern /${p}/: ${(e as Error).message}`, { field: `${where}.options.patterns[${i}]` });
      }
    });
    return {
      kind: 'transform',
      transform: (text) => replaceAllThenTidy(text, res, replacement),
    };
  },
};
