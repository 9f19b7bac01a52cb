/**
 * One record of the pair: its id, its text fields in a pane of capped height with its own
 * scroll (so the rubric stays on screen under long articles), the words it shares with the
 * other record marked, and its details (label and other fields), shown on request.
 */
import type { RecordView } from '../../src/protocol/annotate';
import { h } from '../common/dom';
import { sharedSegments } from './highlight';

export function renderRecord(el: HTMLElement, r: RecordView | undefined): void {
  el.textContent = '';
  if (!r) return;
  el.append(h('div', { className: 'record-id', text: r.id }));
  const text = h('div', { className: 'record-text', attrs: { tabindex: '0', 'aria-label': `Text of ${r.id}` } });
  for (const f of r.fields) {
    const value = h('div', { className: `field-value field-${f.name.toLowerCase()}` });
    for (const s of sharedSegments(f.value, f.shared)) value.append(s.shared ? h('mark', { className: 'shared', text: s.text }) : document.createTextNode(s.text));
    text.append(h('div', { className: 'field-name', text: f.name }), value);
  }
  el.append(text, renderDetails(r));
}

function renderDetails(r: RecordView): HTMLElement {
  const list = h('dl', { className: 'record-details' });
  const row = (name: string, value: string, className = '') =>
    list.append(h('dt', { className, text: name }), h('dd', { className, text: value }));
  row('label', r.label ?? '(none)', 'detail-label');
  for (const f of r.metadata ?? []) row(f.name, f.value);
  if (!r.metadata?.length) list.append(h('dd', { className: 'muted', text: 'No other fields.' }));
  return list;
}

/** Whether any text pane of `root` is cut by its height cap (so "Show more" would show more). */
export function anyTextOverflows(root: HTMLElement): boolean {
  return [...root.querySelectorAll<HTMLElement>('.record-text')].some((t) => t.scrollHeight > t.clientHeight + 1);
}
