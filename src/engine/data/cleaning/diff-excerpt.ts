/**
 * A before → after example short enough to show: long stretches of unchanged text are
 * replaced, in both texts, by one "…" whose position is given as a gap span, so a change at
 * the start and another at the end of a long article both show. Every span is an offset
 * into the excerpt strings (UTF-16 code units); no cut splits a surrogate pair.
 */
import type { DiffOp, Span } from './text-diff';

export interface DiffExcerpt {
  before: string;
  after: string;
  /** Spans of `before` the rule removed. */
  removed: Span[];
  /** Spans of `after` the rule inserted. */
  inserted: Span[];
  /** Spans of "…" standing for unchanged text left out, in `before` and in `after`. */
  beforeGaps: Span[];
  afterGaps: Span[];
}

export const GAP = '…';

/** Moves a cut off the middle of a surrogate pair, and onto a nearby space when there is one. */
function snap(text: string, at: number, direction: 1 | -1, slack: number): number {
  let best = at;
  for (let d = 0; d <= slack; d++) {
    const p = at + direction * d;
    if (p <= 0 || p >= text.length) break;
    if (text[p - 1] === ' ' || text[p - 1] === '\n') {
      best = p;
      break;
    }
  }
  const code = text.charCodeAt(best);
  if (best > 0 && best < text.length && code >= 0xdc00 && code <= 0xdfff) best += direction > 0 ? 1 : -1;
  return best;
}

/**
 * Builds the excerpt of an edit script. Texts whose longer side fits in `maxChars` are kept
 * whole; otherwise each unchanged run keeps `context` characters next to each change.
 */
export function excerptDiff(ops: readonly DiffOp[], maxChars = 600, context = 120): DiffExcerpt {
  const out: DiffExcerpt = { before: '', after: '', removed: [], inserted: [], beforeGaps: [], afterGaps: [] };
  let beforeLen = 0;
  let afterLen = 0;
  for (const op of ops) {
    if (op.kind !== 'inserted') beforeLen += op.text.length;
    if (op.kind !== 'removed') afterLen += op.text.length;
  }
  const whole = Math.max(beforeLen, afterLen) <= maxChars;
  const push = (list: Span[], start: number, end: number) => {
    const last = list[list.length - 1];
    if (last && last[1] === start) last[1] = end;
    else list.push([start, end]);
  };
  const keep = (text: string) => {
    out.before += text;
    out.after += text;
  };
  const gap = () => {
    out.beforeGaps.push([out.before.length, out.before.length + GAP.length]);
    out.afterGaps.push([out.after.length, out.after.length + GAP.length]);
    keep(GAP);
  };
  ops.forEach((op, i) => {
    if (op.kind === 'removed') {
      push(out.removed, out.before.length, out.before.length + op.text.length);
      out.before += op.text;
      return;
    }
    if (op.kind === 'inserted') {
      push(out.inserted, out.after.length, out.after.length + op.text.length);
      out.after += op.text;
      return;
    }
    const t = op.text;
    const first = i === 0;
    const last = i === ops.length - 1;
    const slack = Math.floor(context / 4);
    if (whole || t.length <= (first || last ? context : 2 * context) + GAP.length + slack) return keep(t);
    if (first) {
      gap();
      return keep(t.slice(snap(t, t.length - context, -1, slack)));
    }
    if (last) {
      keep(t.slice(0, snap(t, context, 1, slack)));
      return gap();
    }
    keep(t.slice(0, snap(t, context, 1, slack)));
    gap();
    keep(t.slice(snap(t, t.length - context, -1, slack)));
  });
  return out;
}
