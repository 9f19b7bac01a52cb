/**
 * Renders a text with marked spans (removed, inserted, gaps) as DOM nodes: text always goes
 * through text nodes, never HTML. Spans are JavaScript string offsets, as the engine sends them.
 */
import type { Span } from '../../src/protocol/clean';

export interface Mark {
  span: Span;
  /** Element and class: del.removed, ins.inserted, span.gap. */
  tag: 'del' | 'ins' | 'span';
  className: string;
  title?: string;
}

export function renderMarked(text: string, marks: readonly Mark[]): DocumentFragment {
  const out = document.createDocumentFragment();
  const sorted = [...marks].filter((m) => m.span[1] > m.span[0]).sort((a, b) => a.span[0] - b.span[0]);
  let at = 0;
  for (const m of sorted) {
    const [start, end] = [Math.max(m.span[0], at), Math.min(m.span[1], text.length)];
    if (end <= start) continue;
    if (start > at) out.append(document.createTextNode(text.slice(at, start)));
    const el = document.createElement(m.tag);
    el.className = m.className;
    if (m.title) el.title = m.title;
    el.textContent = text.slice(start, end);
    out.append(el);
    at = end;
  }
  if (at < text.length) out.append(document.createTextNode(text.slice(at)));
  return out;
}

export const removedMarks = (spans: readonly Span[]): Mark[] => spans.map((span) => ({ span, tag: 'del', className: 'removed', title: 'removed' }));
export const insertedMarks = (spans: readonly Span[]): Mark[] => spans.map((span) => ({ span, tag: 'ins', className: 'inserted', title: 'inserted' }));
export const gapMarks = (spans: readonly Span[]): Mark[] => spans.map((span) => ({ span, tag: 'span', className: 'gap', title: 'unchanged text left out' }));
