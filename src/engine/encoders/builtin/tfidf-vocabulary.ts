/**
 * The TF-IDF vocabulary of a corpus counted in shares (term-count-threads.ts): the shares' terms
 * merged into one table per kind, in share order (so a term's id is the order of its first
 * occurrence in the corpus, as with one share), their document frequencies summed, and the terms
 * kept as columns chosen and ordered.
 */
import type { CountedShare } from './term-count-threads';
import type { PackedTerms } from './term-counter';
import { TermTable } from './term-table';

/** The merged vocabulary: each kind's table and document frequencies, and each share's ids in it. */
export interface Vocabulary {
  words: TermTable;
  chars: TermTable;
  wordDf: Int32Array;
  charDf: Int32Array;
  /** Per share, its word ids → merged ids (undefined: the same ids, for the share whose table was adopted). */
  wordIds: (Int32Array | undefined)[];
  charIds: (Int32Array | undefined)[];
}

/** Merges the shares' vocabularies; the first share's counter tables are adopted when given. */
export function mergeVocabularies(shares: readonly CountedShare[]): Vocabulary {
  const first = shares[0]?.counter;
  const words = mergeKind(
    first?.words,
    shares.map((s) => s.vocabulary.words),
    shares.map((s) => s.vocabulary.wordDf),
  );
  const chars = mergeKind(
    first?.chars,
    shares.map((s) => s.vocabulary.chars),
    shares.map((s) => s.vocabulary.charDf),
  );
  return { words: words.table, chars: chars.table, wordDf: words.df, charDf: chars.df, wordIds: words.ids, charIds: chars.ids };
}

function mergeKind(
  adopted: TermTable | undefined,
  packed: readonly PackedTerms[],
  dfs: readonly Int32Array[],
): { table: TermTable; df: Int32Array; ids: (Int32Array | undefined)[] } {
  let bound = 0;
  for (const d of dfs) bound += d.length;
  const table = adopted ?? new TermTable(bound);
  const df = new Int32Array(bound);
  const ids = packed.map((terms, s) => {
    if (s === 0 && adopted) {
      df.set(dfs[0]);
      return undefined;
    }
    const map = new Int32Array(terms.ends.length);
    for (let i = 0; i < map.length; i++) {
      const id = table.intern(terms.text, i > 0 ? terms.ends[i - 1] : 0, terms.ends[i]);
      df[id] += dfs[s][i];
      map[i] = id;
    }
    return map;
  });
  return { table, df: df.subarray(0, table.size), ids };
}

/**
 * The ids of the terms kept as columns: those whose document frequency passes `keep`, the most
 * frequent first (ties by term, in UTF-16 code unit order), at most `max`. Only the kept terms are
 * sorted: the terms are grouped by document frequency, and of the group where the cap falls only
 * the first terms needed are picked out (most of a corpus' terms occur once, and that group is
 * where the cap usually falls).
 */
export function topTerms(terms: readonly string[], df: Int32Array, keep: (df: number) => boolean, max: number): Int32Array {
  let highest = 0;
  for (let id = 0; id < terms.length; id++) if (df[id] > highest && keep(df[id])) highest = df[id];
  const groupSize = new Int32Array(highest + 1);
  for (let id = 0; id < terms.length; id++) if (keep(df[id])) groupSize[df[id]]++;
  // The groups from `cut` up are kept, the `cut` group only in part when the cap falls in it.
  let cut = 0;
  let above = 0;
  for (let d = highest; d > 0; d--) {
    if (above + groupSize[d] >= max) {
      cut = d;
      break;
    }
    above += groupSize[d];
  }
  const groups: number[][] = [];
  for (let d = highest; d >= Math.max(cut, 1); d--) groups[d] = [];
  for (let id = 0; id < terms.length; id++) {
    const d = df[id];
    if (d >= cut && d > 0 && keep(d)) groups[d].push(id);
  }
  const before = (a: number, b: number): boolean => terms[a] < terms[b];
  const out = new Int32Array(Math.min(max, above + (cut > 0 ? groupSize[cut] : 0)));
  let o = 0;
  for (let d = highest; d >= Math.max(cut, 1); d--) {
    const group = groups[d];
    const take = Math.min(group.length, out.length - o);
    if (take < group.length) selectFirst(group, take, before);
    const first = take < group.length ? group.slice(0, take) : group;
    first.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
    out.set(first, o);
    o += take;
  }
  return out;
}

/**
 * Reorders `items` so that its first `k` are the k first in the order `before` (a strict total
 * order), in any order: quickselect with a median-of-three pivot, falling back to a full sort when
 * the pivots keep splitting badly.
 */
export function selectFirst<T>(items: T[], k: number, before: (a: T, b: T) => boolean): void {
  let lo = 0;
  let hi = items.length - 1;
  let budget = 2 * Math.ceil(Math.log2(items.length + 1)) + 8;
  const swap = (i: number, j: number): void => {
    const t = items[i];
    items[i] = items[j];
    items[j] = t;
  };
  while (hi > lo && k > lo && k <= hi) {
    if (budget-- === 0) {
      const rest = items.slice(lo, hi + 1).sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
      for (let i = 0; i < rest.length; i++) items[lo + i] = rest[i];
      return;
    }
    // Median of three to items[hi], then a Lomuto partition around it.
    const mid = (lo + hi) >>> 1;
    if (before(items[mid], items[lo])) swap(mid, lo);
    if (before(items[hi], items[lo])) swap(hi, lo);
    if (before(items[mid], items[hi])) swap(mid, hi);
    const pivot = items[hi];
    let store = lo;
    for (let i = lo; i < hi; i++) if (before(items[i], pivot)) swap(i, store++);
    swap(store, hi);
    // items[lo, store) come before the pivot, items(store, hi] after it.
    if (store === k || store + 1 === k) return;
    if (store > k) hi = store - 1;
    else lo = store + 1;
  }
}
