/**
 * Paths built from outside data (a server's file list, a run id, a webview message): the
 * checks that keep them inside the folder they belong to.
 */
import * as path from 'node:path';
import { InputError } from './errors';

/** C0 controls, DEL and C1 controls. */
// eslint-disable-next-line no-control-regex -- names with control characters are what it refuses
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Why `p` is not a safe relative path with forward slashes, or undefined when it is: no
 * absolute path or drive letter, no backslash, no empty, "." or ".." segment, no control
 * character.
 */
export function relativePathProblem(p: string): string | undefined {
  if (p.length === 0) return 'it is empty';
  if (CONTROL.test(p)) return 'it holds a control character';
  if (p.includes('\\')) return 'it holds a backslash';
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p)) return 'it is an absolute path';
  for (const segment of p.split('/')) {
    if (segment === '') return 'it has an empty segment';
    if (segment === '.' || segment === '..') return `it has a "${segment}" segment`;
  }
  return undefined;
}

/**
 * `relative` resolved against `root`, checked to stay strictly inside `root` (not the root
 * itself). Throws an InputError naming both when it leads elsewhere.
 */
export function resolveInside(root: string, relative: string, field?: string): string {
  const base = path.resolve(root);
  const full = path.resolve(base, relative);
  const rel = path.relative(base, full);
  if (!rel || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) {
    throw new InputError(`${JSON.stringify(relative)} leads outside the folder ${base}`, { field });
  }
  return full;
}
