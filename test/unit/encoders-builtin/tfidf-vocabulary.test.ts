// The TF-IDF columns: the most frequent terms first, ties by term, capped; picked without sorting
// every term (tfidf-vocabulary.ts), they must be those of a full sort for any cap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selectFirst, topTerms } from '../../../src/engine/encoders/builtin/tfidf-vocabulary';
import { createRng } from '../../../src/engine/util/random';

function fullSort(terms: string[], df: Int32Array, keep: (d: number) => boolean, max: number): number[] {
  const ids = terms.map((_, id) => id).filter((id) => keep(df[id]));
  ids.sort((a, b) => df[b] - df[a] || (terms[a] < terms[b] ? -1 : terms[a] > terms[b] ? 1 : 0));
  return ids.slice(0, max);
}

test('topTerms equals a full sort by (document frequency desc, term) for every cap', () => {
  const rng = createRng(11);
  const seen = new Set<string>();
  const terms: string[] = [];
  while (terms.length < 3000) {
    let t = '';
    const length = 1 + Math.floor(rng() * 6);
    for (let i = 0; i < length; i++) t += 'abcdeé東 '[Math.floor(rng() * 9)];
    if (seen.has(t)) continue;
    seen.add(t);
    terms.push(t);
  }
  // Mostly 1s, as in a corpus, and a long tail.
  const df = Int32Array.from(terms, () => Math.max(1, Math.floor(1 / (rng() + 0.02)) - 1));
  const keep = (d: number) => d >= 1 && d <= 30;
  for (const max of [0, 1, 7, 100, 500, 1500, 2500, 2999, 3000, 10_000])
    assert.deepEqual([...topTerms(terms, df, keep, max)], fullSort(terms, df, keep, max), `cap ${max}`);
  assert.deepEqual([...topTerms(terms, df, (d) => d >= 2, 400)], fullSort(terms, df, (d) => d >= 2, 400), 'minDf 2');
});

test('selectFirst puts the k first items first, for any k, on sorted, reversed and repeated-pattern input', () => {
  const rng = createRng(5);
  const inputs = [
    Array.from({ length: 1000 }, () => rng()),
    Array.from({ length: 1000 }, (_, i) => i),
    Array.from({ length: 1000 }, (_, i) => -i),
    Array.from({ length: 1000 }, (_, i) => (i % 2 ? i : 1000 - i)),
  ];
  for (const input of inputs)
    for (const k of [0, 1, 2, 10, 499, 500, 998, 999]) {
      const items = input.slice();
      selectFirst(items, k, (a, b) => a < b);
      const sorted = input.slice().sort((a, b) => a - b);
      assert.deepEqual(items.slice(0, k).sort((a, b) => a - b), sorted.slice(0, k), `k = ${k}`);
    }
});
