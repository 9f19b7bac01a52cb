/**
 * Term → id for the TF-IDF vocabulary, looked up by a range of a string (text, start, end)
 * without making the substring: an open-addressing table of the terms' FNV-1a hashes, each
 * match confirmed code unit by code unit. A character n-gram becomes a string only the first
 * time it is seen (on AG News, 82k strings for 3.4M n-grams), which is where a Map<string> spent
 * most of the TF-IDF stage's time.
 */
export class TermTable {
  /** The terms, by id (ids are given in order of first insertion). */
  readonly terms: string[] = [];
  private slots: Int32Array;
  private hashes: Int32Array;
  private mask: number;

  constructor(capacity = 1024) {
    let size = 16;
    while (size < capacity * 2) size *= 2;
    this.slots = new Int32Array(size);
    this.hashes = new Int32Array(size);
    this.mask = size - 1;
  }

  get size(): number {
    return this.terms.length;
  }

  /** The id of text[start, end), or -1. */
  idOf(text: string, start = 0, end = text.length): number {
    return this.idOfHashed(text, start, end, hashRange(text, start, end));
  }

  /** idOf with the range's hash given (hashRange's value, e.g. extended from a shorter prefix). */
  idOfHashed(text: string, start: number, end: number, h: number): number {
    for (let s = h & this.mask; ; s = (s + 1) & this.mask) {
      const v = this.slots[s];
      if (v === 0) return -1;
      if (this.hashes[s] === h && equalsRange(this.terms[v - 1], text, start, end)) return v - 1;
    }
  }

  /** The id of text[start, end), added when new. */
  intern(text: string, start = 0, end = text.length): number {
    return this.internHashed(text, start, end, hashRange(text, start, end));
  }

  /** intern with the range's hash given (hashRange's value, e.g. extended from a shorter prefix). */
  internHashed(text: string, start: number, end: number, h: number): number {
    let s = h & this.mask;
    for (; ; s = (s + 1) & this.mask) {
      const v = this.slots[s];
      if (v === 0) break;
      if (this.hashes[s] === h && equalsRange(this.terms[v - 1], text, start, end)) return v - 1;
    }
    const id = this.terms.length;
    this.terms.push(start === 0 && end === text.length ? text : text.slice(start, end));
    this.slots[s] = id + 1;
    this.hashes[s] = h;
    if (this.terms.length * 2 > this.slots.length) this.grow();
    return id;
  }

  private grow(): void {
    const size = this.slots.length * 2;
    const slots = new Int32Array(size);
    const hashes = new Int32Array(size);
    const mask = size - 1;
    for (let s = 0; s < this.slots.length; s++) {
      const v = this.slots[s];
      if (v === 0) continue;
      let t = this.hashes[s] & mask;
      while (slots[t] !== 0) t = (t + 1) & mask;
      slots[t] = v;
      hashes[t] = this.hashes[s];
    }
    this.slots = slots;
    this.hashes = hashes;
    this.mask = mask;
  }
}

/** FNV-1a's starting state; fold code units in with fnvAdd, then fnvFinish. */
export const FNV_START = 0x811c9dc5;

/** One UTF-16 code unit folded into an FNV-1a state. */
export function fnvAdd(h: number, code: number): number {
  return Math.imul(h ^ code, 0x01000193);
}

/** The final avalanche: the hash of the folded range. */
export function fnvFinish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h;
}

/**
 * 32-bit FNV-1a over the UTF-16 code units of text[start, end), with a final avalanche. The state
 * before the avalanche extends to a longer range by one fnvAdd per code unit, so the n-grams that
 * start at one position are hashed in one pass.
 */
export function hashRange(text: string, start: number, end: number): number {
  let h = FNV_START;
  for (let i = start; i < end; i++) h = fnvAdd(h, text.charCodeAt(i));
  return fnvFinish(h);
}

function equalsRange(term: string, text: string, start: number, end: number): boolean {
  if (term.length !== end - start) return false;
  for (let i = 0; i < term.length; i++) if (term.charCodeAt(i) !== text.charCodeAt(start + i)) return false;
  return true;
}
