/**
 * Map filters (pure): by cluster, label, annotation status and any field of the records.
 * Values are kept by name (labels, category values) so that a saved filter survives a refetch
 * that renumbers them. A point passes when it passes every active filter.
 */
import type { MapField, MapPoints } from '../../src/protocol/map';

export type AnnotationFilter = 'all' | 'annotated' | 'not-annotated';

export type FieldFilter =
  | { kind: 'category'; values: string[] }
  | { kind: 'number'; min: number | null; max: number | null }
  | { kind: 'text'; query: string };

export interface FilterState {
  /** Cluster ids (-1 = outliers); empty = all. */
  clusters: number[];
  /** Label names ('' = no label); empty = all. */
  labels: string[];
  annotation: AnnotationFilter;
  /** Per field name. */
  fields: Record<string, FieldFilter>;
  /** Filtered-out points are hidden (else dimmed). */
  hideOthers: boolean;
}

export const NO_LABEL = '';

export function emptyFilters(): FilterState {
  return { clusters: [], labels: [], annotation: 'all', fields: {}, hideOthers: false };
}

const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
const isNumberOrNull = (v: unknown): v is number | null => v === null || (typeof v === 'number' && Number.isFinite(v));

function fieldFilterFrom(v: unknown): FieldFilter | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const f = v as Record<string, unknown>;
  if (f.kind === 'category' && isStringList(f.values)) return { kind: 'category', values: f.values };
  if (f.kind === 'number' && isNumberOrNull(f.min ?? null) && isNumberOrNull(f.max ?? null)) return { kind: 'number', min: (f.min as number | null) ?? null, max: (f.max as number | null) ?? null };
  if (f.kind === 'text' && typeof f.query === 'string') return { kind: 'text', query: f.query };
  return undefined;
}

/** A filter state from saved UI state (anything malformed is dropped). */
export function filtersFrom(saved: unknown): FilterState {
  const out = emptyFilters();
  if (typeof saved !== 'object' || saved === null) return out;
  const s = saved as Record<string, unknown>;
  if (Array.isArray(s.clusters)) out.clusters = s.clusters.filter((x): x is number => Number.isInteger(x));
  if (isStringList(s.labels)) out.labels = s.labels;
  if (s.annotation === 'annotated' || s.annotation === 'not-annotated') out.annotation = s.annotation;
  if (typeof s.fields === 'object' && s.fields !== null) {
    for (const [name, v] of Object.entries(s.fields)) {
      const f = fieldFilterFrom(v);
      if (f) out.fields[name] = f;
    }
  }
  out.hideOthers = s.hideOthers === true;
  return out;
}

/** Does this field filter restrict anything? */
export function fieldFilterActive(f: FieldFilter | undefined): boolean {
  if (!f) return false;
  if (f.kind === 'category') return f.values.length > 0;
  if (f.kind === 'number') return f.min !== null || f.max !== null;
  return f.query.trim() !== '';
}

/** Number of active filters (clusters, labels, annotation status and each restricting field). */
export function activeFilterCount(f: FilterState): number {
  let n = (f.clusters.length ? 1 : 0) + (f.labels.length ? 1 : 0) + (f.annotation !== 'all' ? 1 : 0);
  for (const v of Object.values(f.fields)) if (fieldFilterActive(v)) n++;
  return n;
}

function fieldPasses(field: MapField, f: FieldFilter, i: number): boolean {
  if (field.kind === 'category' && f.kind === 'category') {
    const v = field.values[i];
    return f.values.includes(v < 0 ? NO_LABEL : field.names[v] ?? NO_LABEL);
  }
  if (field.kind === 'number' && f.kind === 'number') {
    const v = field.values[i];
    if (Number.isNaN(v)) return false;
    return (f.min === null || v >= f.min) && (f.max === null || v <= f.max);
  }
  if (field.kind === 'text' && f.kind === 'text') return field.values[i].toLowerCase().includes(f.query.trim().toLowerCase());
  // A saved filter of another kind than the field now has: ignored.
  return true;
}

/** 1 = the point passes every active filter; undefined when no filter is active. */
export function filterMask(points: MapPoints, f: FilterState): Uint8Array | undefined {
  if (activeFilterCount(f) === 0) return undefined;
  const n = points.coords.length >> 1;
  const clusters = f.clusters.length ? new Set(f.clusters) : undefined;
  const labels = f.labels.length ? new Set(f.labels) : undefined;
  const fields = (points.fields ?? []).flatMap((field) => {
    const ff = f.fields[field.name];
    return ff && fieldFilterActive(ff) ? [{ field, ff }] : [];
  });
  const m = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (clusters && !clusters.has(points.clusterLabels[i])) continue;
    if (labels) {
      const v = points.labels ? points.labels[i] : -1;
      if (!labels.has(v < 0 ? NO_LABEL : points.labelNames?.[v] ?? NO_LABEL)) continue;
    }
    if (f.annotation !== 'all') {
      const a = points.annotated?.[i] ? 1 : 0;
      if ((f.annotation === 'annotated') !== (a === 1)) continue;
    }
    if (!fields.every(({ field, ff }) => fieldPasses(field, ff, i))) continue;
    m[i] = 1;
  }
  return m;
}

/** The indices with a 1 in the mask (all indices when there is no mask). */
export function indicesOf(n: number, mask: Uint8Array | undefined): Int32Array {
  if (!mask) return Int32Array.from({ length: n }, (_, i) => i);
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (mask[i]) out.push(i);
  return Int32Array.from(out);
}

/** The indices that pass the mask (all when there is none). */
export function keepPassing(indices: Int32Array, mask: Uint8Array | undefined): Int32Array {
  return mask ? indices.filter((i) => mask[i] === 1) : indices;
}

/** Points per category value of a field (index = value; the last slot counts missing values). */
export function categoryCounts(values: Int32Array, names: readonly string[]): number[] {
  const counts = new Array<number>(names.length + 1).fill(0);
  for (const v of values) counts[v < 0 || v >= names.length ? names.length : v]++;
  return counts;
}
