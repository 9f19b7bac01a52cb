/** Every cleaning rule, by id, and the validation of rule specs from project.json or the CLI. */
import { InputError, formatLocation } from '../../util/errors';
import type { CleaningRule, CleaningRuleSpec, CleaningStep } from './rule';
import { htmlEntitiesRule } from './html-entities';
import { stripDatesRule } from './strip-dates';
import { stripPatternsRule } from './strip-patterns';
import { stripEmailsRule, stripUrlsRule } from './strip-contacts';
import { stripPhonesRule } from './strip-phones';
import { stripSignoffsRule } from './strip-signoffs';
import { normalizeWhitespaceRule } from './normalize-whitespace';
import { minWordsRule } from './min-words';
import { dedupeExactRule } from './dedupe-exact';
import { dedupeNearRule } from './dedupe-near';

/** In the order the CLI runs them: decode references first, cut layout, then spans, then tidy, filter, dedupe. */
export const cleaningRules: readonly CleaningRule[] = [
  htmlEntitiesRule,
  stripSignoffsRule,
  stripPatternsRule,
  stripUrlsRule,
  stripEmailsRule,
  stripPhonesRule,
  stripDatesRule,
  normalizeWhitespaceRule,
  minWordsRule,
  dedupeExactRule,
  dedupeNearRule,
];

export function findCleaningRule(id: string): CleaningRule | undefined {
  return cleaningRules.find((r) => r.id === id);
}

export interface PreparedRule {
  spec: CleaningRuleSpec;
  rule: CleaningRule;
  step: CleaningStep;
}

/**
 * Validates specs (unknown rule, bad options → InputError naming `cleaning[i]…`, and the
 * file when given) and builds their steps.
 */
export function prepareRules(specs: readonly unknown[], file?: string): PreparedRule[] {
  return specs.map((raw, i) => {
    const where = `cleaning[${i}]`;
    try {
      if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new InputError('must be an object like {"rule": "dates"}', { field: where });
      const spec = raw as Record<string, unknown>;
      if (typeof spec.rule !== 'string') throw new InputError('is missing', { field: `${where}.rule` });
      const rule = findCleaningRule(spec.rule);
      if (!rule)
        throw new InputError(`unknown rule "${spec.rule}"; known: ${cleaningRules.map((r) => r.id).join(', ')}`, { field: `${where}.rule` });
      const options = spec.options ?? {};
      if (typeof options !== 'object' || Array.isArray(options) || options === null)
        throw new InputError('must be an object', { field: `${where}.options` });
      const known = new Set(rule.options.map((o) => o.name));
      for (const k of Object.keys(options))
        if (!known.has(k))
          throw new InputError(`unknown option; "${rule.id}" takes ${rule.options.map((o) => o.name).join(', ') || 'none'}`, {
            field: `${where}.options.${k}`,
          });
      const opts = options as Record<string, unknown>;
      return { spec: { rule: rule.id, ...(Object.keys(opts).length ? { options: opts } : {}) }, rule, step: rule.create(opts, where) };
    } catch (err) {
      if (err instanceof InputError && file && !err.file) {
        const prefix = formatLocation({ line: err.line, field: err.field });
        const problem = err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
        throw new InputError(problem, { file, line: err.line, field: err.field });
      }
      throw err;
    }
  });
}
