/**
 * Cutting a record's text values to a number of characters (UTF-16 code units, as JavaScript
 * counts them), for jobs that only embed or search a file: an encoder reads a text's first few
 * thousand tokens, so a 10 MB text need not be held whole.
 */

/** A string value cut on reading: the record's line, its top-level field, and its length before the cut. */
export interface FieldCut {
  line: number;
  /** The top-level field the string belongs to (a nested string counts for its top-level field). */
  field: string;
  /** The string's length before the cut, in UTF-16 code units. */
  chars: number;
}

/** Length of the prefix of `s` kept under `max`: one less when the cut would split a surrogate pair. */
export function prefixLength(s: string, max: number): number {
  if (s.length <= max) return s.length;
  const last = s.charCodeAt(max - 1);
  return max > 0 && last >= 0xd800 && last <= 0xdbff ? max - 1 : max;
}

/**
 * A flat copy of `s`, sharing no memory with the string it was cut or sliced from (V8 keeps the
 * whole parent of a slice alive). A UTF-8 round trip would replace unpaired surrogates (JSON may
 * hold them as `\uD800`), so a string with any surrogate goes through UTF-16.
 */
export function detachedCopy(s: string): string {
  if (s.length < 13) return s; // V8 copies short slices
  const encoding = /[\ud800-\udfff]/.test(s) ? 'utf16le' : 'utf8';
  return Buffer.from(s, encoding).toString(encoding);
}

/** `s` cut to its first `max` characters (never splitting a surrogate pair), as a detached copy. */
export function cutText(s: string, max: number): string {
  return detachedCopy(s.slice(0, prefixLength(s, max)));
}

/**
 * Cuts every string longer than `max` in `fields` (nested ones too) in place, calling `onCut`
 * for each with its top-level field. `fields` comes from JSON.parse or a CSV row.
 */
export function capStrings(fields: Record<string, unknown>, max: number, onCut: (field: string, chars: number) => void): void {
  for (const key of Object.keys(fields)) {
    const capped = capValue(fields[key], max, (chars) => onCut(key, chars));
    if (capped !== fields[key]) setOwn(fields, key, capped);
  }
}

/** `obj[key] = value`, also for a key "__proto__" (an own property, as JSON.parse makes it, not the prototype). */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  else obj[key] = value;
}

function capValue(value: unknown, max: number, onCut: (chars: number) => void): unknown {
  if (typeof value === 'string') {
    if (value.length <= max) return value;
    onCut(value.length);
    return cutText(value, max);
  }
  if (value && typeof value === 'object') {
    const container = value as Record<string, unknown>;
    for (const key of Object.keys(container)) {
      const capped = capValue(container[key], max, onCut);
      if (capped !== container[key]) setOwn(container, key, capped);
    }
  }
  return value;
}
