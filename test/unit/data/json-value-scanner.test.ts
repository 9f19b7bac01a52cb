import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JsonScanError, JsonValueScanner } from '../../../src/engine/data/json-value-scanner';
import { LongJsonLineReader } from '../../../src/engine/data/long-json-line';
import { createRng } from '../../../src/engine/util/random';

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

/** Characters a string may hold: ASCII, accents, CJK, an emoji (a surrogate pair), quotes, backslashes, control characters. */
const CHARS = ['a', 'b', 'z', ' ', 'é', 'ß', '中', '文', '😀', '𝄞', '"', '\\', '/', '\n', '\t', '\u0001', '\u001f', '\u2028', '\ud800', '\udc00'];

function randomString(r: () => number, maxLen: number): string {
  let s = '';
  const n = Math.floor(r() * maxLen);
  for (let i = 0; i < n; i++) s += pick(r, CHARS);
  return s;
}

/** A JSON string literal written with a random mix of raw characters and escapes (\uXXXX of either case included). */
function stringLiteral(r: () => number, s: string): string {
  let out = '"';
  for (const unit of s.split('')) {
    const c = unit.charCodeAt(0);
    const mustEscape = unit === '"' || unit === '\\' || c < 0x20 || (c >= 0xd800 && c <= 0xdfff && !/[\ud800-\udbff][\udc00-\udfff]/.test(s));
    const roll = r();
    if (mustEscape || roll < 0.3) {
      const short: Record<string, string> = { '"': '\\"', '\\': '\\\\', '/': '\\/', '\n': '\\n', '\t': '\\t', '\b': '\\b', '\f': '\\f', '\r': '\\r' };
      if (short[unit] && roll < 0.6) out += short[unit];
      else {
        const hex = c.toString(16).padStart(4, '0');
        out += '\\u' + (r() < 0.5 ? hex : hex.toUpperCase());
      }
    } else out += unit;
  }
  return out + '"';
}

const WHITESPACE = ['', '', ' ', '\t', '  ', '\r', ' \t '];
const NUMBERS = ['0', '-0', '7', '-12', '3.25', '-0.5e3', '1E+2', '6.02e-23', '123456789012345678901234', '1e400'];

/** Random JSON text of a random value (objects up to `depth` deep), with random whitespace. */
function randomJson(r: () => number, depth: number): string {
  const ws = () => pick(r, WHITESPACE);
  const roll = r();
  if (depth > 0 && roll < 0.3) {
    const keys = Math.floor(r() * 5);
    const parts: string[] = [];
    for (let i = 0; i < keys; i++) {
      const key = r() < 0.05 ? '__proto__' : randomString(r, 6);
      parts.push(`${ws()}${stringLiteral(r, key)}${ws()}:${ws()}${randomJson(r, depth - 1)}${ws()}`);
    }
    return `{${parts.join(',') || ws()}}`;
  }
  if (depth > 0 && roll < 0.5) {
    const n = Math.floor(r() * 5);
    const parts: string[] = [];
    for (let i = 0; i < n; i++) parts.push(`${ws()}${randomJson(r, depth - 1)}${ws()}`);
    return `[${parts.join(',') || ws()}]`;
  }
  if (roll < 0.75) return stringLiteral(r, randomString(r, 30));
  if (roll < 0.9) return pick(r, NUMBERS);
  return pick(r, ['true', 'false', 'null']);
}

/** Feeds `text` in pieces cut at the given offsets; the value, or the JsonScanError. */
function scan(text: string, cuts: readonly number[], maxStringChars = Number.MAX_SAFE_INTEGER): { value?: unknown; error?: JsonScanError } {
  const scanner = new JsonValueScanner({ maxStringChars });
  try {
    let from = 0;
    for (const at of [...cuts, text.length]) {
      scanner.feed(text.slice(from, at));
      from = at;
    }
    return { value: scanner.end() };
  } catch (e) {
    if (!(e instanceof JsonScanError)) throw e;
    return { error: e };
  }
}

function parsed(text: string): { value?: unknown; error?: unknown } {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (e) {
    return { error: e };
  }
}

/** Random cut points in [0, n]. */
function randomCuts(r: () => number, n: number): number[] {
  const cuts: number[] = [];
  for (let at = 0; at < n; at += 1 + Math.floor(r() * 12)) cuts.push(at);
  return cuts;
}

/** Same value as JSON.parse, with "__proto__" an own key in both (deepEqual alone would not see a prototype set by mistake). */
function assertSameValue(actual: unknown, expected: unknown, text: string): void {
  assert.deepStrictEqual(actual, expected, text);
  assert.equal(JSON.stringify(actual), JSON.stringify(expected), text);
  const protos = (v: unknown): string[] =>
    v && typeof v === 'object' ? [String(Object.getPrototypeOf(v) === (Array.isArray(v) ? Array.prototype : Object.prototype)), ...Object.values(v).flatMap(protos)] : [];
  assert.deepEqual(protos(actual), protos(expected), `prototypes: ${text}`);
}

test('the scanner builds what JSON.parse builds, on 3,000 random texts fed in random pieces', () => {
  const r = createRng(7); // seeded: a failure can be replayed
  for (let k = 0; k < 3000; k++) {
    const text = randomJson(r, 4);
    const expected = parsed(text);
    assert.equal(expected.error, undefined, `the generator made invalid JSON: ${text}`);
    const got = scan(text, randomCuts(r, text.length));
    assert.equal(got.error, undefined, `${got.error?.message} in ${JSON.stringify(text)}`);
    assertSameValue(got.value, expected.value, text);
  }
});

test('the scanner rejects exactly what JSON.parse rejects, on 4,000 texts with a character deleted, inserted or replaced', () => {
  const r = createRng(11); // seeded: a failure can be replayed
  const noise = ['"', '\\', ',', ':', '{', '}', '[', ']', '-', '.', 'e', '0', '1', 'u', 'x', 't', 'n', ' ', '\u0000', '\n'];
  let rejected = 0;
  for (let k = 0; k < 4000; k++) {
    const valid = randomJson(r, 3);
    const at = Math.floor(r() * (valid.length + 1));
    const roll = r();
    const text =
      roll < 0.33 ? valid.slice(0, at) + valid.slice(at + 1) : roll < 0.66 ? valid.slice(0, at) + pick(r, noise) + valid.slice(at) : valid.slice(0, at) + pick(r, noise) + valid.slice(at + 1);
    const expected = parsed(text);
    const got = scan(text, randomCuts(r, text.length));
    assert.equal(got.error !== undefined, expected.error !== undefined, `JSON.parse ${expected.error ? 'rejects' : 'accepts'} ${JSON.stringify(text)}; the scanner ${got.error ? `rejects it: ${got.error.message}` : 'accepts it'}`);
    if (expected.error) rejected++;
    else assertSameValue(got.value, expected.value, text);
  }
  assert.ok(rejected > 1000, `only ${rejected} of the mutated texts were invalid: the test checks too little`);
});

const SMALL = '{"a\\u00e9":[1,-2.5e3,true,null,{"b":"x\\"\\\\\\/\\b\\f\\n\\r\\t\\ud83d\\ude00é中😀"}],"c":false,"__proto__":{"d":"\\uD800"}}';

test('a small text split in two at every offset, and in three at every pair of offsets, reads the same', () => {
  const expected = JSON.parse(SMALL) as unknown;
  for (let i = 0; i <= SMALL.length; i++) {
    assertSameValue(scan(SMALL, [i]).value, expected, `split at ${i}`);
    for (let j = i; j <= SMALL.length; j += 3) assertSameValue(scan(SMALL, [i, j]).value, expected, `split at ${i} and ${j}`);
  }
});

test('the long-line reader decodes UTF-8 split at every byte offset (a character cut in two included)', () => {
  const bytes = Buffer.from(SMALL, 'utf8');
  const expected = JSON.parse(SMALL) as unknown;
  for (let i = 0; i <= bytes.length; i++) {
    const reader = new LongJsonLineReader(1, 1000, 10_000);
    reader.write(bytes.subarray(0, i));
    reader.write(bytes.subarray(i));
    const out = reader.end();
    assert.equal(out.kind, 'record', `split at byte ${i}: ${out.kind === 'skip' ? out.reason : ''}`);
    if (out.kind === 'record') assertSameValue(out.fields, expected, `split at byte ${i}`);
  }
});

test('a cut string is the prefix of the whole one, never half of a surrogate pair, and the cut is reported with its top-level field', () => {
  const r = createRng(3); // seeded: a failure can be replayed
  for (let k = 0; k < 300; k++) {
    const inner = randomString(r, 80);
    const text = `{"id":"x","deep":{"list":[${stringLiteral(r, inner)}]},"t":${stringLiteral(r, inner)}}`;
    const whole = JSON.parse(text) as { id: string; deep: { list: string[] }; t: string };
    const max = 5 + Math.floor(r() * 60); // over the keys' length: keys are cut too
    const cuts: Array<[string, number]> = [];
    const scanner = new JsonValueScanner({ maxStringChars: max, onCut: (field, chars) => cuts.push([field, chars]) });
    for (let from = 0; from < text.length; from += 5) scanner.feed(text.slice(from, from + 5));
    const got = scanner.end() as typeof whole;
    for (const s of [got.t, got.deep.list[0]]) {
      assert.ok(whole.t.startsWith(s), `${JSON.stringify(s)} is not a prefix of ${JSON.stringify(whole.t)}`);
      if (whole.t.length <= max) assert.equal(s, whole.t);
      else {
        const endsHighSurrogate = /[\ud800-\udbff]/.test(whole.t[max - 1]);
        assert.equal(s.length, endsHighSurrogate ? max - 1 : max, `cut of ${JSON.stringify(whole.t)} to ${max}`);
      }
    }
    assert.deepEqual(cuts, inner.length > max ? [['deep', inner.length], ['t', inner.length]] : []);
    assert.equal(got.id, 'x');
  }
});

test('past the cut, a string is still checked: a bad escape or a raw control character after the cut is an error', () => {
  const long = 'a'.repeat(100);
  assert.match(scan(`{"t":"${long}\\x"}`, [50], 10).error?.message ?? '', /bad escape "\\x" at column 108/);
  assert.match(scan(`{"t":"${long}\u0001"}`, [50], 10).error?.message ?? '', /bad control character/);
  assert.match(scan(`{"t":"${long}"`, [50], 10).error?.message ?? '', /unexpected end/);
});

test('a record keeping more than maxKeptChars in all is refused, even with every string under the cap', () => {
  const text = `[${Array.from({ length: 100 }, () => '"abcdefghij"').join(',')}]`;
  const scanner = new JsonValueScanner({ maxStringChars: 20, maxKeptChars: 500 });
  assert.throws(
    () => scanner.feed(text),
    (e: unknown) => e instanceof JsonScanError && e.kind === 'too-large',
  );
});
