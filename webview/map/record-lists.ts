/**
 * Lists of records in the map's side panel (DOM): the clicked point's neighbours and a search's
 * results, each a clickable list (with the similarity when known). Text only through textContent.
 */
import { h } from '../common/dom';
import { mergeMatches } from './map-state';

export interface ListedRecord {
  index: number;
  similarity?: number;
  text?: string;
}

/** A clickable list of records; `textOf` gives the text of a record listed without one. */
export function recordList(list: readonly ListedRecord[], textOf: (index: number) => string, onPick: (index: number) => void): HTMLElement {
  const ol = h('ol', { className: 'neighbour-list' });
  for (const n of list) {
    const b = h('button', { className: 'neighbour', attrs: { type: 'button', 'data-index': String(n.index) } });
    if (n.similarity !== undefined) b.append(h('span', { className: 'similarity', text: n.similarity.toFixed(2) }));
    b.append(h('span', { className: 'neighbour-text', text: n.text ?? textOf(n.index) }));
    b.addEventListener('click', () => onPick(n.index));
    ol.append(h('li', {}, b));
  }
  return ol;
}

/** Text matches listed in the Search tab (the map highlights all of them). */
export const TEXT_MATCHES_LISTED = 50;

export const SEARCH_HINT = 'Type in the search field (/) to find texts by words or by meaning. Escape clears the search.';

export interface SearchResultElements {
  summary: HTMLElement;
  textTitle: HTMLElement;
  text: HTMLElement;
  semanticTitle: HTMLElement;
  semantic: HTMLElement;
}

/** Fills the Search tab; returns the number of records highlighted (0 without a query). */
export function renderSearchResults(
  els: SearchResultElements,
  query: string,
  text: ArrayLike<number>,
  semantic: readonly { index: number; similarity: number }[],
  textOf: (index: number) => string,
  onPick: (index: number) => void,
): number {
  els.text.textContent = '';
  els.semantic.textContent = '';
  const q = query.trim();
  const nText = text.length;
  if (!q) els.summary.textContent = SEARCH_HINT;
  else if (nText === 0 && semantic.length === 0) els.summary.textContent = `Nothing matches “${q}”.`;
  else els.summary.textContent = `“${q}”: ${nText.toLocaleString('en-US')} text match${nText === 1 ? '' : 'es'}${nText > TEXT_MATCHES_LISTED ? ` (the first ${TEXT_MATCHES_LISTED} listed)` : ''}${semantic.length ? `, ${semantic.length} close in meaning` : ''}.`;
  els.textTitle.hidden = els.text.hidden = nText === 0;
  if (nText > 0) els.text.append(recordList(Array.from(text).slice(0, TEXT_MATCHES_LISTED).map((index) => ({ index })), textOf, onPick));
  els.semanticTitle.hidden = els.semantic.hidden = semantic.length === 0;
  if (semantic.length > 0) els.semantic.append(recordList(semantic.slice(0, 10), textOf, onPick));
  return q ? mergeMatches(text, semantic).length : 0;
}
