/**
 * The values of a record's fields as text and as numbers, read strictly: a field holding an
 * object or an array is not text (it would render as "[object Object]"), and a number is a
 * JSON number or a plain decimal string ("0.5", "-1e-3"), never "0x1", "Infinity" or "1_000".
 */
import { InputError, type InputLocation } from '../util/errors';

/** A plain decimal with an optional exponent: what a CSV cell holding a number looks like. */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** True for a plain decimal string such as "0.5", "-3", "1e-3" (not "0x1", "Infinity", ""). */
export function isPlainDecimal(text: string): boolean {
  return DECIMAL.test(text.trim());
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : typeof value;
}

/**
 * A field's value as text: undefined when absent or null; strings, numbers and booleans as
 * written. An object or array is an InputError naming `where` (file, line) and the field.
 */
export function fieldText(value: unknown, where: InputLocation & { field: string }): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'object')
    throw new InputError(`the value is ${kindOf(value)}, not text; name a field that holds text (or a number)`, where);
  return String(value);
}

/**
 * A numeric field: a finite JSON number, or a string holding a plain decimal. Anything else
 * (hex, "Infinity", "", an object) is an InputError naming `where` and the field.
 */
export function fieldNumber(value: unknown, where: InputLocation & { field: string }): number {
  let n = Number.NaN;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && isPlainDecimal(value)) n = Number(value.trim());
  if (value === undefined || value === null) throw new InputError('no value: a number is needed', where);
  if (!Number.isFinite(n)) {
    const shown = typeof value === 'number' ? String(value) : typeof value === 'string' ? JSON.stringify(value) : kindOf(value);
    throw new InputError(`${shown} is not a number (write a decimal such as 0.5)`, where);
  }
  return n;
}
