/**
 * The columns and row order of the map's table of points (pure): id, text, cluster, label,
 * annotation status and one column per field of the records. Sorting is stable, numeric where
 * the column is, natural for text ("item 2" before "item 10"), missing values last either way.
 */
import type { MapPoints } from '../../src/protocol/map';
import { clusterDisplayName } from './cluster-name-labels';

export type CellValue = string | number | undefined;

export interface TableColumn {
  key: string;
  title: string;
  numeric: boolean;
  /** Initial width in CSS px (the text column takes the room left). */
  width: number;
  value(i: number): CellValue;
}

export type SortDirection = 'asc' | 'desc';

export interface TableSort {
  key: string;
  dir: SortDirection;
}

/** The table's columns for these points. */
export function tableColumns(points: MapPoints): TableColumn[] {
  const clusterNames = new Map(points.clusters.map((c) => [c.id, `#${c.id} ${clusterDisplayName(c)}`]));
  const cols: TableColumn[] = [
    { key: 'id', title: 'Id', numeric: false, width: 110, value: (i) => points.ids[i] },
    { key: 'text', title: 'Text', numeric: false, width: 360, value: (i) => points.texts[i] },
    {
      key: 'cluster', title: 'Cluster', numeric: false, width: 180,
      value: (i) => (points.clusterLabels[i] < 0 ? 'outlier' : clusterNames.get(points.clusterLabels[i]) ?? `#${points.clusterLabels[i]}`),
    },
  ];
  if (points.labels) {
    const labels = points.labels;
    cols.push({ key: 'label', title: 'Label', numeric: false, width: 120, value: (i) => (labels[i] < 0 ? undefined : points.labelNames?.[labels[i]] ?? String(labels[i])) });
  }
  if (points.annotated) {
    const annotated = points.annotated;
    cols.push({ key: 'annotated', title: 'Annotated', numeric: false, width: 90, value: (i) => (annotated[i] ? 'yes' : 'no') });
  }
  for (const f of points.fields ?? []) {
    const key = `field:${f.name}`;
    if (f.kind === 'category') cols.push({ key, title: f.name, numeric: false, width: 130, value: (i) => (f.values[i] < 0 ? undefined : f.names[f.values[i]]) });
    else if (f.kind === 'number') cols.push({ key, title: f.name, numeric: true, width: 100, value: (i) => (Number.isNaN(f.values[i]) ? undefined : f.values[i]) });
    else cols.push({ key, title: f.name, numeric: false, width: 200, value: (i) => f.values[i] || undefined });
  }
  return cols;
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** The rows in the column's order (a stable sort: equal values keep the given order). */
export function sortRows(rows: ArrayLike<number>, column: TableColumn, dir: SortDirection): Int32Array {
  const keyed = Array.from(rows, (i, at) => ({ i, at, v: column.value(i) }));
  const sign = dir === 'asc' ? 1 : -1;
  keyed.sort((a, b) => {
    if (a.v === undefined || b.v === undefined) return a.v === b.v ? a.at - b.at : a.v === undefined ? 1 : -1;
    const c = typeof a.v === 'number' && typeof b.v === 'number' ? a.v - b.v : collator.compare(String(a.v), String(b.v));
    return c !== 0 ? sign * c : a.at - b.at;
  });
  return Int32Array.from(keyed, (k) => k.i);
}

/** A number as people read it: up to 6 significant digits, thousands separators from 10,000 on (not in years like 2024). */
export function formatNumber(v: number): string {
  return v.toLocaleString('en-US', { maximumSignificantDigits: Number.isInteger(v) ? 21 : 6, useGrouping: Math.abs(v) >= 10_000 });
}

/** A cell as text ('' for missing; numbers readable). */
export function cellText(v: CellValue): string {
  if (v === undefined) return '';
  if (typeof v === 'number') return formatNumber(v);
  return v.replace(/\s+/g, ' ');
}

/** The first visible row and how many to draw for a scroll position (with `overscan` rows each side). */
export function visibleWindow(scrollTop: number, viewHeight: number, rowHeight: number, total: number, overscan = 6): { first: number; count: number } {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(total, Math.ceil((scrollTop + viewHeight) / rowHeight) + overscan);
  return { first, count: Math.max(0, last - first) };
}
