/**
 * A streaming JSON parser for one value, for a JSONL line too long to hold whole: it is fed the
 * line's decoded text in pieces of any size, validates all of it as JSON.parse would, and builds
 * the value keeping only each string's first `maxStringChars` characters (the rest of a string is
 * scanned, never stored). Escapes (`\n`, `\uXXXX`, surrogate pairs written as two escapes) and
 * pieces that end inside an escape or a number are handled; the value equals JSON.parse's except
 * for the cut strings, which are prefixes of JSON.parse's strings.
 *
 * JsonArrayScanner (json-array-items.ts) only splits an array into item texts for JSON.parse;
 * this one parses.
 */
import { detachedCopy, setOwn } from './field-cap';

/** Why the input is not JSON (`kind: 'syntax'`), or holds too much even with its strings cut. */
export class JsonScanError extends Error {
  override name = 'JsonScanError';
  constructor(
    message: string,
    readonly kind: 'syntax' | 'too-large',
  ) {
    super(message);
  }
}

export interface JsonValueScannerOptions {
  /** Characters kept of each string (keys included); longer strings are cut. */
  maxStringChars: number;
  /**
   * Most characters kept in all (strings, keys and numbers, plus one per array or object);
   * past it the scan stops with a `too-large` error. Default: no limit.
   */
  maxKeptChars?: number;
  /** Called for each cut string with its top-level key ("" outside a top-level object) and its length before the cut. */
  onCut?: (field: string, chars: number) => void;
}

type Frame = { kind: 'object'; obj: Record<string, unknown>; key: string } | { kind: 'array'; arr: unknown[] };

// What the scanner expects next.
const VALUE = 0; // a value (after ":" or "," in an array, or at the start)
const ARRAY_FIRST = 1; // a value or "]" (just after "[")
const KEY_FIRST = 2; // a key or "}" (just after "{")
const KEY = 3; // a key (after "," in an object)
const COLON = 4;
const AFTER_VALUE = 5; // "," or the closing bracket
const STRING = 6;
const NUMBER = 7;
const LITERAL = 8;
const DONE = 9; // only whitespace may follow

/** Characters that end a run of plain string content: the quote, a backslash, a control character (not allowed raw). */
// eslint-disable-next-line no-control-regex -- JSON strings may not hold control characters raw
const STRING_SPECIAL = /["\\\u0000-\u001f]/g;
const NUMBER_SYNTAX = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const SIMPLE_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const LITERALS: Record<string, [string, unknown]> = { t: ['true', true], f: ['false', false], n: ['null', null] };

function isNumberChar(c: number): boolean {
  return (c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46 || c === 101 || c === 69;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

export class JsonValueScanner {
  private mode = VALUE;
  private readonly stack: Frame[] = [];
  private root: unknown = undefined;
  /** Characters consumed before the current piece (for error columns). */
  private offset = 0;
  private kept = 0;
  // the string being read
  private strIsKey = false;
  private strParts: string[] = [];
  private strKept = 0;
  private strTotal = 0;
  /** 0: plain text; 1: after a backslash; 2–5: inside \uXXXX, after that many characters. */
  private strEscape = 0;
  private strHex = 0;
  // the number or literal being read
  private numberText = '';
  private literal = '';
  private literalValue: unknown = null;
  private literalAt = 0;

  private readonly maxString: number;
  private readonly maxKept: number;

  constructor(private readonly options: JsonValueScannerOptions) {
    this.maxString = options.maxStringChars;
    this.maxKept = options.maxKeptChars ?? Number.POSITIVE_INFINITY;
  }

  /** Scans the next piece of the text; throws JsonScanError at the first error. */
  feed(text: string): void {
    const n = text.length;
    let i = 0;
    while (i < n) {
      const mode = this.mode;
      if (mode === STRING) {
        i = this.scanString(text, i);
        continue;
      }
      if (mode === NUMBER) {
        let j = i;
        while (j < n && isNumberChar(text.charCodeAt(j))) j++;
        this.numberText += text.slice(i, j);
        this.keep(j - i);
        if (j < n) this.finishNumber(j);
        i = j;
        continue;
      }
      if (mode === LITERAL) {
        if (text[i] !== this.literal[this.literalAt]) this.fail(text, i);
        this.literalAt++;
        i++;
        if (this.literalAt === this.literal.length) this.finishValue(this.literalValue);
        continue;
      }
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) {
        i++;
        continue;
      }
      this.structural(text, i, c);
      // a number starts by re-reading its first character in NUMBER mode
      if (this.mode !== NUMBER) i++;
    }
    this.offset += n;
  }

  /** The value, once the whole text was fed; throws JsonScanError if it is cut off. */
  end(): unknown {
    if (this.mode === NUMBER) this.finishNumber(-1);
    if (this.mode !== DONE) throw new JsonScanError('unexpected end of JSON input', 'syntax');
    return this.root;
  }

  /** True while nothing but whitespace was fed. */
  get blank(): boolean {
    return this.mode === VALUE && this.stack.length === 0;
  }

  private structural(text: string, i: number, c: number): void {
    switch (this.mode) {
      case ARRAY_FIRST:
      case VALUE:
        if (c === 93 && this.mode === ARRAY_FIRST) return this.close();
        return this.startValue(text, i, c);
      case KEY_FIRST:
      case KEY:
        if (c === 125 && this.mode === KEY_FIRST) return this.close();
        if (c !== 34) this.fail(text, i);
        return this.startString(true);
      case COLON:
        if (c !== 58) this.fail(text, i);
        this.mode = VALUE;
        return;
      case AFTER_VALUE: {
        const top = this.stack[this.stack.length - 1];
        if (c === 44) this.mode = top.kind === 'object' ? KEY : VALUE;
        else if (c === (top.kind === 'object' ? 125 : 93)) this.close();
        else this.fail(text, i);
        return;
      }
      default:
        this.fail(text, i, 'unexpected non-whitespace after the JSON value');
    }
  }

  private startValue(text: string, i: number, c: number): void {
    if (c === 34) return this.startString(false);
    if (c === 123) {
      this.keep(1);
      this.stack.push({ kind: 'object', obj: {}, key: '' });
      this.mode = KEY_FIRST;
      return;
    }
    if (c === 91) {
      this.keep(1);
      this.stack.push({ kind: 'array', arr: [] });
      this.mode = ARRAY_FIRST;
      return;
    }
    if (c === 45 || (c >= 48 && c <= 57)) {
      this.numberText = '';
      this.mode = NUMBER;
      return;
    }
    const literal = LITERALS[text[i]];
    if (!literal) this.fail(text, i);
    [this.literal, this.literalValue] = literal;
    this.literalAt = 1;
    this.mode = LITERAL;
  }

  private startString(isKey: boolean): void {
    this.strIsKey = isKey;
    this.strParts = [];
    this.strKept = 0;
    this.strTotal = 0;
    this.strEscape = 0;
    this.mode = STRING;
  }

  /** Reads string content from `i`; returns where it stopped (the end of the piece, or after the closing quote). */
  private scanString(text: string, i: number): number {
    const n = text.length;
    while (i < n) {
      if (this.strEscape === 0) {
        STRING_SPECIAL.lastIndex = i;
        const m = STRING_SPECIAL.exec(text);
        const j = m ? m.index : n;
        if (j > i) this.appendRun(text, i, j);
        if (j === n) return n;
        const c = text.charCodeAt(j);
        if (c === 34) {
          this.finishString();
          return j + 1;
        }
        if (c !== 92) this.fail(text, j, `bad control character in a string at column ${this.offset + j + 1}`);
        this.strEscape = 1;
        i = j + 1;
      } else if (this.strEscape === 1) {
        const ch = text[i];
        if (ch === 'u') {
          this.strEscape = 2;
          this.strHex = 0;
        } else {
          const decoded = SIMPLE_ESCAPES[ch];
          if (decoded === undefined) this.fail(text, i, `bad escape "\\${ch}" at column ${this.offset + i + 1}`);
          this.appendUnit(decoded);
          this.strEscape = 0;
        }
        i++;
      } else {
        const h = hexValue(text.charCodeAt(i));
        if (h < 0) this.fail(text, i, `bad \\u escape at column ${this.offset + i + 1}`);
        this.strHex = this.strHex * 16 + h;
        i++;
        if (++this.strEscape === 6) {
          this.appendUnit(String.fromCharCode(this.strHex));
          this.strEscape = 0;
        }
      }
    }
    return n;
  }

  private appendRun(text: string, from: number, to: number): void {
    const len = to - from;
    this.strTotal += len;
    if (this.strKept >= this.maxString) return;
    const take = Math.min(len, this.maxString - this.strKept);
    this.strParts.push(text.slice(from, from + take));
    this.strKept += take;
    this.keep(take);
  }

  private appendUnit(unit: string): void {
    this.strTotal++;
    if (this.strKept >= this.maxString) return;
    this.strParts.push(unit);
    this.strKept++;
    this.keep(1);
  }

  private finishString(): void {
    let s = this.strParts.join('');
    this.strParts = [];
    if (this.strTotal > this.strKept) {
      const last = s.charCodeAt(s.length - 1);
      if (last >= 0xd800 && last <= 0xdbff) s = s.slice(0, -1); // never keep half of a pair
      this.options.onCut?.(this.strIsKey && this.stack.length === 1 ? s : this.topField(), this.strTotal);
    }
    s = detachedCopy(s);
    if (this.strIsKey) {
      (this.stack[this.stack.length - 1] as Extract<Frame, { kind: 'object' }>).key = s;
      this.mode = COLON;
    } else this.finishValue(s);
  }

  private finishNumber(at: number): void {
    if (!NUMBER_SYNTAX.test(this.numberText))
      throw new JsonScanError(`invalid number "${this.numberText.slice(0, 40)}"${at >= 0 ? ` before column ${this.offset + at + 1}` : ''}`, 'syntax');
    this.finishValue(Number(this.numberText));
    this.numberText = '';
  }

  private close(): void {
    const frame = this.stack.pop()!;
    this.finishValue(frame.kind === 'object' ? frame.obj : frame.arr);
  }

  private finishValue(value: unknown): void {
    const top = this.stack[this.stack.length - 1];
    if (!top) {
      this.root = value;
      this.mode = DONE;
      return;
    }
    if (top.kind === 'object') setOwn(top.obj, top.key, value);
    else top.arr.push(value);
    this.mode = AFTER_VALUE;
  }

  /** The top-level key the current value belongs to, or "" outside a top-level object. */
  private topField(): string {
    const bottom = this.stack[0];
    return bottom?.kind === 'object' ? bottom.key : '';
  }

  private keep(chars: number): void {
    this.kept += chars;
    if (this.kept > this.maxKept)
      throw new JsonScanError(`the record keeps over ${this.maxKept.toLocaleString('en-US')} characters even with its long strings cut`, 'too-large');
  }

  private fail(text: string, i: number, message?: string): never {
    throw new JsonScanError(message ?? `unexpected ${JSON.stringify(text[i])} at column ${this.offset + i + 1}`, 'syntax');
  }
}
