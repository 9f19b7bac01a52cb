/**
 * The records' own fields (metadata such as source, date, author), as columns the map can
 * filter and colour by, with a bounded payload:
 * - a field with few distinct values (at most `maxCategories`, and at most half the records)
 *   is a category: one small integer per record and the value names;
 * - a field whose values are all numbers (or numeric strings, as a CSV gives them) is a number;
 * - anything else is text, shortened to `textChars` per record, while the text of all fields
 *   fits in `textBudget` characters; a field beyond the budget (or beyond `maxFields`) is
 *   left out and named in `omitted`, so the map can say so.
 * Missing values (absent, null, empty string) are -1 for categories, NaN for numbers, '' for text.
 * A field that only repeats the record's id or label (the import keeps those columns) is skipped:
 * the map has them already.
 */

export interface CategoryColumn {
  name: string;
  kind: 'category';
  /** Index into `names` per record, -1 = missing. */
  values: Int32Array;
  /** Sorted (numerically when every value is a number). */
  names: string[];
}

export interface NumberColumn {
  name: string;
  kind: 'number';
  /** NaN = missing. */
  values: Float64Array;
}

export interface TextColumn {
  name: string;
  kind: 'text';
  /** Shortened to the column budget ('' = missing). */
  values: string[];
}

export type FieldColumn = CategoryColumn | NumberColumn | TextColumn;

export interface FieldColumnOptions {
  maxCategories?: number;
  maxFields?: number;
  textChars?: number;
  textBudget?: number;
}

export interface FieldColumns {
  columns: FieldColumn[];
  /** Fields present in the records but not sent (too many fields, or text over the budget). */
  omitted: string[];
}

export const FIELD_COLUMN_DEFAULTS: Required<FieldColumnOptions> = {
  maxCategories: 40,
  maxFields: 24,
  textChars: 120,
  textBudget: 2_000_000,
};

const NUMERIC = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

function isMissing(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
}

/** The display string of a field value (objects and arrays as JSON). */
function asText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v) ?? '';
}

function asNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && NUMERIC.test(v.trim())) return Number(v.trim());
  return undefined;
}

function shorten(text: string, chars: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > chars ? flat.slice(0, chars - 1) + '…' : flat;
}

/** The part of a record the columns are made from. */
export interface FieldSource {
  id?: string;
  label?: string;
  fields: Record<string, unknown>;
}

/** Every record's value of the field is its id, or every one is its label. */
function repeatsIdOrLabel(name: string, records: readonly FieldSource[]): boolean {
  const same = (key: 'id' | 'label') => records.every((r) => r[key] !== undefined && !isMissing(r.fields[name]) && asText(r.fields[name]) === r[key]);
  return records.length > 0 && (same('id') || same('label'));
}

/** Field names in order of first appearance. */
function fieldNames(records: readonly FieldSource[]): string[] {
  const seen = new Set<string>();
  for (const r of records) for (const k of Object.keys(r.fields)) seen.add(k);
  return [...seen];
}

function columnOf(name: string, raw: readonly unknown[], o: Required<FieldColumnOptions>): FieldColumn {
  const n = raw.length;
  const distinct = new Map<string, number>();
  let present = 0;
  let numeric = true;
  for (const v of raw) {
    if (isMissing(v)) continue;
    present++;
    if (numeric && asNumber(v) === undefined) numeric = false;
    const key = asText(v);
    if (distinct.size <= o.maxCategories) distinct.set(key, (distinct.get(key) ?? 0) + 1);
  }
  if (present > 0 && distinct.size <= Math.min(o.maxCategories, Math.max(2, Math.floor(n / 2)))) {
    const names = [...distinct.keys()].sort(numeric ? (a, b) => Number(a) - Number(b) : (a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const index = new Map(names.map((s, i) => [s, i]));
    return { name, kind: 'category', names, values: Int32Array.from(raw, (v) => (isMissing(v) ? -1 : index.get(asText(v)) ?? -1)) };
  }
  if (numeric && present > 0) return { name, kind: 'number', values: Float64Array.from(raw, (v) => asNumber(v) ?? NaN) };
  return { name, kind: 'text', values: raw.map((v) => (isMissing(v) ? '' : shorten(asText(v), o.textChars))) };
}

/** The records' fields as map columns (see the module comment for the rules and bounds). */
export function fieldColumns(records: readonly FieldSource[], options: FieldColumnOptions = {}): FieldColumns {
  const o = { ...FIELD_COLUMN_DEFAULTS, ...options };
  const columns: FieldColumn[] = [];
  const omitted: string[] = [];
  let textChars = 0;
  for (const name of fieldNames(records)) {
    if (repeatsIdOrLabel(name, records)) continue;
    if (columns.length >= o.maxFields) {
      omitted.push(name);
      continue;
    }
    const column = columnOf(name, records.map((r) => r.fields[name]), o);
    if (column.kind === 'text') {
      const chars = column.values.reduce((s, t) => s + t.length, 0);
      if (textChars + chars > o.textBudget) {
        omitted.push(name);
        continue;
      }
      textChars += chars;
    }
    columns.push(column);
  }
  return { columns, omitted };
}
