import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suggestPairs, type SuggestPairsOptions } from '../../../src/engine/annotate/suggest-pairs';
import { createMatrix, normalizeRows, type Matrix } from '../../../src/engine/util/matrix';
import { createRng, gaussian } from '../../../src/engine/util/random';
import { pairKey } from '../../../src/engine/project/annotations';

/** 300 points in 6 tight-ish clusters in 16-d, normalised: like topic embeddings. */
function clustered(n = 300, k = 6, dim = 16, seed = 7): { m: Matrix; labels: Int32Array; ids: string[] } {
  const rng = createRng(seed);
  const centres = Array.from({ length: k }, () => Array.from({ length: dim }, () => gaussian(rng)));
  const m = createMatrix(n, dim);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % k;
    labels[i] = c;
    for (let d = 0; d < dim; d++) m.data[i * dim + d] = centres[c][d] + 0.6 * gaussian(rng);
  }
  return { m: normalizeRows(m), labels, ids: Array.from({ length: n }, (_, i) => `r${i}`) };
}
const cos = (m: Matrix, i: number, j: number) => {
  let s = 0;
  for (let d = 0; d < m.cols; d++) s += m.data[i * m.cols + d] * m.data[j * m.cols + d];
  return s;
};
/** Similarities of all n(n−1)/2 pairs, for reference. */
function allSims(m: Matrix): number[] {
  const out: number[] = [];
  for (let i = 0; i < m.rows; i++) for (let j = i + 1; j < m.rows; j++) out.push(cos(m, i, j));
  return out.sort((a, b) => a - b);
}

const data = clustered();
const base = (over: Partial<SuggestPairsOptions>): SuggestPairsOptions => ({ embeddings: data.m, ids: data.ids, strategy: 'random', count: 40, seed: 1, ...over });

test('stratified pairs span the similarity range; random pairs do not', async () => {
  const sims = allSims(data.m);
  const lo = sims[0];
  const hi = sims[sims.length - 1];
  const bins = (xs: number[]) => new Set(xs.map((s) => Math.min(9, Math.floor(((s - lo) / (hi - lo)) * 10)))).size;
  const strat = (await suggestPairs(base({ strategy: 'stratified' }))).map((p) => p.similarity);
  const random = (await suggestPairs(base({ strategy: 'random' }))).map((p) => p.similarity);
  assert.equal(strat.length, 40);
  // the reference: how the similarity of all pairs is spread over ten equal bins
  assert.ok(bins(strat) >= 8, `stratified covers ${bins(strat)} of 10 bins`);
  assert.ok(bins(strat) > bins(random), `stratified ${bins(strat)} vs random ${bins(random)} bins`);
  assert.ok(Math.max(...strat) > sims[Math.floor(sims.length * 0.995)], 'reaches the top 0.5 % of all pairs');
  assert.ok(Math.min(...strat) < sims[Math.floor(sims.length * 0.05)], 'reaches the bottom 5 % of all pairs');
  // 5/6 of random pairs cross clusters: most of them sit in the low half
  const mid = (lo + hi) / 2;
  assert.ok(strat.filter((s) => s > mid).length >= 12);
});

test('nearest pairs are each anchor\'s true nearest neighbour', async () => {
  const pairs = await suggestPairs(base({ strategy: 'nearest', count: 15 }));
  assert.equal(pairs.length, 15);
  for (const p of pairs) {
    assert.ok(Math.abs(p.similarity - cos(data.m, p.i, p.j)) < 1e-5);
    const bestOfI = Math.max(...data.ids.map((_, k) => (k === p.i ? -2 : cos(data.m, p.i, k))));
    const bestOfJ = Math.max(...data.ids.map((_, k) => (k === p.j ? -2 : cos(data.m, p.j, k))));
    // the anchor was i or j: the pair is that record's nearest neighbour
    assert.ok(Math.abs(p.similarity - bestOfI) < 1e-5 || Math.abs(p.similarity - bestOfJ) < 1e-5);
  }
});

test('annotated pairs are never suggested, in either order; same seed gives the same pairs', async () => {
  const first = await suggestPairs(base({ strategy: 'nearest', count: 30 }));
  const exclude = new Set(first.map((p) => pairKey(p.id2, p.id1)));
  for (const strategy of ['nearest', 'random', 'stratified', 'uncertain'] as const) {
    const next = await suggestPairs(base({ strategy, count: 30, exclude }));
    assert.equal(next.length, 30, strategy);
    for (const p of next) assert.ok(!exclude.has(pairKey(p.id1, p.id2)), `${strategy} suggested an annotated pair`);
    const keys = new Set(next.map((p) => pairKey(p.id1, p.id2)));
    assert.equal(keys.size, next.length, `${strategy} repeats a pair`);
    assert.deepEqual(await suggestPairs(base({ strategy, count: 30, exclude })), next, `${strategy} is not deterministic`);
  }
  const other = await suggestPairs(base({ strategy: 'random', seed: 2 }));
  assert.notDeepEqual(other, await suggestPairs(base({ strategy: 'random', seed: 1 })));
});

test('uncertain: mid-range similarity alone; the largest disagreement with a second set', async () => {
  const sims = allSims(data.m);
  const mid = await suggestPairs(base({ strategy: 'uncertain', count: 20 }));
  const lo = sims[Math.floor(sims.length * 0.1)];
  const hi = sims[Math.floor(sims.length * 0.999)];
  for (const p of mid) assert.ok(p.similarity > lo && p.similarity < hi, `${p.similarity} not mid-range`);
  // a second set where cluster 0 and cluster 1 are merged: their cross pairs disagree most
  const second = createMatrix(data.m.rows, data.m.cols, Float32Array.from(data.m.data));
  for (let i = 0; i < second.rows; i++)
    if (data.labels[i] === 1) second.data.set(data.m.data.subarray((i - 1) * data.m.cols, i * data.m.cols), i * data.m.cols);
  const dis = await suggestPairs(base({ strategy: 'uncertain', count: 10, second }));
  assert.equal(dis.length, 10);
  // in turn: the pairs the two sets disagree on most, and the pairs the second set is least sure of
  const disagrees = (p: (typeof dis)[number]) => [data.labels[p.i], data.labels[p.j]].sort().join() === '0,1' && p.similarity2! - p.similarity > 0.3;
  assert.ok(disagrees(dis[0]), `the first pair is a disagreement: ${dis[0].i},${dis[0].j}`);
  assert.ok(dis.filter(disagrees).length >= 5, `${dis.filter(disagrees).length} of 10 are disagreements`);
  const sims2 = allSims(second);
  const lo2 = sims2[Math.floor(sims2.length * 0.1)];
  const hi2 = sims2[Math.floor(sims2.length * 0.999)];
  for (const p of dis.filter((q) => !disagrees(q))) assert.ok(p.similarity2! > lo2 && p.similarity2! < hi2, `${p.similarity2} is mid-range in the second set`);
  assert.ok(dis.some((p) => !disagrees(p)), 'some pairs are where the second set is unsure');
});

test('cluster-border: the closest pairs across two clusters', async () => {
  const pairs = await suggestPairs(base({ strategy: 'cluster-border', count: 10, clusters: data.labels }));
  assert.equal(pairs.length, 10);
  for (const p of pairs) assert.notEqual(data.labels[p.i], data.labels[p.j]);
  // they are far closer than typical cross-cluster pairs
  const cross: number[] = [];
  for (let i = 0; i < data.m.rows; i++) for (let j = i + 1; j < data.m.rows; j++) if (data.labels[i] !== data.labels[j]) cross.push(cos(data.m, i, j));
  cross.sort((a, b) => a - b);
  for (const p of pairs) assert.ok(p.similarity > cross[Math.floor(cross.length * 0.95)]);
  await assert.rejects(suggestPairs(base({ strategy: 'cluster-border' })), /field "clusters"/);
});

test('candidates: every strategy draws both records of each pair from the subset (a map selection)', async () => {
  // 40 records of clusters 0 and 1 (rows i % 6 ∈ {0, 1}), listed out of order and with a repeat.
  const subset = data.ids.filter((_, i) => i % 6 <= 1 && i < 120).reverse();
  const inSubset = new Set(subset);
  subset.push(subset[0]);
  for (const strategy of ['nearest', 'random', 'stratified', 'uncertain', 'cluster-border'] as const) {
    const pairs = await suggestPairs(base({ strategy, count: 15, candidates: subset, clusters: data.labels }));
    assert.ok(pairs.length > 0, strategy);
    for (const p of pairs) {
      assert.ok(inSubset.has(p.id1) && inSubset.has(p.id2), `${strategy}: ${p.id1}, ${p.id2} in the selection`);
      assert.equal(data.ids[p.i], p.id1, `${strategy}: row indices refer to all rows`);
      assert.equal(data.ids[p.j], p.id2);
      assert.ok(Math.abs(p.similarity - cos(data.m, p.i, p.j)) < 1e-5);
    }
    if (strategy === 'cluster-border') assert.ok(pairs.every((p) => data.labels[p.i] !== data.labels[p.j]), 'borders between the selected clusters');
  }
  // "nearest" pairs a record with its closest record within the selection (brute force over the subset).
  const rows = [...inSubset].map((id) => data.ids.indexOf(id));
  const closestIn = (i: number) => rows.filter((r) => r !== i).reduce((best, r) => (cos(data.m, i, r) > cos(data.m, i, best) ? r : best), rows.find((r) => r !== i)!);
  const nearest = await suggestPairs(base({ strategy: 'nearest', count: 10, candidates: [...inSubset] }));
  assert.equal(nearest.length, 10);
  for (const p of nearest) assert.ok(closestIn(p.i) === p.j || closestIn(p.j) === p.i, `${p.id1}–${p.id2} are nearest neighbours within the selection`);
  // Over all records, some nearest pairs would leave the selection: the subset is what restricts them.
  const everywhere = await suggestPairs(base({ strategy: 'nearest', count: 60 }));
  assert.ok(everywhere.some((p) => !inSubset.has(p.id1) || !inSubset.has(p.id2)));
});

test('candidates: annotated pairs stay out, a selection of one record has no pairs, an unknown id is an error', async () => {
  const subset = ['r0', 'r6', 'r12'];
  const all = await suggestPairs(base({ strategy: 'random', count: 10, candidates: subset }));
  assert.deepEqual(all.map((p) => pairKey(p.id1, p.id2)).sort(), [pairKey('r0', 'r6'), pairKey('r0', 'r12'), pairKey('r6', 'r12')].sort(), 'the three pairs of three records');
  const rest = await suggestPairs(base({ strategy: 'random', count: 10, candidates: subset, exclude: new Set([pairKey('r6', 'r0')]) }));
  assert.equal(rest.length, 2);
  assert.deepEqual(await suggestPairs(base({ strategy: 'nearest', candidates: ['r5'] })), []);
  await assert.rejects(suggestPairs(base({ candidates: ['r1', 'nope'] })), /field "candidates": no record "nope" among the 300 records/);
});
