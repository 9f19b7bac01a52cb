/** Pure helpers for the map: what colours by which mode, text matching, selection masks. */
import type { ColourMode, MapField, MapPoints } from '../../src/protocol/map';

/** The field of the records with this name, if the points have it. */
export function fieldNamed(points: MapPoints, name: string | undefined): MapField | undefined {
  return name === undefined ? undefined : points.fields?.find((f) => f.name === name);
}

/**
 * The category value per point for a colour mode (-1 = none). `key` names the run ('run') or
 * the field ('field'); a numeric or text field has no categories (all -1: see field-colours.ts).
 */
export function valuesFor(points: MapPoints, mode: ColourMode, key?: string): ArrayLike<number> {
  const n = points.coords.length >> 1;
  const runId = key;
  switch (mode) {
    case 'field': {
      const f = fieldNamed(points, key);
      return f?.kind === 'category' ? f.values : new Int32Array(n).fill(-1);
    }
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
    case 'coherence': {
      // The LLM-judged coherence (1–5) of each point's cluster; -1 for outliers and unjudged clusters.
      const byCluster = new Map(points.clusters.map((c) => [c.id, c.coherence ?? -1]));
      return Int32Array.from(points.clusterLabels, (c) => byCluster.get(c) ?? -1);
    }
    default:
      return points.clusterLabels;
  }
}

/** One row of the legend: a value of the current colouring, its name and how many points have it. */
export interface LegendEntry {
  value: number;
  /** Short tag, e.g. "#3" (empty for outliers/none). */
  tag: string;
  /** Keywords for clusters, the label name for labels. */
  text: string;
  size: number;
  /** A cluster's name (the user's or an LLM's): untrusted text, shown as text. */
  name?: string;
  nameSource?: 'llm' | 'user';
}

/** True when at least one cluster has an LLM-judged coherence (the map then offers to colour by it). */
export function hasCoherence(points: MapPoints): boolean {
  return points.clusters.some((c) => c.coherence !== undefined);
}

const COHERENCE_WORDS = ['', 'unrelated texts', 'loosely related', 'mixed', 'mostly one topic', 'one clear topic'];

function counts(values: ArrayLike<number>): Map<number, number> {
  const m = new Map<number, number>();
  for (let i = 0; i < values.length; i++) m.set(values[i], (m.get(values[i]) ?? 0) + 1);
  return m;
}

/** The legend of a colour mode: largest first, the "none"/outlier group last. */
export function legendEntries(points: MapPoints, mode: ColourMode, key?: string): LegendEntry[] {
  const runId = key;
  const values = valuesFor(points, mode, key);
  const sizes = counts(values);
  const entries: LegendEntry[] = [];
  const none = sizes.get(-1) ?? 0;
  if (mode === 'cluster') {
    for (const c of points.clusters) {
      const name = c.name?.trim();
      entries.push({ value: c.id, tag: `#${c.id}`, text: c.keywords.slice(0, 5).join(', '), size: sizes.get(c.id) ?? c.size, ...(name ? { name, ...(c.nameSource ? { nameSource: c.nameSource } : {}) } : {}) });
    }
  } else if (mode === 'coherence') {
    for (const [v, size] of sizes) if (v >= 1) entries.push({ value: v, tag: `${v}/5`, text: COHERENCE_WORDS[v] ?? '', size });
    // Best first, whatever the sizes.
    entries.sort((a, b) => b.value - a.value);
    if (none > 0) entries.push({ value: -1, tag: '', text: 'not judged (or outliers)', size: none });
    return entries;
  } else if (mode === 'field') {
    const f = fieldNamed(points, key);
    if (f?.kind === 'category') for (const [v, size] of sizes) if (v >= 0) entries.push({ value: v, tag: '', text: f.names[v] ?? String(v), size });
  } else if (mode === 'label') {
    for (const [v, size] of sizes) if (v >= 0) entries.push({ value: v, tag: '', text: points.labelNames?.[v] ?? String(v), size });
  } else if (mode === 'annotation') {
    if (sizes.get(2)) entries.push({ value: 2, tag: '', text: 'in an annotated pair', size: sizes.get(2)! });
  } else {
    const run = points.runs?.find((r) => r.id === runId) ?? points.runs?.[0];
    for (const [v, size] of sizes) if (v >= 0) entries.push({ value: v, tag: `#${v}`, text: run?.names?.[v]?.replace(/^#\d+\s*/, '') ?? '', size });
  }
  entries.sort((a, b) => b.size - a.size || a.value - b.value);
  if (none > 0) {
    const text = mode === 'annotation' ? 'not annotated yet' : mode === 'label' ? 'no label' : mode === 'field' ? '(missing)' : 'outliers';
    entries.push({ value: -1, tag: '', text, size: none });
  }
  return entries;
}

/** Text matches first, then semantic matches not already in them (no duplicates). */
export function mergeMatches(text: ArrayLike<number>, semantic: readonly { index: number }[] = []): Int32Array {
  const seen = new Set<number>();
  const out: number[] = [];
  const add = (index: number) => {
    if (seen.has(index)) return;
    seen.add(index);
    out.push(index);
  };
  for (let k = 0; k < text.length; k++) add(text[k]);
  for (const s of semantic) add(s.index);
  return Int32Array.from(out);
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

/** Mask of points whose value (cluster, label…) is in `clusters` (undefined when the set is empty: no filter). */
export function clusterMask(labels: ArrayLike<number>, clusters: ReadonlySet<number>): Uint8Array | undefined {
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
