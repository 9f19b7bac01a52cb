/**
 * The table of the selected (or filtered) points under the map: one row per point with its id,
 * text, cluster, label, annotation status and fields; a click on a column header sorts by it
 * (again: the other way). Virtualised: only the rows in view (plus a few) are in the DOM, so
 * thousands of rows scroll smoothly. A click on a row, or Enter on the active row (Up/Down,
 * Page Up/Down, Home/End move it), opens the record. Text only through textContent.
 */
import type { MapPoints } from '../../src/protocol/map';
import { h } from '../common/dom';
import { cellText, sortRows, tableColumns, visibleWindow, type TableColumn, type TableSort } from './table-rows';

export const ROW_HEIGHT = 26;

export interface SelectionTableCallbacks {
  /** A row was clicked or activated with Enter. */
  onOpen(index: number): void;
  onSortChange(sort: TableSort | undefined): void;
}

export class SelectionTable {
  readonly element: HTMLElement;
  private readonly caption: HTMLElement;
  private readonly scroller: HTMLElement;
  private readonly header: HTMLElement;
  private readonly body: HTMLElement;
  private readonly empty: HTMLElement;
  private columns: TableColumn[] = [];
  /** Point indices in the given order, and as shown (sorted). */
  private given: Int32Array = new Int32Array(0);
  private rows: Int32Array = new Int32Array(0);
  private active = -1;
  private frame = 0;
  private template = '';
  private rowWidth = 0;

  constructor(private readonly callbacks: SelectionTableCallbacks, private sort: TableSort | undefined) {
    this.caption = h('span', { className: 'table-caption', attrs: { id: 'table-caption', 'aria-live': 'polite' } });
    this.header = h('div', { className: 'table-row table-header', attrs: { role: 'row' } });
    this.body = h('div', { className: 'table-body', attrs: { role: 'rowgroup' } });
    this.empty = h('p', { className: 'muted table-empty', text: 'Select points with Lasso (L) or Box (B), or filter them, to list them here.' });
    this.scroller = h('div', { className: 'table-scroll', attrs: { id: 'points-table', role: 'grid', tabindex: '0', 'aria-labelledby': 'table-caption' } }, this.header, this.body);
    this.element = h('section', { className: 'table-panel', attrs: { id: 'table-panel', 'aria-label': 'Table of points' } },
      h('div', { className: 'table-bar' }, this.caption, h('span', { className: 'hint', text: 'Click a column to sort · a row opens the record' })),
      this.empty, this.scroller);
    this.scroller.addEventListener('scroll', () => this.requestRender());
    this.scroller.addEventListener('keydown', (e) => this.onKey(e));
    new ResizeObserver(() => this.requestRender()).observe(this.scroller);
  }

  /** Point indices shown, in table order. */
  get shownRows(): Int32Array {
    return this.rows;
  }

  get currentSort(): TableSort | undefined {
    return this.sort ? { ...this.sort } : undefined;
  }

  /** New points or rows: rebuilds the header, re-sorts, keeps the scroll position when the rows are the same. */
  setData(points: MapPoints, rows: Int32Array, caption: string): void {
    const same = rows.length === this.given.length && rows.every((v, k) => v === this.given[k]);
    this.columns = tableColumns(points);
    if (this.sort && !this.columns.some((c) => c.key === this.sort?.key)) this.sort = undefined;
    this.given = rows;
    this.caption.textContent = caption;
    this.template = this.columns.map((c) => (c.key === 'text' ? `minmax(${c.width}px, 1fr)` : `${c.width}px`)).join(' ');
    this.rowWidth = this.columns.reduce((s, c) => s + c.width, 0);
    this.renderHeader();
    this.applySort();
    if (!same) {
      this.active = -1;
      this.scroller.scrollTop = 0;
    }
    this.empty.hidden = rows.length > 0;
    this.scroller.hidden = rows.length === 0;
    this.scroller.setAttribute('aria-rowcount', String(rows.length + 1));
    this.requestRender();
  }

  private applySort(): void {
    const col = this.sort && this.columns.find((c) => c.key === this.sort?.key);
    this.rows = col && this.sort ? sortRows(this.given, col, this.sort.dir) : this.given;
  }

  private renderHeader(): void {
    this.header.textContent = '';
    this.header.style.gridTemplateColumns = this.template;
    this.header.style.minWidth = `${this.rowWidth}px`;
    this.header.setAttribute('aria-rowindex', '1');
    for (const c of this.columns) {
      const sorted = this.sort?.key === c.key ? this.sort.dir : undefined;
      const b = h('button', {
        className: `table-sort${c.numeric ? ' numeric' : ''}`,
        attrs: { type: 'button', 'data-column': c.key, title: `Sort by ${c.title}` },
      }, h('span', { className: 'table-sort-title', text: c.title }), h('span', { className: 'table-sort-arrow', attrs: { 'aria-hidden': 'true' }, text: sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : '' }));
      b.addEventListener('click', () => this.sortBy(c.key));
      const cell = h('div', { className: 'table-cell table-head-cell', attrs: { role: 'columnheader', 'aria-sort': sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none' } }, b);
      this.header.append(cell);
    }
  }

  /** Sorts by a column: ascending first, then descending, then back to the given order. */
  sortBy(key: string): void {
    const s = this.sort;
    this.sort = s?.key !== key ? { key, dir: 'asc' } : s.dir === 'asc' ? { key, dir: 'desc' } : undefined;
    this.applySort();
    this.renderHeader();
    this.callbacks.onSortChange(this.currentSort);
    this.requestRender();
  }

  private requestRender(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  /** Draws the rows in view now (tests). */
  render(): void {
    const total = this.rows.length;
    this.body.style.height = `${total * ROW_HEIGHT}px`;
    this.body.style.minWidth = `${this.rowWidth}px`;
    const view = this.scroller.clientHeight - this.header.offsetHeight;
    const { first, count } = visibleWindow(Math.max(0, this.scroller.scrollTop), Math.max(view, ROW_HEIGHT), ROW_HEIGHT, total);
    this.body.textContent = '';
    for (let r = first; r < first + count; r++) {
      const i = this.rows[r];
      const row = h('div', {
        className: `table-row${r === this.active ? ' active' : ''}`,
        attrs: { role: 'row', 'data-index': String(i), 'data-row': String(r), 'aria-rowindex': String(r + 2), ...(r === this.active ? { 'aria-selected': 'true' } : {}) },
      });
      row.style.gridTemplateColumns = this.template;
      row.style.minWidth = `${this.rowWidth}px`;
      row.style.top = `${r * ROW_HEIGHT}px`;
      for (const c of this.columns) {
        const text = cellText(c.value(i));
        const cell = h('div', { className: `table-cell${c.numeric ? ' numeric' : ''}`, attrs: { role: 'gridcell', 'data-column': c.key }, text });
        if (text.length > 24) cell.title = text;
        row.append(cell);
      }
      row.addEventListener('click', () => this.activate(r, true));
      this.body.append(row);
    }
  }

  /** Makes row r (table order) the active one, scrolls it into view, and opens it when asked. */
  activate(r: number, open: boolean): void {
    if (r < 0 || r >= this.rows.length) return;
    this.active = r;
    const top = r * ROW_HEIGHT;
    const head = this.header.offsetHeight;
    const view = this.scroller.clientHeight - head;
    if (top < this.scroller.scrollTop) this.scroller.scrollTop = top;
    else if (top + ROW_HEIGHT > this.scroller.scrollTop + view) this.scroller.scrollTop = top + ROW_HEIGHT - view;
    this.render();
    if (open) this.callbacks.onOpen(this.rows[r]);
  }

  private onKey(e: KeyboardEvent): void {
    const page = Math.max(1, Math.floor((this.scroller.clientHeight - this.header.offsetHeight) / ROW_HEIGHT) - 1);
    const last = this.rows.length - 1;
    const at = this.active;
    let next: number;
    switch (e.key) {
      case 'ArrowDown': next = Math.min(last, at + 1); break;
      case 'ArrowUp': next = Math.max(0, at - 1); break;
      case 'PageDown': next = Math.min(last, at + page); break;
      case 'PageUp': next = Math.max(0, at - page); break;
      case 'Home': next = 0; break;
      case 'End': next = last; break;
      case 'Enter':
        if (at >= 0) this.activate(at, true);
        e.preventDefault();
        e.stopPropagation();
        return;
      default: return;
    }
    e.preventDefault();
    e.stopPropagation();
    this.activate(next, false);
  }
}
