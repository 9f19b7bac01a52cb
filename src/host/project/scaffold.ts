/**
 * Checks for the New Project input box. (Creating the folder is the project store's
 * `createProject` in src/engine/project.)
 */

import { MAX_NAME_LENGTH } from '../../engine/util/names';
/** A valid project name: letters, digits, dash, underscore, dot and spaces; not empty. */
export function validateProjectName(name: string): string | undefined {
  if (!name.trim()) return 'The name is empty';
  if (!/^[\w. -]+$/u.test(name)) return 'Use letters, digits, spaces, ".", "-" or "_"';
  if (/^[. ]+$/.test(name)) return 'The name needs a letter or a digit';
  if (name.length > MAX_NAME_LENGTH) return `At most ${MAX_NAME_LENGTH} characters`;
  return undefined;
}
