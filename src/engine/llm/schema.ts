/**
 * Small schema checks for JSON answers of a language model. An answer is untrusted text: each
 * check either returns a typed value or throws a SchemaError whose message says which field is
 * wrong and how, in words the model can act on when it is asked again.
 */
export class SchemaError extends Error {
  override name = 'SchemaError';
}

/** Checks `value` (found at `path`, e.g. "name") and returns it typed. */
export type Check<T> = (value: unknown, path: string) => T;

function where(path: string): string {
  return path ? `"${path}"` : 'the answer';
}

/** A string, trimmed, with control characters refused; optional word and length bounds. */
export function text(opts: { minWords?: number; maxWords?: number; maxChars?: number; allowEmpty?: boolean } = {}): Check<string> {
  return (value, path) => {
    if (typeof value !== 'string') throw new SchemaError(`${where(path)} must be a string`);
    const s = value.replace(/\s+/g, ' ').trim();
    if (!s && !opts.allowEmpty) throw new SchemaError(`${where(path)} must not be empty`);
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(s)) throw new SchemaError(`${where(path)} must not contain control characters`);
    const words = s ? s.split(' ').length : 0;
    if (opts.minWords !== undefined && words < opts.minWords) throw new SchemaError(`${where(path)} must have at least ${opts.minWords} words (it has ${words})`);
    if (opts.maxWords !== undefined && words > opts.maxWords) throw new SchemaError(`${where(path)} must have at most ${opts.maxWords} words (it has ${words})`);
    if (opts.maxChars !== undefined && s.length > opts.maxChars) throw new SchemaError(`${where(path)} must be at most ${opts.maxChars} characters long`);
    return s;
  };
}

/** An integer in [min, max]; a string holding one ("4") is accepted. */
export function integer(min: number, max: number): Check<number> {
  return (value, path) => {
    const n = typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
      throw new SchemaError(`${where(path)} must be an integer from ${min} to ${max}`);
    }
    return n;
  };
}

/** One of the given numbers (e.g. a rubric's 0, 0.25, 0.5, 0.75, 1). */
export function oneOfNumbers(allowed: readonly number[]): Check<number> {
  return (value, path) => {
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof n !== 'number' || !allowed.some((a) => Math.abs(a - n) < 1e-9)) {
      throw new SchemaError(`${where(path)} must be one of ${allowed.join(', ')}`);
    }
    return allowed.find((a) => Math.abs(a - n) < 1e-9)!;
  };
}

/** An array of at most `max` items, each checked. */
export function list<T>(item: Check<T>, max: number): Check<T[]> {
  return (value, path) => {
    if (!Array.isArray(value)) throw new SchemaError(`${where(path)} must be an array`);
    if (value.length > max) throw new SchemaError(`${where(path)} must have at most ${max} items`);
    return value.map((v, i) => item(v, `${path}[${i}]`));
  };
}

type Shape = Record<string, Check<unknown>>;
type Typed<S extends Shape> = { [K in keyof S]: S[K] extends Check<infer T> ? T : never };

const OPTIONAL = Symbol('optional');
type OptionalCheck<T> = Check<T | undefined> & { [OPTIONAL]: true };

/** A field that may be missing or null (it is then undefined). */
export function optional<T>(check: Check<T>): OptionalCheck<T> {
  const c = ((value: unknown, path: string) => (value === undefined || value === null ? undefined : check(value, path))) as OptionalCheck<T>;
  c[OPTIONAL] = true;
  return c;
}

/** An object with the given fields (unknown fields are ignored). */
export function object<S extends Shape>(shape: S): Check<Typed<S>> {
  return (value, path) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SchemaError(`${where(path)} must be a JSON object`);
    const out: Record<string, unknown> = {};
    const v = value as Record<string, unknown>;
    for (const [key, check] of Object.entries(shape)) {
      const at = path ? `${path}.${key}` : key;
      const missing = v[key] === undefined || v[key] === null;
      if (missing && !(OPTIONAL in check)) throw new SchemaError(`${where(at)} is missing`);
      const checked = check(v[key], at);
      if (checked !== undefined) out[key] = checked;
    }
    return out as Typed<S>;
  };
}

/** Runs a check; the error message instead of a throw. */
export function validate<T>(check: Check<T>, value: unknown): { ok: true; value: T } | { ok: false; error: string } {
  try {
    return { ok: true, value: check(value, '') };
  } catch (err) {
    if (err instanceof SchemaError) return { ok: false, error: err.message };
    throw err;
  }
}

/** A check followed by a rule of the caller's (e.g. "in the language of the texts"); `rule` returns an error message or undefined. */
export function refine<T>(check: Check<T>, rule: (value: T) => string | undefined): Check<T> {
  return (value, path) => {
    const v = check(value, path);
    const problem = rule(v);
    if (problem) throw new SchemaError(problem);
    return v;
  };
}
