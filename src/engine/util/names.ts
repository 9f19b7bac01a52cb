/**
 * The rule for names that become file or folder names: datasets, runs, sweeps. One rule,
 * so a name accepted in one place is accepted everywhere and never leaves its folder.
 */
import { InputError } from './errors';

/** Longer names would hit file-system limits (255 bytes) once prefixes and suffixes are added. */
export const MAX_NAME_LENGTH = 100;

/** Why `name` is not a valid name, or undefined: letters, digits, ".", "-", "_", not starting with ".", at most 100 characters. */
export function nameProblem(name: string): string | undefined {
  if (name.length === 0) return 'the name is empty';
  if (name.length > MAX_NAME_LENGTH) return `the name has ${name.length} characters, at most ${MAX_NAME_LENGTH} are allowed`;
  if (!/^[\w.-]+$/.test(name)) return 'use letters, digits, ".", "-" or "_"';
  if (name.startsWith('.')) return 'a name may not start with "."';
  return undefined;
}

/** Throws an InputError naming the field when `name` breaks the rule; `what` is e.g. "dataset name", "run id". */
export function checkName(name: string, what: string, field: string): void {
  const problem = nameProblem(name);
  if (problem) throw new InputError(`${what} ${JSON.stringify(name.length > 120 ? `${name.slice(0, 120)}…` : name)}: ${problem}`, { field });
}
