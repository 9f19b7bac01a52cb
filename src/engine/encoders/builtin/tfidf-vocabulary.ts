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
    shares.map((s) => s.counts.words),
    shares.map((s) => s.counts.wordDf),
  );
  const chars = mergeKind(
    first?.chars,
    shares.map((s) => s.counts.chars),
    shares.map((s) => s.counts.charDf),
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
 * frequent first (ties by term, in UTF-16 code unit order), at most `max`.
 */
export function topTerms(terms: readonly string[], df: Int32Array, keep: (df: number) => boolean, max: number): Int32Array {
  const candidates: number[] = [];
  for (let id = 0; id < terms.length; id++) if (keep(df[id])) candidates.push(id);
  candidates.sort((a, b) => df[b] - df[a] || (terms[a] < terms[b] ? -1 : terms[a] > terms[b] ? 1 : 0));
  return Int32Array.from(candidates.slice(0, max));
}
