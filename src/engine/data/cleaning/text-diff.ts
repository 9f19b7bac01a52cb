/**
 * What a cleaning rule did to one text, as character ranges: the spans of `before` that
 * were removed and the spans of `after` that were inserted (a replacement, a tidied space).
 * Offsets are JavaScript string offsets (UTF-16 code units, what `String.slice` and the
 * webview use); the diff runs on code points, so a span never splits an emoji or any other
 * surrogate pair. The diff is Myers' O(ND) shortest edit script after trimming the common
 * prefix and suffix; past `maxEdits` edits it falls back to one removed and one inserted
 * span covering the differing middle. A shortest script can be unreadable ("3 mars" →
 * "m…" matched to the "m" of the next word), so, as diff-match-patch's semantic cleanup
 * does, short equalities between larger edits become part of the edits, and a lone edit
 * slides to the word boundary where it reads best.
 */

/** [start, end) in UTF-16 code units. */
export type Span = [start: number, end: number];

export type DiffOpKind = 'equal' | 'removed' | 'inserted';

/** One run of the edit script: text kept, removed from `before`, or inserted into `after`. */
export interface DiffOp {
  kind: DiffOpKind;
  text: string;
}

export interface TextDiff {
  /** Spans of `before` that are gone. */
  removed: Span[];
  /** Spans of `after` that are new. */
  inserted: Span[];
}

/** Edits beyond which the diff gives up on precision (cost grows with edits²). */
const DEFAULT_MAX_EDITS = 2000;

/** Code points of `s` and, for each, its UTF-16 offset (plus a final entry: s.length). */
function codePoints(s: string): { cps: Int32Array; offsets: Int32Array } {
  const cps: number[] = [];
  const offsets: number[] = [];
  for (let i = 0; i < s.length; ) {
    const cp = s.codePointAt(i) as number;
    cps.push(cp);
    offsets.push(i);
    i += cp > 0xffff ? 2 : 1;
  }
  offsets.push(s.length);
  return { cps: Int32Array.from(cps), offsets: Int32Array.from(offsets) };
}

type Step = [kind: DiffOpKind, count: number];

/**
 * Myers' shortest edit script from a[lo..] to b[lo..] (without the common prefix/suffix),
 * as runs in code points; undefined when it needs more than `maxEdits` edits.
 */
function myers(a: Int32Array, b: Int32Array, maxEdits: number): Step[] | undefined {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= Math.min(max, maxEdits); d++) {
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) found = d;
    }
    trace.push(v.slice(offset - d, offset + d + 1));
    if (found >= 0) break;
  }
  if (found < 0) return undefined;
  const steps: Step[] = [];
  const push = (kind: DiffOpKind, count: number) => {
    if (count <= 0) return;
    const last = steps[steps.length - 1];
    if (last && last[0] === kind) last[1] += count;
    else steps.push([kind, count]);
  };
  let x = n;
  let y = m;
  for (let d = found; d > 0; d--) {
    const prev = trace[d - 1];
    const at = (k: number) => prev[k + d - 1];
    const k = x - y;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const prevK = down ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    const midX = down ? prevX : prevX + 1;
    push('equal', x - midX);
    push(down ? 'inserted' : 'removed', 1);
    x = prevX;
    y = prevY;
  }
  push('equal', x);
  return steps.reverse();
}

/** The edit script from `before` to `after`, as runs of text. */
export function diffOps(before: string, after: string, maxEdits = DEFAULT_MAX_EDITS): DiffOp[] {
  if (before === after) return before ? [{ kind: 'equal', text: before }] : [];
  const A = codePoints(before);
  const B = codePoints(after);
  let pre = 0;
  while (pre < A.cps.length && pre < B.cps.length && A.cps[pre] === B.cps[pre]) pre++;
  let suf = 0;
  while (suf < A.cps.length - pre && suf < B.cps.length - pre && A.cps[A.cps.length - 1 - suf] === B.cps[B.cps.length - 1 - suf]) suf++;
  const a = A.cps.subarray(pre, A.cps.length - suf);
  const b = B.cps.subarray(pre, B.cps.length - suf);
  const middle: Step[] = myers(a, b, maxEdits) ?? [
    ['removed', a.length],
    ['inserted', b.length],
  ];
  const ops: DiffOp[] = [];
  const add = (kind: DiffOpKind, text: string) => {
    if (!text) return;
    const last = ops[ops.length - 1];
    if (last && last.kind === kind) last.text += text;
    else ops.push({ kind, text });
  };
  add('equal', before.slice(0, A.offsets[pre]));
  let i = pre; // code point index in before
  let j = pre; // in after
  // Removed and inserted runs of one replacement are kept apart in order: removed first.
  for (const [kind, count] of middle) {
    if (kind === 'equal') {
      add('equal', before.slice(A.offsets[i], A.offsets[i + count]));
      i += count;
      j += count;
    } else if (kind === 'removed') {
      add('removed', before.slice(A.offsets[i], A.offsets[i + count]));
      i += count;
    } else {
      add('inserted', after.slice(B.offsets[j], B.offsets[j + count]));
      j += count;
    }
  }
  add('equal', before.slice(A.offsets[i]));
  return slideToBoundaries(absorbShortEqualities(ops));
}

/** Length (UTF-16) of the common prefix of a and b, whole code points only. */
function commonPrefix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  if (n > 0 && /[\uD800-\uDBFF]/.test(a[n - 1])) n--;
  return n;
}

function commonSuffix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
  if (n > 0 && /[\uDC00-\uDFFF]/.test(a[a.length - n])) n--;
  return n;
}

/**
 * Merges neighbours of the same kind, puts each removed run before its inserted run, and
 * moves text that a removed run and its inserted run share at their start or end into the
 * equalities around them.
 */
function normalise(ops: readonly DiffOp[]): DiffOp[] {
  const out: DiffOp[] = [];
  let removed = '';
  let inserted = '';
  const equal = (text: string) => {
    if (!text) return;
    const last = out[out.length - 1];
    if (last?.kind === 'equal') last.text += text;
    else out.push({ kind: 'equal', text });
  };
  const flush = () => {
    let tail = '';
    if (removed && inserted) {
      const p = commonPrefix(removed, inserted);
      equal(removed.slice(0, p));
      removed = removed.slice(p);
      inserted = inserted.slice(p);
      const q = commonSuffix(removed, inserted);
      tail = removed.slice(removed.length - q);
      removed = removed.slice(0, removed.length - q);
      inserted = inserted.slice(0, inserted.length - q);
    }
    if (removed) out.push({ kind: 'removed', text: removed });
    if (inserted) out.push({ kind: 'inserted', text: inserted });
    removed = inserted = '';
    equal(tail);
  };
  for (const op of ops) {
    if (!op.text) continue;
    if (op.kind === 'removed') removed += op.text;
    else if (op.kind === 'inserted') inserted += op.text;
    else {
      flush();
      equal(op.text);
    }
  }
  flush();
  return out;
}

const WORD = /[\p{L}\p{N}]/u;

/**
 * Whether equality `i` is whole words of `before` (no letter or digit touches it on either
 * side): "8 heures [à] 23 heures" keeps its "à", while the "m" of "3 [m]ars" is noise.
 */
function wholeWords(ops: readonly DiffOp[], i: number): boolean {
  const t = ops[i].text;
  let before = '';
  for (let j = i - 1; j >= 0 && !before; j--) if (ops[j].kind !== 'inserted') before = ops[j].text.slice(-1);
  let after = '';
  for (let j = i + 1; j < ops.length && !after; j++) if (ops[j].kind !== 'inserted') after = ops[j].text[0];
  const startOk = !WORD.test(t[0]) || !before || !WORD.test(before);
  const endOk = !WORD.test(t[t.length - 1]) || !after || !WORD.test(after);
  return WORD.test(t) && startOk && endOk;
}

/**
 * An equality between edits that is no longer than the edits on each side (in characters),
 * unless it is whole words, is noise: it becomes removed and inserted text, until none is left.
 */
function absorbShortEqualities(input: readonly DiffOp[]): DiffOp[] {
  let ops = normalise(input);
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = 1; i < ops.length - 1; i++) {
      if (ops[i].kind !== 'equal') continue;
      const editsAround = (from: number, step: 1 | -1) => {
        let n = 0;
        for (let j = from; j >= 0 && j < ops.length && ops[j].kind !== 'equal'; j += step) n += ops[j].text.length;
        return n;
      };
      const left = editsAround(i - 1, -1);
      const right = editsAround(i + 1, 1);
      const len = ops[i].text.length;
      if (left > 0 && right > 0 && len <= left && len <= right && !wholeWords(ops, i)) {
        const t = ops[i].text;
        ops = normalise([...ops.slice(0, i), { kind: 'removed', text: t }, { kind: 'inserted', text: t }, ...ops.slice(i + 1)]);
        changed = true;
        break;
      }
    }
  }
  return ops;
}

/** How well a cut between characters x and y reads: text edges, line breaks, spaces, punctuation, word edges. */
function boundaryScore(x: string, y: string): number {
  if (!x || !y) return 6;
  if (x === '\n' || y === '\n') return 5;
  if (/\s/u.test(x) || /\s/u.test(y)) return 4;
  const word = /[\p{L}\p{N}]/u;
  if (!word.test(x) && !word.test(y)) return 3;
  if (word.test(x) !== word.test(y)) return 2;
  return 0;
}

const lastCodePoint = (s: string) => (s ? String.fromCodePoint(s.codePointAt(s.length - (/[\uDC00-\uDFFF]$/.test(s) ? 2 : 1)) as number) : '');
const firstCodePoint = (s: string) => (s ? String.fromCodePoint(s.codePointAt(0) as number) : '');

/**
 * A lone edit (removed or inserted) between two equalities can often sit at several places
 * ("a b c" → "a c": " b" or "b "): it moves, a code point at a time, to the place whose two
 * edges read best; on a tie the leftmost.
 */
function slideToBoundaries(ops: DiffOp[]): DiffOp[] {
  for (let i = 1; i < ops.length - 1; i++) {
    const prev = ops[i - 1];
    const next = ops[i + 1];
    if (ops[i].kind === 'equal' || prev.kind !== 'equal' || next.kind !== 'equal') continue;
    let left = prev.text;
    let edit = ops[i].text;
    let right = next.text;
    // Slide fully left, then try every position to the right.
    for (let c = lastCodePoint(left); c && c === lastCodePoint(edit); c = lastCodePoint(left)) {
      left = left.slice(0, -c.length);
      edit = c + edit.slice(0, -c.length);
      right = c + right;
    }
    let best = { left, edit, right, score: boundaryScore(lastCodePoint(left), firstCodePoint(edit)) + boundaryScore(lastCodePoint(edit), firstCodePoint(right)) };
    for (let c = firstCodePoint(right); c && c === firstCodePoint(edit); c = firstCodePoint(right)) {
      left += c;
      edit = edit.slice(c.length) + c;
      right = right.slice(c.length);
      const score = boundaryScore(lastCodePoint(left), firstCodePoint(edit)) + boundaryScore(lastCodePoint(edit), firstCodePoint(right));
      if (score > best.score) best = { left, edit, right, score };
    }
    prev.text = best.left;
    ops[i] = { kind: ops[i].kind, text: best.edit };
    next.text = best.right;
  }
  return normalise(ops);
}

/** The removed spans of `before` and inserted spans of `after` that an edit script describes. */
export function spansOf(ops: readonly DiffOp[]): TextDiff {
  const removed: Span[] = [];
  const inserted: Span[] = [];
  let a = 0;
  let b = 0;
  const addSpan = (list: Span[], start: number, end: number) => {
    const last = list[list.length - 1];
    if (last && last[1] === start) last[1] = end;
    else list.push([start, end]);
  };
  for (const op of ops) {
    const len = op.text.length;
    if (op.kind === 'equal') {
      a += len;
      b += len;
    } else if (op.kind === 'removed') {
      addSpan(removed, a, a + len);
      a += len;
    } else {
      addSpan(inserted, b, b + len);
      b += len;
    }
  }
  return { removed, inserted };
}

/** The removed and inserted spans between two texts. */
export function diffTexts(before: string, after: string, maxEdits = DEFAULT_MAX_EDITS): TextDiff {
  return spansOf(diffOps(before, after, maxEdits));
}
