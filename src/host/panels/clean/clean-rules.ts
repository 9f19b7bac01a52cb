/**
 * The Clean Data panel's view of the engine's cleaning rules: a label and the options the
 * panel lets the user set, per rule, in the engine's order; and the clean-job rules built
 * from the panel's switches (rules that are off are measured, not applied). No vscode here.
 */
import { cleaningRules } from '../../../engine/data/cleaning/registry';
import type { CleaningRuleSpec } from '../../../engine/data/cleaning/rule';
import type { CleanOptionInfo, CleanOptionValue, CleanRuleInfo, CleanRuleState } from '../../../protocol/clean';

const LABELS: Record<string, string> = {
  signoffs: 'Sign-offs and mail layout',
  patterns: 'Your patterns',
  urls: 'URLs',
  emails: 'E-mail addresses',
  phones: 'Phone numbers',
  dates: 'Date boilerplate',
  whitespace: 'Whitespace',
  'min-words': 'Short texts',
  'dedupe-exact': 'Exact duplicates',
  'dedupe-near': 'Near duplicates',
};

/** The options shown, by rule: [name, label, min, max]. */
const SHOWN: Record<string, [string, string, number?, number?][]> = {
  patterns: [['patterns', 'Patterns'], ['ignoreCase', 'Ignore case']],
  dates: [['inline', 'Also dates inside sentences (cuts content)']],
  whitespace: [['keepNewlines', 'Keep line breaks']],
  'min-words': [['min', 'Fewest words', 0, 10000]],
  'dedupe-exact': [['caseSensitive', 'Case-sensitive']],
  'dedupe-near': [['threshold', 'Similarity from', 0.1, 1]],
};

function kindOf(id: string): CleanRuleInfo['kind'] {
  if (id === 'min-words') return 'filter';
  return id.startsWith('dedupe') ? 'dedupe' : 'transform';
}

export function cleanRuleInfos(): CleanRuleInfo[] {
  return cleaningRules.map((r) => {
    const options: CleanOptionInfo[] = [];
    for (const [name, label, min, max] of SHOWN[r.id] ?? []) {
      const doc = r.options.find((o) => o.name === name);
      if (!doc || doc.type === 'string') continue;
      const def = (doc.default ?? (doc.type === 'string[]' ? [] : doc.type === 'boolean' ? false : 0)) as CleanOptionValue;
      options.push({ name, type: doc.type, label, description: doc.description, default: def, ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) });
    }
    return { id: r.id, label: LABELS[r.id] ?? r.id, description: r.description, defaultOn: r.defaultOn, kind: kindOf(r.id), options };
  });
}

/** Each rule's state from the rules last applied (when any), else from its default. */
export function initialRuleStates(lastApplied: readonly CleaningRuleSpec[]): CleanRuleState[] {
  return cleanRuleInfos().map((info) => {
    const applied = lastApplied.find((s) => s.rule === info.id);
    const options: Record<string, CleanOptionValue> = {};
    for (const o of info.options) {
      const v = applied?.options?.[o.name];
      options[o.name] = typeof v === typeof o.default && (o.type !== 'string[]' || Array.isArray(v)) ? (v as CleanOptionValue) : o.default;
    }
    return { id: info.id, on: lastApplied.length ? applied !== undefined : info.defaultOn, options };
  });
}

function specOf(state: CleanRuleState): CleaningRuleSpec {
  const options = Object.fromEntries(Object.entries(state.options));
  return Object.keys(options).length ? { rule: state.id, options } : { rule: state.id };
}

/** A pattern rule without patterns can neither run nor be measured. */
function usable(state: CleanRuleState): boolean {
  const p = state.options.patterns;
  return state.id !== 'patterns' || (Array.isArray(p) && p.length > 0);
}

/** In the engine's order: the rules that are on, and (for a preview) the others, measured only. */
export function cleanJobRules(states: readonly CleanRuleState[], forPreview: boolean): { rules: CleaningRuleSpec[]; measureOnly: boolean[] } {
  const rules: CleaningRuleSpec[] = [];
  const measureOnly: boolean[] = [];
  for (const rule of cleaningRules) {
    const state = states.find((s) => s.id === rule.id);
    if (!state || !usable(state) || (!state.on && !forPreview)) continue;
    rules.push(specOf(state));
    measureOnly.push(!state.on);
  }
  for (const s of states)
    if (!cleaningRules.some((r) => r.id === s.id)) throw new Error(`unknown cleaning rule "${s.id}"`);
  return { rules, measureOnly };
}
