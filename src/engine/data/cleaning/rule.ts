/**
 * The shape of a cleaning rule. A rule is a small module with an id, a description the
 * user can read, documented options, and a factory that turns validated options into a
 * step: a text transform, a filter that removes records, or a set-wide de-duplication.
 */
import { InputError } from '../../util/errors';

/** A cleaning rule as stored in project.json: `{ "rule": "dates" }`, `{ "rule": "min-words", "options": { "min": 5 } }`. */
export interface CleaningRuleSpec {
  rule: string;
  options?: Record<string, unknown>;
}

export interface RuleOptionDoc {
  name: string;
  type: 'number' | 'boolean' | 'string' | 'string[]';
  description: string;
  default?: unknown;
}

export type CleaningStep =
  | { kind: 'transform'; transform(text: string): string }
  | { kind: 'filter'; reject(text: string): string | undefined }
  | {
      kind: 'dedupe';
      /** Maps each duplicate's index to the index of the earlier record it repeats. */
      duplicates(texts: readonly string[], signal?: AbortSignal): Promise<Map<number, number>>;
    };

export interface CleaningRule {
  id: string;
  /**
   * For the user: what the rule removes, ending with whether it is on by default ("On by
   * default." / "Off by default: …").
   */
  description: string;
  /**
   * Picked by default in Clean Data and `--strip defaults`. Rules that can delete content
   * inside sentences are off by default.
   */
  defaultOn: boolean;
  options: readonly RuleOptionDoc[];
  /** `where` names the spec in messages, e.g. `cleaning[2]`. */
  create(options: Record<string, unknown>, where: string): CleaningStep;
}

/** Reads a typed option, with a default; a wrong type is an InputError naming the field. */
export function numberOption(o: Record<string, unknown>, name: string, def: number, where: string, min = -Infinity, max = Infinity): number {
  const v = o[name] ?? def;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max)
    throw new InputError(`must be a number${min > -Infinity ? ` ≥ ${min}` : ''}${max < Infinity ? ` and ≤ ${max}` : ''}, got ${JSON.stringify(v)}`, {
      field: `${where}.options.${name}`,
    });
  return v;
}

export function booleanOption(o: Record<string, unknown>, name: string, def: boolean, where: string): boolean {
  const v = o[name] ?? def;
  if (typeof v !== 'boolean') throw new InputError(`must be true or false, got ${JSON.stringify(v)}`, { field: `${where}.options.${name}` });
  return v;
}

export function stringsOption(o: Record<string, unknown>, name: string, def: string[], where: string): string[] {
  const v = o[name] ?? def;
  const list = typeof v === 'string' ? [v] : v;
  if (!Array.isArray(list) || !list.every((s) => typeof s === 'string'))
    throw new InputError(`must be a list of strings, got ${JSON.stringify(v)}`, { field: `${where}.options.${name}` });
  return list as string[];
}

export function stringOption(o: Record<string, unknown>, name: string, def: string, where: string): string {
  const v = o[name] ?? def;
  if (typeof v !== 'string') throw new InputError(`must be a string, got ${JSON.stringify(v)}`, { field: `${where}.options.${name}` });
  return v;
}

/** Letters or digits on neither side: a word boundary that also works for "é", "ç". */
export const B0 = '(?<![\\p{L}\\p{N}])';
export const B1 = '(?![\\p{L}\\p{N}])';

/**
 * Tidies a text after spans were cut out: runs of spaces collapse to one, spaces at line
 * ends go, a space left before a comma or period goes, and empty brackets disappear.
 */
export function tidyAfterRemoval(text: string): string {
  return text
    .replace(/[ \t]*\((?:\s|[,;:.-])*\)/g, '')
    .replace(/[ \t]*\[(?:\s|[,;:.-])*\]/g, '')
    .replace(/[ \t]{2,}/g, ' ')
    .replace(/ +([,.)\]])/g, '$1')
    .replace(/([([]) +/g, '$1')
    .replace(/[ \t]+$/gm, '')
    .replace(/^[ \t]+/gm, '')
    .trim();
}

/** Replaces every match of each expression in turn; tidies the text only when something changed. */
export function replaceAllThenTidy(text: string, expressions: readonly RegExp[], replacement: string): string {
  let out = text;
  for (const re of expressions) {
    re.lastIndex = 0;
    out = out.replace(re, replacement);
  }
  return out === text ? text : tidyAfterRemoval(out);
}
