/**
 * Near-duplicate removal: word-shingle sets compared by Jaccard similarity. Candidates
 * come from MinHash signatures banded for locality-sensitive hashing (32 bands × 4 rows,
 * so pairs with Jaccard ≥ 0.7 are found with probability > 0.999); each candidate is then
 * checked with the exact Jaccard of the shingle sets. Records are visited in order and a
 * record is dropped when it is near an earlier kept one, so the result is deterministic.
 */
import { checkpoint } from '../../util/job';
import { createRng } from '../../util/random';
import { numberOption, type CleaningRule } from './rule';

const BANDS = 32;
const ROWS = 4;
const PERMS = BANDS * ROWS;

/** Sorted distinct 32-bit hashes of the word k-shingles of a text. */
export function shingleSet(text: string, k: number): Uint32Array {
  const words = text.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const hashes = new Set<number>();
  if (words.length < k) {
    if (words.length) hashes.add(fnv1a(words.join(' ')));
  } else for (let i = 0; i + k <= words.length; i++) hashes.add(fnv1a(words.slice(i, i + k).join(' ')));
  return Uint32Array.from(hashes).sort();
}

/** Exact Jaccard similarity of two sorted hash sets. */
export function jaccard(a: Uint32Array, b: Uint32Array): number {
  if (a.length === 0 && b.length === 0) return 1;
  let i = 0;
  let j = 0;
  let inter = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      inter++;
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  return inter / (a.length + b.length - inter);
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

function minhash(set: Uint32Array, salts: Uint32Array): Uint32Array {
  const sig = new Uint32Array(PERMS).fill(0xffffffff);
  for (let s = 0; s < set.length; s++) {
    const v = set[s];
    for (let p = 0; p < PERMS; p++) {
      const h = mix32(v ^ salts[p]);
      if (h < sig[p]) sig[p] = h;
    }
  }
  return sig;
}

export const dedupeNearRule: CleaningRule = {
  id: 'dedupe-near',
  description:
    'Removes texts that nearly repeat an earlier one: the Jaccard similarity of their word 3-gram sets is at least the threshold (default 0.8). The first is kept. Off by default: texts that share a long quote are not always duplicates; preview first.',
  defaultOn: false,
  options: [
    { name: 'threshold', type: 'number', description: 'Jaccard similarity from which two texts count as duplicates', default: 0.8 },
    { name: 'shingle', type: 'number', description: 'words per shingle', default: 3 },
    { name: 'seed', type: 'number', description: 'seed of the MinHash functions', default: 42 },
  ],
  create(options, where) {
    const threshold = numberOption(options, 'threshold', 0.8, where, 0.3, 1);
    const k = numberOption(options, 'shingle', 3, where, 1, 10);
    const seed = numberOption(options, 'seed', 42, where);
    return {
      kind: 'dedupe',
      duplicates: async (texts, signal) => {
        const rng = createRng(seed);
        const salts = Uint32Array.from({ length: PERMS }, () => Math.floor(rng() * 0x100000000));
        const buckets = new Map<string, number[]>();
        const kept = new Map<number, Uint32Array>();
        const dup = new Map<number, number>();
        for (let i = 0; i < texts.length; i++) {
          const set = shingleSet(texts[i], k);
          const sig = minhash(set, salts);
          const keys: string[] = [];
          for (let b = 0; b < BANDS; b++) {
            const o = b * ROWS;
            keys.push(`${b}:${sig[o]}:${sig[o + 1]}:${sig[o + 2]}:${sig[o + 3]}`);
          }
          let match = -1;
          const tried = new Set<number>();
          for (const key of keys) {
            for (const j of buckets.get(key) ?? []) {
              if (tried.has(j)) continue;
              tried.add(j);
              if (jaccard(set, kept.get(j)!) >= threshold && (match < 0 || j < match)) match = j;
            }
          }
          if (match >= 0) dup.set(i, match);
          else {
            kept.set(i, set);
            for (const key of keys) {
              const list = buckets.get(key);
              if (list) list.push(i);
              else buckets.set(key, [i]);
            }
          }
          if (i % 2000 === 1999) await checkpoint(signal);
        }
        return dup;
      },
    };
  },
};
