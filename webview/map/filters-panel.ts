/**
 * The Filters tab of the map's side panel: clusters, labels, annotation status and one control
 * per field of the records (values to tick for categories, a range for numbers, "contains" for
 * text), the number of points that pass, "Hide filtered-out points" and "Clear filters".
 * The DOM is rebuilt when the points change, never while the user types. Text via textContent.
 */
import type { MapPoints } from '../../src/protocol/map';
import { h } from '../common/dom';
import { clusterDisplayName } from './cluster-name-labels';
import { numericRange } from './field-colours';
import { activeFilterCount, categoryCounts, emptyFilters, NO_LABEL, type AnnotationFilter, type FieldFilter, type FilterState } from './filters';

/** Category lists longer than this scroll inside their section. */
const LIST_ROWS = 8;

export class FiltersPanel {
  readonly element: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly sections: HTMLElement;
  private readonly clearButton: HTMLButtonElement;
  private readonly hideBox: HTMLInputElement;
  private textTimer: ReturnType<typeof setTimeout> | undefined;
  private points: MapPoints | undefined;

  constructor(private state: FilterState, private readonly onChange: (state: FilterState) => void) {
    this.summary = h('p', { className: 'filter-summary', attrs: { id: 'filter-summary', 'aria-live': 'polite' } });
    this.clearButton = h('button', { className: 'link', attrs: { type: 'button', id: 'clear-filters' }, text: 'Clear filters' });
    this.clearButton.addEventListener('click', () => this.clear());
    this.hideBox = h('input', { attrs: { type: 'checkbox', id: 'filter-hide' } });
    this.hideBox.addEventListener('change', () => this.update((s) => ({ ...s, hideOthers: this.hideBox.checked })));
    const hide = h('label', { className: 'filter-check' }, this.hideBox, h('span', { text: 'Hide filtered-out points (else dimmed)' }));
    this.sections = h('div', { className: 'filter-sections' });
    this.element = h('div', { className: 'filters', attrs: { id: 'filters' } }, h('div', { className: 'filter-head' }, this.summary, this.clearButton), hide, this.sections);
  }

  get current(): FilterState {
    return this.state;
  }

  /** "n of N points pass"; the badge count is the caller's. */
  setCounts(passing: number, total: number): void {
    const active = activeFilterCount(this.state);
    this.summary.textContent = active === 0
      ? `No filter: all ${total.toLocaleString('en-US')} points.`
      : `${passing.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} points pass ${active} filter${active === 1 ? '' : 's'}.`;
    this.summary.dataset.passing = String(passing);
    this.clearButton.hidden = active === 0;
  }

  private update(change: (s: FilterState) => FilterState): void {
    this.state = change(this.state);
    this.onChange(this.state);
  }

  private clear(): void {
    this.state = { ...emptyFilters(), hideOthers: this.state.hideOthers };
    if (this.points) this.render(this.points);
    this.onChange(this.state);
  }

  /** Rebuilds the controls for these points (after a load or Clear filters). */
  render(points: MapPoints): void {
    this.points = points;
    this.sections.textContent = '';
    this.sections.append(h('p', { className: 'muted filter-hint', text: 'Tick values to keep only those points (nothing ticked: no filter). Lasso, box and the table take only the points that pass.' }));
    this.hideBox.checked = this.state.hideOthers;
    const n = points.coords.length >> 1;

    // Clusters: by name (or keywords), with their sizes; outliers last.
    const clusterSizes = new Map<number, number>();
    for (let i = 0; i < n; i++) clusterSizes.set(points.clusterLabels[i], (clusterSizes.get(points.clusterLabels[i]) ?? 0) + 1);
    const clusterItems = [...points.clusters].sort((a, b) => (clusterSizes.get(b.id) ?? 0) - (clusterSizes.get(a.id) ?? 0) || a.id - b.id)
      .map((c) => ({ value: String(c.id), text: `#${c.id} ${clusterDisplayName(c)}`, count: clusterSizes.get(c.id) ?? 0 }));
    if (clusterSizes.get(-1)) clusterItems.push({ value: '-1', text: 'outliers', count: clusterSizes.get(-1) ?? 0 });
    this.sections.append(this.checkList('cluster', 'Cluster', clusterItems, this.state.clusters.map(String), (values) =>
      this.update((s) => ({ ...s, clusters: values.map(Number) }))));

    // Labels, with "no label".
    if (points.labels && points.labelNames) {
      const counts = categoryCounts(points.labels, points.labelNames);
      const items = points.labelNames.map((name, v) => ({ value: name, text: name, count: counts[v] })).filter((x) => x.count > 0);
      if (counts[points.labelNames.length]) items.push({ value: NO_LABEL, text: 'no label', count: counts[points.labelNames.length] });
      this.sections.append(this.checkList('label', 'Label', items, this.state.labels, (values) => this.update((s) => ({ ...s, labels: values }))));
    }

    // Annotation status.
    if (points.annotated) {
      const annotated = points.annotated.reduce((s, a) => s + (a ? 1 : 0), 0);
      const select = h('select', { className: 'select', attrs: { id: 'filter-annotation', 'aria-label': 'Annotation status' } },
        h('option', { attrs: { value: 'all' }, text: `All (${n.toLocaleString('en-US')})` }),
        h('option', { attrs: { value: 'annotated' }, text: `In an annotated pair (${annotated.toLocaleString('en-US')})` }),
        h('option', { attrs: { value: 'not-annotated' }, text: `Not annotated yet (${(n - annotated).toLocaleString('en-US')})` }));
      select.value = this.state.annotation;
      select.addEventListener('change', () => this.update((s) => ({ ...s, annotation: select.value as AnnotationFilter })));
      this.sections.append(this.section('annotation', 'Annotation status', select));
    }

    // One control per field of the records.
    (points.fields ?? []).forEach((f, k) => {
      const saved = this.state.fields[f.name];
      const setField = (ff: FieldFilter) => this.update((s) => ({ ...s, fields: { ...s.fields, [f.name]: ff } }));
      if (f.kind === 'category') {
        const counts = categoryCounts(f.values, f.names);
        const items = f.names.map((name, v) => ({ value: name, text: name, count: counts[v] }));
        if (counts[f.names.length]) items.push({ value: NO_LABEL, text: '(missing)', count: counts[f.names.length] });
        this.sections.append(this.checkList(`field-${k}`, f.name, items, saved?.kind === 'category' ? saved.values : [], (values) => setField({ kind: 'category', values }), f.name));
      } else if (f.kind === 'number') {
        const range = numericRange(f.values);
        const box = (which: 'min' | 'max') => {
          const input = h('input', { className: 'filter-number', attrs: { type: 'number', id: `filter-field-${k}-${which}`, 'aria-label': `${f.name} ${which === 'min' ? 'at least' : 'at most'}`, step: 'any' } });
          if (range) input.placeholder = (which === 'min' ? range.min : range.max).toLocaleString('en-US', { useGrouping: false, maximumSignificantDigits: 8 });
          const v = saved?.kind === 'number' ? saved[which] : null;
          if (v !== null) input.value = String(v);
          return input;
        };
        const min = box('min'), max = box('max');
        const read = (el: HTMLInputElement) => (el.value.trim() === '' || !Number.isFinite(el.valueAsNumber) ? null : el.valueAsNumber);
        const changed = () => setField({ kind: 'number', min: read(min), max: read(max) });
        for (const el of [min, max]) el.addEventListener('change', changed);
        this.sections.append(this.section(`field-${k}`, f.name, h('div', { className: 'filter-range' }, min, h('span', { className: 'muted', text: 'to' }), max), f.name));
      } else {
        const input = h('input', { className: 'filter-text', attrs: { type: 'search', id: `filter-field-${k}-text`, placeholder: 'contains…', 'aria-label': `${f.name} contains` } });
        if (saved?.kind === 'text') input.value = saved.query;
        input.addEventListener('input', () => {
          clearTimeout(this.textTimer);
          this.textTimer = setTimeout(() => setField({ kind: 'text', query: input.value }), 200);
        });
        input.addEventListener('keydown', (e) => e.stopPropagation());
        this.sections.append(this.section(`field-${k}`, f.name, input, f.name));
      }
    });
    if (points.omittedFields?.length) {
      this.sections.append(h('p', { className: 'muted', text: `Not filterable here (too much text for a map this size): ${points.omittedFields.join(', ')}.` }));
    }
  }

  private section(key: string, title: string, control: HTMLElement, field?: string): HTMLElement {
    const s = h('section', { className: 'filter-section', attrs: { 'data-filter': key, ...(field !== undefined ? { 'data-field': field } : {}) } }, h('h2', { text: title }), control);
    return s;
  }

  /** Checkboxes for the values of one filter; ticking none means all. */
  private checkList(key: string, title: string, items: { value: string; text: string; count: number }[], ticked: readonly string[], set: (values: string[]) => void, field?: string): HTMLElement {
    const on = new Set(ticked);
    const list = h('ul', { className: 'filter-list' });
    if (items.length > LIST_ROWS) list.classList.add('scrolling');
    for (const it of items) {
      const box = h('input', { attrs: { type: 'checkbox', 'data-value': it.value } });
      box.checked = on.has(it.value);
      box.addEventListener('change', () => {
        if (box.checked) on.add(it.value);
        else on.delete(it.value);
        set(items.map((x) => x.value).filter((v) => on.has(v)));
      });
      list.append(h('li', {}, h('label', { className: 'filter-check', attrs: { title: it.text } }, box, h('span', { className: 'filter-value', text: it.text }), h('span', { className: 'filter-count', text: it.count.toLocaleString('en-US') }))));
    }
    return this.section(key, title, list, field);
  }
}
