/**
 * The map's legend (DOM): one button per value of the current colouring (a cluster shows its
 * name above its keywords when it has one), a click highlights that value; for a numeric field,
 * the sequential scale between its smallest and largest value. Text only through textContent.
 */
import type { NumberField } from '../../src/protocol/map';
import { h } from '../common/dom';
import { cssColour, shapeOf } from './colours';
import { cssSequential, numericRange, type Scheme } from './field-colours';
import type { LegendEntry } from './map-state';
import { formatNumber } from './table-rows';

export interface LegendItemsOptions {
  /** Values highlighted now. */
  focus: ReadonlySet<number>;
  /** The colour slot of a value. */
  slotOf(value: number): number;
  /** A click on a value's button. */
  onToggle(value: number, button: HTMLElement): void;
}

/** Fills `list` with one button per entry. */
export function renderLegendItems(list: HTMLElement, entries: readonly LegendEntry[], o: LegendItemsOptions): void {
  for (const c of entries) {
    const button = h('button', { className: 'legend-item', attrs: { type: 'button', 'aria-pressed': String(o.focus.has(c.value)), 'data-cluster': String(c.value) } });
    const slot = o.slotOf(c.value);
    const swatch = h('span', { className: `swatch shape-${shapeOf(slot)}`, attrs: { 'data-slot': String(slot) } });
    swatch.style.background = cssColour(slot);
    button.append(swatch);
    if (c.tag) button.append(h('span', { className: 'legend-id', text: c.tag }));
    // A name (the user's or an LLM's) is untrusted text: set as textContent, never as HTML. The keywords stay visible.
    const text = h('span', { className: c.name ? 'legend-keywords legend-name-keywords' : 'legend-keywords', text: c.text });
    const name = c.name ? h('span', { className: 'legend-name', text: c.name, attrs: { 'data-source': c.nameSource ?? 'llm' } }) : undefined;
    button.append(name ? h('span', { className: 'legend-text' }, name, text) : text, h('span', { className: 'legend-size', text: c.size.toLocaleString('en-US') }));
    button.title = `Highlight ${c.tag ? `${c.tag} ` : ''}${c.name ? `${c.name}${c.nameSource === 'user' ? ' (your name)' : ' (LLM name)'}: ` : ''}${c.text} (${c.size})`;
    button.addEventListener('click', () => o.onToggle(c.value, button));
    list.append(h('li', {}, button));
  }
}

/** A numeric field's legend: the scale from its smallest to its largest value, and how many have none. */
export function renderNumericLegend(list: HTMLElement, field: NumberField, scheme: Scheme): void {
  const range = numericRange(field.values);
  const missing = field.values.reduce((s, v) => s + (Number.isNaN(v) ? 1 : 0), 0);
  const bar = h('span', { className: 'legend-scale', attrs: { 'aria-hidden': 'true' } });
  bar.style.background = `linear-gradient(to right, ${[0, 0.25, 0.5, 0.75, 1].map((t) => cssSequential(t, scheme)).join(', ')})`;
  list.append(h('li', { className: 'legend-numeric', attrs: { id: 'legend-scale', 'aria-label': range ? `${field.name} from ${formatNumber(range.min)} to ${formatNumber(range.max)}` : `${field.name}: no values` } }, bar,
    h('span', { className: 'legend-scale-ends' }, h('span', { text: range ? formatNumber(range.min) : '—' }), h('span', { text: range ? formatNumber(range.max) : '—' }))));
  if (missing) {
    const swatch = h('span', { className: 'swatch' });
    swatch.style.background = cssColour(-1);
    list.append(h('li', { className: 'legend-item legend-static' }, swatch, h('span', { className: 'legend-keywords', text: '(missing)' }), h('span', { className: 'legend-size', text: missing.toLocaleString('en-US') })));
  }
}
