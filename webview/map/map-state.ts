/** Pure helpers for the map: what colours by which mode, text matching, selection masks. */
import type { ColourMode, MapPoints } from '../../src/protocol/map';

/** The category value per point for a colour mode (-1 = none). */
export function valuesFor(points: MapPoints, mode: ColourMode, runId?: string): ArrayLike<number> {
  const n = points.coords.length >> 1;
  switch (mode) {
    case 'label':
      return points.labels ?? new Int32Array(n).fill(-1);
    case 'annotation': {
      const v = new Int32Array(n).fill(-1);
      if (points.annotated) for (let i = 0; i < n; i++) v[i] = points.annotated[i] ? 2 : -1;
      return v;
    }
    case 'run': {
      const run = points.runs?.find((r) => r.id === runId) ?? points.runs?.[0];
      return run?.values ?? points.clusterLabels;
    }
    default:
      return points.clusterLabels;
  }
}

/** A 0/1 mask of length n from indices. */
export function maskOf(n: number, indices: ArrayLike<number>): Uint8Array {
  const m = new Uint8Array(n);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    if (i >= 0 && i < n) m[i] = 1;
  }
  return m;
}

/** Mask of points whose cluster is in `clusters` (undefined when the set is empty: no filter). */
export function clusterMask(labels: Int32Array, clusters: ReadonlySet<number>): Uint8Array | undefined {
  if (clusters.size === 0) return undefined;
  const m = new Uint8Array(labels.length);
  for (let i = 0; i < labels.length; i++) m[i] = clusters.has(labels[i]) ? 1 : 0;
  return m;
}

/** Logical AND of optional masks (undefined = all on). */
export function andMasks(a: Uint8Array | undefined, b: Uint8Array | undefined): Uint8Array | undefined {
  if (!a) return b;
  if (!b) return a;
  const m = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) m[i] = a[i] & b[i];
  return m;
}

/** Case-insensitive substring search over texts (fallback when the host has no search). */
export function matchTexts(texts: readonly string[], query: string): Int32Array {
  const q = query.trim().toLowerCase();
  if (!q) return new Int32Array(0);
  const out: number[] = [];
  for (let i = 0; i < texts.length; i++) if (texts[i].toLowerCase().includes(q)) out.push(i);
  return Int32Array.from(out);
}
