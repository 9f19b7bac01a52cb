/**
 * Splits a field's text into plain and shared-word segments from the host's flat
 * [start, end, …] offsets (pure). Spans out of range, out of order or overlapping are dropped,
 * so a bad span can never cut or repeat text: the segments always join back to the value.
 */
export interface Segment {
  text: string;
  shared: boolean;
}

export function sharedSegments(value: string, flat: readonly number[] | undefined): Segment[] {
  const out: Segment[] = [];
  let at = 0;
  for (let k = 0; flat && k + 1 < flat.length; k += 2) {
    const start = flat[k];
    const end = flat[k + 1];
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < at || end <= start || end > value.length) continue;
    if (start > at) out.push({ text: value.slice(at, start), shared: false });
    out.push({ text: value.slice(start, end), shared: true });
    at = end;
  }
  if (at < value.length || out.length === 0) out.push({ text: value.slice(at), shared: false });
  return out;
}
